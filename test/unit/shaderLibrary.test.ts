import { describe, expect, it } from 'vitest';
import { expandShader } from '../../src/gpu/shaderLibrary';
import { defineStruct } from '../../src/gpu/layout';

describe('expandShader', () => {
  const sources = {
    'main.wgsl': '// top\n//!include lib/a.wgsl\nfn main() {}\n//!include lib/b.wgsl',
    'lib/a.wgsl': 'fn a() {}\n//!include lib/b.wgsl',
    'lib/b.wgsl': 'fn b() {}',
  };

  it('inlines each library once and maps every line back to its file', () => {
    const { code, origin } = expandShader(sources, 'main.wgsl');
    expect(code).toBe('// top\nfn a() {}\nfn b() {}\nfn main() {}');
    expect(origin).toEqual([
      { file: 'main.wgsl', line: 1 },
      { file: 'lib/a.wgsl', line: 1 },
      { file: 'lib/b.wgsl', line: 1 },
      { file: 'main.wgsl', line: 3 },
    ]);
  });

  it('names a missing include and where it was included from', () => {
    expect(() => expandShader({ 'x.wgsl': '//!include lib/none.wgsl' }, 'x.wgsl')).toThrow(
      'WGSL file shaders/lib/none.wgsl not found (included from x.wgsl)',
    );
  });

  it('rejects include cycles', () => {
    const cyclic = { 'p.wgsl': '//!include q.wgsl', 'q.wgsl': '//!include p.wgsl' };
    expect(() => expandShader(cyclic, 'p.wgsl')).toThrow(
      'WGSL include cycle: p.wgsl -> q.wgsl -> p.wgsl',
    );
  });
});

describe('defineStruct', () => {
  it('applies WGSL alignment: vec4 on 16 bytes, struct size rounded to its alignment', () => {
    const layout = defineStruct('S', [
      ['a', 'f32'],
      ['b', 'vec4<f32>'],
      ['c', 'u32'],
    ] as const);
    expect(layout.fields.map((f) => f.offset)).toEqual([0, 16, 32]);
    expect(layout.size).toBe(48);
    const view = new DataView(layout.pack({ a: 1.5, b: [1, 2, 3, 4], c: 7 }));
    expect(view.getFloat32(0, true)).toBe(1.5);
    expect(view.getFloat32(28, true)).toBe(4);
    expect(view.getUint32(32, true)).toBe(7);
  });

  it('refuses a value with the wrong number of components', () => {
    const layout = defineStruct('T', [['v', 'vec2<f32>']] as const);
    expect(() => layout.pack({ v: [1, 2, 3] })).toThrow('T.v needs 2 components');
  });
});
