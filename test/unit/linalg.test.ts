import { describe, expect, it } from 'vitest';
import {
  MAX_CONDITION_NUMBER,
  cholesky,
  diag,
  forwardSubstitute,
  identity,
  inverseSpd,
  invsqrtm,
  logDetFromCholesky,
  matmul,
  matmulAll,
  matvec,
  maxAbsDiff,
  powm,
  requireMatrix,
  requireSpd,
  requireSymmetric,
  spectralNorm,
  sqrtAndInvSqrt,
  sqrtm,
  symmetricEigen,
  trace,
  transpose,
  type Matrix,
} from '../../src/ot/linalg';
import { InputError } from '../../src/ot/validate';
import { random, randomMatrix, randomSpd, randomSymmetric } from './gaussianFixtures';

const rng = random(7);

/** A rotation by `angle` in the (p, q) plane. */
function givens(n: number, p: number, q: number, angle: number): Matrix {
  const g = identity(n);
  g[p]![p] = Math.cos(angle);
  g[q]![q] = Math.cos(angle);
  g[p]![q] = -Math.sin(angle);
  g[q]![p] = Math.sin(angle);
  return g;
}

describe('basic matrix helpers', () => {
  it('multiply, transpose and trace agree with hand values', () => {
    const a = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const b = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    expect(matmul(a, b)).toEqual([
      [4, 5],
      [10, 11],
    ]);
    expect(transpose(a)).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(trace(matmul(a, b))).toBe(15);
    expect(matvec(a, [1, 1, 1])).toEqual([6, 15]);
    expect(() => matmul(a, a)).toThrow(RangeError);
  });
});

describe('symmetric eigendecomposition (cyclic Jacobi)', () => {
  it('reconstructs random symmetric matrices to machine precision, n = 1..10', () => {
    for (let n = 1; n <= 10; n += 1) {
      const s = randomSymmetric(rng, n);
      const { values, vectors, sweeps } = symmetricEigen(s);
      const rebuilt = matmulAll(vectors, diag(values), transpose(vectors));
      expect(maxAbsDiff(rebuilt, s)).toBeLessThan(1e-14 * n);
      expect(maxAbsDiff(matmul(transpose(vectors), vectors), identity(n))).toBeLessThan(1e-14 * n);
      values.slice(1).forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(values[i]!);
      });
      expect(sweeps).toBeLessThanOrEqual(12);
    }
  });

  it('recovers prescribed eigenvalues, including repeated ones, from Q diag(λ) Qᵀ', () => {
    const lambdas = [-3, 0.5, 0.5, 2, 7, 7];
    let q = identity(6);
    for (let p = 0; p < 6; p += 1)
      for (let r = p + 1; r < 6; r += 1) q = matmul(q, givens(6, p, r, 0.3 + p - 0.7 * r));
    const s = matmulAll(q, diag(lambdas), transpose(q));
    const { values } = symmetricEigen(s);
    values.forEach((v, i) => {
      expect(Math.abs(v - lambdas[i]!)).toBeLessThan(1e-13);
    });
  });

  it('is exact on a diagonal input (no sweep) and on 2 × 2 closed forms', () => {
    expect(symmetricEigen(diag([3, 1, 2]))).toMatchObject({ values: [1, 2, 3], sweeps: 0 });
    const [a, b, c] = [2, 0.7, -1];
    const mid = (a + c) / 2;
    const radius = Math.hypot((a - c) / 2, b);
    const { values } = symmetricEigen([
      [a, b],
      [b, c],
    ]);
    expect(values[0]).toBeCloseTo(mid - radius, 15);
    expect(values[1]).toBeCloseTo(mid + radius, 15);
  });
});

describe('symmetric matrix functions', () => {
  it('sqrtm, invsqrtm, inverseSpd and powm satisfy their defining identities', () => {
    for (let n = 1; n <= 8; n += 1) {
      const s = randomSpd(rng, n);
      const i = identity(n);
      const root = sqrtm(s);
      expect(maxAbsDiff(matmul(root, root), s)).toBeLessThan(1e-12);
      expect(maxAbsDiff(matmulAll(invsqrtm(s), s, invsqrtm(s)), i)).toBeLessThan(1e-11);
      expect(maxAbsDiff(matmul(inverseSpd(s), s), i)).toBeLessThan(1e-11);
      expect(maxAbsDiff(powm(s, 0.5), root)).toBeLessThan(1e-12);
      expect(maxAbsDiff(powm(s, 1), s)).toBeLessThan(1e-12);
      const cube = powm(s, 1 / 3);
      expect(maxAbsDiff(matmulAll(cube, cube, cube), s)).toBeLessThan(1e-11);
      const both = sqrtAndInvSqrt(s);
      expect(maxAbsDiff(matmul(both.sqrt, both.invSqrt), i)).toBeLessThan(1e-11);
    }
  });

  it('sqrtm clamps rounding-level negative eigenvalues of PSD products', () => {
    const v = [[1], [2], [3]];
    const rankOne = matmul(v, transpose(v)); // PSD, eigenvalues 14, 0, 0
    const root = sqrtm(rankOne);
    expect(maxAbsDiff(matmul(root, root), rankOne)).toBeLessThan(1e-13);
    expect(() => invsqrtm(rankOne)).toThrow(/not positive definite/);
  });
});

