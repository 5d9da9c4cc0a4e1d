import { describe, expect, it } from 'vitest';
import {
  bumpDensity,
  monomialDensity,
  normalRadialLaw,
  ballRadialLaw,
  standardNormal,
  twoBumpsDensity,
  uniformBall,
  uniformDensity,
} from '../../src/ot/mcot/marginals';
import { gaussLegendreOn, integrateAdaptive } from '../../src/ot/mcot/quadrature';
import {
  checkRepresentability,
  coMotion,
  coMotionLevel,
  fixedCountPair,
  meanField1D,
  pairMatrix,
  radialCoMotion,
  radialPartnerRadius,
  radialSceCostN2,
  regularizedCoulomb,
  sampleCoMotions,
  sceCost1D,
  twoStateMeanField,
  twoStateOptimal,
  uniformMeanField,
  uniformSceCost,
} from '../../src/ot/mcot/sce';
import { seededRandom } from '../../src/ot/random';

const relative = (value: number, exact: number) => Math.abs(value - exact) / Math.abs(exact);

describe('1D SCE cost (seed 002, Seidl / Colombo–De Pascale–Di Marino)', () => {
  it('N = 2, uniform on [0, 1]: T swaps the halves, cost 2 (MATH.md §6)', () => {
    expect(relative(sceCost1D(uniformDensity(0, 1), 2, 0).value, 2)).toBeLessThan(1e-14);
  });

  it('N = 3, uniform: positions s, s + 1/3, s + 2/3 give 3 + 3/2 + 3 = 7.5', () => {
    expect(relative(sceCost1D(uniformDensity(0, 1), 3, 0).value, 7.5)).toBeLessThan(1e-14);
  });

  it('uniform on [a, b], any N and η: Σ_k (N − k) c_η(k(b − a)/N)', () => {
    for (const N of [2, 4, 7, 12]) {
      for (const eta of [0, 0.3]) {
        const cost = sceCost1D(uniformDensity(-1, 2), N, eta).value;
        expect(relative(cost, uniformSceCost(N, eta, 3))).toBeLessThan(1e-13);
      }
    }
    // η = 0: N(N H_{N−1} − (N − 1)) on [0, 1].
    const N = 6;
    let harmonic = 0;
    for (let k = 1; k < N; k += 1) harmonic += 1 / k;
    expect(relative(uniformSceCost(N, 0), N * (N * harmonic - (N - 1)))).toBeLessThan(1e-15);
  });

  it('N = 2, ρ = 2x on [0, 1]: 2∫₀^½ ds/(√(s + ½) − √s) = 8/3', () => {
    // Rationalising: 1/(√(s+½) − √s) = 2(√(s+½) + √s), whose integral over [0, ½] is 4/3.
    expect(relative(sceCost1D(monomialDensity(0, 1, [0, 2]), 2, 0).value, 8 / 3)).toBeLessThan(
      1e-13,
    );
  });

  it('equals the piecewise integral over all of [0, 1) split at s = k/N (no periodicity used)', () => {
    for (const [density, N, eta] of [
      [twoBumpsDensity(-1, 2, 3, 0.3), 3, 0],
      [bumpDensity(0, 1, 4), 4, 0.05],
    ] as const) {
      let total = 0;
      for (let k = 0; k < N; k += 1) {
        total += integrateAdaptive(
          (s) => {
            const x = Array.from({ length: N }, (_, i) => density.quantile(coMotionLevel(s, i, N)));
            let sum = 0;
            for (let i = 0; i < N; i += 1)
              for (let j = i + 1; j < N; j += 1) sum += regularizedCoulomb(x[i]! - x[j]!, eta);
            return sum;
          },
          k / N,
          (k + 1) / N,
          { tolerance: 1e-10 },
        ).value;
      }
      expect(relative(sceCost1D(density, N, eta).value, total)).toBeLessThan(1e-10);
    }
  });

  it('cost per pair stays below the mean field and increases towards it (uniform, η = 0.1)', () => {
    const limit = uniformMeanField(0.1);
    let previous = 0;
    for (const N of [2, 4, 8, 16, 32, 64]) {
      const perPair = sceCost1D(uniformDensity(0, 1), N, 0.1).costPerPair;
      expect(perPair).toBeGreaterThan(previous);
      expect(perPair).toBeLessThan(limit);
      previous = perPair;
    }
    expect(relative(previous, limit)).toBeLessThan(0.05);
  });

  it('rejects bad N and η', () => {
    expect(() => sceCost1D(uniformDensity(0, 1), 1, 0)).toThrow(/N must/);
    expect(() => sceCost1D(uniformDensity(0, 1), 3, -1)).toThrow(/eta/);
  });
});

