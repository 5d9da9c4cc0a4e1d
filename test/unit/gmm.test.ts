import { describe, expect, it } from 'vitest';
import {
  gaussianBarycenter,
  gaussianMarginals,
  gaussianW2,
  marginalConstrainedBarycenter,
  type Gaussian,
} from '../../src/ot/gaussian';
import {
  componentCosts,
  fitGaussianMixture,
  kMeansPlusPlus,
  mixtureBarycenter,
  mixtureDensity,
  mixtureInterpolation,
  mixtureLogDensity,
  mixtureMarginalConstrainedBarycenter,
  mixtureMarginalPreservingBarycenter,
  mixtureTransport,
  uniformStream,
  validateMarginalPairs,
  validateMixture,
  validateMixtures,
  type GaussianMixture,
  type MarginalPairs,
} from '../../src/ot/gmm';
import { cholesky, diag, matvec, maxAbsDiff } from '../../src/ot/linalg';
import { fillNormals } from '../../src/ot/philox';
import { InputError } from '../../src/ot/validate';
import { random, randomGaussian } from './gaussianFixtures';

const rng = random(31);

function randomMixture(k: number, n: number): GaussianMixture {
  const raw = Array.from({ length: k }, () => 0.1 + rng());
  const total = raw.reduce((s, v) => s + v, 0);
  return {
    weights: raw.map((v) => v / total),
    components: Array.from({ length: k }, () => randomGaussian(rng, n)),
  };
}

const mw2 = (a: GaussianMixture, b: GaussianMixture) => Math.sqrt(mixtureTransport(a, b).w2Squared);

/** n points of N(m, S) from the Philox normal stream `seed` (offset chosen by the caller). */
function sample(g: Gaussian, n: number, seed: number, offset: number): number[][] {
  const d = g.mean.length;
  const z = new Float64Array(n * d);
  fillNormals(z, seed, offset);
  const l = cholesky(g.cov);
  return Array.from({ length: n }, (_, i) =>
    matvec(l, Array.from(z.subarray(i * d, (i + 1) * d))).map((v, j) => v + g.mean[j]!),
  );
}

describe('MW2 distance and plan (MATH.md §4)', () => {
  it('MW2 of a mixture with itself is 0', () => {
    for (const [k, n] of [
      [1, 1],
      [3, 2],
      [6, 4],
    ] as const) {
      const a = randomMixture(k, n);
      const t = mixtureTransport(a, a);
      expect(t.w2Squared).toBeLessThan(1e-12);
      t.plan.forEach((row, i) => {
        expect(row[i]).toBeCloseTo(a.weights[i]!, 12);
      });
    }
  });

  it('between single-component mixtures equals the Gaussian W2', () => {
    const g = randomGaussian(rng, 3);
    const h = randomGaussian(rng, 3);
    const t = mixtureTransport(
      { weights: [1], components: [g] },
      { weights: [1], components: [h] },
    );
    expect(t.w2Squared).toBeCloseTo(gaussianW2(g, h).w2Squared, 13);
    expect(t.plan).toEqual([[1]]);
  });

  it('is symmetric, has the weights as plan marginals and a dual certificate', () => {
    const a = randomMixture(4, 2);
    const b = randomMixture(6, 2);
    const ab = mixtureTransport(a, b);
    expect(mixtureTransport(b, a).w2Squared).toBeCloseTo(ab.w2Squared, 12);
    ab.plan.forEach((row, k) => {
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(a.weights[k]!, 13);
    });
    b.weights.forEach((w, l) => {
      expect(ab.plan.reduce((s, row) => s + row[l]!, 0)).toBeCloseTo(w, 13);
    });
    const cost = componentCosts(a, b);
    cost.forEach((row, k) => {
      row.forEach((c, l) => {
        expect(ab.u[k]! + ab.v[l]!).toBeLessThanOrEqual(c + 1e-10);
      });
    });
    const dual =
      a.weights.reduce((s, w, k) => s + w * ab.u[k]!, 0) +
      b.weights.reduce((s, w, l) => s + w * ab.v[l]!, 0);
    expect(dual).toBeCloseTo(ab.w2Squared, 10);
  });

  it('is invariant under a permutation of the components', () => {
    const a = randomMixture(3, 2);
    const b = randomMixture(3, 2);
    const order = [2, 0, 1];
    const permuted = {
      weights: order.map((i) => b.weights[i]!),
      components: order.map((i) => b.components[i]!),
    };
    expect(mw2(a, permuted)).toBeCloseTo(mw2(a, b), 13);
  });
});

