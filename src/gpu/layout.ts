/**
 * Uniform/storage struct layouts defined once in TypeScript.
 *
 * Offsets follow the WGSL alignment rules for the scalar and vector types we use; a test parses
 * the WGSL with wgsl_reflect and checks that every struct declared here matches the shader.
 */

export type WgslScalarType = 'f32' | 'u32' | 'i32';
export type WgslFieldType = WgslScalarType | 'vec2<f32>' | 'vec4<f32>' | 'vec2<u32>' | 'vec4<u32>';

const FIELD_INFO: Record<WgslFieldType, { size: number; align: number; scalar: WgslScalarType }> = {
  f32: { size: 4, align: 4, scalar: 'f32' },
  u32: { size: 4, align: 4, scalar: 'u32' },
  i32: { size: 4, align: 4, scalar: 'i32' },
  'vec2<f32>': { size: 8, align: 8, scalar: 'f32' },
  'vec2<u32>': { size: 8, align: 8, scalar: 'u32' },
  'vec4<f32>': { size: 16, align: 16, scalar: 'f32' },
  'vec4<u32>': { size: 16, align: 16, scalar: 'u32' },
};

export interface StructField {
  name: string;
  type: WgslFieldType;
  offset: number;
  size: number;
}

export interface StructLayout<Name extends string> {
  /** The WGSL struct name this layout mirrors. */
  wgslName: string;
  fields: readonly StructField[];
  /** Size in bytes, rounded up to the struct alignment (as WGSL computes it). */
  size: number;
  /** Packs named values into an ArrayBuffer ready for `queue.writeBuffer`. */
  pack(values: Readonly<Record<Name, number | readonly number[]>>): ArrayBuffer;
}

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

export function defineStruct<const Fields extends readonly (readonly [string, WgslFieldType])[]>(
  wgslName: string,
  declaration: Fields,
): StructLayout<Fields[number][0]> {
  let offset = 0;
  let structAlign = 4;
  const fields: StructField[] = declaration.map(([name, type]) => {
    const info = FIELD_INFO[type];
    offset = roundUp(offset, info.align);
    structAlign = Math.max(structAlign, info.align);
    const field = { name, type, offset, size: info.size };
    offset += info.size;
    return field;
  });
  const size = roundUp(offset, structAlign);

  const pack = (values: Readonly<Record<string, number | readonly number[]>>): ArrayBuffer => {
    const buffer = new ArrayBuffer(size);
    const view = new DataView(buffer);
    for (const field of fields) {
      const value = values[field.name];
      if (value === undefined) throw new Error(`${wgslName}.${field.name} is missing`);
      const components = typeof value === 'number' ? [value] : value;
      const { scalar } = FIELD_INFO[field.type];
      if (components.length !== field.size / 4) {
        throw new Error(`${wgslName}.${field.name} needs ${field.size / 4} components`);
      }
      components.forEach((component, k) => {
        const at = field.offset + 4 * k;
        if (scalar === 'f32') view.setFloat32(at, component, true);
        else if (scalar === 'u32') view.setUint32(at, component, true);
        else view.setInt32(at, component, true);
      });
    }
    return buffer;
  };

  return { wgslName, fields, size, pack };
}
