/** The lab's numbers in `window.__otlab.genericBarycenter` (see src/app/testHook.ts). */
export interface GenericBarycenterHook {
  preset: string;
  algorithm: string;
  plans: string;
  /** λ used (normalised). */
  lambdas: number[];
  iteration: number;
  /** V(μ_t) for t = 0, 1, … (V_ε with entropic plans). */
  V: number[];
  supportSize: number;
  /** Current barycenter support and weights (copies). */
  points: number[][];
  weights: number[];
  /** Iterations at which V went up. */
  increases: number[];
  converged: boolean;
  stopReason: string | undefined;
  /** A failed step (the lane's error). */
  error: string | undefined;
  /** Messages about adjusted parameters (shown in the scene). */
  issues: string[];
  /** Pause, run `iterations` fixed-point iterations and resolve with fresh numbers. */
  step: (iterations: number) => Promise<GenericBarycenterHook>;
  /** Pause and iterate until the stopping rule holds. */
  runToConvergence: () => Promise<GenericBarycenterHook>;
}