describe('spectral norm', () => {
  it('is |u||v| for u vᵀ and invariant under rotations', () => {
    const u = [[1], [-2], [2]];
    const v = [[3, 4]];
    expect(spectralNorm(matmul(u, v))).toBeCloseTo(15, 13);
    const m = randomMatrix(rng, 4, 3);
    const rotated = matmulAll(givens(4, 0, 2, 0.4), m, givens(3, 1, 2, -1.1));
    expect(spectralNorm(rotated)).toBeCloseTo(spectralNorm(m), 13);
  });

  it('bounds ‖Mx‖/‖x‖ and attains it at the top right singular vector', () => {
    const m = randomMatrix(rng, 5, 3);
    const norm = spectralNorm(m);
    for (let k = 0; k < 20; k += 1) {
      const x = [rng() - 0.5, rng() - 0.5, rng() - 0.5];
      expect(Math.hypot(...matvec(m, x)) / Math.hypot(...x)).toBeLessThanOrEqual(
        norm * (1 + 1e-14),
      );
    }
    const { vectors } = symmetricEigen(matmul(transpose(m), m));
    const top = vectors.map((row) => row[2]!);
    expect(Math.hypot(...matvec(m, top))).toBeCloseTo(norm, 13);
  });
});

describe('Cholesky', () => {
  it('factors SPD matrices, solves and gives log det', () => {
    const s = randomSpd(rng, 6);
    const l = cholesky(s);
    expect(maxAbsDiff(matmul(l, transpose(l)), s)).toBeLessThan(1e-13);
    expect(l.flatMap((row, i) => row.filter((_, j) => j > i))).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const logDet = symmetricEigen(s).values.reduce((acc, v) => acc + Math.log(v), 0);
    expect(logDetFromCholesky(l)).toBeCloseTo(logDet, 12);
    const b = [1, 2, 3, 4, 5, 6];
    expect(maxAbsDiff([matvec(l, forwardSubstitute(l, b))], [b])).toBeLessThan(1e-12);
  });

  it('rejects a non positive definite matrix with an InputError naming the field', () => {
    expect(() =>
      cholesky(
        [
          [1, 2],
          [2, 1],
        ],
        'covariances[3]',
      ),
    ).toThrow(/covariances\[3\]: is not positive definite/);
  });
});

describe('validation of matrices', () => {
  it('requireMatrix checks shape and finiteness', () => {
    expect(() => requireMatrix([[1, 2], [3]], 'cov')).toThrow(/cov\[1\]: expected 2 entries/);
    expect(() => requireMatrix([[1, NaN]], 'cov')).toThrow(
      /cov\[0\]\[1\]: expected a finite number, got NaN/,
    );
    expect(() => requireMatrix([[1]], 'cov', 2, 2)).toThrow(/cov: expected 2 rows/);
    expect(() => requireMatrix('x', 'cov')).toThrow(InputError);
  });

  it('reports asymmetry with its size and a fix', () => {
    const s = [
      [1, 0.3],
      [0, 1],
    ];
    expect(() => requireSymmetric(s, 'covariances[1]')).toThrow(
      'covariances[1]: is not symmetric (max |S − Sᵀ| = 0.3); give a symmetric matrix, e.g. (S + Sᵀ)/2',
    );
    // Rounding-level asymmetry is accepted and removed.
    const nearly = requireSymmetric(
      [
        [1, 0.3],
        [0.3 + 1e-12, 1],
      ],
      'c',
    );
    expect(nearly[0]![1]).toBe(nearly[1]![0]);
  });

  it('reports the smallest eigenvalue of an indefinite matrix and suggests a shift', () => {
    const error = (() => {
      try {
        requireSpd(
          [
            [1, 0],
            [0, -0.2],
          ],
          'covariances[0]',
        );
      } catch (e) {
        return e as InputError;
      }
      throw new Error('expected an InputError');
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error.field).toBe('covariances[0]');
    expect(error.message).toMatch(
      /^covariances\[0\]: is not positive definite: smallest eigenvalue -0\.2; add a multiple of the identity/,
    );
  });

  it(`rejects condition numbers above ${MAX_CONDITION_NUMBER} and accepts those below`, () => {
    expect(() => requireSpd(diag([1, 1e-11]), 'cov')).toThrow(
      /cov: is nearly singular: condition number 1e\+11 > 1e\+10/,
    );
    expect(() => requireSpd(diag([1e6, 1e-3]), 'cov')).not.toThrow();
    expect(() => requireSpd(diag([0, 1]), 'cov')).toThrow(
      /not positive definite: smallest eigenvalue 0/,
    );
  });
});
