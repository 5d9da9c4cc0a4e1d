import { describe, expect, it } from 'vitest';
import {
  ConvergenceError,
  barycenterResidual,
  closestWithMarginals,
  coherenceNorm,
  fokkerPlanckDrift,
  fokkerPlanckReducedOrder,
  fokkerPlanckSolution,
  gaussianBarycenter,
  gaussianLogDensity,
  gaussianMarginals,
  gaussianW2,
  geometricMean,
  hatWeights,
  joinCovariance,
  l2Interpolation,
  marginalConstrainedBarycenter,
  marginalPreservingBarycenter,
  mccannInterpolation,
  mccannPath,
  mongeMap,
  mongeMatrix,
  optimalCrossCovariance,
  splitCovariance,
  validateGaussian,
  validateGaussians,
  validateSimplexWeights,
  validateSplit,
  type Gaussian,
} from '../../src/ot/gaussian';
import {
  add,
  diag,
  fromBlocks,
  identity,
  inverseSpd,
  matmul,
  matmulAll,
  maxAbsDiff,
  scale,
  sqrtm,
  sub,
  symmetricEigen,
  trace,
  transpose,
  weightedSum,
  type Matrix,
} from '../../src/ot/linalg';
import { mixtureDensity } from '../../src/ot/gmm';
import {
  random,
  randomGaussian,
  randomMatrix,
  randomSpd,
  randomSymmetric,
} from './gaussianFixtures';

const rng = random(2024);

const w2 = (a: Gaussian, b: Gaussian) => Math.sqrt(gaussianW2(a, b).w2Squared);
/** Relative max-entry error, for identities between matrices of size ~1. */
const relErr = (a: Matrix, b: Matrix) => maxAbsDiff(a, b) / Math.max(1, ...b.flat().map(Math.abs));
const uniformWeights = (k: number) => new Array<number>(k).fill(1 / k);

function randomWeights(k: number): number[] {
  const raw = Array.from({ length: k }, () => 0.1 + rng());
  const total = raw.reduce((s, v) => s + v, 0);
  return raw.map((v) => v / total);
}

describe('Bures–Wasserstein W2 (MATH.md §2)', () => {
  it('reduces to (m1 − m2)² + (σ1 − σ2)² in 1D and to Σ(√a − √b)² for diagonal covariances', () => {
    const terms = gaussianW2({ mean: [1], cov: [[4]] }, { mean: [-2], cov: [[0.25]] });
    expect(terms.meanTerm).toBeCloseTo(9, 14);
    expect(terms.covarianceTerm).toBeCloseTo(1.5 ** 2, 14);
    expect(terms.w2Squared).toBeCloseTo(9 + 2.25, 14);
    const a = [0.3, 2, 5, 1];
    const b = [1.1, 0.5, 5, 7];
    const expected = a.reduce((s, v, i) => s + (Math.sqrt(v) - Math.sqrt(b[i]!)) ** 2, 0);
    expect(
      gaussianW2({ mean: [0, 0, 0, 0], cov: diag(a) }, { mean: [0, 0, 0, 0], cov: diag(b) })
        .w2Squared,
    ).toBeCloseTo(expected, 13);
  });

  it('is symmetric, zero on equal inputs, and equals the cost E‖x − T(x)‖² of the Monge map', () => {
    for (let n = 1; n <= 6; n += 1) {
      const a = randomGaussian(rng, n);
      const b = randomGaussian(rng, n);
      const ab = gaussianW2(a, b).w2Squared;
      expect(Math.abs(ab - gaussianW2(b, a).w2Squared)).toBeLessThan(1e-12 * (1 + ab));
      expect(gaussianW2(a, a).w2Squared).toBeLessThan(1e-13);
      // x − T(x) = (m1 − m2) + (I − A)(x − m1): E‖·‖² = ‖m1 − m2‖² + tr((I − A) S1 (I − A)).
      const iMinusA = sub(identity(n), mongeMatrix(a.cov, b.cov));
      const mapCost = gaussianW2(a, b).meanTerm + trace(matmulAll(iMinusA, a.cov, iMinusA));
      expect(Math.abs(mapCost - ab)).toBeLessThan(1e-11 * (1 + ab));
    }
  });
});

