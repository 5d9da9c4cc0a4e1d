import { describe, expect, it } from 'vitest';
import {
  anisotropicNormal,
  ballMonomialIntegral,
  bumpDensity,
  erf,
  erfc,
  gaussianHermiteMoment,
  gaussianMixture,
  momentTargets,
  monomialDensity,
  normalRadialLaw,
  parseDensity1D,
  parseMarginal3D,
  rotationMatrix,
  ruleMoments,
  standardNormal,
  twoBumpsDensity,
  uniformBall,
  uniformDensity,
  uniformStream,
  type Density1D,
  type Marginal,
} from '../../src/ot/mcot/marginals';
import { gaussHermite, integrateAdaptive } from '../../src/ot/mcot/quadrature';
import {
  createEvaluator,
  hermiteAxes,
  hyperbolicCrossSet,
  legendreSet1D,
  meanCovarianceSet,
  type TestFunctionSet,
} from '../../src/ot/mcot/testFunctions';
import { InputError } from '../../src/ot/validate';

const relative = (value: number, exact: number) => Math.abs(value - exact) / Math.abs(exact);

/**
 * Monte Carlo check: every sample mean of φ_m lies within `z` standard errors of the exact moment
 * (standard errors from the sample variance). With ~50 functions, z = 5 fails by chance < 1e-4.
 */
function expectMonteCarlo(
  set: TestFunctionSet,
  marginal: Marginal,
  exact: Float64Array,
  count = 40_000,
  z = 5,
) {
  const samples = marginal.sample(count, 2024);
  const evaluate = createEvaluator(set);
  const values = new Float64Array(set.count);
  const sum = new Float64Array(set.count);
  const sumSquares = new Float64Array(set.count);
  for (let s = 0; s < count; s += 1) {
    evaluate(samples, s * set.dimension, values, 0);
    values.forEach((v, m) => {
      sum[m]! += v;
      sumSquares[m]! += v * v;
    });
  }
  for (let m = 0; m < set.count; m += 1) {
    const mean = sum[m]! / count;
    const standardError = Math.sqrt(Math.max(sumSquares[m]! / count - mean * mean, 0) / count);
    expect(Math.abs(mean - exact[m]!)).toBeLessThanOrEqual(z * standardError + 1e-12);
  }
}

describe('random streams', () => {
  it('uniforms are in (0, 1), reproducible, and streams differ', () => {
    const first = uniformStream(7);
    const again = uniformStream(7);
    const other = uniformStream(7, 2);
    let mean = 0;
    let failures = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const u = first();
      if (!(u > 0 && u < 1) || again() !== u || other() === u) failures += 1;
      mean += u / 10_000;
    }
    expect(failures).toBe(0);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / 10_000));
  });
});

describe('erf, erfc', () => {
  // [x, erf(x), erfc(x)] from mpmath (30 digits).
  const table: [number, number, number][] = [
    [-2.5, -0.999593047982555, 1.999593047982555],
    [-0.3, -0.3286267594591274, 1.3286267594591274],
    [0, 0.0, 1.0],
    [1e-8, 1.1283791670955126e-8, 0.9999999887162083],
    [0.2, 0.22270258921047847, 0.7772974107895215],
    [0.9, 0.7969082124228322, 0.20309178757716786],
    [1.4999, 0.9660932516622953, 0.03390674833770473],
    [1.5, 0.9661051464753108, 0.033894853524689274],
    [1.9999, 0.9953201979070294, 0.004679802092970608],
    [2, 0.9953222650189527, 0.004677734981047266],
    [2.7, 0.9998656672600594, 0.0001343327399405242],
    [4, 0.9999999845827421, 1.541725790028002e-8],
    [6.5, 1.0, 3.8421483271206475e-20],
    [10, 1.0, 2.088487583762545e-45],
    [20, 1.0, 5.395865611607901e-176],
    [26.5, 1.0, 2.2109076642637343e-307],
  ];
  it('match 30-digit references (erf relative 1e-15, erfc relative 1e-14)', () => {
    for (const [x, e, c] of table) {
      expect(x === 0 ? Math.abs(erf(x)) : relative(erf(x), e)).toBeLessThan(1e-15);
      expect(relative(erfc(x), c)).toBeLessThan(1e-14);
    }
  });
});

