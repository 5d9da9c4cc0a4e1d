/** Sinkhorn solvers: one entry point, two backends with the same API. */
import type { GpuRuntime } from '../../gpu/runtime';
import {
  DEFAULT_SINKHORN_OPTIONS,
  debiasedBatch,
  sinkhornDivergences,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../../ot/sinkhorn';
import { InputError } from '../../ot/validate';
import type { Backend } from '../types';
import { CPU_MAX_STREAMED_ENTRIES, CpuSinkhornSolver } from './cpu';
import { GpuSinkhornSolver } from './gpu';
import type { SinkhornBatchResult, SinkhornResult, SinkhornSolver } from './types';

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
  if (entries > CPU_MAX_STREAMED_ENTRIES) {
    throw new InputError(
      'x',
      `n·m = ${entries} exceeds the CPU backend's ${CPU_MAX_STREAMED_ENTRIES} cost entries; use the GPU backend`,
    );
  }
  return new CpuSinkhornSolver(problems, full);
}

export interface SinkhornDivergenceResult {
  backend: Backend;
  /** S_ε(a, b) per input problem (MATH.md §1). */
  divergences: number[];
  /** Per input problem, the (a, b), (a, a) and (b, b) solves. */
  parts: { xy: SinkhornBatchResult; xx: SinkhornBatchResult; yy: SinkhornBatchResult }[];
  converged: boolean;
}

/** The debiased Sinkhorn divergence of each problem, solved as one batch of 3 problems each. */
export async function solveSinkhornDivergence(
  problems: readonly SinkhornProblem[],
  backend: Backend,
  options: Partial<SinkhornOptions> = {},
  runtime?: GpuRuntime,
): Promise<SinkhornDivergenceResult> {
  const solver = createSinkhornSolver(debiasedBatch(problems), backend, options, runtime);
  try {
    return divergenceFrom(await solver.run());
  } finally {
    solver.dispose();
  }
}

/** Groups a debiased batch's result (as from `debiasedBatch`) into divergences. */
export function divergenceFrom(result: SinkhornResult): SinkhornDivergenceResult {
  const { batches } = result;
  return {
    backend: result.backend,
    divergences: sinkhornDivergences(batches.map((batch) => batch.dualObjective)),
    parts: Array.from({ length: batches.length / 3 }, (_, k) => ({
      xy: batches[3 * k]!,
      xx: batches[3 * k + 1]!,
      yy: batches[3 * k + 2]!,
    })),
    converged: batches.every((batch) => batch.converged),
  };
}