describe('Monge map and geometric mean (MATH.md §2)', () => {
  it('A is SPD with A S1 A = S2, T(m1) = m2, and A = S1⁻¹ # S2', () => {
    for (let n = 1; n <= 6; n += 1) {
      const a = randomGaussian(rng, n);
      const b = randomGaussian(rng, n);
      const { matrix, apply } = mongeMap(a, b);
      expect(relErr(matmulAll(matrix, a.cov, matrix), b.cov)).toBeLessThan(1e-11);
      expect(symmetricEigen(matrix).values[0]).toBeGreaterThan(0);
      expect(maxAbsDiff([apply(a.mean)], [b.mean])).toBeLessThan(1e-13);
      expect(relErr(geometricMean(inverseSpd(a.cov), b.cov), matrix)).toBeLessThan(1e-11);
    }
  });

  it('C = S # T is symmetric, solves C S⁻¹ C = T, and (S#T)⁻¹ = S⁻¹ # T⁻¹, S # T = T # S', () => {
    for (let n = 1; n <= 6; n += 1) {
      const s = randomSpd(rng, n);
      const t = randomSpd(rng, n);
      const c = geometricMean(s, t);
      expect(maxAbsDiff(c, transpose(c))).toBe(0);
      expect(relErr(matmulAll(c, inverseSpd(s), c), t)).toBeLessThan(1e-11);
      expect(relErr(inverseSpd(c), geometricMean(inverseSpd(s), inverseSpd(t)))).toBeLessThan(
        1e-10,
      );
      expect(relErr(geometricMean(t, s), c)).toBeLessThan(1e-11);
    }
  });

  it('is the ordinary geometric mean √(st) for commuting (diagonal) inputs', () => {
    const c = geometricMean(diag([4, 1, 9]), diag([1, 16, 4]));
    expect(maxAbsDiff(c, diag([2, 4, 6]))).toBeLessThan(1e-14);
  });
});

describe('McCann and L2 interpolation (MATH.md §2)', () => {
  it('has the inputs as endpoints and is a constant-speed geodesic: W2(μ0, μt) = t W2(μ0, μ1)', () => {
    for (let n = 1; n <= 5; n += 1) {
      const a = randomGaussian(rng, n);
      const b = randomGaussian(rng, n);
      const distance = w2(a, b);
      const times = [0, 0.25, 0.5, 0.8, 1];
      const path = mccannPath(a, b, times);
      expect(relErr(path[0]!.cov, a.cov)).toBeLessThan(1e-14);
      expect(relErr(path[4]!.cov, b.cov)).toBeLessThan(1e-11);
      expect(maxAbsDiff([path[4]!.mean], [b.mean])).toBeLessThan(1e-14);
      times.forEach((t, k) => {
        expect(Math.abs(w2(a, path[k]!) - t * distance)).toBeLessThan(1e-7 * (1 + distance));
        expect(Math.abs(w2(path[k]!, b) - (1 - t) * distance)).toBeLessThan(1e-7 * (1 + distance));
      });
      expect(relErr(mccannInterpolation(a, b, 0.5).cov, path[2]!.cov)).toBe(0);
    }
  });

  it('translation example: W2 interpolation shifts the bump, L2 interpolation makes two bumps', () => {
    const a: Gaussian = {
      mean: [0, 0],
      cov: [
        [1, 0.3],
        [0.3, 0.5],
      ],
    };
    const shift = [6, -2];
    const b: Gaussian = { mean: shift, cov: a.cov };
    const t = 0.5;
    const w = mccannInterpolation(a, b, t);
    expect(maxAbsDiff([w.mean], [[3, -1]])).toBeLessThan(1e-15);
    expect(relErr(w.cov, a.cov)).toBeLessThan(1e-13);
    const barycenter = gaussianBarycenter([a, b], [1 - t, t]).gaussian;
    expect(relErr(barycenter.cov, a.cov)).toBeLessThan(1e-13);
    const l2 = l2Interpolation(a, b, t);
    expect(l2.weights).toEqual([0.5, 0.5]);
    expect(l2.components).toEqual([a, b]);
    // At the midpoint the W2 interpolant peaks, the L2 one is nearly empty.
    const [l2AtMid, l2AtEnd] = mixtureDensity(l2, [
      [3, -1],
      [0, 0],
    ]);
    const [w2AtMid] = mixtureDensity({ weights: [1], components: [w] }, [[3, -1]]);
    expect(l2AtMid!).toBeLessThan(1e-3 * w2AtMid!);
    expect(l2AtEnd!).toBeCloseTo(w2AtMid! / 2, 6);
  });
});

