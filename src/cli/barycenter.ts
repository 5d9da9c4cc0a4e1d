/**
 * `otlab barycenter`: barycenters of discrete measures for generic costs (‖x − y‖_p^q, projections
 * onto circles) by the fixed-point algorithms H and G of seed 001 (MATH.md §5), with V per iteration.
 */
import { parseGenericBarycenterInput, type GenericBarycenterInput } from '../ot/barycenter/problem';
import { createGenericBarycenterSolver } from '../solvers/genericBarycenter';
import { cliSolver } from './registry';

export const barycenterCli = cliSolver<GenericBarycenterInput>({
  name: 'barycenter',
  summary:
    'generic-cost barycenter of point clouds (‖x−y‖_p^q or circle projections), fixed points H and G',
  parse: parseGenericBarycenterInput,
  async run({ problem, options }, context) {
    const entropicGpu = options.plans.kind === 'entropic' && context.backend === 'gpu';
    const runtime = entropicGpu ? await context.gpu() : undefined;
    const backend = entropicGpu ? 'gpu' : 'cpu';
    const solver = createGenericBarycenterSolver(problem, options, backend, runtime);
    try {
      const result = await solver.run();
      return {
        solver: 'barycenter',
        backend: result.backend,
        ...(runtime ? { adapter: runtime.adapter } : {}),
        algorithm: options.algorithm,
        plans: options.plans,
        cost: problem.ground,
        weights: problem.lambdas,
        converged: result.converged,
        iterations: result.iteration,
        ...(result.stopReason ? { stopReason: result.stopReason } : {}),
        V: result.history.at(-1)?.V,
        history: result.history,
        increases: result.increases,
        support: result.points,
        supportWeights: result.weights,
      };
    } finally {
      solver.dispose();
    }
  },
});
