/**
 * c-transforms (seed 004, "Conjugacy"): f^{cc} ≥ f, f^{ccc} = f^c, the dual objective rises, and
 * the optimal duals are c-concave with a zero duality gap; W_1 as the area between CDFs.
 */
import { describe, expect, it } from 'vitest';
import { complementarySlackness, dualFeasibility } from '../../src/ot/exact/checks';
import { cdfDistance, transport1D, wasserstein1D } from '../../src/ot/exact/oneDimensional';
import {
  costMatrixFromPoints,
  cTransformOfColumns,
  cTransformOfRows,
  dualObjective,
} from '../../src/ot/exact/problem';
import { seededRandom } from '../../src/ot/random';

function weights(random: () => number, n: number): number[] {
  const w = Array.from({ length: n }, () => (random() < 0.3 ? 0 : random()));
  w[0] = w[0]! + 0.1;
  const total = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / total);
}

describe('c-transforms', () => {
  const random = seededRandom(42);
  const n = 30;
  const x = Array.from({ length: n }, (_, k) => [k / (n - 1)]);
  const C = costMatrixFromPoints({ kind: 'sqeuclidean' }, x, x);

  it('f^{cc} ≥ f, f^{ccc} = f^c, and each transform keeps f ⊕ g ≤ c', () => {
    for (let trial = 0; trial < 20; trial += 1) {
      const f = Float64Array.from({ length: n }, () => random() - 0.5);
      const g = cTransformOfRows(C, f);
      const ff = cTransformOfColumns(C, g);
      const ggg = cTransformOfRows(C, ff);
      ff.forEach((value, i) => {
        expect(value).toBeGreaterThanOrEqual(f[i]! - 1e-15);
      });
      ggg.forEach((value, j) => {
        expect(value).toBeCloseTo(g[j]!, 14);
      });
      expect(dualFeasibility(C, f, g).worst).toBeLessThanOrEqual(1e-15);
      expect(dualFeasibility(C, ff, g).worst).toBeLessThanOrEqual(1e-15);
      // Tight: every column and every row reaches the constraint somewhere.
      for (let j = 0; j < n; j += 1) {
        const slack = Math.min(...f.map((fi, i) => C.values[i * n + j]! - fi - g[j]!));
        expect(Math.abs(slack)).toBeLessThan(1e-15);
      }
      const a = weights(random, n);
      const b = weights(random, n);
      expect(dualObjective(a, b, ff, g)).toBeGreaterThanOrEqual(dualObjective(a, b, f, g) - 1e-15);
    }
  });

  it('the optimal 1D duals are c-concave and close the duality gap', () => {
    for (let trial = 0; trial < 10; trial += 1) {
      const a = weights(random, n);
      const b = weights(random, n);
      const points = x.map((p) => p[0]!);
      const solution = transport1D({ x: points, y: points, a, b }, (d) => d * d);
      const g = cTransformOfRows(C, solution.u);
      const f = cTransformOfColumns(C, g);
      expect(dualObjective(a, b, f, g)).toBeCloseTo(solution.cost, 12);
      expect(dualFeasibility(C, f, g).worst).toBeLessThan(1e-14);
      expect(complementarySlackness(solution.plan, C, f, g).worst).toBeLessThan(1e-12);
    }
  });
});

describe('W_p on the line', () => {
  it('the area between the CDFs equals W_1 from the quantiles', () => {
    const random = seededRandom(6);
    for (let trial = 0; trial < 30; trial += 1) {
      const n = 1 + Math.floor(random() * 40);
      const m = 1 + Math.floor(random() * 40);
      const problem = {
        x: Array.from({ length: n }, () => random() * 3 - 1),
        y: Array.from({ length: m }, () => random() * 2),
        a: weights(random, n),
        b: weights(random, m),
      };
      expect(cdfDistance(problem)).toBeCloseTo(wasserstein1D(problem, 1), 12);
    }
  });

  it('a translation by s moves every quantile by s: W_p = |s| for every p', () => {
    const x = [0.3, -1, 2, 0.7];
    const y = x.map((v) => v + 0.8);
    for (const p of [1, 1.5, 2, 4]) expect(wasserstein1D({ x, y }, p)).toBeCloseTo(0.8, 14);
    expect(cdfDistance({ x, y })).toBeCloseTo(0.8, 14);
  });
});