describe('co-motion functions', () => {
  const density = twoBumpsDensity(0, 1, 2, 0.4);

  it('T_i = T^i, T^N = Id, and T shifts F by 1/N mod 1', () => {
    const N = 5;
    for (const x of [0.05, 0.31, 0.52, 0.77, 0.96]) {
      let y = x;
      for (let i = 1; i <= N; i += 1) {
        y = coMotion(density, N, 1, y);
        if (i < N) expect(Math.abs(y - coMotion(density, N, i, x))).toBeLessThan(1e-12);
        const shifted = (density.cdf(x) + i / N) % 1;
        expect(Math.abs(density.cdf(y) - shifted) % 1).toBeLessThan(1e-12);
      }
      expect(Math.abs(y - x)).toBeLessThan(1e-12);
    }
    expect(() => coMotion(density, N, N, 0.5)).toThrow(/index/);
  });

  it('T pushes ρ forward to ρ (Kolmogorov distance of 5000 samples)', () => {
    const n = 5000;
    const images = Array.from(density.sample(n, 4), (x) => coMotion(density, 3, 1, x)).sort(
      (a, b) => a - b,
    );
    let distance = 0;
    images.forEach(
      (y, i) => (distance = Math.max(distance, Math.abs(density.cdf(y) - (i + 0.5) / n))),
    );
    expect(distance).toBeLessThan(1.63 / Math.sqrt(n));
  });

  it('samples the maps on the level grid: maps[0] = x = F^{-1}(s), maps[i] = T_i(x)', () => {
    const { s, x, maps } = sampleCoMotions(density, 3, 40);
    expect(maps).toHaveLength(3);
    expect(maps[0]).toBe(x);
    s.forEach((level, j) => {
      expect(level).toBeCloseTo((j + 0.5) / 40, 15);
      expect(Math.abs(maps[2]![j]! - coMotion(density, 3, 2, x[j]!))).toBeLessThan(1e-12);
    });
    for (let j = 1; j < 40; j += 1) expect(x[j]!).toBeGreaterThan(x[j - 1]!);
  });
});

describe('mean-field value ∫∫ c_η ρ⊗ρ', () => {
  it('uniform on [0, 1]: 2(asinh(1/η) − √(1 + η²) + η), down to η = 1e-9', () => {
    for (const eta of [1, 0.1, 1e-3, 1e-9]) {
      expect(
        relative(meanField1D(uniformDensity(0, 1), eta).value, uniformMeanField(eta)),
      ).toBeLessThan(1e-12);
    }
    expect(meanField1D(uniformDensity(0, 1), 0).value).toBe(Infinity);
  });

  it('bump density, η = 0.5: equals a 120 × 120 tensor Gauss–Legendre rule', () => {
    const density = bumpDensity(-1, 1, 3);
    const rule = gaussLegendreOn(120, -1, 1);
    let tensor = 0;
    rule.nodes.forEach((x, i) => {
      rule.nodes.forEach((y, j) => {
        tensor +=
          rule.weights[i]! *
          rule.weights[j]! *
          density.pdf(x) *
          density.pdf(y) *
          regularizedCoulomb(x - y, 0.5);
      });
    });
    expect(relative(meanField1D(density, 0.5).value, tensor)).toBeLessThan(1e-12);
  });
});