describe('MW2 interpolation (MATH.md §4)', () => {
  it('starts at a, ends at b and is a constant-speed MW2 geodesic', () => {
    const a = randomMixture(3, 2);
    const b = randomMixture(4, 2);
    const transport = mixtureTransport(a, b);
    const distance = Math.sqrt(transport.w2Squared);
    expect(mw2(mixtureInterpolation(a, b, 0, transport), a)).toBeLessThan(1e-6);
    expect(mw2(mixtureInterpolation(a, b, 1, transport), b)).toBeLessThan(1e-6);
    for (const t of [0.3, 0.5, 0.9]) {
      const mid = mixtureInterpolation(a, b, t, transport);
      expect(mid.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
      // Upper bound t·D by the plan's coupling, lower bound by the triangle inequality: equality.
      expect(Math.abs(mw2(a, mid) - t * distance)).toBeLessThan(1e-6 * (1 + distance));
      expect(Math.abs(mw2(mid, b) - (1 - t) * distance)).toBeLessThan(1e-6 * (1 + distance));
    }
  });
});

describe('barycenter of mixtures (multi-marginal, MATH.md §4)', () => {
  it('of one mixture is that mixture', () => {
    const a = randomMixture(3, 2);
    const out = mixtureBarycenter([a], [1]);
    expect(out.objective).toBeLessThan(1e-12);
    expect(mw2(out.mixture, a)).toBeLessThan(1e-6);
  });

  it('for two mixtures with weights (1 − t, t) is the MW2 interpolation at t, objective t(1 − t) MW2²', () => {
    const a = randomMixture(3, 2);
    const b = randomMixture(3, 2);
    const t = 0.35;
    const out = mixtureBarycenter([a, b], [1 - t, t]);
    expect(mw2(out.mixture, mixtureInterpolation(a, b, t))).toBeLessThan(1e-6);
    expect(out.objective).toBeCloseTo(t * (1 - t) * mixtureTransport(a, b).w2Squared, 10);
  });

  it('for three mixtures: components are Gaussian barycenters of the supported tuples, weights sum to 1', () => {
    const inputs = [randomMixture(2, 2), randomMixture(3, 2), randomMixture(2, 2)];
    const lambda = [0.5, 0.3, 0.2];
    const out = mixtureBarycenter(inputs, lambda);
    expect(out.tuples).toBe(12);
    expect(out.mixture.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
    expect(out.support.length).toBeLessThanOrEqual(2 + 3 + 2 - 3 + 1);
    out.support.forEach((e, i) => {
      const tuple = e.indices.map((k, m) => inputs[m]!.components[k]!);
      expect(
        maxAbsDiff(out.mixture.components[i]!.cov, gaussianBarycenter(tuple, lambda).gaussian.cov),
      ).toBe(0);
    });
    // The barycenter does at least as well as every input mixture: V(bar) ≤ V(input m).
    const v = (mu: GaussianMixture) =>
      inputs.reduce((s, x, m) => s + lambda[m]! * mixtureTransport(mu, x).w2Squared, 0);
    const value = v(out.mixture);
    expect(value).toBeCloseTo(out.objective, 8);
    inputs.forEach((x) => {
      expect(value).toBeLessThanOrEqual(v(x) + 1e-12);
    });
  });

  it('marginal-preserving variant: each component has the barycenters of the matched marginals', () => {
    const inputs = [randomMixture(2, 3), randomMixture(2, 3)];
    const lambda = [0.4, 0.6];
    const out = mixtureMarginalPreservingBarycenter(inputs, lambda, 1);
    out.support.forEach((e, i) => {
      const xs = e.indices.map((k, m) => gaussianMarginals(inputs[m]!.components[k]!, 1).x);
      const sigma = xs.reduce((s, g, m) => s + lambda[m]! * Math.sqrt(g.cov[0]![0]!), 0);
      expect(Math.sqrt(out.mixture.components[i]!.cov[0]![0]!)).toBeCloseTo(sigma, 12);
    });
  });

  it('marginal-constrained variant: exactly the prescribed marginal mixtures, component-wise Z*', () => {
    const inputs = [randomMixture(2, 3), randomMixture(3, 3), randomMixture(2, 3)];
    const lambda = [0.2, 0.5, 0.3];
    for (const nx of [1, 2]) {
      const prescribed: MarginalPairs = {
        weights: [0.3, 0.7],
        x: [randomGaussian(rng, nx), randomGaussian(rng, nx)],
        y: [randomGaussian(rng, 3 - nx), randomGaussian(rng, 3 - nx)],
      };
      const out = mixtureMarginalConstrainedBarycenter(inputs, lambda, prescribed);
      expect(out.mixture.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
      // Grouped by pair, the masses are the prescribed weights and every component carries its
      // pair's marginals exactly: the x and y marginal mixtures are the prescribed ones.
      const mass = [0, 0];
      out.matches.forEach(({ component, pair }, r) => {
        mass[pair]! += out.mixture.weights[r]!;
        const marginals = gaussianMarginals(out.mixture.components[r]!, nx);
        expect(maxAbsDiff(marginals.x.cov, prescribed.x[pair]!.cov)).toBeLessThan(1e-12);
        expect(maxAbsDiff(marginals.y.cov, prescribed.y[pair]!.cov)).toBeLessThan(1e-12);
        expect(marginals.x.mean).toEqual(prescribed.x[pair]!.mean);
        expect(marginals.y.mean).toEqual(prescribed.y[pair]!.mean);
        // Each component is the Z* projection of its plain-barycenter component.
        const reference = out.plain.mixture.components[component]!;
        const alone = marginalConstrainedBarycenter([reference], [1], {
          x: prescribed.x[pair]!,
          y: prescribed.y[pair]!,
        }).result;
        expect(maxAbsDiff(alone.cov, out.mixture.components[r]!.cov)).toBeLessThan(1e-10);
      });
      expect(mass[0]).toBeCloseTo(0.3, 12);
      expect(mass[1]).toBeCloseTo(0.7, 12);
      // The matching is optimal: no worse than the independent coupling π ⊗ a.
      const pi = out.plain.mixture.weights;
      const independent = pi.reduce(
        (s, p, i) =>
          s +
          prescribed.weights.reduce((t, a, j) => {
            const b = out.plain.mixture.components[i]!;
            const c = marginalConstrainedBarycenter([b], [1], {
              x: prescribed.x[j]!,
              y: prescribed.y[j]!,
            }).result;
            return t + p * a * gaussianW2(b, c).w2Squared;
          }, 0),
        0,
      );
      expect(out.constraintCost).toBeLessThanOrEqual(independent + 1e-12);
    }
  });

  it('marginal-constrained variant: prescribing the barycenter’s own marginals returns it', () => {
    const inputs = [randomMixture(2, 2), randomMixture(2, 2)];
    const plain = mixtureBarycenter(inputs, [0.6, 0.4]);
    const own: MarginalPairs = {
      weights: plain.mixture.weights,
      x: plain.mixture.components.map((g) => gaussianMarginals(g, 1).x),
      y: plain.mixture.components.map((g) => gaussianMarginals(g, 1).y),
    };
    const out = mixtureMarginalConstrainedBarycenter(inputs, [0.6, 0.4], own);
    expect(out.constraintCost).toBeLessThan(1e-12);
    expect(mw2(out.mixture, plain.mixture)).toBeLessThan(1e-6);
  });

  it('marginal pairs are validated against the mixtures’ dimension', () => {
    const g1 = { mean: [0], cov: [[1]] };
    const g2 = {
      mean: [0, 0],
      cov: [
        [1, 0],
        [0, 1],
      ],
    };
    expect(validateMarginalPairs({ x: [g1], y: [g2] }, 'marginals', 3).weights).toEqual([1]);
    expect(() => validateMarginalPairs({ x: [g1], y: [g1] }, 'marginals', 3)).toThrow(
      /^marginals\.y\[0\]\.mean: must have 2 coordinates/,
    );
    expect(() => validateMarginalPairs({ x: [g2], y: [g1] }, 'marginals', 2)).toThrow(
      /^marginals\.x\[0\]\.mean: the x marginal must have fewer coordinates/,
    );
    expect(() =>
      validateMarginalPairs({ weights: [0.5, 0.6], x: [g1, g1], y: [g1, g1] }, 'm', 2),
    ).toThrow(/^m\.weights: weights must sum to 1/);
    expect(() => validateMarginalPairs({ x: [g1, g1], y: [g1] }, 'm', 2)).toThrow(
      /^m\.y: expected 2/,
    );
  });

  it('rejects too many component tuples with a clear InputError', () => {
    const big = randomMixture(17, 1);
    expect(() => mixtureBarycenter([big, big, big], [0.2, 0.3, 0.5])).toThrow(
      /mixtures: 17 × 17 × 17 = 4913 component tuples exceed/,
    );
  });
});

describe('mixture density', () => {
  it('integrates to 1 in 1D (trapezoid rule) and matches Σ w_k N_k in 2D', () => {
    const m: GaussianMixture = {
      weights: [0.3, 0.7],
      components: [
        { mean: [-1], cov: [[0.25]] },
        { mean: [2], cov: [[1]] },
      ],
    };
    const xs = Array.from({ length: 4001 }, (_, i) => -10 + (20 * i) / 4000);
    const p = mixtureDensity(
      m,
      xs.map((x) => [x]),
    );
    const integral =
      p.reduce((s, v, i) => s + (i === 0 || i === p.length - 1 ? v / 2 : v), 0) * (20 / 4000);
    expect(integral).toBeCloseTo(1, 10);
    const g = { mean: [0, 0], cov: diag([1, 4]) };
    const [value] = mixtureDensity({ weights: [1], components: [g] }, [[1, 2]]);
    expect(value).toBeCloseTo(Math.exp(-0.5 * (1 + 1)) / (2 * Math.PI * 2), 15);
  });

  it('is stable far in the tails (log domain)', () => {
    const m: GaussianMixture = {
      weights: [0.5, 0.5],
      components: [
        { mean: [0], cov: [[1e-4]] },
        { mean: [1], cov: [[1e-4]] },
      ],
    };
    const [logValue] = mixtureLogDensity(m, [[50]]);
    expect(Number.isFinite(logValue)).toBe(true);
    expect(logValue).toBeLessThan(-1e6);
  });
});

describe('EM fitting with k-means++ start', () => {
  const truth: GaussianMixture = {
    weights: [0.2, 0.5, 0.3],
    components: [
      {
        mean: [-6, 0],
        cov: [
          [1, 0.4],
          [0.4, 0.6],
        ],
      },
      {
        mean: [0, 5],
        cov: [
          [0.5, 0],
          [0, 2],
        ],
      },
      {
        mean: [6, -2],
        cov: [
          [1.5, -0.5],
          [-0.5, 1],
        ],
      },
    ],
  };
  const counts = [200, 500, 300];
  const points = truth.components.flatMap((g, k) => sample(g, counts[k]!, 5, 10_000 * k));

  it('recovers well-separated clusters (means, weights, covariances)', () => {
    const fit = fitGaussianMixture(points, 3, { seed: 11 });
    expect(fit.converged).toBe(true);
    // Match fitted components to the truth by nearest mean.
    truth.components.forEach((g, k) => {
      const j = fit.mixture.components.findIndex(
        (c) => Math.hypot(c.mean[0]! - g.mean[0]!, c.mean[1]! - g.mean[1]!) < 0.5,
      );
      expect(j).toBeGreaterThanOrEqual(0);
      const c = fit.mixture.components[j]!;
      expect(Math.abs(fit.mixture.weights[j]! - truth.weights[k]!)).toBeLessThan(1e-3);
      expect(Math.hypot(c.mean[0]! - g.mean[0]!, c.mean[1]! - g.mean[1]!)).toBeLessThan(0.2);
      expect(maxAbsDiff(c.cov, g.cov)).toBeLessThan(0.3);
      expect(fit.labels.filter((l) => l === j).length).toBe(counts[k]);
    });
    // EM never decreases the likelihood (up to the floor's tiny perturbation).
    fit.history.slice(1).forEach((ll, i) => {
      expect(ll).toBeGreaterThanOrEqual(fit.history[i]! - 1e-9);
    });
  });

  it('is reproducible for a seed', () => {
    const a = fitGaussianMixture(points, 3, { seed: 4 });
    const b = fitGaussianMixture(points, 3, { seed: 4 });
    expect(a).toEqual(b);
  });

  it('keeps collapsing components SPD with the covariance floor', () => {
    // 30 copies of one point plus a spread cluster: one component collapses onto the point.
    const spread = sample(
      {
        mean: [3, 3],
        cov: [
          [1, 0],
          [0, 1],
        ],
      },
      100,
      9,
      0,
    );
    const data = [...new Array<number[]>(30).fill([0, 0]), ...spread];
    const fit = fitGaussianMixture(data, 2, { seed: 3, covarianceFloor: 1e-4 });
    const collapsed = fit.mixture.components.find((c) => Math.hypot(...c.mean) < 1e-6)!;
    expect(collapsed).toBeDefined();
    expect(maxAbsDiff(collapsed.cov, diag([1e-4, 1e-4]))).toBeLessThan(1e-12);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  });

  it('k-means++ draws distinct well-spread centres and rejects k > n', () => {
    const distance = (c: number[], g: Gaussian) =>
      Math.hypot(c[0]! - g.mean[0]!, c[1]! - g.mean[1]!);
    const owner = (c: number[]) => {
      const d = truth.components.map((g) => distance(c, g));
      return d.indexOf(Math.min(...d));
    };
    // Greedy k-means++ puts one centre in each cluster for every one of 10 seeds (plain D²
    // sampling failed on 4 of these 10).
    for (let seed = 0; seed < 10; seed += 1) {
      const centres = kMeansPlusPlus(points, 3, uniformStream(seed));
      expect(new Set(centres.map(owner)).size).toBe(3);
    }
    expect(() => fitGaussianMixture([[0], [1]], 3)).toThrow(InputError);
  });
});

describe('mixture validation', () => {
  it('names the bad field', () => {
    expect(() => validateMixture({ components: [] }, 'a')).toThrow(
      /^a\.components: expected a non-empty array/,
    );
    expect(() =>
      validateMixture(
        {
          weights: [0.5, 0.6],
          components: [
            { mean: [0], cov: [[1]] },
            { mean: [1], cov: [[1]] },
          ],
        },
        'a',
      ),
    ).toThrow(/^a\.weights: weights must sum to 1/);
    expect(() => validateMixture({ components: [{ mean: [0], cov: [[-1]] }] }, 'a')).toThrow(
      /^a\.components\[0\]\.cov: is not positive definite/,
    );
    expect(() =>
      validateMixtures(
        [
          { components: [{ mean: [0], cov: [[1]] }] },
          {
            components: [
              {
                mean: [0, 0],
                cov: [
                  [1, 0],
                  [0, 1],
                ],
              },
            ],
          },
        ],
        'mixtures',
      ),
    ).toThrow(/^mixtures\[1\]\.components\[0\]\.mean: expected 1 entries/);
    expect(
      validateMixture(
        {
          components: [
            { mean: [0], cov: [[1]] },
            { mean: [1], cov: [[2]] },
          ],
        },
        'a',
      ).weights,
    ).toEqual([0.5, 0.5]);
  });
});
