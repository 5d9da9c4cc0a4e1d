/**
 * What the Monge-vs-Kantorovich scene exports (src/app/lecture/sceneExports.ts): atoms, costs, the
 * optimal, start and current plans, each cycle-cancelling step and the current violating cycle,
 * and the `otlab emd` input that recomputes the optimal plan, its cost and a dual certificate.
 * Indices are 0-based (x1 on screen is i = 0). Pure: no DOM.
 */
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import { valuesTable } from '../../lecture/tables';
import type { PlanState, SceneModel } from './model';

function planRows(name: string, plan: Float64Array, m: number) {
  return Array.from(plan, (mass, k) => [name, Math.floor(k / m), k % m, mass]);
}

/** `history`: the plans from the start to the one shown (one per cancelled cycle). */
export function mongeTables(
  model: SceneModel,
  history: readonly PlanState[],
): Record<string, DataTable> {
  const { problem, optimal, monge } = model;
  const { n, m, values } = problem.C;
  const current = history.at(-1)!;
  return {
    atoms: {
      columns: ['side', 'index', 'x', 'y', 'mass'],
      rows: [
        ...problem.sources.map((p, i) => ['source', i, p[0], p[1], problem.a[i]!]),
        ...problem.targets.map((p, j) => ['target', j, p[0], p[1], problem.b[j]!]),
      ],
    },
    cost: {
      columns: ['i', 'j', 'cost'],
      rows: Array.from(values, (c, k) => [Math.floor(k / m), k % m, c]),
    },
    plans: {
      columns: ['plan', 'i', 'j', 'mass'],
      rows: [
        ...planRows('optimal', optimal.plan, m),
        ...planRows('start', history[0]!.plan, m),
        ...planRows('current', current.plan, m),
      ],
    },
    cancelling: {
      columns: ['step', 'cost', 'is_map', 'monotone', 'cycle_gain', 'moved'],
      rows: history.map((state, step) => [
        step,
        state.cost,
        state.isMap ? 'yes' : 'no',
        state.monotonicity.monotone ? 'yes' : 'no',
        state.cancelled?.gain ?? null,
        state.cancelled?.amount ?? null,
      ]),
    },
    violating_cycle: {
      columns: ['t', 'i', 'j'],
      rows: (current.monotonicity.cycle ?? []).map(({ i, j }, t) => [t, i, j]),
    },
    numbers: valuesTable({
      sources: n,
      targets: m,
      optimal_cost: optimal.cost,
      current_cost: current.cost,
      maps_pushing_mu_to_nu: monge.count,
      best_map_cost: monge.best?.cost ?? null,
      perturbation_moved: model.perturbation.moved,
      start_marginal_error: model.startMarginalError,
    }),
  };
}

/** `otlab emd` on the same atoms, masses and cost: the optimal plan the cancelling reaches. */
export function mongeOtlabRun(model: SceneModel, cost: 'squared' | 'distance'): OtlabRun {
  const { sources, targets, a, b } = model.problem;
  return {
    solver: 'emd',
    input: {
      x: sources,
      y: targets,
      a,
      b,
      cost: cost === 'distance' ? 'euclidean' : 'sqeuclidean',
      method: 'network-simplex',
    },
  };
}
