/**
 * Parameters of the W1-vs-W2 scene (`#/w1-w2?m1=0&s1=1&…`): μ = N(m₁, s₁²); ν = (1 − w) N(m₂, s₂²)
 * + w N(outlier, 0.3²), a normal with an optional far bump (w = 0: two normals, where the Gaussian
 * formula is exact); the number of samples drawn for the pictures, the order p and the seed.
 */
import { linearNumber, seedParam, type ParamSchema } from '../../params';

export const WASSERSTEIN_LINE_ID = 'w1-w2';

const num = linearNumber;

export const wassersteinLineParams = {
  m1: num('μ mean m₁', -3, 3, 0, 'Mean of μ = N(m₁, s₁²)'),
  s1: num('μ spread s₁', 0.1, 3, 1, 'Standard deviation of μ'),
  m2: num('ν mean m₂', -3, 3, 1.5, 'Mean of the main part of ν'),
  s2: num('ν spread s₂', 0.1, 3, 0.6, 'Standard deviation of the main part of ν'),
  w: num(
    'ν outlier weight w',
    0,
    0.5,
    0,
    'Mass of a far bump in ν; 0 keeps ν normal (then the Gaussian formula is exact)',
  ),
  outlier: num(
    'ν outlier position',
    -4,
    8,
    5,
    'Centre of the far bump of ν (standard deviation 0.3)',
  ),
  n: {
    kind: 'int',
    label: 'Samples n',
    description: 'Samples drawn from each law for the CDF and quantile pictures',
    min: 5,
    max: 2000,
    default: 60,
  },
  p: num('Order p', 1, 4, 2, 'Order of W_p computed from the quantiles'),
  seed: seedParam('Seed of the samples (pictures and the convergence sweep)'),
} as const satisfies ParamSchema;

export type WassersteinLineParams = typeof wassersteinLineParams;

/** The sample sizes of the convergence sweep, one per step. */
export const SWEEP_SIZES = [
  10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000,
] as const;