describe('Gaussian barycenter (fixed point, MATH.md §2)', () => {
  it('satisfies the barycenter equation on random inputs, n = 1..6, K = 1..5', () => {
    for (let n = 1; n <= 6; n += 1) {
      const k = 1 + (n % 5);
      const inputs = Array.from({ length: k }, () => randomGaussian(rng, n));
      const weights = randomWeights(k);
      const result = gaussianBarycenter(inputs, weights);
      expect(result.residual).toBeLessThan(1e-12);
      expect(
        barycenterResidual(
          result.gaussian.cov,
          inputs.map((g) => g.cov),
          weights,
        ),
      ).toBe(result.residual);
      expect(result.iterations).toBeLessThan(60);
      expect(result.changes.length).toBe(result.iterations);
      const mean = inputs[0]!.mean.map((_, i) =>
        inputs.reduce((s, g, j) => s + weights[j]! * g.mean[i]!, 0),
      );
      expect(maxAbsDiff([result.gaussian.mean], [mean])).toBe(0);
    }
  });

  it('returns the input for K = 1 and for identical inputs', () => {
    const g = randomGaussian(rng, 4);
    const single = gaussianBarycenter([g], [1]);
    expect(single.iterations).toBeLessThanOrEqual(2);
    expect(relErr(single.gaussian.cov, g.cov)).toBeLessThan(1e-13);
    const same = gaussianBarycenter([g, g, g], [0.2, 0.5, 0.3]);
    expect(relErr(same.gaussian.cov, g.cov)).toBeLessThan(1e-13);
    expect(maxAbsDiff([same.gaussian.mean], [g.mean])).toBeLessThan(1e-15);
  });

  it('1D closed form σ* = Σ λ_k σ_k', () => {
    const sigmas = [0.5, 2, 3.5, 1];
    const weights = [0.1, 0.4, 0.3, 0.2];
    const result = gaussianBarycenter(
      sigmas.map((s) => ({ mean: [0], cov: [[s * s]] })),
      weights,
    );
    const expected = sigmas.reduce((acc, s, i) => acc + weights[i]! * s, 0);
    expect(Math.sqrt(result.gaussian.cov[0]![0]!)).toBeCloseTo(expected, 14);
  });

  it('commuting covariances closed form S* = U diag((Σ λ_k √d_k)²) Uᵀ', () => {
    const n = 4;
    const u = symmetricEigen(randomSymmetric(rng, n)).vectors; // a random orthogonal matrix
    const diagonals = [
      [1, 2, 3, 4],
      [0.2, 5, 1, 1],
      [3, 0.5, 0.7, 9],
    ];
    const weights = [0.5, 0.3, 0.2];
    const inputs = diagonals.map((d) => ({
      mean: [0, 0, 0, 0],
      cov: matmulAll(u, diag(d), transpose(u)),
    }));
    const expected = diagonals[0]!.map(
      (_, i) => diagonals.reduce((s, d, k) => s + weights[k]! * Math.sqrt(d[i]!), 0) ** 2,
    );
    const result = gaussianBarycenter(inputs, weights);
    expect(relErr(result.gaussian.cov, matmulAll(u, diag(expected), transpose(u)))).toBeLessThan(
      1e-12,
    );
  });

  it('equals McCann interpolation for K = 2 and minimises Σ λ_k W2² against perturbations', () => {
    const a = randomGaussian(rng, 3);
    const b = randomGaussian(rng, 3);
    const bar = gaussianBarycenter([a, b], [0.7, 0.3]).gaussian;
    expect(relErr(bar.cov, mccannInterpolation(a, b, 0.3).cov)).toBeLessThan(1e-11);
    const inputs = [a, b, randomGaussian(rng, 3)];
    const weights = [0.5, 0.2, 0.3];
    const best = gaussianBarycenter(inputs, weights).gaussian;
    const objective = (g: Gaussian) =>
      inputs.reduce((s, x, k) => s + weights[k]! * gaussianW2(g, x).w2Squared, 0);
    const optimum = objective(best);
    for (let trial = 0; trial < 20; trial += 1) {
      const cov = add(best.cov, scale(randomSymmetric(rng, 3), 1e-3));
      expect(objective({ mean: best.mean, cov })).toBeGreaterThanOrEqual(optimum - 1e-13);
      const mean = best.mean.map((v) => v + 1e-3 * (rng() - 0.5));
      expect(objective({ mean, cov: best.cov })).toBeGreaterThanOrEqual(optimum - 1e-13);
    }
  });

  it('ignores zero weights', () => {
    const inputs = [randomGaussian(rng, 2), randomGaussian(rng, 2), randomGaussian(rng, 2)];
    const withZero = gaussianBarycenter(inputs, [0.4, 0, 0.6]).gaussian;
    const without = gaussianBarycenter([inputs[0]!, inputs[2]!], [0.4, 0.6]).gaussian;
    expect(relErr(withZero.cov, without.cov)).toBeLessThan(1e-13);
  });

  it('converges on ill-conditioned inputs (condition 1e9) to the rounding floor', () => {
    const u = symmetricEigen(randomSymmetric(rng, 3)).vectors;
    const inputs = [
      { mean: [0, 0, 0], cov: matmulAll(u, diag([1e-6, 1, 1e3]), transpose(u)) },
      { mean: [1, 0, 0], cov: diag([2, 1e-5, 30]) },
    ];
    const result = gaussianBarycenter(inputs, [0.5, 0.5]);
    expect(result.effectiveTolerance).toBeGreaterThanOrEqual(1e-12);
    expect(result.residual).toBeLessThan(1e-6);
  });

  it('throws a ConvergenceError naming the cap when maxIterations is too small', () => {
    const inputs = [randomGaussian(rng, 3), randomGaussian(rng, 3), randomGaussian(rng, 3)];
    expect(() => gaussianBarycenter(inputs, uniformWeights(3), { maxIterations: 2 })).toThrow(
      ConvergenceError,
    );
    expect(() => gaussianBarycenter(inputs, uniformWeights(3), { maxIterations: 2 })).toThrow(
      /after 2 iterations; raise maxIterations/,
    );
  });
});

