/** Seeded random SPD matrices and Gaussians for the Gaussian-lab unit tests. */
import { uniformStream } from '../../src/ot/gmm';
import type { Gaussian } from '../../src/ot/gaussian';
import { add, identity, matmul, scale, transpose, type Matrix } from '../../src/ot/linalg';

export type Random = () => number;

export function random(seed: number): Random {
  return uniformStream(seed);
}

/** Entries uniform in [−1, 1). */
export function randomMatrix(rng: Random, rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => 2 * rng() - 1));
}

/** B Bᵀ + floor·I with B uniform in [−1, 1): SPD, condition number ≲ (n + floor)/floor. */
export function randomSpd(rng: Random, n: number, floor = 0.1): Matrix {
  const b = randomMatrix(rng, n, n);
  return add(matmul(b, transpose(b)), scale(identity(n), floor));
}

export function randomGaussian(rng: Random, n: number): Gaussian {
  return { mean: Array.from({ length: n }, () => 4 * rng() - 2), cov: randomSpd(rng, n) };
}

/** Symmetric entries uniform in [−1, 1). */
export function randomSymmetric(rng: Random, n: number): Matrix {
  const m = randomMatrix(rng, n, n);
  return m.map((row, i) => row.map((v, j) => (j >= i ? v : m[j]![i]!)));
}
