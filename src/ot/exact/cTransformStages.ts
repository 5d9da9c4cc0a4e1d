/**
 * Kantorovich duality step by step (seed 004, "Duality", "Conjugacy", "Complementarity"), shared by
 * the duality scene and `otlab emd` (with `startPotential`). From a start pair (f₀, g₀ = 0):
 * g ← f^c; f ← g^c (= f^{cc} ≥ f); g ← f^c again, which changes nothing (f^{ccc} = f^c): the pair is
 * c-concave and the dual value has stopped rising; finally the optimal pair (the solver's duals
 * made c-concave), whose dual value equals the primal cost and which is tight (f + g = c) on the
 * support of the optimal plan.
 */
import { complementarySlackness, dualFeasibility } from './checks';
import {
  cTransformOfColumns,
  cTransformOfRows,
  dualObjective,
  type CostMatrix,
  type PlanEntry,
} from './problem';

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

export interface DualProblem {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  C: CostMatrix;
  /** An optimal plan, for the slackness check. */
  plan: readonly PlanEntry[];
}

/** Optimal row duals u made c-concave: g = u^c, f = g^c (still optimal, tight wherever possible). */
export function cConcavePair(C: CostMatrix, u: ArrayLike<number>) {
  const g = cTransformOfRows(C, u);
  return { f: cTransformOfColumns(C, g), g };
}

function stage(
  problem: DualProblem,
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

/** The five stages from f₀ to the optimal pair `optimal` (e.g. `cConcavePair` of the duals). */
export function cTransformStages(
  problem: DualProblem,
  f0: Float64Array,
  optimal: { f: Float64Array; g: Float64Array },
): DualStage[] {
  const { C } = problem;
  const start = stage(problem, 'start', 'Start: f = f₀, g = 0', f0, new Float64Array(C.m));
  const gFromF = stage(
    problem,
    'g-from-f',
    'g ← f^c: the best g for this f',
    f0,
    cTransformOfRows(C, f0),
  );
  const f1 = cTransformOfColumns(C, gFromF.g);
  const fFromG = stage(
    problem,
    'f-from-g',
    'f ← g^c = f^cc ≥ f: the best f for this g',
    f1,
    gFromF.g,
  );
  const gAgain = stage(
    problem,
    'g-again',
    'g ← f^c again: no change (f^ccc = f^c), the pair is c-concave',
    f1,
    cTransformOfRows(C, f1),
  );
  const best = stage(
    problem,
    'optimal',
    'The optimal pair: dual value = primal cost',
    optimal.f,
    optimal.g,
  );
  return [start, gFromF, fFromG, gAgain, best];
}
