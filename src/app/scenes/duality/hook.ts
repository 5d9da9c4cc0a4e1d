/** The scene's numbers in `window.__otlab.duality` (see src/app/testHook.ts). */
import type { PlanEntry } from '../../../ot/exact/problem';
import type { SequenceDrivers } from '../../sequencePlayer';
import type { StageKind } from './model';

export interface DualityNumbers {
  /** Grid points (both measures live on them) and the weights of μ and ν. */
  grid: number[];
  a: number[];
  b: number[];
  /** The optimal plan (sparse, indices into the grid) and its cost. */
  plan: PlanEntry[];
  primal: number;
  /** Stage shown (0 = start … 4 = optimal pair). */
  position: number;
  finished: boolean;
  stage: {
    kind: StageKind;
    label: string;
    f: number[];
    g: number[];
    /** Σ a f + Σ b g. */
    dual: number;
    /** max(f + g − c, 0). */
    violation: number;
    /** max |c − f − g| on the optimal plan's support. */
    slackness: number;
  };
  /** Dual values of the stages so far. */
  duals: number[];
}

export type DualityHook = DualityNumbers & SequenceDrivers<DualityNumbers>;
