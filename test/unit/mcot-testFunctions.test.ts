import { describe, expect, it } from 'vitest';
import { legendreAll } from '../../src/ot/mcot/polynomials';
import { standardNormal, ruleMoments } from '../../src/ot/mcot/marginals';
import {
  createEvaluator,
  evaluateTestFunctions,
  hermiteAxes,
  hyperbolicCross,
  hyperbolicCrossSet,
  legendreSet1D,
  meanCovarianceSet,
  tensorSet,
} from '../../src/ot/mcot/testFunctions';
import { seededRandom } from '../../src/ot/random';

const rows = (indices: Uint32Array, d: number) =>
  Array.from({ length: indices.length / d }, (_, m) =>
    Array.from(indices.subarray(m * d, m * d + d)),
  );

describe('hyperbolic cross H_D (seed 003, Table 1)', () => {
  it('has exactly the Table 1 sizes 28, 38, 44, 53, 56, 74 for D = 6..11, α = 0 included', () => {
    expect([6, 7, 8, 9, 10, 11].map((D) => hyperbolicCross(D).length)).toEqual([
      28, 38, 44, 53, 56, 74,
    ]);
  });

  it('fixed-weight sets drop the constant: M = |H_D| − 1 (seed 003: "decreased by 1")', () => {
    expect(hyperbolicCrossSet(6, hermiteAxes()).count).toBe(27);
    expect(hyperbolicCrossSet(11, hermiteAxes(), { includeConstant: true }).count).toBe(74);
  });

  it('is exactly {α : Π(α_i + 1) ≤ D + 1}, by degree then descending lexicographic order', () => {
    const D = 9;
    const set = hyperbolicCross(D);
    const brute: string[] = [];
    for (let a = 0; a <= D; a += 1)
      for (let b = 0; b <= D; b += 1)
        for (let c = 0; c <= D; c += 1)
          if ((a + 1) * (b + 1) * (c + 1) <= D + 1) brute.push(`${a},${b},${c}`);
    expect(set.map((alpha) => alpha.join(',')).sort()).toEqual(brute.sort());
    const total = (alpha: number[]) => alpha[0]! + alpha[1]! + alpha[2]!;
    for (let m = 1; m < set.length; m += 1) {
      const [previous, current] = [set[m - 1]!, set[m]!];
      expect(total(previous)).toBeLessThanOrEqual(total(current));
      if (total(previous) === total(current))
        expect(previous.join(',') > current.join(',')).toBe(true);
    }
    expect(set[0]).toEqual([0, 0, 0]);
    expect(set.slice(1, 4)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });
});

describe('tensor-product evaluation', () => {
  it('values are products of 1D bases; gradients match central differences', () => {
    const set = hyperbolicCrossSet(8, hermiteAxes([0.1, -0.2, 0.3], 1.3));
    const random = seededRandom(11);
    const x = [random() - 0.5, random() - 0.5, random() - 0.5];
    const { values, gradients } = evaluateTestFunctions(set, x);
    const h = 1e-6;
    for (let k = 0; k < 3; k += 1) {
      const plus = [...x];
      const minus = [...x];
      plus[k]! += h;
      minus[k]! -= h;
      const vp = evaluateTestFunctions(set, plus).values;
      const vm = evaluateTestFunctions(set, minus).values;
      for (let m = 0; m < set.count; m += 1) {
        const numeric = (vp[m]! - vm[m]!) / (2 * h);
        expect(Math.abs(gradients[m * 3 + k]! - numeric)).toBeLessThan(
          1e-7 * (1 + Math.abs(numeric)),
        );
      }
    }
    // A factor that vanishes must not break the gradient (no division by the product).
    const atZero = evaluateTestFunctions(hyperbolicCrossSet(6, hermiteAxes()), [0, 0.5, 0.5]);
    expect(atZero.gradients.every(Number.isFinite)).toBe(true);
    expect(values.length).toBe(set.count);
  });

  it('the evaluator honours offsets and does not touch other entries', () => {
    const set = legendreSet1D(4, 0, 2);
    const evaluate = createEvaluator(set);
    const values = new Float64Array(10).fill(9);
    const gradients = new Float64Array(10).fill(9);
    evaluate([5, 1.5], 1, values, 3, gradients, 2);
    const P = new Float64Array(5);
    legendreAll(0.5, 4, P);
    expect(values[2]).toBe(9);
    expect(values[7]).toBe(9);
    for (let m = 1; m <= 4; m += 1)
      expect(values[2 + m]).toBeCloseTo(Math.sqrt(2 * m + 1) * P[m]!, 14);
    expect(gradients[1]).toBe(9);
    expect(gradients[6]).toBe(9);
  });

  it('3D Hermite tensor set is orthonormal under N(0, I) (exact rule)', () => {
    const set = hyperbolicCrossSet(7, hermiteAxes(), { includeConstant: true });
    const rule = standardNormal().exactRule(2 * set.totalDegree);
    // Products φ_j φ_k as a set of their own is not tensor-closed; use the rule directly.
    const evaluate = createEvaluator(set);
    const values = new Float64Array(set.count);
    const gram = new Float64Array(set.count * set.count);
    for (let q = 0; q < rule.weights.length; q += 1) {
      evaluate(rule.points, 3 * q, values, 0);
      for (let j = 0; j < set.count; j += 1)
        for (let k = 0; k < set.count; k += 1)
          gram[j * set.count + k]! += rule.weights[q]! * values[j]! * values[k]!;
    }
    gram.forEach((g, index) => {
      expect(Math.abs(g - (index % (set.count + 1) === 0 ? 1 : 0))).toBeLessThan(1e-13);
    });
    expect(ruleMoments(set, rule)[0]).toBeCloseTo(1, 15);
  });
});

describe('mean–covariance set', () => {
  it('is x1, x2, x3, x1², x1x2, x1x3, x2², x2x3, x3² in that order', () => {
    const set = meanCovarianceSet();
    expect(set.count).toBe(9);
    expect(set.totalDegree).toBe(2);
    const [a, b, c] = [0.7, -1.1, 2.5];
    const { values, gradients } = evaluateTestFunctions(set, [a, b, c]);
    const expected = [a, b, c, a * a, a * b, a * c, b * b, b * c, c * c];
    expected.forEach((v, m) => {
      expect(values[m]).toBeCloseTo(v, 15);
    });
    // ∂(x1 x2)/∂x = (x2, x1, 0), the fifth function.
    expect(Array.from(gradients.subarray(12, 15)).map((g) => g + 0)).toEqual([b, a, 0]);
  });
});

describe('set construction errors', () => {
  it('rejects duplicates, wrong arity, bad axes', () => {
    const axes = hermiteAxes();
    expect(() =>
      tensorSet(
        axes,
        [
          [1, 0, 0],
          [1, 0, 0],
        ],
        'dup',
      ),
    ).toThrow(/twice/);
    expect(() => tensorSet(axes, [[1, 0]], 'arity')).toThrow(/3 integers/);
    expect(() => legendreSet1D(3, 1, 1)).toThrow(/a < b/);
    expect(() => tensorSet([{ family: 'hermite', center: 0, scale: 0 }], [[1]], 's')).toThrow(
      /scale/,
    );
    expect(() => legendreSet1D(0, 0, 1)).toThrow(/M must/);
    expect(rows(legendreSet1D(3, 0, 1).indices, 1)).toEqual([[1], [2], [3]]);
  });
});
