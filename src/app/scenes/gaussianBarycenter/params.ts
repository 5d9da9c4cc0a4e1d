/**
 * Parameters of the Gaussian barycenter lab (`#/gaussian-barycenter?view=…&w1=…`): three input
 * Gaussians in 2D, their barycentric weights, the prescribed marginals of the constrained view and
 * the Fokker–Planck toy model of the reduced-order view. Checks across parameters (weights on the
 * simplex, SPD covariances, target time within the snapshots) are done by model.ts.
 */
import { linearNumber as num, type ParamSchema } from '../../params';

export const GAUSSIAN_BARYCENTER_ID = 'gaussian-barycenter';

/** Most inputs; the triangle picker is shown for three, sliders for any count. */
export const MAX_INPUTS = 4;

const WEIGHT = 'Barycentric weight; the three weights must sum to 1';
const COVARIANCE = 'Covariance entry; the 2×2 covariance must be positive definite';

export const gaussianBarycenterParams = {
  view: {
    kind: 'enum',
    label: 'View',
    options: ['barycenter', 'marginals', 'rom'],
    default: 'barycenter',
  },
  k: {
    kind: 'int',
    label: 'Inputs K',
    description: 'Number of input Gaussians or mixtures',
    min: 3,
    max: MAX_INPUTS,
    default: 3,
  },
  kind: {
    kind: 'enum',
    label: 'Inputs are',
    description: 'Gaussians, or two-bump mixtures (each input split along its major axis)',
    options: ['gaussians', 'mixtures'],
    default: 'gaussians',
  },
  split: num('Mixture split', 0, 2, 0.9, 'Distance of each bump from the input mean'),
  w1: num('Weight λ₁', 0, 1, 0.3333, WEIGHT),
  w2: num('Weight λ₂', 0, 1, 0.3333, WEIGHT),
  w3: num('Weight λ₃', 0, 1, 0.3334, WEIGHT),
  w4: num('Weight λ₄', 0, 1, 0, WEIGHT),
  m1x: num('Mean x₁', -3, 3, -1.5),
  m1y: num('Mean y₁', -3, 3, -1),
  v1x: num('Var x₁', 0.02, 4, 1.2, COVARIANCE),
  v1y: num('Var y₁', 0.02, 4, 0.2, COVARIANCE),
  c1: num('Cov xy₁', -4, 4, 0.3, COVARIANCE),
  m2x: num('Mean x₂', -3, 3, 1.5),
  m2y: num('Mean y₂', -3, 3, -1),
  v2x: num('Var x₂', 0.02, 4, 0.15, COVARIANCE),
  v2y: num('Var y₂', 0.02, 4, 1, COVARIANCE),
  c2: num('Cov xy₂', -4, 4, -0.1, COVARIANCE),
  m3x: num('Mean x₃', -3, 3, 0),
  m3y: num('Mean y₃', -3, 3, 1.5),
  v3x: num('Var x₃', 0.02, 4, 0.6, COVARIANCE),
  v3y: num('Var y₃', 0.02, 4, 0.5, COVARIANCE),
  c3: num('Cov xy₃', -4, 4, 0.45, COVARIANCE),
  m4x: num('Mean x₄', -3, 3, 2),
  m4y: num('Mean y₄', -3, 3, 2),
  v4x: num('Var x₄', 0.02, 4, 0.3, COVARIANCE),
  v4y: num('Var y₄', 0.02, 4, 0.8, COVARIANCE),
  c4: num('Cov xy₄', -4, 4, -0.25, COVARIANCE),
  pmx: num('Prescribed mean x', -3, 3, 0.8, 'Mean of the prescribed x marginal'),
  pvx: num('Prescribed var x', 0.02, 4, 1.5, 'Variance of the prescribed x marginal'),
  pmy: num('Prescribed mean y', -3, 3, -0.6, 'Mean of the prescribed y marginal'),
  pvy: num('Prescribed var y', 0.02, 4, 0.3, 'Variance of the prescribed y marginal'),
  omega: num('Rotation Ω', 0.1, 3, 1, 'Angular velocity of the rotating drift'),
  diff: num('Diffusion D', 0.001, 0.5, 0.03, 'Diffusion coefficient of the Fokker–Planck model'),
  snaps: {
    kind: 'int',
    label: 'Snapshots',
    description: 'Number of equally spaced snapshot times in [0, T]',
    min: 2,
    max: 9,
    default: 4,
  },
  horizon: num('Horizon T', 0.5, 6.3, 3, 'Time of the last snapshot'),
  t: num('Target time t', 0, 6.3, 1.5, 'Time at which the reduced-order model predicts'),
} as const satisfies ParamSchema;

export type GaussianBarycenterParams = typeof gaussianBarycenterParams;

export const WEIGHT_KEYS = ['w1', 'w2', 'w3', 'w4'] as const;
