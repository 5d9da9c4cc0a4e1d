/**
 * Kantorovich duality on a 1D grid (seed 004, "Duality", "Conjugacy", "Complementarity"): μ and ν
 * are bumps discretised on k points of [0, 1]; the primal optimum comes from the exact 1D solver
 * (sorting), the dual side from potentials f (on x) and g (on y) with f(x) + g(y) ≤ c(x, y).
 *
 * The stages: a start pair (f₀, g₀ = 0); g ← f^c; f ← g^c (= f^{cc} ≥ f); g ← f^c again, which
 * changes nothing (f^{ccc} = f^c): the pair is c-concave and the dual value has stopped rising;
 * finally the optimal pair (the exact solver's duals made c-concave), whose dual value equals the
 * primal cost, and which is tight (f + g = c) on the support of the optimal plan.
 */
import { complementarySlackness, dualFeasibility } from '../../../ot/exact/checks';
import { transport1D } from '../../../ot/exact/oneDimensional';
import {
  costMatrixFromPoints,
  cTransformOfColumns,
  cTransformOfRows,
  dualObjective,
  type CostMatrix,
  type PlanEntry,
} from '../../../ot/exact/problem';
import { seededRandom } from '../../../ot/random';
import type { SequenceDefinition } from '../../../solvers/sequence';
import type { ParamValues } from '../../params';
import type { DualityParams } from './params';

type Values = ParamValues<DualityParams>;

export interface DualityProblem {
  grid: number[];
  /** Weights of μ and ν on the grid (sum 1). */
  a: number[];
  b: number[];
  C: CostMatrix;
  /** The optimal plan (sparse) and its cost ⟨C, P⟩. */
  plan: PlanEntry[];
  primal: number;
  /** Optimal c-concave potentials. */
  optimal: { f: Float64Array; g: Float64Array };
}

/** A normal bump sampled on the grid, normalised to mass 1 (whatever part of it the grid holds). */
function bump(grid: readonly number[], mean: number, sd: number): number[] {
  const raw = grid.map((x) => Math.exp(-0.5 * ((x - mean) / sd) ** 2));
  const total = raw.reduce((s, v) => s + v, 0);
  return raw.map((v) => v / total);
}

export function dualityProblem(values: Values): DualityProblem {
  const grid = Array.from({ length: values.k }, (_, i) => i / (values.k - 1));
  const a = bump(grid, values.mx, values.sx);
  const first = bump(grid, values.ny1, values.sy);
  const second = bump(grid, values.ny2, values.sy);
  const b = first.map((v, j) => values.wy * v + (1 - values.wy) * second[j]!);
  const points = grid.map((x) => [x]);
  const C = costMatrixFromPoints(
    { kind: values.cost === 'distance' ? 'euclidean' : 'sqeuclidean' },
    points,
    points,
  );
  const profile = values.cost === 'distance' ? Math.abs : (d: number) => d * d;
  const solution = transport1D({ x: grid, y: grid, a, b }, profile);
  // c-concave optimal pair: g = u^c, f = g^c (still optimal, and tight wherever possible).
  const g = cTransformOfRows(C, solution.u);
  const f = cTransformOfColumns(C, g);
  return { grid, a, b, C, plan: solution.plan, primal: solution.cost, optimal: { f, g } };
}

export type StageKind = 'start' | 'g-from-f' | 'f-from-g' | 'g-again' | 'optimal';

export interface DualStage {
  kind: StageKind;
  /** What this stage did, in words. */
  label: string;
  f: Float64Array;
  g: Float64Array;
  /** Σ a f + Σ b g (a lower bound of the primal only when the pair is feasible). */
  dual: number;
  /** max(f_i + g_j − C_ij, 0): 0 means feasible. */
  violation: number;
  /** max |C_ij − f_i − g_j| over the support of the optimal plan (0: complementary slackness). */
  slackness: number;
}

function stage(
  problem: DualityProblem,
  kind: StageKind,
  label: string,
  f: Float64Array,
  g: Float64Array,
): DualStage {
  return {
    kind,
    label,
    f,
    g,
    dual: dualObjective(problem.a, problem.b, f, g),
    violation: dualFeasibility(problem.C, f, g).worst,
    slackness: complementarySlackness(problem.plan, problem.C, f, g).worst,
  };
}

/** The start potential f₀ (g₀ = 0). */
export function startPotential(values: Values, grid: readonly number[]): Float64Array {
  if (values.start === 'random') {
    const random = seededRandom(values.seed);
    return Float64Array.from(grid, () => 0.3 * (random() - 0.5));
  }
  if (values.start === 'tilted') return Float64Array.from(grid, (x) => 0.4 * (x - 0.5));
  return new Float64Array(grid.length);
}

export function stagesDefinition(
  problem: DualityProblem,
  f0: Float64Array,
): SequenceDefinition<DualStage> {
  const { C } = problem;
  const steps: ((previous: DualStage) => DualStage)[] = [
    (s) =>
      stage(problem, 'g-from-f', 'g ← f^c: the best g for this f', s.f, cTransformOfRows(C, s.f)),
    (s) =>
      stage(
        problem,
        'f-from-g',
        'f ← g^c = f^cc ≥ f: the best f for this g',
        cTransformOfColumns(C, s.g),
        s.g,
      ),
    (s) =>
      stage(
        problem,
        'g-again',
        'g ← f^c again: no change (f^ccc = f^c), the pair is c-concave',
        s.f,
        cTransformOfRows(C, s.f),
      ),
    () =>
      stage(
        problem,
        'optimal',
        'The optimal pair: dual value = primal cost',
        problem.optimal.f,
        problem.optimal.g,
      ),
  ];
  return {
    first: stage(problem, 'start', 'Start: f = f₀, g = 0', f0, new Float64Array(f0.length)),
    next: (previous, index) => steps[index]?.(previous),
    finished: (last) =>
      `Optimal potentials: dual ${last.dual.toFixed(6)} = primal ${problem.primal.toFixed(6)}; f + g = c on the plan’s support`,
  };
}