describe('N = 2 radial map in 3D (seed 002)', () => {
  it('ball: g(r) = (1 − r³)^{1/3}; normal: mass balance; both involutions', () => {
    const ball = ballRadialLaw(1);
    const normal = normalRadialLaw(1);
    for (const r of [0.01, 0.2, 0.5, 0.79, 0.99]) {
      expect(Math.abs(radialPartnerRadius(ball, r) - Math.cbrt(1 - r ** 3))).toBeLessThan(1e-15);
    }
    for (const r of [1e-3, 0.4, 1, 1.54, 2.5, 4, 7]) {
      const g = radialPartnerRadius(normal, r);
      // R(g) = 1 − R(r), on the accurate side of each.
      const balance =
        r < 1.54
          ? relative(normal.survival(g), normal.cdf(r))
          : relative(normal.cdf(g), normal.survival(r));
      expect(balance).toBeLessThan(1e-13);
      expect(relative(radialPartnerRadius(normal, g), r)).toBeLessThan(1e-13);
    }
  });

  it('T(x) = −(x/|x|) g(|x|) is antiparallel, T∘T = Id, and pushes N(0, I) to itself', () => {
    const law = normalRadialLaw(1);
    const n = 5000;
    const samples = standardNormal().sample(n, 17);
    const radii: number[] = [];
    for (let s = 0; s < n; s += 1) {
      const x = samples.subarray(3 * s, 3 * s + 3);
      const y = radialCoMotion(law, x);
      const back = radialCoMotion(law, y);
      const dot = x[0]! * y[0] + x[1]! * y[1] + x[2]! * y[2];
      expect(dot).toBeLessThan(0);
      expect(Math.hypot(back[0] - x[0]!, back[1] - x[1]!, back[2] - x[2]!)).toBeLessThan(1e-12);
      radii.push(Math.hypot(...y));
    }
    radii.sort((a, b) => a - b);
    let distance = 0;
    radii.forEach((r, i) => (distance = Math.max(distance, Math.abs(law.cdf(r) - (i + 0.5) / n))));
    expect(distance).toBeLessThan(1.63 / Math.sqrt(n));
    expect(() => radialCoMotion(law, [0, 0, 0])).toThrow(/origin/);
  });

  it('N = 2 radial cost agrees with Monte Carlo E c(|X| + g(|X|)) (ball and normal)', () => {
    for (const [marginal, law] of [
      [uniformBall(), ballRadialLaw(1)],
      [standardNormal(), normalRadialLaw(1)],
    ] as const) {
      const exact = radialSceCostN2(law, 0).value;
      const n = 20_000;
      const samples = marginal.sample(n, 5);
      let sum = 0;
      let sumSquares = 0;
      for (let s = 0; s < n; s += 1) {
        const r = Math.hypot(samples[3 * s]!, samples[3 * s + 1]!, samples[3 * s + 2]!);
        const c = 1 / (r + radialPartnerRadius(law, r));
        sum += c;
        sumSquares += c * c;
      }
      const mean = sum / n;
      const standardError = Math.sqrt((sumSquares / n - mean * mean) / n);
      expect(Math.abs(mean - exact)).toBeLessThan(5 * standardError);
    }
  });
});

