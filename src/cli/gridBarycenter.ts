/**
 * `otlab grid-barycenter`: entropic (convolutional) Wasserstein barycenter of K images on a common
 * h×w grid over [0, 1]² (MATH.md §5), plain or debiased, with the L2 barycenter for comparison.
 */
import {
  DEFAULT_GRID_OPTIONS,
  gridRows,
  l2Barycenter,
  validateGridBarycenterProblem,
  type GridBarycenterProblem,
} from '../ot/gridSinkhorn';
import type { SinkhornOptions } from '../ot/sinkhorn';
import { requireInteger, requireObject, requirePositive } from '../ot/validate';
import { createGridBarycenterSolver } from '../solvers/gridSinkhorn';
import { cliSolver } from './registry';

interface GridBarycenterCliInput {
  problem: GridBarycenterProblem;
  options: SinkhornOptions;
}

export const gridBarycenterCli = cliSolver<GridBarycenterCliInput>({
  name: 'grid-barycenter',
  summary:
    'entropic barycenter of K images on a grid (log-domain convolutional Sinkhorn, debiased option)',
  parse(json) {
    const input = requireObject(json, 'input');
    const problem = validateGridBarycenterProblem({
      images: input.images,
      weights: input.weights,
      epsilon: input.epsilon,
      debiased: input.debiased,
    });
    const d = DEFAULT_GRID_OPTIONS;
    const options: SinkhornOptions = {
      maxIterations:
        input.maxIterations === undefined
          ? d.maxIterations
          : requireInteger(input.maxIterations, 'maxIterations', 1, 1e6),
      tolerance:
        input.tolerance === undefined ? d.tolerance : requirePositive(input.tolerance, 'tolerance'),
      checkEvery:
        input.checkEvery === undefined
          ? d.checkEvery
          : requireInteger(input.checkEvery, 'checkEvery', 1, 1e6),
    };
    return { problem, options };
  },
  async run({ problem, options }, context) {
    const runtime = context.backend === 'gpu' ? await context.gpu() : undefined;
    const solver = createGridBarycenterSolver(problem, context.backend, options, runtime);
    try {
      const result = await solver.run();
      const { height, width } = problem;
      return {
        solver: 'grid-barycenter',
        backend: result.backend,
        ...(runtime ? { adapter: runtime.adapter } : {}),
        height,
        width,
        epsilon: problem.epsilon,
        debiased: problem.debiased,
        weights: problem.weights,
        converged: result.converged,
        iterations: result.iterations,
        marginalError: result.marginalError,
        ...(result.stopReason ? { stopReason: result.stopReason } : {}),
        errorHistory: result.history,
        mass: result.mass,
        barycenter: gridRows(result.barycenter, height, width),
        l2Barycenter: gridRows(l2Barycenter(problem), height, width),
      };
    } finally {
      solver.dispose();
    }
  },
});
