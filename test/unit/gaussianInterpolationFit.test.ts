/**
 * "Fit from points" of the Gaussian interpolation lab. k = 1: EM is the maximum-likelihood
 * Gaussian, so the fitted ellipse must reproduce the sample mean and the 1/n sample covariance
 * (independent closed form computed here; tolerance 1e-6 relative, set by EM's covariance floor of
 * 1e-6 × mean variance, and 5e-3 on the URL rounding of the ellipse). k = 2..4: well-separated
 * clusters are recovered (each centre its cluster's sample mean within 0.01, weights within
 * 0.05), components sorted by weight.
 * Reproducible (fixed seed); too few points or a bad k give an InputError.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/ot/random';
import { InputError } from '../../src/ot/validate';
import {
  fitEndpointToPoints,
  minFitPoints,
} from '../../src/app/scenes/gaussianInterpolation/fitPoints';
import { covarianceFromEllipse } from '../../src/app/scenes/gaussianInterpolation/geometry';
import { MIN_SCALE } from '../../src/app/scenes/gaussianInterpolation/params';

const seed = Date.now() % 2 ** 31;

function sampleMoments(points: readonly [number, number][]) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2 / n;
    sxy += ((x - mx) * (y - my)) / n;
    syy += (y - my) ** 2 / n;
  }
  return { mean: [mx, my], cov: [sxx, sxy, syy] };
}

/** n points uniform in the rotated rectangle of half-sides a, b around (cx, cy). */
function cloud(
  random: () => number,
  n: number,
  [cx, cy]: readonly [number, number],
  angle: number,
  a: number,
  b: number,
): [number, number][] {
  return Array.from({ length: n }, (): [number, number] => {
    const u = 2 * random() - 1;
    const v = 2 * random() - 1;
    return [
      cx + a * u * Math.cos(angle) - b * v * Math.sin(angle),
      cy + a * u * Math.sin(angle) + b * v * Math.cos(angle),
    ];
  });
}

describe(`fitEndpointToPoints (seed ${seed})`, () => {
  it('k = 1 recovers the sample mean and covariance of random elongated clouds', () => {
    const random = seededRandom(seed);
    for (let trial = 0; trial < 20; trial += 1) {
      const n = 12 + Math.floor(random() * 60);
      const centre = [4 * random() - 2, 4 * random() - 2] as const;
      const points = cloud(random, n, centre, Math.PI * random(), 0.8 + 1.2 * random(), 0.6);
      const expected = sampleMoments(points);
      const fit = fitEndpointToPoints(points, 1);
      expect(fit.em.mixture.components).toHaveLength(1);
      expect(fit.endpoint.weights).toEqual([1]);
      expect(fit.clamped).toBe(false);
      // EM's own mean and covariance: the closed form to rounding.
      const g = fit.em.mixture.components[0]!;
      const scale = expected.cov[0]! + expected.cov[2]!;
      expect(g.mean[0]).toBeCloseTo(expected.mean[0]!, 10);
      expect(g.mean[1]).toBeCloseTo(expected.mean[1]!, 10);
      expect(Math.abs(g.cov[0]![0]! - expected.cov[0]!)).toBeLessThan(1e-6 * scale);
      expect(Math.abs(g.cov[0]![1]! - expected.cov[1]!)).toBeLessThan(1e-6 * scale);
      expect(Math.abs(g.cov[1]![1]! - expected.cov[2]!)).toBeLessThan(1e-6 * scale);
      // The endpoint's ellipse: the same Gaussian, rounded as the URL keeps it.
      const [e] = fit.endpoint.ellipses;
      expect(Math.abs(e!.cx - expected.mean[0]!)).toBeLessThanOrEqual(0.005);
      const cov = covarianceFromEllipse(e!);
      expect(Math.abs(cov[0]![1]! - expected.cov[1]!)).toBeLessThan(5e-3 * scale);
      // Same points, same fit (fixed seed).
      expect(fitEndpointToPoints(points, 1).endpoint).toEqual(fit.endpoint);
    }
  });

  it('k = 2..4 recovers well-separated clusters, heaviest component first', () => {
    const random = seededRandom(seed + 1);
    const centres = [
      [-3, -3],
      [3, -2.5],
      [2.5, 3],
      [-2.5, 3],
    ] as const;
    for (const k of [2, 3, 4]) {
      const sizes = centres.slice(0, k).map((_, c) => 15 + 10 * c);
      const clusters = sizes.map((n, c) => cloud(random, n, centres[c]!, random(), 0.6, 0.3));
      const points = clusters.flat();
      const fit = fitEndpointToPoints(points, k);
      const total = sizes.reduce((s, n) => s + n, 0);
      expect(fit.endpoint.ellipses).toHaveLength(k);
      expect(fit.endpoint.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
      // Sorted by weight: the largest cluster (the last one) comes first.
      const sorted = [...fit.endpoint.weights].sort((a, b) => b - a);
      expect(fit.endpoint.weights).toEqual(sorted);
      // Separated clusters: each component is its cluster's sample mean (up to URL rounding).
      sizes.forEach((n, c) => {
        const { mean } = sampleMoments(clusters[c]!);
        const match = fit.endpoint.ellipses.findIndex(
          (e) => Math.hypot(e.cx - mean[0]!, e.cy - mean[1]!) < 0.01,
        );
        expect(match, `cluster ${c} of k = ${k}`).toBeGreaterThanOrEqual(0);
        expect(Math.abs(fit.endpoint.weights[match]! - n / total)).toBeLessThan(0.05);
      });
    }
  });

  it('clamps a degenerate (collinear) cloud to the smallest allowed σ and says so', () => {
    const points: [number, number][] = [-1, -0.5, 0, 0.5, 1].map((x) => [x, 2 * x]);
    const fit = fitEndpointToPoints(points, 1);
    expect(fit.clamped).toBe(true);
    expect(fit.endpoint.ellipses[0]!.sb).toBe(MIN_SCALE);
    expect(fit.endpoint.ellipses[0]!.angle).toBeCloseTo((Math.atan(2) * 180) / Math.PI, 1);
  });

  it('rejects too few or malformed points and a bad k with an InputError naming the field', () => {
    for (const k of [1, 2, 4]) {
      const few = Array.from({ length: minFitPoints(k) - 1 }, (_, i): [number, number] => [i, i]);
      expect(() => fitEndpointToPoints(few, k)).toThrow(InputError);
      expect(() => fitEndpointToPoints(few, k)).toThrow(
        new RegExp(`^points: need at least ${3 * k} points to fit ${k} Gaussian`),
      );
    }
    expect(() => fitEndpointToPoints([], 1)).toThrow(/^points: expected a non-empty array/);
    expect(() => fitEndpointToPoints([[0, 0, 0]], 1)).toThrow(
      /^points\[0\]: expected 2 coordinates/,
    );
    expect(() => fitEndpointToPoints([[0, NaN]], 1)).toThrow(InputError);
    expect(() => fitEndpointToPoints([[0, 0]], 5)).toThrow(/^k: must be an integer from 1 to 4/);
  });
});