describe('marginals and Z* (MATH.md §3, seed 000 Theorem)', () => {
  const nx = 2;
  const n = 5;

  it('split and join are inverse, and the marginals are the diagonal blocks', () => {
    const g = randomGaussian(rng, n);
    const blocks = splitCovariance(g.cov, nx);
    expect(joinCovariance(blocks.x, blocks.xy, blocks.y)).toEqual(g.cov);
    const m = gaussianMarginals(g, nx);
    expect(m.x.mean).toEqual(g.mean.slice(0, 2));
    expect(m.y.cov).toEqual(blocks.y);
  });

  it('[[Sx, Z], [Zᵀ, Sy]] is SPD exactly when ‖Sx^{-1/2} Z Sy^{-1/2}‖₂ < 1', () => {
    const sx = randomSpd(rng, nx);
    const sy = randomSpd(rng, n - nx);
    const direction = randomMatrix(rng, nx, n - nx);
    const unit = scale(direction, 1 / coherenceNorm(sx, direction, sy));
    for (const r of [0.5, 0.99, 1.01, 2]) {
      const z = scale(unit, r);
      expect(coherenceNorm(sx, z, sy)).toBeCloseTo(r, 12);
      const smallest = symmetricEigen(joinCovariance(sx, z, sy)).values[0]!;
      expect(smallest > 0).toBe(r < 1);
    }
  });

  it('Z* gives exactly the prescribed marginals, equals D T D, and Z* = Txy when T has them', () => {
    for (let trial = 0; trial < 5; trial += 1) {
      const t = randomSpd(rng, n);
      const sx = randomSpd(rng, nx);
      const sy = randomSpd(rng, n - nx);
      const z = optimalCrossCovariance(t, sx, sy);
      const s = joinCovariance(sx, z, sy);
      const blocks = splitCovariance(s, nx);
      expect(maxAbsDiff(blocks.x, sx)).toBe(0);
      expect(maxAbsDiff(blocks.y, sy)).toBe(0);
      expect(coherenceNorm(sx, z, sy)).toBeLessThan(1);
      const tb = splitCovariance(t, nx);
      const p = geometricMean(inverseSpd(tb.x), sx);
      const q = geometricMean(inverseSpd(tb.y), sy);
      const d = fromBlocks(p, scale(tb.xy, 0), scale(transpose(tb.xy), 0), q);
      expect(relErr(matmulAll(d, t, d), s)).toBeLessThan(1e-10);
      expect(relErr(optimalCrossCovariance(t, tb.x, tb.y), tb.xy)).toBeLessThan(1e-11);
    }
  });

  it('Z* minimises W2²(T, S(Z)): random feasible perturbations never decrease it', () => {
    for (let trial = 0; trial < 4; trial += 1) {
      const t = randomSpd(rng, n);
      const sx = randomSpd(rng, nx);
      const sy = randomSpd(rng, n - nx);
      const zStar = optimalCrossCovariance(t, sx, sy);
      const f = (z: Matrix) =>
        gaussianW2(
          { mean: [0, 0, 0, 0, 0], cov: t },
          { mean: [0, 0, 0, 0, 0], cov: joinCovariance(sx, z, sy) },
        ).covarianceTerm;
      const best = f(zStar);
      let tested = 0;
      for (const size of [1e-4, 1e-2, 0.3]) {
        for (let k = 0; k < 15; k += 1) {
          const z = add(zStar, scale(randomMatrix(rng, nx, n - nx), size));
          if (coherenceNorm(sx, z, sy) >= 1) continue;
          tested += 1;
          expect(f(z)).toBeGreaterThanOrEqual(best - 1e-12);
        }
      }
      expect(tested).toBeGreaterThan(20);
    }
  });

  it('closestWithMarginals carries the prescribed means', () => {
    const reference = randomGaussian(rng, 3);
    const x = randomGaussian(rng, 1);
    const y = randomGaussian(rng, 2);
    const result = closestWithMarginals(reference, x, y);
    expect(result.mean).toEqual([...x.mean, ...y.mean]);
    expect(gaussianMarginals(result, 1).y.cov).toEqual(y.cov);
  });
});