/** Legendre moments from raw monomial moments E u^k (coefficients of P_m by recurrence). */
function legendreFromMonomials(rawMoments: (k: number) => number, M: number): number[] {
  let previous = [1];
  let current = [0, 1];
  const moments = [1];
  for (let m = 1; m <= M; m += 1) {
    moments.push(Math.sqrt(2 * m + 1) * current.reduce((s, c, k) => s + c * rawMoments(k), 0));
    const next = new Array<number>(m + 2).fill(0);
    current.forEach((c, k) => (next[k + 1]! += ((2 * m + 1) * c) / (m + 1)));
    previous.forEach((c, k) => (next[k]! -= (m * c) / (m + 1)));
    [previous, current] = [current, next];
  }
  return moments.slice(1);
}

describe('1D polynomial densities', () => {
  const densities: Density1D[] = [
    uniformDensity(-1, 3),
    bumpDensity(0, 1, 4),
    twoBumpsDensity(-2, 1, 3, -0.8),
    monomialDensity(0, 2, [0.5, 0, 1, -0.3]),
  ];

  it('closed-form Legendre moments equal the exact Gauss–Legendre rule, for M = 30', () => {
    for (const density of densities) {
      const set = legendreSet1D(30, density.a, density.b);
      const closed = density.closedFormMoments!(set)!;
      const rule = ruleMoments(set, density.exactRule(set.totalDegree));
      closed.forEach((c, m) => {
        expect(Math.abs(c - rule[m]!)).toBeLessThan(2e-15);
      });
      expect(momentTargets(set, density)).toEqual(closed);
    }
  });

  it('bump moments equal the Beta closed form E u^{2k} = Π_{j<k} (2j+1)/(2j+2p+3)', () => {
    const p = 4;
    const raw = (k: number) => {
      if (k % 2 === 1) return 0;
      let product = 1;
      for (let j = 0; j < k / 2; j += 1) product *= (2 * j + 1) / (2 * j + 2 * p + 3);
      return product;
    };
    const expected = legendreFromMonomials(raw, 12);
    const closed = momentTargets(legendreSet1D(12, -1, 1), bumpDensity(-1, 1, p));
    expected.forEach((e, m) => {
      expect(Math.abs(closed[m]! - e)).toBeLessThan(1e-13);
    });
    expect(closed[8]).toBe(0); // degree 9 > 2p: orthogonal to the density
  });

  it('moments agree with Monte Carlo within 5 standard errors', () => {
    for (const density of densities) {
      const set = legendreSet1D(8, density.a, density.b);
      expectMonteCarlo(set, density, momentTargets(set, density), 10_000);
    }
  });

  it('cdf, quantile and pdf are consistent; the pdf integrates to 1', () => {
    for (const density of densities) {
      for (let j = 1; j < 50; j += 1) {
        const s = j / 50;
        expect(Math.abs(density.cdf(density.quantile(s)) - s)).toBeLessThan(1e-14);
        const x = density.a + (j / 50) * (density.b - density.a);
        const fromPdf = integrateAdaptive((y) => density.pdf(y), density.a, x).value;
        expect(Math.abs(density.cdf(x) - fromPdf)).toBeLessThan(1e-13);
      }
      expect(density.cdf(density.a - 1)).toBe(0);
      expect(density.cdf(density.b + 1)).toBe(1);
      expect(density.quantile(0)).toBe(density.a);
      expect(density.quantile(1)).toBe(density.b);
      expect(() => density.quantile(1.5)).toThrow(RangeError);
    }
  });

  it('ρ(x) = 2x on [0, 1]: F = x², F^{-1} = √s; two bumps vanish at the gap', () => {
    const linear = monomialDensity(0, 1, [0, 2]);
    for (const x of [0.1, 0.5, 0.93]) {
      expect(linear.cdf(x)).toBeCloseTo(x * x, 15);
      expect(linear.pdf(x)).toBeCloseTo(2 * x, 14);
      expect(Math.abs(linear.quantile(x) - Math.sqrt(x))).toBeLessThan(1e-15);
    }
    expect(twoBumpsDensity(0, 1, 2, 0.3).pdf(0.3)).toBeLessThan(1e-15);
  });

  it('rejects densities that are negative somewhere', () => {
    expect(() => monomialDensity(0, 1, [1, -3])).toThrow(/negative/);
    expect(() => monomialDensity(-1, 1, [0, 1])).toThrow(/negative/);
    expect(() => uniformDensity(1, 1)).toThrow(/a < b/);
  });
});

