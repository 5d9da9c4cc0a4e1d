/**
 * Every struct layout registered in src/gpu/layouts.ts matches the WGSL struct of the same name in
 * every shader that declares it (member names, types, offsets, sizes and the struct size), as
 * wgsl_reflect computes them from the expanded shader sources. No GPU needed.
 */
import { describe, expect, it } from 'vitest';
import type { StructInfo } from 'wgsl_reflect';
import { structLayouts } from '../../src/gpu/layouts';
import { readShaderSources } from '../../src/gpu/node';
import { expandShader } from '../../src/gpu/shaderLibrary';

// wgsl_reflect 1.6 declares "type": "module" but its `main` is CommonJS, which Node refuses:
// load the ES build by path (a variable specifier, as that file has no type declarations).
const esBuild = 'wgsl_reflect/wgsl_reflect.module.js';
const { WgslReflect } = (await import(esBuild)) as typeof import('wgsl_reflect');

const sources = readShaderSources();

/** WGSL spells vec2<u32> also vec2u; wgsl_reflect reports the short form. */
function normalizeType(name: string): string {
  const match = /^vec([234])<([fiu])32>$/.exec(name);
  return match ? `vec${match[1]!}${match[2]!}` : name;
}

function describeStruct(struct: StructInfo) {
  return {
    size: struct.size,
    members: struct.members.map((m) => ({
      name: m.name,
      type: normalizeType(m.type.getTypeName()),
      offset: m.offset,
      size: m.size,
    })),
  };
}

/** struct name → [shader file, reflected struct] for every struct in every expanded shader. */
function reflectAllStructs(): Map<string, { file: string; struct: StructInfo }[]> {
  const found = new Map<string, { file: string; struct: StructInfo }[]>();
  for (const file of Object.keys(sources)) {
    const reflect = new WgslReflect(expandShader(sources, file).code);
    for (const struct of reflect.structs) {
      const list = found.get(struct.name) ?? [];
      list.push({ file, struct });
      found.set(struct.name, list);
    }
  }
  return found;
}

describe('struct layouts shared by TypeScript and WGSL', () => {
  const structs = reflectAllStructs();

  it('parses every shader and registers distinct layout names', () => {
    expect(Object.keys(sources)).toContain('reduce.wgsl');
    const names = structLayouts.map((layout) => layout.wgslName);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(structLayouts.map((layout) => [layout.wgslName, layout] as const))(
    '%s matches its WGSL declaration',
    (name, layout) => {
      const declarations = structs.get(name) ?? [];
      expect(declarations.length, `no WGSL struct named ${name} in shaders/`).toBeGreaterThan(0);
      const expected = {
        size: layout.size,
        members: layout.fields.map((f) => ({
          name: f.name,
          type: normalizeType(f.type),
          offset: f.offset,
          size: f.size,
        })),
      };
      for (const { file, struct } of declarations) {
        expect(describeStruct(struct), `${name} in shaders/${file}`).toEqual(expected);
      }
    },
  );
});
