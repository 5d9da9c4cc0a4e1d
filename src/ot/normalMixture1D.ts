/**
 * Mixtures of normal laws on the line: CDF, quantile, moments, seeded samples, and W_p between two
 * of them (MATH.md §1–2; seed 004, "1-Wasserstein Distance", "Fréchet Inception Distance").
 *
 * On the line W_p^p(μ, ν) = ∫₀¹ |F⁻¹(s) − G⁻¹(s)|^p ds (quantile picture) and, for p = 1, also
 * W_1 = ∫ |F(x) − G(x)| dx (CDF picture); both are evaluated here by adaptive quadrature, so each
 * can check the other. Quantiles come from safeguarded Newton on the CDF (on the survival function
 * in the right tail). For two normals W_2² = (m_1 − m_2)² + (σ_1 − σ_2)², the 1D case of the
 * Bures (FID) formula; for other laws that formula, fed with their means and variances, is only a
 * lower bound of W_2² (Gelbrich 1990, quoted in seed 004).
 */
import { erfc, invertIncreasing, normalCdf, uniformStream } from './mcot/marginals';
import { integrateAdaptive } from './mcot/quadrature';
import { fillNormals } from './philox';
import { InputError } from './validate';

export interface NormalComponent {
  weight: number;
  mean: number;
  sd: number;
}

export type NormalMixture1D = readonly NormalComponent[];

/** Checks finite entries, sd > 0, weights ≥ 0 with a positive total; returns normalised weights. */
export function validateMixture1D(mixture: NormalMixture1D, field: string): NormalComponent[] {
  if (mixture.length === 0) throw new InputError(field, 'needs at least one component');
  mixture.forEach((c, k) => {
    for (const key of ['weight', 'mean', 'sd'] as const) {
      if (!Number.isFinite(c[key])) {
        throw new InputError(`${field}[${k}].${key}`, `expected a finite number, got ${c[key]}`);
      }
    }
    if (c.weight < 0) throw new InputError(`${field}[${k}].weight`, 'must be >= 0');
    if (!(c.sd > 0)) throw new InputError(`${field}[${k}].sd`, `must be > 0, got ${c.sd}`);
  });
  const total = mixture.reduce((s, c) => s + c.weight, 0);
  if (!(total > 0)) throw new InputError(field, 'weights sum to 0');
  return mixture.filter((c) => c.weight > 0).map((c) => ({ ...c, weight: c.weight / total }));
}

export function mixtureCdf(mixture: NormalMixture1D, x: number): number {
  return mixture.reduce((s, c) => s + c.weight * normalCdf((x - c.mean) / c.sd), 0);
}

/** 1 − F(x), accurate in the right tail. */
function mixtureSurvival(mixture: NormalMixture1D, x: number): number {
  return mixture.reduce((s, c) => s + c.weight * 0.5 * erfc((x - c.mean) / (c.sd * Math.SQRT2)), 0);
}

export function mixturePdf(mixture: NormalMixture1D, x: number): number {
  return mixture.reduce((s, c) => {
    const z = (x - c.mean) / c.sd;
    return s + (c.weight * Math.exp(-0.5 * z * z)) / (c.sd * Math.sqrt(2 * Math.PI));
  }, 0);
}

/** An interval around every component's mean, `width` standard deviations each way. */
function mixtureSpan(mixture: NormalMixture1D, width: number): [number, number] {
  return [
    Math.min(...mixture.map((c) => c.mean - width * c.sd)),
    Math.max(...mixture.map((c) => c.mean + width * c.sd)),
  ];
}

export function mixtureMoments(mixture: NormalMixture1D): { mean: number; variance: number } {
  const mean = mixture.reduce((s, c) => s + c.weight * c.mean, 0);
  const second = mixture.reduce((s, c) => s + c.weight * (c.sd * c.sd + c.mean * c.mean), 0);
  return { mean, variance: Math.max(second - mean * mean, 0) };
}

/**
 * n samples of the mixture, reproducible from `seed` and `stream` (independent streams for
 * independent sample sets): standard normals from the Philox normal stream of (seed, stream),
 * component labels from the matching uniform stream.
 */
