/** The lab's numbers in `window.__otlab.imageBarycenter` (see src/app/testHook.ts). */

export interface DensityNumbers {
  mass: number;
  /** Centre of mass (x right, y down) in the unit square. */
  mean: [number, number];
  /** Mean squared distance to the centre of mass. */
  secondMoment: number;
}

export interface LaneNumbers extends Partial<DensityNumbers> {
  iteration: number;
  /** Worst input-side L1 marginal error at the latest check (NaN before the first). */
  marginalError: number;
  converged: boolean;
  stopReason: string | undefined;
  error: string | undefined;
}

export interface ImageBarycenterHook {
  size: number;
  K: number;
  weights: number[];
  epsilon: number;
  debiased: boolean;
  /** Where the barycenters are computed: 'gpu' (WebGPU) or 'cpu' (float64 in a worker). */
  backend: 'gpu' | 'cpu';
  inputs: (DensityNumbers | undefined)[];
  /** The entropic W2 barycenter of the K inputs. */
  w2: LaneNumbers | undefined;
  /** The L2 barycenter Σ λ_k a_k. */
  l2: DensityNumbers | undefined;
  /** t = 0, ¼, ½, ¾, 1 between images `stripPair` (0-based); empty when off. */
  strip: (LaneNumbers & { t: number })[];
  stripPair: [number, number] | undefined;
  /** Messages about adjusted parameters and rejected images. */
  issues: string[];
  /** The densities as plain arrays (size² each), for pixel-level checks. */
  densities: () => {
    inputs: (number[] | undefined)[];
    w2: number[] | undefined;
    l2: number[] | undefined;
    strip: (number[] | undefined)[];
  };
  /** Pause, run `iterations` more on every barycenter and resolve with fresh numbers. */
  step: (iterations: number) => Promise<ImageBarycenterHook>;
  /** Pause and iterate every barycenter to its tolerance or cap. */
  runToConvergence: () => Promise<ImageBarycenterHook>;
}