describe('marginal-constrained and marginal-preserving barycenters (MATH.md §3)', () => {
  const inputs = Array.from({ length: 3 }, () => randomGaussian(rng, 4));
  const weights = [0.2, 0.5, 0.3];

  it('the constrained result has exactly the prescribed marginals', () => {
    const marginals = { x: randomGaussian(rng, 2), y: randomGaussian(rng, 2) };
    const out = marginalConstrainedBarycenter(inputs, weights, marginals);
    const m = gaussianMarginals(out.result, 2);
    expect(m.x).toEqual(marginals.x);
    expect(m.y).toEqual(marginals.y);
    expect(symmetricEigen(out.result.cov).values[0]).toBeGreaterThan(0);
    expect(out.w2SquaredToBarycenter).toBeGreaterThan(0);
    expect(out.w2SquaredToBarycenter).toBeCloseTo(
      gaussianW2(out.result, out.barycenter.gaussian).w2Squared,
      14,
    );
  });

  it('prescribing the barycenter’s own marginals returns the barycenter', () => {
    const plain = gaussianBarycenter(inputs, weights).gaussian;
    const out = marginalConstrainedBarycenter(inputs, weights, gaussianMarginals(plain, 2));
    expect(relErr(out.result.cov, plain.cov)).toBeLessThan(1e-11);
    expect(out.w2SquaredToBarycenter).toBeLessThan(1e-12);
  });

  it('the preserving result has the barycenters of the marginals as marginals', () => {
    const out = marginalPreservingBarycenter(inputs, weights, 1);
    const xs = inputs.map((g) => gaussianMarginals(g, 1).x);
    const ys = inputs.map((g) => gaussianMarginals(g, 1).y);
    const m = gaussianMarginals(out.result, 1);
    // 1D x marginal: closed form σ* = Σ λ σ.
    const sigma = xs.reduce((s, g, k) => s + weights[k]! * Math.sqrt(g.cov[0]![0]!), 0);
    expect(Math.sqrt(m.x.cov[0]![0]!)).toBeCloseTo(sigma, 13);
    expect(relErr(m.y.cov, gaussianBarycenter(ys, weights).gaussian.cov)).toBeLessThan(1e-12);
    expect(out.marginalBarycenters.y.residual).toBeLessThan(1e-12);
  });
});