describe('two-state toy model (seed 002)', () => {
  const models = [
    { uDiag: 1, uAB: 0, t: 0.5 },
    { uDiag: 1, uAB: 0.2, t: 0.3 },
    { uDiag: 2.5, uAB: -1, t: 0.77 },
  ];

  it('the LP optimum mixes the two particle counts around kt (concavity of j(k − j))', () => {
    for (const model of models) {
      for (const k of [2, 3, 4, 7, 10, 33]) {
        const solution = twoStateOptimal(model, k);
        const low = Math.floor(k * model.t);
        const theta = k * model.t - low;
        const high = Math.min(low + 1, k);
        const blend = (f: (j: number) => number) => (1 - theta) * f(low) + theta * f(high);
        const mixed = blend((j) => (2 * j * (k - j)) / (k * (k - 1)));
        const expected = model.uDiag * (1 - mixed) + model.uAB * mixed;
        expect(Math.abs(solution.costPerPair - expected)).toBeLessThan(1e-14);
        // The one-body marginal is ρ: P(first = B) = t.
        expect(Math.abs(solution.pair.BA + solution.pair.BB - model.t)).toBeLessThan(1e-14);
        expect(Math.abs(solution.pair.AA + solution.pair.AB - (1 - model.t))).toBeLessThan(1e-14);
        expect(solution.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 15);
      }
    }
  });

  it('no other feasible mixture is cheaper (random feasible weights)', () => {
    const random = seededRandom(3);
    const model = models[1]!;
    const k = 6;
    const optimum = twoStateOptimal(model, k).costPerPair;
    for (let trial = 0; trial < 200; trial += 1) {
      // Two random counts bracketing kt, weighted to meet the marginal.
      const i = Math.floor(random() * (Math.floor(k * model.t) + 1));
      const l = Math.ceil(k * model.t) + Math.floor(random() * (k - Math.ceil(k * model.t) + 1));
      if (l === i) continue;
      const wl = (k * model.t - i) / (l - i);
      const cost =
        (1 - wl) *
          (model.uDiag * (1 - 2 * fixedCountPair(k, i).AB) +
            model.uAB * 2 * fixedCountPair(k, i).AB) +
        wl *
          (model.uDiag * (1 - 2 * fixedCountPair(k, l).AB) +
            model.uAB * 2 * fixedCountPair(k, l).AB);
      expect(cost).toBeGreaterThanOrEqual(optimum - 1e-14);
    }
  });

  it('cost per pair increases with k to the mean field uDiag((1−t)² + t²) + 2uAB t(1−t)', () => {
    for (const model of models) {
      const limit = twoStateMeanField(model);
      let previous = -Infinity;
      for (const k of [2, 3, 5, 10, 50, 200, 1000]) {
        const cost = twoStateOptimal(model, k).costPerPair;
        expect(cost).toBeGreaterThanOrEqual(previous - 1e-14);
        expect(cost).toBeLessThanOrEqual(limit + 1e-14);
        previous = cost;
      }
      expect(limit - previous).toBeLessThan((2 * (model.uDiag - model.uAB)) / 999);
    }
    expect(() => twoStateOptimal({ uDiag: 0, uAB: 1, t: 0.5 }, 3)).toThrow(/uDiag > uAB/);
  });
});

describe('N-representability inequality (seed 002)', () => {
  it('the pair density ½(δ_AB + δ_BA) violates it (2-representable, not 3-representable)', () => {
    const check = checkRepresentability([
      [0, 0.5],
      [0.5, 0],
    ]);
    expect(check.satisfied).toBe(false);
    expect(check.maxViolation).toBeCloseTo(1, 15);
    expect(check.worstSubset).toEqual([0]);
    // It is the optimal 2-representable pair of the toy model at t = ½.
    expect(
      checkRepresentability(pairMatrix(twoStateOptimal({ uDiag: 1, uAB: 0, t: 0.5 }, 2).pair))
        .satisfied,
    ).toBe(false);
  });

  it('k-representable optima (k ≥ 3) satisfy it, k = 3 at t = ½ with equality', () => {
    const random = seededRandom(8);
    for (let trial = 0; trial < 50; trial += 1) {
      const model = { uDiag: 1, uAB: random() - 0.5, t: random() };
      const k = 3 + Math.floor(random() * 20);
      expect(checkRepresentability(pairMatrix(twoStateOptimal(model, k).pair)).satisfied).toBe(
        true,
      );
    }
    const tight = checkRepresentability(
      pairMatrix(twoStateOptimal({ uDiag: 1, uAB: 0, t: 0.5 }, 3).pair),
    );
    expect(Math.abs(tight.maxViolation)).toBeLessThan(1e-15);
  });

  it('pair marginals of random symmetric 3-particle measures on 4 states satisfy it', () => {
    const random = seededRandom(21);
    const n = 4;
    for (let trial = 0; trial < 30; trial += 1) {
      const p3 = Array.from({ length: n ** 3 }, () => random() ** 4);
      const pair = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      let total = 0;
      for (let a = 0; a < n; a += 1)
        for (let b = 0; b < n; b += 1)
          for (let c = 0; c < n; c += 1) {
            // Symmetrise: average over the 6 permutations of (a, b, c), then marginalise c.
            const perms = [
              [a, b, c],
              [a, c, b],
              [b, a, c],
              [b, c, a],
              [c, a, b],
              [c, b, a],
            ];
            const mass = perms.reduce((s, [x, y, z]) => s + p3[x! * n * n + y! * n + z!]!, 0) / 6;
            pair[a]![b]! += mass;
            total += mass;
          }
      const normalised = pair.map((row) => row.map((v) => v / total));
      expect(checkRepresentability(normalised).satisfied).toBe(true);
    }
    expect(() => checkRepresentability([[1, 0]])).toThrow(/row 0/);
  });
});
