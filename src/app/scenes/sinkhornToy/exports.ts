/**
 * What the entropic-OT toy exports (src/app/lecture/sceneExports.ts): its clouds, each backend's
 * potentials, dense plan and error history as tables, and the `otlab sinkhorn` input that solves
 * the same problem headless with the same stopping rule. Pure: no DOM, no solver state.
 */
import {
  planFromPotentials,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../../../ot/sinkhorn';
import type { ErrorSample } from '../../../solvers/sinkhorn';
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';

export interface LaneData {
  /** 'gpu' or 'cpu'. */
  lane: string;
  /** Latest potentials; undefined before the solver exists. */
  potentials: { f: ArrayLike<number>; g: ArrayLike<number> } | undefined;
  history: readonly ErrorSample[];
}

export function pointsTable(problem: SinkhornProblem): DataTable {
  const rows = (set: string, points: number[][], weights: number[]) =>
    points.map((p, k) => [set, k, p[0] ?? null, p[1] ?? null, weights[k] ?? null]);
  return {
    columns: ['set', 'index', 'x', 'y', 'weight'],
    rows: [...rows('source', problem.x, problem.a), ...rows('target', problem.y, problem.b)],
  };
}

export function potentialsTable(lanes: readonly LaneData[]): DataTable {
  return {
    columns: ['lane', 'potential', 'index', 'value'],
    rows: lanes.flatMap(({ lane, potentials }) =>
      potentials
        ? [
            ...Array.from(potentials.f, (v, i) => [lane, 'f', i, v]),
            ...Array.from(potentials.g, (v, j) => [lane, 'g', j, v]),
          ]
        : [],
    ),
  };
}

/** Every entry P_ij of each lane's current plan (n·m rows per lane). */
export function planTable(problem: SinkhornProblem, lanes: readonly LaneData[]): DataTable {
  const m = problem.y.length;
  return {
    columns: ['lane', 'i', 'j', 'mass'],
    rows: lanes.flatMap(({ lane, potentials }) =>
      potentials
        ? Array.from(planFromPotentials(problem, potentials.f, potentials.g), (mass, index) => [
            lane,
            Math.floor(index / m),
            index % m,
            mass,
          ])
        : [],
    ),
  };
}

export function historyTable(lanes: readonly LaneData[]): DataTable {
  return {
    columns: ['lane', 'iteration', 'marginal_error'],
    rows: lanes.flatMap(({ lane, history }) => history.map((s) => [lane, s.iteration, s.error])),
  };
}

export function sinkhornTables(problem: SinkhornProblem, lanes: readonly LaneData[]) {
  return {
    points: pointsTable(problem),
    potentials: potentialsTable(lanes),
    plan: planTable(problem, lanes),
    history: historyTable(lanes),
  };
}

/** `otlab sinkhorn --input FILE` on this problem and stopping rule (docs/cli.md). */
export function sinkhornOtlabRun(problem: SinkhornProblem, options: SinkhornOptions): OtlabRun {
  return {
    solver: 'sinkhorn',
    input: {
      x: problem.x,
      y: problem.y,
      a: problem.a,
      b: problem.b,
      epsilon: problem.epsilon,
      cost: problem.cost,
      tolerance: options.tolerance,
      maxIterations: options.maxIterations,
      checkEvery: options.checkEvery,
    },
  };
}
