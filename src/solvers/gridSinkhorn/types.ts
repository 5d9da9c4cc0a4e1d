import type { GridBarycenterProblem } from '../../ot/gridSinkhorn';
import type { SinkhornOptions } from '../../ot/sinkhorn';
import type { SinkhornBatchSummary, SinkhornSummary } from '../sinkhorn/types';
import type { Backend, IterativeSolver } from '../types';

export interface GridBarycenterResult extends SinkhornBatchSummary {
  backend: Backend;
  /** Iterations applied (up to convergence). */
  iterations: number;
  /** The barycenter b = exp(log b), h×w row-major (mass ≈ 1). */
  barycenter: Float64Array;
  /** Σ b, 1 up to the marginal error. */
  mass: number;
  /** Why the solver stopped (converged, iteration cap, NaN), as in the summary. */
  stopReason?: string;
}

/** Same summary as the point Sinkhorn solver: one batch, the marginal error max_k ‖u_k ⊙ Kv_k − a_k‖₁. */
export type GridBarycenterSolver = IterativeSolver<SinkhornSummary, GridBarycenterResult> & {
  readonly problems: readonly GridBarycenterProblem[];
  readonly options: SinkhornOptions;
};
