/**
 * Monge against Kantorovich on a handful of atoms (seed 004, "Monge's Problem", "Kantorovich's
 * Relaxation", "Cyclic Monotonicity"): the optimal plan (network simplex), whether any map pushes
 * the sources onto the targets (exhaustive search), the current plan (optimal or north-west corner,
 * optionally perturbed along a rectangle by the user) and cycle cancelling from it: every step
 * rematches mass around a violating cycle until the support is c-cyclically monotone, i.e. optimal.
 */
import {
  cyclicalMonotonicity,
  marginalErrors,
  type MonotonicityResult,
} from '../../../ot/exact/checks';
import {
  cancelViolatingCycle,
  isMapPlan,
  mongeMaps,
  rectangleShift,
  type CycleCell,
  type MongeMaps,
} from '../../../ot/exact/cycles';
import { networkSimplex } from '../../../ot/exact/networkSimplex';
import {
  costMatrixFromPoints,
  densePlan,
  northWestCorner,
  planCost,
  sparsePlan,
  type CostMatrix,
} from '../../../ot/exact/problem';
import { seededRandom } from '../../../ot/random';
import type { SequenceDefinition } from '../../../solvers/sequence';
import type { ParamValue, ParamValues } from '../../params';
import { atomKeys, MAX_ATOMS, type MongeKantorovichParams, type Preset } from './params';

type Values = ParamValues<MongeKantorovichParams>;
export type Point = [number, number];

export interface AtomProblem {
  sources: Point[];
  targets: Point[];
  /** Masses normalised to 1 on each side. */
  a: number[];
  b: number[];
  C: CostMatrix;
}

function atoms(values: Values, kind: 'source' | 'target', count: number) {
  const read = (key: string) => Number((values as Record<string, ParamValue>)[key]);
  const points: Point[] = [];
  const masses: number[] = [];
  for (let k = 0; k < count; k += 1) {
    const [x, y, m] = atomKeys(kind, k);
    points.push([read(x), read(y)]);
    masses.push(read(m));
  }
  const total = masses.reduce((s, v) => s + v, 0);
  return { points, masses: masses.map((v) => v / total) };
}

export function atomProblem(values: Values): AtomProblem {
  const source = atoms(values, 'source', values.ns);
  const target = atoms(values, 'target', values.nt);
  const C = costMatrixFromPoints(
    { kind: values.cost === 'distance' ? 'euclidean' : 'sqeuclidean' },
    source.points,
    target.points,
  );
  return { sources: source.points, targets: target.points, a: source.masses, b: target.masses, C };
}

export interface PlanState {
  /** Dense ns × nt plan. */
  plan: Float64Array;
  cost: number;
  /** Every row has one non-zero entry: the plan comes from a map. */
  isMap: boolean;
  /** c-cyclical monotonicity of the support, with a violating cycle when there is one. */
  monotonicity: MonotonicityResult;
  /** The cycle rematched to reach this plan (absent for the start plan). */
  cancelled?: { cycle: CycleCell[]; gain: number; amount: number };
}

function planState(
  plan: Float64Array,
  C: CostMatrix,
  cancelled?: PlanState['cancelled'],
): PlanState {
  const support = sparsePlan(plan, C.n, C.m);
  return {
    plan,
    cost: planCost(C, support),
    isMap: isMapPlan(plan, C.n, C.m),
    monotonicity: cyclicalMonotonicity(support, C),
    ...(cancelled ? { cancelled } : {}),
  };
}

export interface Perturbation {
  /** Mass actually moved (the requested fraction of the smaller donor cell). */
  moved: number;
  /** Why no perturbation applies, when it does not. */
  issue: string | undefined;
}

export interface SceneModel {
  problem: AtomProblem;
  optimal: { plan: Float64Array; cost: number };
  monge: MongeMaps;
  start: PlanState;
  perturbation: Perturbation;
  /** Marginal error of the start plan (0 up to rounding: perturbations keep the marginals). */
  startMarginalError: number;
}

