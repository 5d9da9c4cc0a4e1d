/** The lab's numbers in `window.__otlab.gaussianInterpolation` (see src/app/testHook.ts). */
import type { GaussianMixture } from '../../../ot/gaussian';
import type { Endpoint } from './endpoints';

export interface GaussianInterpolationHook {
  preset: string;
  t: number;
  mode: 'gaussians' | 'mixtures';
  /** The endpoints drawn last (live while dragging, before the URL is updated). */
  endpoints: Endpoint[];
  rho0: GaussianMixture;
  rho1: GaussianMixture;
  w2Interpolant: GaussianMixture;
  l2Interpolant: GaussianMixture;
  /** W2²(ρ₀, ρ₁) and its two terms. */
  w2Squared: number;
  meanTerm: number;
  covarianceTerm: number;
  /** W2(ρ₀, ρ_t) computed from the interpolant (t · W2(ρ₀, ρ₁) on the geodesic). */
  w2FromStart: number;
  /** Which backend produced the last heatmap, how many heatmaps were drawn, their maxima. */
  densityBackend: 'gpu' | 'cpu' | undefined;
  densityUpdates: number;
  densityMax: number[];
  /** Milliseconds from a heatmap request to its painting (evaluation + readback), the latest 240. */
  densityTimes: number[];
  /** Milliseconds spent per drawn frame (model + SVG), the latest 240. */
  drawTimes: number[];
  /** Frames drawn so far. */
  frames: number;
  /** A frame is scheduled and not drawn yet (the numbers above are about to change). */
  drawPending: boolean;
  /**
   * The frame whose interpolants the last painted heatmap shows: equal to `frames` once the heatmap
   * has caught up with the latest drawing (tests wait for this, not for a count of updates).
   */
  densityFrame: number;
  dragging: boolean;
  /** "Fit from points": the endpoint clicks drop points for, and the points (plane coordinates). */
  pointsSide: 'rho0' | 'rho1' | undefined;
  points: [number, number][];
  /** The last successful fit: EM (k-means++ start, fixed seed) on `points` for `side`. */
  fit: FitHook | undefined;
  /** The last fit's InputError message (too few points…), cleared by a successful fit. */
  fitError: string | undefined;
  /** Set when the parameters cannot be shown (shown in the scene too). */
  error: string | undefined;
}

export interface FitHook {
  side: 'rho0' | 'rho1';
  k: number;
  seed: number;
  pointCount: number;
  /** EM's fitted mixture (k components) and the endpoint made of it (rounded for the URL). */
  mixture: GaussianMixture;
  endpoint: Endpoint;
  clamped: boolean;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** W2²(ρ₀, ρ₁) just before the fit replaced the endpoint. */
  w2SquaredBefore: number;
}