describe('Fokker–Planck toy model (MATH.md §3, seed 000)', () => {
  const model = { omega: 1.3, diffusion: 0.05, blockDimension: 1 };
  const initial: Gaussian = {
    mean: [1, 0.5],
    cov: [
      [0.3, 0.1],
      [0.1, 0.2],
    ],
  };

  /** Independent reference: classical RK4 on m' = A m, S' = A S + S Aᵀ + 2D I. */
  function rk4(t: number, steps: number): Gaussian {
    const a = fokkerPlanckDrift(model);
    const f = (s: Matrix) =>
      add(add(matmul(a, s), matmul(s, transpose(a))), scale(identity(2), 2 * model.diffusion));
    const fm = (m: number[]) =>
      matmul(
        a,
        m.map((v) => [v]),
      ).map((r) => r[0]!);
    let s = initial.cov;
    let m = initial.mean;
    const h = t / steps;
    for (let k = 0; k < steps; k += 1) {
      const k1 = f(s);
      const k2 = f(add(s, scale(k1, h / 2)));
      const k3 = f(add(s, scale(k2, h / 2)));
      const k4 = f(add(s, scale(k3, h)));
      s = add(s, scale(weightedSum([1, 2, 2, 1], [k1, k2, k3, k4]), h / 6));
      const l1 = fm(m);
      const l2 = fm(m.map((v, i) => v + (h / 2) * l1[i]!));
      const l3 = fm(m.map((v, i) => v + (h / 2) * l2[i]!));
      const l4 = fm(m.map((v, i) => v + h * l3[i]!));
      m = m.map((v, i) => v + (h / 6) * (l1[i]! + 2 * l2[i]! + 2 * l3[i]! + l4[i]!));
    }
    return { mean: m, cov: s };
  }

  it('the closed form matches an RK4 integration of the moment ODE', () => {
    for (const t of [0.4, 2.5]) {
      const exact = fokkerPlanckSolution(model, initial, t);
      const reference = rk4(t, 2000);
      expect(maxAbsDiff(exact.cov, reference.cov)).toBeLessThan(1e-12);
      expect(maxAbsDiff([exact.mean], [reference.mean])).toBeLessThan(1e-12);
    }
    expect(fokkerPlanckSolution(model, initial, 0)).toEqual({
      mean: initial.mean,
      cov: initial.cov,
    });
  });

  it('works with x, y ∈ ℝ² (block dimension 2)', () => {
    const model2 = { omega: 0.7, diffusion: 0.1, blockDimension: 2 };
    const g = randomGaussian(rng, 4);
    const t = 1.1;
    const h = 1e-5;
    // Central difference of the closed form against S' = A S + S Aᵀ + 2D I.
    const plus = fokkerPlanckSolution(model2, g, t + h).cov;
    const minus = fokkerPlanckSolution(model2, g, t - h).cov;
    const derivative = scale(sub(plus, minus), 1 / (2 * h));
    const s = fokkerPlanckSolution(model2, g, t).cov;
    const a = fokkerPlanckDrift(model2);
    const rhs = add(add(matmul(a, s), matmul(s, transpose(a))), scale(identity(4), 0.2));
    expect(maxAbsDiff(derivative, rhs)).toBeLessThan(1e-8);
  });

  it('reduced-order model: the constrained barycenter has zero marginal error, the plain one does not', () => {
    const times = [0, 0.5, 1, 1.5];
    const out = fokkerPlanckReducedOrder(model, initial, times, 0.8);
    [0, 0.4, 0.6, 0].forEach((w, i) => {
      expect(out.weights[i]).toBeCloseTo(w, 14);
    });
    expect(out.constrained.errors.x).toBeLessThan(1e-7);
    expect(out.constrained.errors.y).toBeLessThan(1e-7);
    expect(out.plain.errors.x).toBeGreaterThan(1e-3);
    expect(out.constrained.errors.full).toBeLessThan(out.plain.errors.full + 1e-12);
    // At a snapshot time every approximation is exact.
    const exact = fokkerPlanckReducedOrder(model, initial, times, 1);
    for (const kind of ['plain', 'constrained', 'preserving'] as const) {
      expect(exact[kind].errors.full).toBeLessThan(1e-7);
    }
  });

  it('hat weights interpolate linearly and reject targets outside the snapshots', () => {
    expect(hatWeights([0, 1, 3], 2)).toEqual([0, 0.5, 0.5]);
    expect(hatWeights([0, 1, 3], 0)).toEqual([1, 0, 0]);
    expect(() => hatWeights([0, 1], 2)).toThrow(
      /targetTime: must lie within the snapshot times \[0, 1\], got 2/,
    );
  });
});

