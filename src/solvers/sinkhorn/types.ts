import type { PlanTopK, SinkhornOptions, SinkhornProblem } from '../../ot/sinkhorn';
import type { Backend, IterativeSolver, SolverSummary } from '../types';

export interface ErrorSample {
  iteration: number;
  error: number;
}

export interface SinkhornBatchSummary {
  /** Latest L1 marginal error (NaN before the first check). */
  marginalError: number;
  converged: boolean;
  /** Iteration at which the error first fell below tolerance. */
  convergedAt: number | undefined;
  /** Every check so far, in order. */
  history: ErrorSample[];
}

export interface SinkhornSummary extends SolverSummary {
  batches: SinkhornBatchSummary[];
}

export interface SinkhornBatchResult extends SinkhornBatchSummary {
  iterations: number;
  f: Float64Array;
  g: Float64Array;
  /** ⟨C, P⟩ of the current plan. */
  transportCost: number;
  /** Σ a f + Σ b g, equal to OT_ε at convergence. */
  dualObjective: number;
}

export interface SinkhornResult {
  backend: Backend;
  iterations: number;
  batches: SinkhornBatchResult[];
}

export type SinkhornSolver = IterativeSolver<SinkhornSummary, SinkhornResult> & {
  readonly problems: readonly SinkhornProblem[];
  readonly options: SinkhornOptions;
  /** Latest potentials of batch b, without touching the GPU (a copy made at the last step). */
  potentials(b: number): { f: Float64Array; g: Float64Array };
  /** The k heaviest plan entries of each row of batch b, from the current potentials. */
  planTopK(b: number, k: number): Promise<PlanTopK>;
};
