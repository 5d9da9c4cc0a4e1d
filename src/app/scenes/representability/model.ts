/**
 * The two-state toy model of seed 002 ("Optimal cost per particle pair as fctn of particle no.",
 * "Infinite-dimensional geometric intuition"): for k = 2, 3, … the optimal k-representable pair
 * density with one-body marginal ρ and its cost per pair, which rises to the mean-field value
 * ∫∫ c ρ⊗ρ; the k-representable region in the (t, α) plane; and the user's pair density checked
 * against symmetry, the seed's inequality and exact k-representability.
 */
import {
  twoStateMaxMixed,
  twoStateMeanField,
  twoStateOptimal,
  twoStateRepresentability,
  type TwoStateModel,
  type TwoStatePair,
  type TwoStateRepresentability,
  type TwoStateSolution,
} from '../../../ot/mcot/sce';
import type { SequenceDefinition } from '../../../solvers/sequence';
import type { ParamValues } from '../../params';
import type { RepresentabilityParams } from './params';

type Values = ParamValues<RepresentabilityParams>;

export interface ToyModel {
  model: TwoStateModel;
  meanField: number;
  /** Cost per pair of the optimal k-representable density, k = 2..kmax. */
  curve: { k: number; costPerPair: number }[];
}

/** The model, or a message when U_diag ≤ U_AB (the toy model needs a repulsive diagonal). */
export function toyModel(values: Values): ToyModel | { error: string } {
  if (!(values.uDiag > values.uAB)) {
    return {
      error: `The toy model needs U_diag > U_AB (same state costs more); got U_diag = ${values.uDiag}, U_AB = ${values.uAB}.`,
    };
  }
  const model = { uDiag: values.uDiag, uAB: values.uAB, t: values.t };
  return {
    model,
    meanField: twoStateMeanField(model),
    curve: Array.from({ length: values.kmax - 1 }, (_, index) => ({
      k: index + 2,
      costPerPair: twoStateOptimal(model, index + 2).costPerPair,
    })),
  };
}

export interface KStage {
  k: number;
  solution: TwoStateSolution;
  /** Largest α = p₂(A, B) of a k-representable density with marginal t. */
  maxMixed: number;
}

function stageFor(model: TwoStateModel, k: number): KStage {
  return { k, solution: twoStateOptimal(model, k), maxMixed: twoStateMaxMixed(model.t, k) };
}

/** k = 2, 3, …, kmax: one particle more per step. */
export function kSweepDefinition(model: TwoStateModel, kmax: number): SequenceDefinition<KStage> {
  return {
    first: stageFor(model, 2),
    next: (stage) => (stage.k < kmax ? stageFor(model, stage.k + 1) : undefined),
    finished: (last) =>
      `k = ${last.k}: cost per pair ${last.solution.costPerPair.toFixed(6)}, approaching the mean-field value`,
  };
}

export function userPair(values: Values): TwoStatePair {
  return { AA: values.pAA, AB: values.pAB, BA: values.pBA, BB: values.pBB };
}

/** The user's density checked up to kmax, or a message when it has no mass. */
export function checkUserPair(
  values: Values,
): { pair: TwoStatePair; check: TwoStateRepresentability } | { error: string } {
  const pair = userPair(values);
  if (!(pair.AA + pair.AB + pair.BA + pair.BB > 0)) {
    return { error: 'Your pair density has no mass: give at least one entry a positive value.' };
  }
  return { pair, check: twoStateRepresentability(pair, values.kmax) };
}
