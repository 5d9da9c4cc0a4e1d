/** The scene's numbers in `window.__otlab.mongeKantorovich` (see src/app/testHook.ts). */
import type { CycleCell } from '../../../ot/exact/cycles';
import type { SequenceDrivers } from '../../sequencePlayer';
import type { Perturbation, Point } from './model';

export interface MongeKantorovichNumbers {
  sources: Point[];
  targets: Point[];
  /** Masses, normalised to 1 per side. */
  a: number[];
  b: number[];
  /** cost[i][j] = c(x_i, y_j). */
  cost: number[][];
  /** The network simplex optimum. */
  optimal: { plan: number[][]; cost: number };
  /** Maps T with T#μ = ν: how many, and the cheapest (null when there is none). */
  monge: { count: number; bestCost: number | null; bestMap: number[] | null };
  perturbation: Perturbation;
  /** Largest marginal deviation of the start plan. */
  startMarginalError: number;
  /** Cycle-cancelling steps done, and whether the plan is now monotone (the end). */
  position: number;
  finished: boolean;
  current: {
    plan: number[][];
    cost: number;
    isMap: boolean;
    monotone: boolean;
    /** A violating cycle of support cells (i_t, j_t), rematched i_t → j_{t+1}; null if none. */
    cycle: CycleCell[] | null;
    gain: number | null;
  };
  /** ⟨C, P⟩ of every plan from the start to the current one. */
  costs: number[];
}

export type MongeKantorovichHook = MongeKantorovichNumbers &
  SequenceDrivers<MongeKantorovichNumbers>;
