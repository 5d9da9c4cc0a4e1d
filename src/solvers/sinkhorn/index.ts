/** Sinkhorn solvers: one entry point, two backends with the same API. */
import type { GpuRuntime } from '../../gpu/runtime';
import {
  DEFAULT_SINKHORN_OPTIONS,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../../ot/sinkhorn';
import { InputError } from '../../ot/validate';
import type { Backend } from '../types';
import { CPU_MAX_ENTRIES, CpuSinkhornSolver } from './cpu';
import { GpuSinkhornSolver } from './gpu';
import type { SinkhornSolver } from './types';

export type * from './types';

export function createSinkhornSolver(
  problems: readonly SinkhornProblem[],
  backend: Backend,
  options: Partial<SinkhornOptions> = {},
  runtime?: GpuRuntime,
): SinkhornSolver {
  if (problems.length === 0) throw new InputError('problems', 'give at least one problem');
  const full = { ...DEFAULT_SINKHORN_OPTIONS, ...options };
  if (backend === 'gpu') {
    if (!runtime) throw new Error('the GPU backend needs a GPU runtime');
    return new GpuSinkhornSolver(runtime, problems, full);
  }
  const entries = Math.max(...problems.map((p) => p.x.length * p.y.length));
  if (entries > CPU_MAX_ENTRIES) {
    throw new InputError(
      'x',
      `n·m = ${entries} exceeds the CPU backend's ${CPU_MAX_ENTRIES} cost entries; use the GPU backend`,
    );
  }
  return new CpuSinkhornSolver(problems, full);
}