export function sampleMixture1D(
  mixture: NormalMixture1D,
  n: number,
  seed: number,
  stream: number,
): Float64Array {
  const normals = new Float64Array(n);
  fillNormals(normals, seed, stream * 2 ** 32);
  const uniform = uniformStream(seed, stream + 1);
  const cumulative = mixture.map((_, k) =>
    mixture.slice(0, k + 1).reduce((s, c) => s + c.weight, 0),
  );
  return normals.map((z) => {
    const u = mixture.length > 1 ? uniform() : 0;
    const k = cumulative.findIndex((edge) => u < edge);
    const c = mixture[k < 0 ? mixture.length - 1 : k]!; // u above a total rounded below 1
    return c.mean + c.sd * z;
  });
}

/** Mean and (population, divide by n) variance of samples. */
export function sampleMoments(samples: ArrayLike<number>): { mean: number; variance: number } {
  let mean = 0;
  for (let k = 0; k < samples.length; k += 1) mean += samples[k]!;
  mean /= samples.length;
  let variance = 0;
  for (let k = 0; k < samples.length; k += 1) variance += (samples[k]! - mean) ** 2;
  return { mean, variance: variance / samples.length };
}

/**
 * F⁻¹(Φ(z)): the quantile at the level of a standard normal score z, accurate far into both tails
 * (the level is passed as Φ(z) below the median and as Φ(−z) = 1 − Φ(z) above it). Exact for a
 * single normal: m + σz.
 */
export function mixtureQuantileAtScore(mixture: NormalMixture1D, z: number): number {
  if (mixture.length === 1) return mixture[0]!.mean + mixture[0]!.sd * z;
  const [lo, hi] = mixtureSpan(mixture, 40);
  const pdf = (x: number) => mixturePdf(mixture, x);
  if (z <= 0) return invertIncreasing((x) => mixtureCdf(mixture, x), pdf, normalCdf(z), lo, hi);
  return invertIncreasing((x) => -mixtureSurvival(mixture, x), pdf, -normalCdf(-z), lo, hi);
}

/** Normal scores beyond ±this carry less than 1e-32 of the mass. */
const SCORE_RANGE = 12;

/**
 * W_p(μ, ν)^p = ∫₀¹ |F⁻¹(s) − G⁻¹(s)|^p ds, by adaptive quadrature to `tolerance` (absolute) in
 * the normal score z, s = Φ(z): ∫ |F⁻¹(Φ(z)) − G⁻¹(Φ(z))|^p φ(z) dz. The substitution removes the
 * logarithmic growth of the quantiles at s = 0 and 1 that an integral in s would have to resolve.
 */
export function mixtureWpPower(
  mu: NormalMixture1D,
  nu: NormalMixture1D,
  p: number,
  tolerance = 1e-10,
): number {
  if (!(p >= 1)) throw new InputError('p', `W_p needs p >= 1, got ${p}`);
  const integrand = (z: number) =>
    (Math.abs(mixtureQuantileAtScore(mu, z) - mixtureQuantileAtScore(nu, z)) ** p *
      Math.exp(-0.5 * z * z)) /
    Math.sqrt(2 * Math.PI);
  return integrateAdaptive(integrand, -SCORE_RANGE, SCORE_RANGE, { tolerance }).value;
}

/** W_1(μ, ν) = ∫ |F(x) − G(x)| dx by adaptive quadrature over the span of both laws. */
export function mixtureW1ByCdf(
  mu: NormalMixture1D,
  nu: NormalMixture1D,
  tolerance = 1e-10,
): number {
  // Beyond 12 standard deviations the tails hold less than 1e-32.
  const [lo1, hi1] = mixtureSpan(mu, 12);
  const [lo2, hi2] = mixtureSpan(nu, 12);
  const integrand = (x: number) => Math.abs(mixtureCdf(mu, x) - mixtureCdf(nu, x));
  return integrateAdaptive(integrand, Math.min(lo1, lo2), Math.max(hi1, hi2), { tolerance }).value;
}
