/**
 * The Point-cloud lab's problem (MATH.md §1): the point sets chosen by the parameters, uniform
 * weights, the chosen cost and ε; the exact (ε = 0) plan for small sets; the plan entries drawn as
 * lines; and the dual checks of the current potentials. Pure: no DOM, no solver state.
 */
import type { CostSpec } from '../../../ot/costs';
import { hungarian } from '../../../ot/exact/assignment';
import { networkSimplex } from '../../../ot/exact/networkSimplex';
import { costMatrixFromPoints, type PlanEntry } from '../../../ot/exact/problem';
import {
  planFromPotentials,
  planTopPerRow,
  validateSinkhornProblem,
  type SinkhornProblem,
} from '../../../ot/sinkhorn';
import type { ParamValues } from '../../params';
import type { PointCloudLabParams } from './params';
import { decodePoints, presetPoints, type PointSets, type Preset } from './pointSets';

type Values = ParamValues<PointCloudLabParams>;

/** The point sets the parameters describe: a seeded preset, or the drawn points in `pts`. */
export function pointsOf(values: Values): PointSets {
  if (values.preset === 'custom') return decodePoints(values.pts || '|');
  return presetPoints(values.preset as Preset, values.n, values.m, values.seed);
}

/** What the problem depends on besides the points. */
export type ProblemValues = Pick<Values, 'eps' | 'cost' | 'p' | 'q' | 'eta'>;

export function costOf(values: ProblemValues): CostSpec {
  switch (values.cost) {
    case 'euclidean':
      return { kind: 'euclidean' };
    case 'pq':
      return { kind: 'pq', p: values.p, q: values.q };
    case 'coulomb':
      return { kind: 'coulomb', eta: values.eta };
    default:
      return { kind: 'sqeuclidean' };
  }
}

/** Uniform weights 1/n, 1/m; throws an InputError naming an empty set. */
export function labProblem(points: PointSets, values: ProblemValues): SinkhornProblem {
  return validateSinkhornProblem({
    x: points.x,
    y: points.y,
    a: new Array<number>(points.x.length).fill(1 / points.x.length),
    b: new Array<number>(points.y.length).fill(1 / points.y.length),
    epsilon: values.eps,
    cost: costOf(values),
  });
}

/** The exact plan is computed (on the main thread, once per problem) up to this many entries. */
export const EXACT_MAX_ENTRIES = 160 * 160;

export interface ExactPlan {
  /** Entries with positive mass. */
  plan: PlanEntry[];
  /** ⟨C, P⟩ of the exact optimal plan. */
  cost: number;
  method: 'assignment' | 'network simplex';
}

/**
 * The unregularised optimal plan (MATH.md §1): an assignment (Hungarian) when n = m with uniform
 * weights (Birkhoff–von Neumann: a permutation is optimal), the network simplex otherwise.
 * Undefined above EXACT_MAX_ENTRIES.
 */
export function exactPlan(problem: SinkhornProblem): ExactPlan | undefined {
  const n = problem.x.length;
  const m = problem.y.length;
  if (n * m > EXACT_MAX_ENTRIES) return undefined;
  const C = costMatrixFromPoints(problem.cost, problem.x, problem.y);
  if (n === m) {
    const { permutation, cost } = hungarian(C);
    return {
      plan: Array.from(permutation, (j, i) => ({ i, j, mass: 1 / n })),
      cost: cost / n,
      method: 'assignment',
    };
  }
  const solution = networkSimplex({ a: problem.a, b: problem.b, C });
  return { plan: solution.plan, cost: solution.cost, method: 'network simplex' };
}

/** Up to this many entries every P_ij is drawn; above, the heaviest few of each row. */
export const DENSE_DRAW_ENTRIES = 6400;

/** Plan entries drawn per source point when the plan is too large to draw whole. */
export function linesPerRow(n: number, m: number): number {
  if (n * m <= DENSE_DRAW_ENTRIES) return m;
  return n > 600 ? 1 : n > 150 ? 2 : 3;
}

/**
 * The entries drawn as lines: the whole plan for small n·m, else the k heaviest of each row
 * (streamed by sinkhornPlanTopK, O(n·k) memory).
 */
export function planLines(
  problem: SinkhornProblem,
  f: ArrayLike<number>,
  g: ArrayLike<number>,
): PlanEntry[] {
  const n = problem.x.length;
  const m = problem.y.length;
  const k = linesPerRow(n, m);
  if (k === m) {
    return Array.from(planFromPotentials(problem, f, g), (mass, index) => ({
      i: Math.floor(index / m),
      j: index % m,
      mass,
    }));
  }
  return planTopPerRow(problem, f, g, k);
}
