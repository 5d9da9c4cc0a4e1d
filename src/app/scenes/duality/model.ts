/**
 * Kantorovich duality on a 1D grid (seed 004, "Duality", "Conjugacy", "Complementarity"): μ and ν
 * are bumps discretised on k points of [0, 1]; the primal optimum comes from the exact 1D solver
 * (sorting), the dual side from potentials f (on x) and g (on y) with f(x) + g(y) ≤ c(x, y).
 *
 * The stages, from a start pair (f₀, g₀ = 0) to the optimal c-concave pair, are those of
 * src/ot/exact/cTransformStages.ts (`otlab emd` with `startPotential` gives the same).
 */
import {
  cConcavePair,
  cTransformStages,
  type DualStage,
  type StageKind,
} from '../../../ot/exact/cTransformStages';
import { transport1D } from '../../../ot/exact/oneDimensional';
import { costMatrixFromPoints, type CostMatrix, type PlanEntry } from '../../../ot/exact/problem';
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
  return {
    grid,
    a,
    b,
    C,
    plan: solution.plan,
    primal: solution.cost,
    optimal: cConcavePair(C, solution.u),
  };
}

export type { DualStage, StageKind };

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
  const stages = cTransformStages(problem, f0, problem.optimal);
  return {
    first: stages[0]!,
    next: (_, index) => stages[index + 1],
    finished: (last) =>
      `Optimal potentials: dual ${last.dual.toFixed(6)} = primal ${problem.primal.toFixed(6)}; f + g = c on the plan’s support`,
  };
}
