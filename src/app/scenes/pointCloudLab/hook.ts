/** The Point-cloud lab's numbers in `window.__otlab.pointCloudLab` (see src/app/testHook.ts). */
import type { CTransformGap } from '../../../ot/sinkhorn';
import type { PointSets } from './pointSets';

export interface PointCloudLabNumbers {
  /** The backend the solver runs on ('cpu' when WebGPU is missing, whatever was asked). */
  backend: 'gpu' | 'cpu' | undefined;
  points: PointSets;
  /** Why no solver runs (an empty set, a rejected `pts`, a failed start), else undefined. */
  problemError: string | undefined;
  iteration: number;
  /** L1 row-marginal error at the latest check (NaN before the first). */
  marginalError: number;
  /** ⟨C, P⟩ and Σ a f + Σ b g of the latest result (NaN before the first). */
  transportCost: number;
  dualObjective: number;
  converged: boolean;
  stopReason: string | undefined;
  error: string | undefined;
  /** ⟨C, P*⟩ of the exact plan (small sets), else null. */
  exactCost: number | null;
  /**
   * c-transform checks of the current potentials (cTransformGap, src/ot/sinkhorn.ts): softY =
   * max_j |g_j − f^{c,ε}_j|, hardY = max_j |g_j − f^c_j|, and the x side. Null before the first
   * step, and between steps of very large problems (the drivers always fill it).
   */
  dual: CTransformGap | null;
}

export interface PointCloudLabLive extends PointCloudLabNumbers {
  /** Plan entries drawn as lines at the last redraw of the view. */
  planLines: number;
}

export interface PointCloudLabHook extends PointCloudLabLive {
  step: (iterations: number) => Promise<PointCloudLabLive>;
  runToConvergence: () => Promise<PointCloudLabLive>;
  reset: () => Promise<PointCloudLabLive>;
}