describe('Gaussian moments', () => {
  it('E He_n(m + sZ) closed form: n = 2 is m² + s² − 1, and it matches Gauss–Hermite to n = 30', () => {
    expect(gaussianHermiteMoment(2, 0.7, 1.3) * Math.SQRT2).toBeCloseTo(0.49 + 1.69 - 1, 14);
    const rule = gaussHermite(40);
    for (const [m, s] of [
      [0, 1],
      [0.8, 0.6],
      [-1.5, 2.1],
    ] as const) {
      for (let n = 0; n <= 30; n += 1) {
        let viaRule = 0;
        const values = new Float64Array(n + 1);
        rule.nodes.forEach((z, i) => {
          // h_n(m + s z) by the orthonormal recurrence.
          let [previous, current] = [0, 1];
          for (let k = 0; k < n; k += 1)
            [previous, current] = [
              current,
              ((m + s * z) * current - Math.sqrt(k) * previous) / Math.sqrt(k + 1),
            ];
          values[n] = current;
          viaRule += rule.weights[i]! * current;
        });
        const closed = gaussianHermiteMoment(n, m, s);
        expect(Math.abs(closed - viaRule)).toBeLessThan(1e-12 * Math.max(1, Math.abs(closed)));
      }
    }
    expect(gaussianHermiteMoment(5, 0, 1)).toBe(0); // standard normal: E h_n = δ_n0
  });

  const mixture = gaussianMixture([
    {
      weight: 0.5,
      mean: [-1, 0.2, 0],
      covariance: [
        [0.5, 0, 0],
        [0, 1.2, 0],
        [0, 0, 0.8],
      ],
    },
    {
      weight: 0.3,
      mean: [1.5, -0.4, 0.3],
      covariance: [
        [0.3, 0, 0],
        [0, 0.3, 0],
        [0, 0, 0.3],
      ],
    },
    {
      weight: 0.2,
      mean: [0, 1, -1],
      covariance: [
        [1, 0, 0],
        [0, 0.4, 0],
        [0, 0, 1.5],
      ],
    },
  ]);

  it('axis-aligned mixture: closed form equals the tensor Gauss–Hermite rule on H_11', () => {
    for (const axes of [hermiteAxes(), hermiteAxes([0.2, -0.1, 0.4], 1.4)]) {
      const set = hyperbolicCrossSet(11, axes);
      const closed = mixture.closedFormMoments!(set)!;
      const rule = ruleMoments(set, mixture.exactRule(set.totalDegree));
      closed.forEach((c, m) => {
        expect(Math.abs(c - rule[m]!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(c)));
      });
    }
  });

  it('mixture and rotated normal: moments agree with Monte Carlo', () => {
    const rotated = anisotropicNormal(
      [1.5, 0.7, 0.4],
      [0.3, 0, -0.2],
      rotationMatrix([1, 1, 0], 0.6),
    );
    for (const marginal of [mixture, rotated, standardNormal()]) {
      const set = hyperbolicCrossSet(7, hermiteAxes());
      expectMonteCarlo(set, marginal, momentTargets(set, marginal));
    }
    expect(rotated.closedFormMoments!(hyperbolicCrossSet(6, hermiteAxes()))).toBeUndefined();
  });

  it('mean–covariance moments are m and S + m mᵀ (rotated normal, through the exact rule)', () => {
    const R = rotationMatrix([0.2, 1, 0.5], 1.1);
    const sd = [1.5, 0.7, 0.4];
    const mean = [0.3, 0, -0.2];
    const moments = momentTargets(meanCovarianceSet(), anisotropicNormal(sd, mean, R));
    const S = (i: number, j: number) =>
      [0, 1, 2].reduce((s, k) => s + R[i]![k]! * sd[k]! ** 2 * R[j]![k]!, 0);
    const expected = [mean[0]!, mean[1]!, mean[2]!];
    for (let i = 0; i < 3; i += 1)
      for (let j = i; j < 3; j += 1) expected.push(S(i, j) + mean[i]! * mean[j]!);
    expected.forEach((e, m) => {
      expect(Math.abs(moments[m]! - e)).toBeLessThan(1e-14);
    });
  });

  it('density of N(0, I) and of a mixture: closed form and integral 1 by the rule', () => {
    const normal = standardNormal();
    const x = [0.3, -1.2, 0.5];
    const r2 = x.reduce((s, v) => s + v * v, 0);
    expect(normal.density(x)).toBeCloseTo(Math.exp(-r2 / 2) / (2 * Math.PI) ** 1.5, 15);
    expect(mixture.exactRule(4).weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
  });
});

describe('uniform law on a ball', () => {
  it('Gamma closed form: ∫_B 1 = 4π/3, ∫_B x² = 4π/15, ∫_B x²y²z² = 4π/945', () => {
    expect(ballMonomialIntegral([0, 0, 0])).toBeCloseTo((4 * Math.PI) / 3, 14);
    expect(ballMonomialIntegral([2, 0, 0])).toBeCloseTo((4 * Math.PI) / 15, 14);
    expect(ballMonomialIntegral([2, 2, 2])).toBeCloseTo((4 * Math.PI) / 945, 15);
    expect(ballMonomialIntegral([1, 2, 0])).toBe(0);
  });

  it('the exact rule integrates every monomial of degree ≤ 12 like the Gamma formula', () => {
    const ball = uniformBall();
    const rule = ball.exactRule(12);
    const volume = (4 * Math.PI) / 3;
    for (let a = 0; a <= 12; a += 1)
      for (let b = 0; a + b <= 12; b += 1)
        for (let c = 0; a + b + c <= 12; c += 1) {
          let sum = 0;
          rule.weights.forEach((w, q) => {
            sum +=
              w *
              rule.points[3 * q]! ** a *
              rule.points[3 * q + 1]! ** b *
              rule.points[3 * q + 2]! ** c;
          });
          expect(Math.abs(sum - ballMonomialIntegral([a, b, c]) / volume)).toBeLessThan(1e-14);
        }
  });

  it('Hermite moments on the unit ball equal their monomial expansion (Gamma formula)', () => {
    const set = hyperbolicCrossSet(9, hermiteAxes());
    const moments = momentTargets(set, uniformBall());
    // Coefficients of h_n = He_n/√n! in powers of x: He_{n+1} = x He_n − n He_{n−1}.
    const coefficients: number[][] = [[1], [0, 1]];
    for (let n = 1; n < 10; n += 1) {
      const next = new Array<number>(n + 2).fill(0);
      coefficients[n]!.forEach((c, k) => (next[k + 1]! += c));
      coefficients[n - 1]!.forEach((c, k) => (next[k]! -= n * c));
      coefficients.push(next);
    }
    const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
    for (let m = 0; m < set.count; m += 1) {
      const alpha = Array.from(set.indices.subarray(3 * m, 3 * m + 3));
      let expected = 0;
      coefficients[alpha[0]!]!.forEach((c0, i) => {
        coefficients[alpha[1]!]!.forEach((c1, j) => {
          coefficients[alpha[2]!]!.forEach((c2, k) => {
            expected += c0 * c1 * c2 * ballMonomialIntegral([i, j, k]);
          });
        });
      });
      expected /= (4 * Math.PI) / 3;
      expected /= Math.sqrt(factorial(alpha[0]!) * factorial(alpha[1]!) * factorial(alpha[2]!));
      expect(Math.abs(moments[m]! - expected)).toBeLessThan(1e-14);
    }
  });

  it('shifted ball: Monte Carlo and the mean–covariance closed form c, c cᵀ + R²/5 I', () => {
    const center = [0.5, -0.2, 1];
    const ball = uniformBall(center, 1.7);
    const set = hyperbolicCrossSet(8, hermiteAxes([0.5, 0, 0.5], 1.2));
    expectMonteCarlo(set, ball, momentTargets(set, ball));
    const meanCov = momentTargets(meanCovarianceSet(), ball);
    const expected = [...center];
    for (let i = 0; i < 3; i += 1)
      for (let j = i; j < 3; j += 1)
        expected.push(center[i]! * center[j]! + (i === j ? 1.7 ** 2 / 5 : 0));
    expected.forEach((e, m) => {
      expect(Math.abs(meanCov[m]! - e)).toBeLessThan(1e-14);
    });
    const samples = ball.sample(1000, 3);
    for (let s = 0; s < 1000; s += 1) expect(ball.density(samples, 3 * s)).toBeGreaterThan(0);
  });
});

describe('radial laws', () => {
  it('χ₃ CDF and survival match 40-digit references', () => {
    const law = normalRadialLaw(1);
    const table = [
      [0.001, 2.659614404791799e-10, 0.9999999997340385],
      [0.3, 0.006990155101590823, 0.9930098448984092],
      [1, 0.1987480430987992, 0.8012519569012008],
      [1.5, 0.4778328104646087, 0.5221671895353913],
      [2.2, 0.8161048964495845, 0.18389510355041547],
      [5, 0.999984559501709, 1.5440498291101365e-5],
      [9, 1.0, 1.8729310110194814e-17],
    ] as const;
    for (const [r, cdf, survival] of table) {
      expect(relative(law.cdf(r), cdf)).toBeLessThan(1e-14);
      expect(relative(law.survival(r), survival)).toBeLessThan(1e-14);
      // Each inverse on its well-conditioned side (as radialPartnerRadius uses them).
      if (cdf <= 0.5) expect(relative(law.quantile(law.cdf(r)), r)).toBeLessThan(1e-14);
      else expect(relative(law.survivalQuantile(law.survival(r)), r)).toBeLessThan(1e-14);
    }
    expect(standardNormal().radialLaw?.()).toBeDefined();
    expect(uniformBall([1, 0, 0]).radialLaw?.()).toBeUndefined();
  });

  it('the normal radial law is the law of |X| (Kolmogorov distance of 20 000 samples)', () => {
    const samples = standardNormal().sample(20_000, 9);
    const radii = Array.from({ length: 20_000 }, (_, s) =>
      Math.hypot(samples[3 * s]!, samples[3 * s + 1]!, samples[3 * s + 2]!),
    ).sort((a, b) => a - b);
    const law = normalRadialLaw(1);
    let distance = 0;
    radii.forEach(
      (r, i) => (distance = Math.max(distance, Math.abs(law.cdf(r) - (i + 0.5) / 20_000))),
    );
    expect(distance).toBeLessThan(1.63 / Math.sqrt(20_000)); // 1% Kolmogorov quantile
  });
});

describe('JSON specs', () => {
  const fieldOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof InputError) return error.field;
      throw error;
    }
    throw new Error('expected an InputError');
  };

  it('parse valid specs and name the bad field otherwise', () => {
    expect(parseDensity1D({ kind: 'bump', a: -1, b: 1, power: 3 }, 'density').label).toMatch(
      /bump/,
    );
    expect(parseMarginal3D({ kind: 'ball', radius: 2 }, 'marginal').dimension).toBe(3);
    const mixture = parseMarginal3D(
      { kind: 'gaussianMixture', components: [{ weight: 1, mean: [0, 0, 0], sd: [1, 2, 3] }] },
      'm',
    );
    expect(mixture.closedFormMoments!(hyperbolicCrossSet(6, hermiteAxes()))).toBeDefined();
    expect(fieldOf(() => parseDensity1D({ kind: 'bump', power: 1.5 }, 'density'))).toBe(
      'density.power',
    );
    expect(fieldOf(() => parseDensity1D({ kind: 'polynomial', coefficients: [-1] }, 'd'))).toBe(
      'd.coefficients',
    );
    expect(fieldOf(() => parseMarginal3D({ kind: 'normal', sd: [1, -1, 1] }, 'm'))).toBe('m.sd[1]');
    expect(
      fieldOf(() =>
        parseMarginal3D(
          {
            kind: 'normal',
            rotation: [
              [1, 0, 0],
              [0, 1, 0],
              [0, 1, 1],
            ],
          },
          'm',
        ),
      ),
    ).toBe('m.rotation');
    expect(
      fieldOf(() =>
        parseMarginal3D(
          {
            kind: 'gaussianMixture',
            components: [
              {
                weight: 1,
                mean: [0, 0, 0],
                covariance: [
                  [1, 2, 0],
                  [2, 1, 0],
                  [0, 0, 1],
                ],
              },
            ],
          },
          'm',
        ),
      ),
    ).toBe('m.components[0].covariance');
    expect(fieldOf(() => parseMarginal3D({ kind: 'cube' }, 'm'))).toBe('m.kind');
  });

  it('momentTargets refuses a set of the wrong dimension', () => {
    expect(() => momentTargets(legendreSet1D(3, 0, 1), standardNormal())).toThrow(/3D/);
  });
});
