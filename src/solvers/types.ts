/**
 * The contract every iterative solver meets, whatever its backend. The UI's control bar, the CLI
 * and the tests drive solvers only through this interface.
 */

export type Backend = 'cpu' | 'gpu';

export interface SolverSummary {
  /** Iterations done so far. */
  iteration: number;
  /** Whether the stopping criterion has been met. */
  converged: boolean;
  /** Why the solver stopped, when it did (converged, iteration cap, error). */
  stopReason?: string;
}

export interface IterativeSolver<Summary extends SolverSummary, Result> {
  readonly backend: Backend;
  /** Runs up to `iterations` more iterations (fewer if it converges) and reports where it is. */
  step(iterations: number): Promise<Summary>;
  /** Iterates until convergence or the iteration cap. */
  run(): Promise<Result>;
  /** The full result at the current iterate (may read back from the GPU). */
  result(): Promise<Result>;
  /** Back to the initial iterate, keeping the problem. */
  reset(): void;
  /** Releases GPU buffers; the solver is unusable afterwards. */
  dispose(): void;
}
