/**
 * "Fit from points": points dropped on the plane → a k-component Gaussian mixture by EM with a
 * k-means++ start (src/ot/gmm.ts, fixed seed) → an endpoint of the lab (ellipses and weights,
 * clamped to the parameter ranges and rounded as the URL keeps them). Pure functions, no DOM.
 */
import { fitGaussianMixture, validateFitPoints, type EmResult } from '../../../ot/gmm';
import { InputError } from '../../../ot/validate';
import type { Endpoint } from './endpoints';
import { ellipseFromGaussian, roundEllipse, type EllipseParams } from './geometry';
import { DOMAIN, MAX_COMPONENTS, MAX_SCALE, MIN_SCALE } from './params';

/** Fixed Philox seed of the k-means++ start, so the same points always give the same fit. */
export const FIT_SEED = 7;

/** Each component's covariance needs spread in two directions: at least 3 points per component. */
export const minFitPoints = (k: number) => 3 * k;

export interface PointFit {
  /** The endpoint to show: components by decreasing weight, clamped and rounded (`clamped`). */
  endpoint: Endpoint;
  /** EM's own result (the unrounded mixture, log-likelihood, iterations). */
  em: EmResult;
  /** True when a standard deviation or a centre had to be clamped into the parameter range. */
  clamped: boolean;
}

/**
 * Fits k Gaussians to 2D points with the EM of src/ot/gmm.ts (seed FIT_SEED). Throws an
 * InputError naming `points` or `k` for too few, malformed or non-finite points or a bad k.
 */
export function fitEndpointToPoints(points: readonly (readonly number[])[], k: number): PointFit {
  if (!Number.isInteger(k) || k < 1 || k > MAX_COMPONENTS) {
    throw new InputError('k', `must be an integer from 1 to ${MAX_COMPONENTS}, got ${k}`);
  }
  const checked = validateFitPoints(points, 'points');
  if (checked[0]!.length !== 2) {
    throw new InputError('points[0]', `expected 2 coordinates (x, y), got ${checked[0]!.length}`);
  }
  if (checked.length < minFitPoints(k)) {
    throw new InputError(
      'points',
      `need at least ${minFitPoints(k)} points to fit ${k} Gaussian${k === 1 ? '' : 's'} (3 per component), got ${checked.length}; click more points on the plane`,
    );
  }
  const em = fitGaussianMixture(checked, k, { seed: FIT_SEED });
  const order = em.mixture.weights
    .map((_, c) => c)
    .sort((a, b) => em.mixture.weights[b]! - em.mixture.weights[a]!);
  let clamped = false;
  const ellipses = order.map((c) => {
    const raw = ellipseFromGaussian(em.mixture.components[c]!);
    const inRange = clampEllipse(raw);
    clamped ||= (['cx', 'cy', 'sa', 'sb'] as const).some((key) => inRange[key] !== raw[key]);
    return roundEllipse(inRange);
  });
  return { endpoint: { weights: order.map((c) => em.mixture.weights[c]!), ellipses }, em, clamped };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

function clampEllipse(e: EllipseParams): EllipseParams {
  return {
    cx: clamp(e.cx, -DOMAIN, DOMAIN),
    cy: clamp(e.cy, -DOMAIN, DOMAIN),
    angle: e.angle,
    sa: clamp(e.sa, MIN_SCALE, MAX_SCALE),
    sb: clamp(e.sb, MIN_SCALE, MAX_SCALE),
  };
}
