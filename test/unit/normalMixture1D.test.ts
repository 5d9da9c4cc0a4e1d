/**
 * Normal mixtures on the line: W_p by quantiles against closed forms and against the CDF picture,
 * the Gelbrich (FID) lower bound, seeded samples and their empirical W_2 converging.
 */
import { describe, expect, it } from 'vitest';
import { gaussianW2 } from '../../src/ot/gaussian';
import { wasserstein1D } from '../../src/ot/exact/oneDimensional';
import {
  mixtureCdf,
  mixtureMoments,
  mixtureQuantileAtScore,
  mixtureW1ByCdf,
  mixtureWpPower,
  sampleMixture1D,
  sampleMoments,
  validateMixture1D,
} from '../../src/ot/normalMixture1D';
import { normalCdf } from '../../src/ot/mcot/marginals';
import { InputError } from '../../src/ot/validate';

const normal = (mean: number, sd: number) => [{ weight: 1, mean, sd }];
const fid1D = (m1: number, s1: number, m2: number, s2: number) =>
  gaussianW2({ mean: [m1], cov: [[s1 * s1]] }, { mean: [m2], cov: [[s2 * s2]] }).w2Squared;

describe('W_p between normal mixtures on the line', () => {
  it('matches the closed forms for two normals', () => {
    const [m1, s1, m2, s2] = [-0.4, 0.7, 1.1, 1.6];
    expect(mixtureWpPower(normal(m1, s1), normal(m2, s2), 2)).toBeCloseTo(
      (m1 - m2) ** 2 + (s1 - s2) ** 2,
      9,
    );
    expect(fid1D(m1, s1, m2, s2)).toBeCloseTo((m1 - m2) ** 2 + (s1 - s2) ** 2, 12);
    // Equal spreads: a translation, W_1 = |Δm|; equal means: W_1 = |Δσ| E|Z| = |Δσ| √(2/π).
    expect(mixtureWpPower(normal(0, 1), normal(2.5, 1), 1)).toBeCloseTo(2.5, 9);
    expect(mixtureWpPower(normal(1, 0.5), normal(1, 2), 1)).toBeCloseTo(
      1.5 * Math.sqrt(2 / Math.PI),
      9,
    );
  });

  it('W_1 from the CDFs equals W_1 from the quantiles; the Gaussian formula is a lower bound', () => {
    const mu = normal(0, 1);
    const nu = validateMixture1D(
      [
        { weight: 0.85, mean: 0.5, sd: 0.8 },
        { weight: 0.15, mean: 5, sd: 0.3 },
      ],
      'nu',
    );
    expect(mixtureW1ByCdf(mu, nu)).toBeCloseTo(mixtureWpPower(mu, nu, 1), 8);
    const { mean, variance } = mixtureMoments(nu);
    const bound = fid1D(0, 1, mean, Math.sqrt(variance));
    const exact = mixtureWpPower(mu, nu, 2);
    expect(exact).toBeGreaterThan(bound + 0.05);
    // W_1 ≤ W_2 (Jensen).
    expect(mixtureWpPower(mu, nu, 1)).toBeLessThan(Math.sqrt(exact));
  });

  it('the quantile at a normal score inverts the CDF, far into both tails', () => {
    const nu = validateMixture1D(
      [
        { weight: 1, mean: -2, sd: 0.5 },
        { weight: 3, mean: 1, sd: 1.2 },
      ],
      'nu',
    );
    // Left tail and median: F(x) = Φ(z), relatively. Right tail: the mirrored mixture's left tail.
    const mirrored = nu.map((c) => ({ ...c, mean: -c.mean }));
    for (const z of [-11, -6, -1.3, 0]) {
      const level = normalCdf(z);
      const reached = mixtureCdf(nu, mixtureQuantileAtScore(nu, z));
      expect(Math.abs(reached - level) / level).toBeLessThan(1e-10);
    }
    for (const z of [0.4, 3, 9]) {
      const x = mixtureQuantileAtScore(nu, z);
      expect(x).toBeCloseTo(-mixtureQuantileAtScore(mirrored, -z), 10);
    }
    expect(mixtureQuantileAtScore(normal(1, 2), -1.5)).toBe(-2);
  });
});

describe('samples', () => {
  it('are reproducible per (seed, stream) and have the mixture moments', () => {
    const nu = validateMixture1D(
      [
        { weight: 0.7, mean: 0, sd: 1 },
        { weight: 0.3, mean: 4, sd: 0.5 },
      ],
      'nu',
    );
    const a = sampleMixture1D(nu, 100_000, 9, 0);
    expect([...sampleMixture1D(nu, 10, 9, 0)]).toEqual([...a.slice(0, 10)]);
    expect([...sampleMixture1D(nu, 10, 9, 2)]).not.toEqual([...a.slice(0, 10)]);
    const exact = mixtureMoments(nu);
    const sample = sampleMoments(a);
    const se = Math.sqrt(exact.variance / a.length);
    expect(Math.abs(sample.mean - exact.mean)).toBeLessThan(5 * se);
    expect(Math.abs(sample.variance / exact.variance - 1)).toBeLessThan(0.03);
  });

  it('the empirical W_2² between samples converges to the closed form', () => {
    const [m1, s1, m2, s2] = [0, 1, 1.5, 0.6];
    const exact = fid1D(m1, s1, m2, s2);
    const errors = [100, 10_000, 50_000].map((n) => {
      const x = sampleMixture1D(normal(m1, s1), n, 3, 0);
      const y = sampleMixture1D(normal(m2, s2), n, 3, 2);
      return Math.abs(wasserstein1D({ x: [...x], y: [...y] }, 2) ** 2 - exact);
    });
    expect(errors[2]).toBeLessThan(0.03);
    expect(errors[2]).toBeLessThan(errors[0]!);
  });

  it('names bad components', () => {
    expect(() => validateMixture1D([{ weight: 1, mean: 0, sd: 0 }], 'mu')).toThrow(/mu\[0\]\.sd/);
    expect(() => validateMixture1D([], 'mu')).toThrow(InputError);
  });
});
