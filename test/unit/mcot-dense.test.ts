import { describe, expect, it } from 'vitest';
import {
  SingularMatrixError,
  leastSquaresColumns,
  luFactor,
  solveLinearSystem,
} from '../../src/ot/mcot/dense';
import { nnls } from '../../src/ot/mcot/nnls';
import { seededRandom } from '../../src/ot/random';

const SEED = Date.now() % 100000;
console.info(`mcot-dense tests: seed ${SEED}`);

function randomMatrix(rows: number, cols: number, random: () => number) {
  return Float64Array.from({ length: rows * cols }, () => 2 * random() - 1);
}

function matvec(a: ArrayLike<number>, rows: number, cols: number, x: ArrayLike<number>) {
  return Float64Array.from({ length: rows }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < cols; j += 1) sum += a[i * cols + j]! * x[j]!;
    return sum;
  });
}

describe('LU with partial pivoting', () => {
  it('solves random systems to rounding (relative residual < 1e-13)', () => {
    const random = seededRandom(SEED);
    for (const n of [1, 2, 5, 30, 74]) {
      const a = randomMatrix(n, n, random);
      const b = randomMatrix(n, 1, random);
      const x = solveLinearSystem(a, n, b);
      const r = matvec(a, n, n, x);
      const error = Math.max(...r.map((v, i) => Math.abs(v - b[i]!)));
      expect(error, `n = ${n}`).toBeLessThan(1e-13 * n);
    }
  });

  it('needs pivoting: [[0, 1], [1, 0]] x = [2, 3] gives x = [3, 2]', () => {
    expect(Array.from(solveLinearSystem([0, 1, 1, 0], 2, [2, 3]))).toEqual([3, 2]);
  });

  it('reports a singular matrix with the column that has no pivot', () => {
    // Third row = first + second: rank 2.
    const a = Float64Array.from([1, 2, 3, 4, 5, 6, 5, 7, 9]);
    expect(() => {
      luFactor(a, 3, new Int32Array(3));
    }).toThrow(SingularMatrixError);
    try {
      luFactor(Float64Array.from([1, 2, 3, 4, 5, 6, 5, 7, 9]), 3, new Int32Array(3));
    } catch (error) {
      expect((error as SingularMatrixError).column).toBe(2);
      expect((error as Error).message).toMatch(/singular matrix/);
    }
    expect(() => solveLinearSystem([Number.NaN], 1, [1])).toThrow(SingularMatrixError);
  });
});

describe('Householder least squares', () => {
  it('matches the normal equations on a random tall system, over a column subset', () => {
    const random = seededRandom(SEED + 1);
    const m = 12;
    const stride = 7;
    const a = randomMatrix(m, stride, random);
    const b = randomMatrix(m, 1, random);
    const columns = [5, 0, 3];
    const x = leastSquaresColumns(a, m, stride, columns, b)!;
    // Normal equations AᵀA x = Aᵀb on the selected columns.
    const p = columns.length;
    const ata = new Float64Array(p * p);
    const atb = new Float64Array(p);
    for (let r = 0; r < p; r += 1) {
      for (let i = 0; i < m; i += 1) atb[r]! += a[i * stride + columns[r]!]! * b[i]!;
      for (let c = 0; c < p; c += 1)
        for (let i = 0; i < m; i += 1)
          ata[r * p + c]! += a[i * stride + columns[r]!]! * a[i * stride + columns[c]!]!;
    }
    const reference = solveLinearSystem(ata, p, atb);
    x.forEach((v, k) => {
      expect(v).toBeCloseTo(reference[k]!, 12);
    });
  });

  it('returns undefined for dependent columns', () => {
    const a = Float64Array.from([1, 2, 2, 4, 3, 6]); // 3 × 2, column 1 = 2 × column 0
    expect(leastSquaresColumns(a, 3, 2, [0, 1], [1, 2, 3])).toBeUndefined();
  });
});

/** The NNLS optimum by enumerating every support (an independent reference for small n). */
function bruteForceNnls(a: Float64Array, m: number, n: number, b: Float64Array): number {
  let best = b.reduce((s, v) => s + v * v, 0);
  for (let mask = 1; mask < 1 << n; mask += 1) {
    const columns = Array.from({ length: n }, (_, j) => j).filter((j) => mask & (1 << j));
    if (columns.length > m) continue;
    const s = leastSquaresColumns(a, m, n, columns, b);
    if (!s || s.some((v) => v < 0)) continue;
    const x = new Float64Array(n);
    columns.forEach((j, k) => (x[j] = s[k]!));
    const r = matvec(a, m, n, x);
    best = Math.min(
      best,
      r.reduce((sum, v, i) => sum + (v - b[i]!) ** 2, 0),
    );
  }
  return Math.sqrt(best);
}

describe('Lawson–Hanson NNLS', () => {
  it('identity matrix: clips the negative entries of b', () => {
    const a = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const result = nnls(a, 3, 3, [1, -2, 3]);
    expect(Array.from(result.w)).toEqual([1, 0, 3]);
    expect(result.residualNorm).toBeCloseTo(2, 14);
    expect(result.support).toEqual([0, 2]);
  });

  it('recovers a sparse non-negative solution of a consistent wide system', () => {
    const random = seededRandom(SEED + 2);
    const m = 6;
    const n = 40;
    const a = Float64Array.from({ length: m * n }, () => random());
    const truth = new Float64Array(n);
    truth[3] = 0.5;
    truth[17] = 1.25;
    truth[31] = 0.25;
    const b = matvec(a, m, n, truth);
    const result = nnls(a, m, n, b);
    expect(result.residualNorm).toBeLessThan(1e-12);
    expect(result.support.length).toBeLessThanOrEqual(m);
    expect(result.w.every((w) => w >= 0)).toBe(true);
  });

  it('meets the KKT conditions and the brute-force optimum on random problems', () => {
    const random = seededRandom(SEED + 3);
    for (let trial = 0; trial < 20; trial += 1) {
      const m = 2 + (trial % 5);
      const n = 3 + ((trial * 7) % 6);
      const a = randomMatrix(m, n, random);
      const b = randomMatrix(m, 1, random);
      const result = nnls(a, m, n, b);
      expect(result.w.every((w) => w >= 0)).toBe(true);
      // KKT: dual ≤ 0 off the support, = 0 on it.
      result.dual.forEach((g, j) => {
        if (result.w[j]! > 0) expect(Math.abs(g)).toBeLessThan(1e-10);
        else expect(g).toBeLessThan(1e-10);
      });
      expect(result.support.length).toBeLessThanOrEqual(m);
      expect(result.residualNorm).toBeCloseTo(bruteForceNnls(a, m, n, b), 10);
    }
  });

  it('handles b = 0 and duplicate columns without cycling', () => {
    const a = Float64Array.from([1, 1, 2, 2, 2, 4]); // 2 × 3: columns 0 and 1 equal
    expect(nnls(a, 2, 3, [0, 0]).support).toEqual([]);
    const result = nnls(a, 2, 3, [1, 2]);
    expect(result.residualNorm).toBeLessThan(1e-14);
    expect(result.iterations).toBeLessThanOrEqual(9);
  });
});
