/** The scene's numbers in `window.__otlab.kmeans` (see src/app/testHook.ts). */
import type { SequenceDrivers } from '../../sequencePlayer';
import type { Phase } from './model';

export interface KmeansNumbers {
  /** The empirical measure's points (mass 1/n each) and the start atoms. */
  points: number[][];
  start: number[][];
  /** Half-steps done (even: assign, odd: update). */
  position: number;
  finished: boolean;
  stage: {
    phase: Phase;
    iteration: number;
    atoms: number[][];
    /** Atom of each point, and the atoms' weights (cluster masses). */
    labels: number[];
    weights: number[];
    /** W2²(ν, μ_n) = (1/n) Σ ‖x_i − z_{l(i)}‖². */
    objective: number;
    /** Assign stages: the network simplex cost to these atoms with these weights; else null. */
    exactOt: number | null;
  };
  /** W2² of every half-step so far. */
  objectives: number[];
}

export type KmeansHook = KmeansNumbers & SequenceDrivers<KmeansNumbers>;
