/** The lab's numbers in `window.__otlab.gaussianBarycenter` (see src/app/testHook.ts). */
import type { Gaussian, GaussianMixture, MarginalErrors } from '../../../ot/gaussian';
import type { MarginalMismatch } from './model';

export interface GaussianBarycenterHook {
  view: string;
  /** The weights used (normalised; uniform after a rejected URL). */
  weights: number[];
  inputs: Gaussian[];
  w2: { gaussian: Gaussian; iterations: number; residual: number };
  /** The L2 barycenter Σ λ_k N_k. */
  l2: { weights: number[]; components: Gaussian[] };
  /** MW2 barycenter when the inputs are mixtures. */
  mw2: { weights: number[]; components: Gaussian[]; objective: number } | undefined;
  prescribed: { x: Gaussian; y: Gaussian };
  /** The marginal view's three results (one component each for Gaussian inputs). */
  marginalResults: {
    plain: GaussianMixture;
    preserving: GaussianMixture;
    constrained: GaussianMixture;
  };
  /** W2 between each result's marginals and the prescribed ones (MW2 for mixture inputs). */
  marginalErrors: {
    plain: MarginalMismatch;
    preserving: MarginalMismatch;
    constrained: MarginalMismatch;
  };
  rom: {
    targetTime: number;
    weights: number[];
    errors: { plain: MarginalErrors; preserving: MarginalErrors; constrained: MarginalErrors };
  };
  /** Messages about rejected parameter combinations (shown in the scene). */
  issues: string[];
  /** Set when a computation failed (shown in the scene). */
  error: string | undefined;
}
