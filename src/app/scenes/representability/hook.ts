/** The scene's numbers in `window.__otlab.representability` (see src/app/testHook.ts). */
import type { TwoStateModel, TwoStatePair, TwoStateRepresentability } from '../../../ot/mcot/sce';
import type { SequenceDrivers } from '../../sequencePlayer';

export interface RepresentabilityNumbers {
  model: TwoStateModel;
  /** ∫∫ c ρ⊗ρ, the k → ∞ limit of the cost per pair. */
  meanField: number;
  /** Optimal cost per pair for k = 2..kmax. */
  curve: { k: number; costPerPair: number }[];
  /** Steps done (k = position + 2). */
  position: number;
  finished: boolean;
  stage: {
    k: number;
    /** The optimal k-representable pair density with marginal ρ, and its cost per pair. */
    pair: TwoStatePair;
    costPerPair: number;
    /** Weights of the symmetric k-particle states with j particles in B, j = 0..k. */
    weights: number[];
    /** Largest p₂(A, B) of a k-representable density with marginal t. */
    maxMixed: number;
  };
  /** The user's density as entered, with its checks (or why it cannot be checked). */
  user: ({ pair: TwoStatePair } & TwoStateRepresentability) | { error: string };
}

export type RepresentabilityHook = RepresentabilityNumbers &
  SequenceDrivers<RepresentabilityNumbers>;
