/** Struct layouts of shaders/sinkhorn.wgsl, checked against the WGSL in test/unit/layouts.test.ts. */
import { defineStruct } from '../../gpu/layout';

export const SINKHORN_PARAMS = defineStruct('SinkhornParams', [
  ['n', 'u32'],
  ['m', 'u32'],
  ['batch', 'u32'],
  ['cost_kind', 'u32'],
  ['x_stride', 'u32'],
  ['y_stride', 'u32'],
  ['y_base', 'u32'],
  ['history_capacity', 'u32'],
  ['p', 'f32'],
  ['q', 'f32'],
  ['eta', 'f32'],
  ['tolerance', 'f32'],
] as const);

export const SINKHORN_BATCH_STATE = defineStruct('BatchState', [
  ['checks', 'u32'],
  ['done', 'u32'],
  ['spare0', 'u32'],
  ['spare1', 'u32'],
] as const);
