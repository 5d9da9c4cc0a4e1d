/**
 * Registry of every struct layout shared between TypeScript and WGSL. test/unit/layouts.test.ts
 * checks each one against the struct of the same name in shaders/: add new layouts here.
 */
import type { StructLayout } from './layout';
import { DENSITY_PARAMS } from './density';
import { RANDOM_PARAMS } from './random';
import { REDUCE_PARAMS } from './reduce';
import {
  SINKHORN_BATCH_LAYOUT,
  SINKHORN_BATCH_STATE,
  SINKHORN_PARAMS,
} from '../solvers/sinkhorn/layouts';
import { GRID_PARAMS } from '../solvers/gridSinkhorn/layouts';
import { MCOT_GPU_PARAMS, MCOT_STATE } from '../solvers/mcot/layouts';

export const structLayouts: StructLayout<string>[] = [
  REDUCE_PARAMS,
  RANDOM_PARAMS,
  SINKHORN_PARAMS,
  SINKHORN_BATCH_STATE,
  SINKHORN_BATCH_LAYOUT,
  GRID_PARAMS,
  DENSITY_PARAMS,
  MCOT_GPU_PARAMS,
  MCOT_STATE,
];