/** Applies the user's rectangle perturbation (1-based cells in the URL) to a plan. */
function perturb(plan: Float64Array, values: Values, C: CostMatrix) {
  const from = { i: values.i1 - 1, j: values.j1 - 1 };
  const to = { i: values.i2 - 1, j: values.j2 - 1 };
  if (values.amount === 0) return { plan, perturbation: { moved: 0, issue: undefined } };
  const outside = [from.i, to.i].some((i) => i >= C.n) || [from.j, to.j].some((j) => j >= C.m);
  if (outside) {
    return {
      plan,
      perturbation: { moved: 0, issue: `The donor cells must lie in the ${C.n} × ${C.m} plan.` },
    };
  }
  if (from.i === to.i || from.j === to.j) {
    return {
      plan,
      perturbation: {
        moved: 0,
        issue:
          'The two donor cells must differ in row and in column (they are corners of a rectangle).',
      },
    };
  }
  const capacity = Math.min(plan[from.i * C.m + from.j]!, plan[to.i * C.m + to.j]!);
  if (!(capacity > 0)) {
    return {
      plan,
      perturbation: { moved: 0, issue: 'A donor cell is empty: pick two cells that carry mass.' },
    };
  }
  const shifted = rectangleShift(plan, C.m, from, to, values.amount * capacity);
  return { plan: shifted.plan, perturbation: { moved: shifted.moved, issue: undefined } };
}

export function sceneModel(values: Values): SceneModel {
  const problem = atomProblem(values);
  const { a, b, C } = problem;
  const solution = networkSimplex({ a, b, C });
  const optimalPlan = densePlan(solution.plan, C.n, C.m);
  const base =
    values.start === 'northwest' ? densePlan(northWestCorner(a, b), C.n, C.m) : optimalPlan;
  const { plan, perturbation } = perturb(base, values, C);
  return {
    problem,
    optimal: { plan: optimalPlan, cost: solution.cost },
    monge: mongeMaps(a, b, C),
    start: planState(plan, C),
    perturbation,
    startMarginalError: marginalErrors(sparsePlan(plan, C.n, C.m), a, b).max,
  };
}

/** Cycle cancelling from the start plan, one rematched cycle per step. */
export function cancellingDefinition(model: SceneModel): SequenceDefinition<PlanState> {
  const { C } = model.problem;
  return {
    first: model.start,
    next: (state) => {
      const step = cancelViolatingCycle(state.plan, C);
      return step
        ? planState(step.plan, C, { cycle: step.cycle, gain: step.gain, amount: step.amount })
        : undefined;
    },
    finished: (last) =>
      `No violating cycle: the support is c-cyclically monotone, so the plan is optimal (cost ${last.cost.toFixed(6)})`,
    maxSteps: 500,
  };
}

/** Atom parameters of an example (the random one drawn from the seed). */
export function presetValues(preset: Preset, seed: number): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = {};
  const put = (kind: 'source' | 'target', atomsOf: [number, number, number][]) => {
    atomsOf.forEach((atom, k) => {
      atomKeys(kind, k).forEach((key, c) => (values[key] = atom[c]!));
    });
  };
  switch (preset) {
    case 'split':
      Object.assign(values, { ns: 1, nt: 2, start: 'optimal', amount: 0 });
      put('source', [[0.2, 0.5, 1]]);
      put('target', [
        [0.8, 0.25, 1],
        [0.8, 0.75, 1],
      ]);
      break;
    case 'three-to-two':
      Object.assign(values, { ns: 3, nt: 2, start: 'optimal', amount: 0 });
      put('source', [
        [0.2, 0.2, 0.5],
        [0.2, 0.5, 0.3],
        [0.2, 0.8, 0.2],
      ]);
      put('target', [
        [0.8, 0.3, 0.6],
        [0.8, 0.7, 0.4],
      ]);
      break;
    case 'crossing':
      Object.assign(values, { ns: 2, nt: 2, start: 'northwest', amount: 0 });
      put('source', [
        [0.2, 0.25, 1],
        [0.2, 0.75, 1],
      ]);
      put('target', [
        [0.8, 0.75, 1],
        [0.8, 0.25, 1],
      ]);
      break;
    case 'random': {
      const random = seededRandom(seed);
      const draw = (): [number, number, number] => [
        round3(0.05 + 0.9 * random()),
        round3(0.05 + 0.9 * random()),
        round3(0.2 + 0.8 * random()),
      ];
      Object.assign(values, { ns: MAX_ATOMS, nt: 3, start: 'northwest', amount: 0 });
      put('source', Array.from({ length: MAX_ATOMS }, draw));
      put('target', Array.from({ length: 3 }, draw));
      break;
    }
    case 'custom':
      break;
  }
  return values;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
