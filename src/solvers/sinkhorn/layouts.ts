/** Struct layouts of shaders/sinkhorn.wgsl, checked against the WGSL in test/unit/layouts.test.ts. */
import { defineStruct } from '../../gpu/layout';

export const SINKHORN_PARAMS = defineStruct('SinkhornParams', [
  ['batch', 'u32'],
  ['cost_kind', 'u32'],
  ['max_rows', 'u32'],
  ['max_cols', 'u32'],
  ['history_capacity', 'u32'],
  ['top_k', 'u32'],
  ['top_batch', 'u32'],
  ['spare', 'u32'],
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

export const SINKHORN_BATCH_LAYOUT = defineStruct('BatchLayout', [
  ['n', 'u32'],
  ['m', 'u32'],
  ['x_off', 'u32'],
  ['y_off', 'u32'],
  ['f_off', 'u32'],
  ['g_off', 'u32'],
  ['spare0', 'u32'],
  ['spare1', 'u32'],
] as const);