describe('Gaussian density', () => {
  it('matches the 1D formula and a product of 1D densities for diagonal covariances', () => {
    const [v] = gaussianLogDensity({ mean: [1], cov: [[4]] }, [[2]]);
    expect(v).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * 4) - 1 / 8, 14);
    const g = { mean: [0, 1], cov: diag([2, 0.5]) };
    const [joint] = gaussianLogDensity(g, [[0.3, 0.2]]);
    const [px] = gaussianLogDensity({ mean: [0], cov: [[2]] }, [[0.3]]);
    const [py] = gaussianLogDensity({ mean: [1], cov: [[0.5]] }, [[0.2]]);
    expect(joint).toBeCloseTo(px! + py!, 14);
  });
});

describe('validation (errors name the field and say how to fix it)', () => {
  it('rejects non-symmetric, non-SPD, NaN and mis-shaped Gaussians', () => {
    expect(() =>
      validateGaussian(
        {
          mean: [0, 0],
          cov: [
            [1, 0.3],
            [0, 1],
          ],
        },
        'a',
      ),
    ).toThrow(/^a\.cov: is not symmetric \(max \|S − Sᵀ\| = 0\.3\)/);
    expect(() =>
      validateGaussian(
        {
          mean: [0, 0],
          cov: [
            [1, 0],
            [0, -0.2],
          ],
        },
        'a',
      ),
    ).toThrow(
      /^a\.cov: is not positive definite: smallest eigenvalue -0\.2; add a multiple of the identity/,
    );
    expect(() =>
      validateGaussian(
        {
          mean: [0, NaN],
          cov: [
            [1, 0],
            [0, 1],
          ],
        },
        'a',
      ),
    ).toThrow(/^a\.mean\[1\]: expected a finite number, got NaN/);
    expect(() =>
      validateGaussian(
        {
          mean: [0, 0],
          cov: [
            [1, NaN],
            [NaN, 1],
          ],
        },
        'a',
      ),
    ).toThrow(/^a\.cov\[0\]\[1\]: expected a finite number/);
    expect(() => validateGaussian({ mean: [0, 0], cov: [[1]] }, 'a')).toThrow(
      /^a\.cov: expected 2 rows/,
    );
    expect(() =>
      validateGaussians(
        [
          { mean: [0], cov: [[1]] },
          { mean: [0, 0], cov: identity(2) },
        ],
        'gaussians',
      ),
    ).toThrow(/^gaussians\[1\]\.mean: expected 1 entries/);
    expect(() => validateGaussians([], 'gaussians')).toThrow(
      /^gaussians: expected a non-empty array/,
    );
    expect(() => validateSplit(3, 'nx', 3)).toThrow(/^nx: must be an integer in \[1, 2\]/);
  });

  it('rejects weights outside the simplex and renormalises accepted ones', () => {
    expect(() => validateSimplexWeights([0.5, 0.6], 'weights', 2)).toThrow(
      /^weights: weights must sum to 1, they sum to 1\.1/,
    );
    expect(() => validateSimplexWeights([1.2, -0.2], 'weights', 2)).toThrow(
      /^weights\[1\]: weights must be >= 0/,
    );
    expect(() => validateSimplexWeights([1], 'weights', 2)).toThrow(/^weights: expected 2 entries/);
    expect(validateSimplexWeights(undefined, 'weights', 4)).toEqual([0.25, 0.25, 0.25, 0.25]);
    const w = validateSimplexWeights([0.3333333, 0.3333333, 0.3333334], 'weights', 3);
    expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
  });
});

// Keeps sqrtm imported for the identity below: the BW term is tr(S1 + S2 − 2 (S1^½ S2 S1^½)^½).
describe('Bures–Wasserstein term by its definition', () => {
  it('matches an explicit evaluation', () => {
    const s1 = randomSpd(rng, 3);
    const s2 = randomSpd(rng, 3);
    const r = sqrtm(s1);
    const expected = trace(s1) + trace(s2) - 2 * trace(sqrtm(matmulAll(r, s2, r)));
    expect(
      gaussianW2({ mean: [0, 0, 0], cov: s1 }, { mean: [0, 0, 0], cov: s2 }).covarianceTerm,
    ).toBeCloseTo(expected, 13);
  });
});
