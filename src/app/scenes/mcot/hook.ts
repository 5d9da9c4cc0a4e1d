/** The MCOT lab's slice of the test hook, `window.__otlab.mcot` (see src/app/testHook.ts). */
import type { FailureCode } from '../../../ot/mcot/langevin';
import type { McotPhase } from '../../../solvers/mcot/types';
import type { Backend } from '../../../solvers/types';

export interface McotLaneNumbers {
  id: string;
  label: string;
  backend: Backend;
  phase: McotPhase;
  /** Accepted Langevin steps n. */
  iteration: number;
  initSteps: number;
  cost: number;
  /** ‖ξ‖∞ of the current state. */
  residual: number;
  tolerance: number;
  timeStep: number;
  sigma: number;
  accepted: number;
  rejected: number;
  /** Steps per second over the last second of play (0 when paused). */
  rate: number;
  stopReason: string | undefined;
  failure: { code: FailureCode; message: string } | undefined;
  /** A step that threw (not a solver failure): the lane is skipped until reset. */
  error: string | undefined;
}

/** Columns of a lane's history (plain arrays): entry 0 is the initialised state. */
export interface McotHookHistory {
  iteration: number[];
  cost: number[];
  residual: number[];
  timeStep: number[];
  sigma: number[];
}

export interface McotHook {
  /** The message shown instead of a run when the parameters make no valid problem. */
  setupError: string | undefined;
  /** Notes about backends that could not run as asked. */
  notes: string[];
  problem:
    { dimension: number; N: number; K: number; constraints: number; label: string } | undefined;
  /** The exact (SCE) cost drawn as the reference line, when known. */
  exactCost: number | undefined;
  lanes: McotLaneNumbers[];
  playing: boolean;
  /** Times the 3D cloud / the 1D pair plot / the charts were redrawn with new particles. */
  draws: { cloud: number; pairs: number; projections: number; radial: number };
  /** Frames seen so far and the milliseconds between the latest ones (up to 600, oldest first). */
  frames: () => { count: number; intervals: number[] };
  /** Pause, then `units` more units of work on every lane (RK3 steps, then Langevin steps). */
  step: (units: number) => Promise<McotLaneNumbers[]>;
  reset: () => Promise<McotLaneNumbers[]>;
  play: () => void;
  pause: () => void;
  /** Resolves once no lane has a step in flight. */
  idle: () => Promise<void>;
  history: (laneId: string) => McotHookHistory | undefined;
  /** The lane's current particles: K·N·d positions and K weights. */
  particles: (laneId: string) => { version: number; x: number[]; weights: number[] } | undefined;
  /** The lane's result, re-evaluated in float64 (cost and ‖ξ‖∞ of the returned positions). */
  result: (laneId: string) => Promise<{ cost: number; residual: number } | undefined>;
}
