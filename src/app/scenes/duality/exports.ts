/**
 * What the duality scene exports (src/app/lecture/sceneExports.ts): the grid with μ and ν, the
 * optimal plan, f and g at every c-transform stage shown so far with their dual value, constraint
 * violation and slack on the support, and the `otlab emd` input (1D, with the start potential)
 * that recomputes the plan, the primal cost and the same stages. Pure: no DOM.
 */
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import type { DualityProblem, DualStage } from './model';

/** `stages`: from the start pair to the one shown. */
export function dualityTables(
  problem: DualityProblem,
  stages: readonly DualStage[],
): Record<string, DataTable> {
  return {
    measures: {
      columns: ['index', 'x', 'mu', 'nu'],
      rows: problem.grid.map((x, k) => [k, x, problem.a[k]!, problem.b[k]!]),
    },
    plan: {
      columns: ['i', 'j', 'mass'],
      rows: problem.plan.map(({ i, j, mass }) => [i, j, mass]),
    },
    stages: {
      columns: ['stage', 'kind', 'dual', 'primal', 'violation', 'slackness'],
      rows: stages.map((s, k) => [k, s.kind, s.dual, problem.primal, s.violation, s.slackness]),
    },
    potentials: {
      columns: ['stage', 'kind', 'index', 'x', 'f', 'g'],
      rows: stages.flatMap((s, k) =>
        problem.grid.map((x, i) => [k, s.kind, i, x, s.f[i]!, s.g[i]!]),
      ),
    },
  };
}

/** `otlab emd` on the grid (method 1d) from the start potential f₀: plan, cost and the stages. */
export function dualityOtlabRun(
  problem: DualityProblem,
  f0: Float64Array,
  cost: 'squared' | 'distance',
): OtlabRun {
  const points = problem.grid.map((x) => [x]);
  return {
    solver: 'emd',
    input: {
      x: points,
      y: points,
      a: problem.a,
      b: problem.b,
      cost: cost === 'distance' ? 'euclidean' : 'sqeuclidean',
      method: '1d',
      startPotential: f0,
    },
  };
}
