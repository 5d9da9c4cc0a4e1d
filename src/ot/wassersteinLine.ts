/**
 * W1 against W_p on the line, and the Gaussian (FID) formula against samples (MATH.md §1–2; seed
 * 004, "1-Wasserstein Distance", "2-Wasserstein Distance", "Fréchet Inception Distance"). Used by
 * the W1-vs-W2 scene and `otlab wasserstein-1d`, so that both draw the same samples from a seed.
 *
 * Samples: W1 is the area between the empirical CDFs (cdfDistance) and between the quantile
 * functions; W_p comes from the quantiles (wasserstein1D, exact by sorting). Laws (normal
 * mixtures): the same quantities by quadrature (normalMixture1D). Convergence: for growing n, the
 * empirical W2² between n fresh samples of each law, and the plug-in FID estimate (the Gaussian
 * formula fed with sample means and variances), against the formula with the exact moments. For
 * two normals that formula is W2² itself; otherwise it is only Gelbrich's lower bound.
 */
import { cdfDistance, wasserstein1D, type LineProblem } from './exact/oneDimensional';
import { gaussianW2 } from './gaussian';
import {
  mixtureMoments,
  mixtureW1ByCdf,
  mixtureWpPower,
  sampleMixture1D,
  sampleMoments,
  type NormalMixture1D,
} from './normalMixture1D';

export interface Moments {
  mean: number;
  variance: number;
}

/** The Gaussian formula in 1D, (m₁ − m₂)² + (σ₁ − σ₂)², through the matrix code of the FID. */
export function gaussianFormula(a: Moments, b: Moments): number {
  return gaussianW2(
    { mean: [a.mean], cov: [[a.variance]] },
    { mean: [b.mean], cov: [[b.variance]] },
  ).w2Squared;
}

export interface SampleValues {
  /** Area between the empirical CDFs. */
  w1ByCdf: number;
  /** From the quantiles. */
  w1: number;
  w2: number;
  wp: number;
}

/** W1 both ways, W2 and W_p between two weighted sample sets. */
export function sampleValues(problem: LineProblem, p: number): SampleValues {
  return {
    w1ByCdf: cdfDistance(problem),
    w1: wasserstein1D(problem, 1),
    w2: wasserstein1D(problem, 2),
    wp: wasserstein1D(problem, p),
  };
}

/**
 * n samples of μ and of ν for the pictures, sorted: Philox streams 0 and 2 of `seed` (each law uses
 * two streams, normals and component labels; see sampleMixture1D).
 */
export function pictureSamples(mu: NormalMixture1D, nu: NormalMixture1D, n: number, seed: number) {
  return { x: sampleMixture1D(mu, n, seed, 0).sort(), y: sampleMixture1D(nu, n, seed, 2).sort() };
}

export interface PopulationValues {
  w1: number;
  w2: number;
  wp: number;
  /** The Gaussian formula with the exact means and variances of μ and ν. */
  formula: number;
  meanTerm: number;
  spreadTerm: number;
}

/** Values of the laws, with quadrature tolerance `tolerance` (absolute, on W_p^p). */
export function populationValues(
  mu: NormalMixture1D,
  nu: NormalMixture1D,
  p: number,
  tolerance: number,
): PopulationValues {
  const a = mixtureMoments(mu);
  const b = mixtureMoments(nu);
  // W1 from the CDFs needs no quantile inversion (the expensive part); W_p only when p ∉ {1, 2}.
  const w1 = mixtureW1ByCdf(mu, nu, tolerance);
  const w2 = Math.sqrt(mixtureWpPower(mu, nu, 2, tolerance));
  const wp = p === 1 ? w1 : p === 2 ? w2 : mixtureWpPower(mu, nu, p, tolerance) ** (1 / p);
  return {
    w1,
    w2,
    wp,
    formula: gaussianFormula(a, b),
    meanTerm: (a.mean - b.mean) ** 2,
    spreadTerm: (Math.sqrt(a.variance) - Math.sqrt(b.variance)) ** 2,
  };
}

export interface SweepPoint {
  n: number;
  /** W2² between n samples of μ and n of ν (exact by sorting). */
  empirical: number;
  /** The Gaussian formula with the sample means and variances (how FID is computed). */
  plugIn: number;
}

/**
 * Entry `index` of a convergence sweep: n fresh samples of each law, on streams of their own
 * (10 + 4·index and 12 + 4·index; the pictures use streams 0 to 3).
 */
export function sweepPoint(
  mu: NormalMixture1D,
  nu: NormalMixture1D,
  n: number,
  seed: number,
  index: number,
): SweepPoint {
  const x = sampleMixture1D(mu, n, seed, 10 + 4 * index);
  const y = sampleMixture1D(nu, n, seed, 12 + 4 * index);
  return {
    n,
    empirical: wasserstein1D({ x: [...x], y: [...y] }, 2) ** 2,
    plugIn: gaussianFormula(sampleMoments(x), sampleMoments(y)),
  };
}
