/** Struct layouts of shaders/grid_sinkhorn.wgsl, checked against the WGSL in test/unit/layouts.test.ts. */
import { defineStruct } from '../../gpu/layout';

export const GRID_PARAMS = defineStruct('GridParams', [
  ['height', 'u32'],
  ['width', 'u32'],
  ['images', 'u32'],
  ['debiased', 'u32'],
  ['pixels', 'u32'],
  ['history_capacity', 'u32'],
  ['epsilon', 'f32'],
  ['tolerance', 'f32'],
] as const);
