/** The lab's numbers in `window.__otlab.gaussianInterpolation` (see src/app/testHook.ts). */
import type { GaussianMixture } from '../../../ot/gaussian';
import type { EllipseParams } from './geometry';

export interface GaussianInterpolationHook {
  preset: string;
  t: number;
  mode: 'gaussians' | 'mixtures';
  /** The endpoint ellipses currently shown (live while dragging, before the URL is updated). */
  ellipses: EllipseParams[];
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
  dragging: boolean;
  /** Set when the parameters cannot be shown (shown in the scene too). */
  error: string | undefined;
}
