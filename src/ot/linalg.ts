/**
 * Small dense linear algebra in float64 for the Gaussian lab (MATH.md §2–§4): matrices are
 * `number[][]` (row-major, rows of equal length), vectors `number[]`. Every function returns fresh
 * arrays and never mutates its arguments. Sizes are tiny (n ≤ ~16), so clarity beats speed.
 *
 * Symmetric matrix functions (square roots, inverse square roots, powers, inverses) go through
 * one symmetric eigendecomposition by the cyclic Jacobi method, which converges quadratically and
 * to full working precision, with orthonormal eigenvectors (Golub & Van Loan §8.5).
 */
import { InputError, requireVector } from './validate';

export type Matrix = number[][];
export type Vector = number[];

/**
 * Covariances whose condition number λmax/λmin exceeds this are rejected. Our formulas multiply
 * by S^{-1/2}, so rounding errors grow like cond(S)·2⁻⁵²: at 1e10 results keep about 6
 * significant digits, which is what the lab reports. Our choice, documented in docs/cli.md.
 */
export const MAX_CONDITION_NUMBER = 1e10;

/** Relative tolerance max|S − Sᵀ| ≤ tol · max|S| under which a matrix counts as symmetric. */
export const SYMMETRY_TOLERANCE = 1e-6;

const MAX_JACOBI_SWEEPS = 60;

export function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i += 1) m[i]![i] = 1;
  return m;
}

export function diag(values: readonly number[]): Matrix {
  const m = zeros(values.length, values.length);
  values.forEach((v, i) => (m[i]![i] = v));
  return m;
}

export function cloneMatrix(a: Matrix): Matrix {
  return a.map((row) => row.slice());
}

export function transpose(a: Matrix): Matrix {
  const rows = a.length;
  const cols = a[0]?.length ?? 0;
  return Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => a[i]![j]!));
}

export function matmul(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const inner = b.length;
  const m = b[0]?.length ?? 0;
  if ((a[0]?.length ?? 0) !== inner) {
    throw new RangeError(`matmul: ${n}×${a[0]?.length ?? 0} times ${inner}×${m}`);
  }
  const out = zeros(n, m);
  for (let i = 0; i < n; i += 1) {
    const ai = a[i]!;
    const oi = out[i]!;
    for (let k = 0; k < inner; k += 1) {
      const aik = ai[k]!;
      if (aik === 0) continue;
      const bk = b[k]!;
      for (let j = 0; j < m; j += 1) oi[j]! += aik * bk[j]!;
    }
  }
  return out;
}

/** Product of several matrices, left to right. */
export function matmulAll(first: Matrix, ...rest: Matrix[]): Matrix {
  return rest.reduce((acc, m) => matmul(acc, m), first);
}

/** ‖x − y‖², summed in coordinate order. */
export function squaredDistance(x: readonly number[], y: readonly number[]): number {
  let total = 0;
  for (let d = 0; d < x.length; d += 1) total += (x[d]! - y[d]!) ** 2;
  return total;
}

export function matvec(a: Matrix, x: readonly number[]): Vector {
  return a.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
}

export function add(a: Matrix, b: Matrix): Matrix {
  return a.map((row, i) => row.map((v, j) => v + b[i]![j]!));
}

export function sub(a: Matrix, b: Matrix): Matrix {
  return a.map((row, i) => row.map((v, j) => v - b[i]![j]!));
}

export function scale(a: Matrix, s: number): Matrix {
  return a.map((row) => row.map((v) => v * s));
}

/** Σ_k w_k M_k for matrices of one shape. */
export function weightedSum(weights: readonly number[], matrices: readonly Matrix[]): Matrix {
  const first = matrices[0]!;
  const out = zeros(first.length, first[0]?.length ?? 0);
  matrices.forEach((m, k) => {
    const w = weights[k]!;
    m.forEach((row, i) => {
      row.forEach((v, j) => (out[i]![j]! += w * v));
    });
  });
  return out;
}

export function trace(a: Matrix): number {
  return a.reduce((s, row, i) => s + row[i]!, 0);
}

/** (A + Aᵀ)/2: removes the rounding asymmetry of products such as X S X. */
export function symmetrize(a: Matrix): Matrix {
  return a.map((row, i) => row.map((v, j) => 0.5 * (v + a[j]![i]!)));
}

export function frobeniusNorm(a: Matrix): number {
  return Math.sqrt(a.reduce((s, row) => s + row.reduce((t, v) => t + v * v, 0), 0));
}

export function maxAbs(a: Matrix): number {
  return a.reduce((s, row) => row.reduce((t, v) => Math.max(t, Math.abs(v)), s), 0);
}

/** max_ij |A_ij − B_ij|. */
export function maxAbsDiff(a: Matrix, b: Matrix): number {
  return maxAbs(sub(a, b));
}

/** Sub-block rows [r0, r1) × columns [c0, c1). */
export function block(a: Matrix, r0: number, r1: number, c0: number, c1: number): Matrix {
  return a.slice(r0, r1).map((row) => row.slice(c0, c1));
}

/** [[A, B], [C, D]] from four blocks of compatible shapes. */
export function fromBlocks(a: Matrix, b: Matrix, c: Matrix, d: Matrix): Matrix {
  return [...a.map((row, i) => [...row, ...b[i]!]), ...c.map((row, i) => [...row, ...d[i]!])];
}

export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  values: number[];
  /** Orthonormal eigenvectors as columns: vectors[i][k] is entry i of eigenvector k. */
  vectors: Matrix;
  sweeps: number;
}

/**
 * Eigendecomposition S = V diag(λ) Vᵀ of a symmetric matrix by cyclic Jacobi rotations
 * (Rutishauser's variant, as in Numerical Recipes §11.1): threshold pivoting in the first sweeps,
 * then off-diagonal entries negligible against both diagonal entries are set to zero; it stops
 * when the off-diagonal part is exactly zero. Only the upper triangle of `s` is read.
 */
export function symmetricEigen(s: Matrix): SymmetricEigen {
  const n = s.length;
  const a = s.map((row, i) => row.map((v, j) => (j >= i ? v : s[j]![i]!)));
  const v = identity(n);
  for (let sweep = 1; sweep <= MAX_JACOBI_SWEEPS; sweep += 1) {
    let off = 0;
    for (let p = 0; p < n; p += 1) for (let q = p + 1; q < n; q += 1) off += Math.abs(a[p]![q]!);
    if (off === 0) return sortedEigen(a, v, sweep - 1);
    const threshold = sweep < 4 ? (0.2 * off) / (n * n) : 0;
    for (let p = 0; p < n; p += 1) {
      for (let q = p + 1; q < n; q += 1) {
        const apq = a[p]![q]!;
        const small = 100 * Math.abs(apq);
        const app = a[p]![p]!;
        const aqq = a[q]![q]!;
        if (
          sweep > 4 &&
          Math.abs(app) + small === Math.abs(app) &&
          Math.abs(aqq) + small === Math.abs(aqq)
        ) {
          a[p]![q] = 0;
          a[q]![p] = 0;
        } else if (Math.abs(apq) > threshold) {
          jacobiRotate(a, v, p, q);
        }
      }
    }
  }
  throw new Error(`symmetricEigen: no convergence after ${MAX_JACOBI_SWEEPS} Jacobi sweeps`);
}

/** One rotation zeroing a[p][q] (Numerical Recipes eq. 11.1.8–11.1.18). */
function jacobiRotate(a: Matrix, v: Matrix, p: number, q: number): void {
  const n = a.length;
  const apq = a[p]![q]!;
  const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
  // Smaller root of t² + 2tθ − 1 = 0; hypot avoids overflow of θ² for tiny a_pq.
  const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.hypot(theta, 1));
  const c = 1 / Math.hypot(t, 1);
  const s = t * c;
  a[p]![p]! -= t * apq;
  a[q]![q]! += t * apq;
  a[p]![q] = 0;
  a[q]![p] = 0;
  for (let k = 0; k < n; k += 1) {
    if (k !== p && k !== q) {
      const akp = a[k]![p]!;
      const akq = a[k]![q]!;
      a[k]![p] = c * akp - s * akq;
      a[p]![k] = a[k]![p]!;
      a[k]![q] = s * akp + c * akq;
      a[q]![k] = a[k]![q]!;
    }
    const vkp = v[k]![p]!;
    const vkq = v[k]![q]!;
    v[k]![p] = c * vkp - s * vkq;
    v[k]![q] = s * vkp + c * vkq;
  }
}

function sortedEigen(a: Matrix, v: Matrix, sweeps: number): SymmetricEigen {
  const order = a.map((_, i) => i).sort((i, j) => a[i]![i]! - a[j]![j]!);
  return {
    values: order.map((i) => a[i]![i]!),
    vectors: v.map((row) => order.map((k) => row[k]!)),
    sweeps,
  };
}

/** V diag(f(λ)) Vᵀ for a symmetric S = V diag(λ) Vᵀ; exactly symmetric. */
export function symmetricFunction(s: Matrix, f: (lambda: number) => number): Matrix {
  return fromEigen(symmetricEigen(s), f);
}

/** V diag(f(λ)) Vᵀ from a decomposition computed once. */
export function fromEigen(eigen: SymmetricEigen, f: (lambda: number) => number): Matrix {
  const { values, vectors } = eigen;
  const n = values.length;
  const fv = values.map(f);
  const out = zeros(n, n);
  for (let i = 0; i < n; i += 1) {
    for (let j = i; j < n; j += 1) {
      let sum = 0;
      for (let k = 0; k < n; k += 1) sum += vectors[i]![k]! * fv[k]! * vectors[j]![k]!;
      out[i]![j] = sum;
      out[j]![i] = sum;
    }
  }
  return out;
}

/**
 * PSD square root. Eigenvalues are clamped at 0: products like S1^{1/2} S2 S1^{1/2} are PSD in
 * exact arithmetic, and rounding may leave an eigenvalue at −1e−17.
 */
export function sqrtm(s: Matrix): Matrix {
  return symmetricFunction(s, (l) => Math.sqrt(Math.max(l, 0)));
}

/** S^{-1/2} of an SPD matrix. */
export function invsqrtm(s: Matrix): Matrix {
  return symmetricFunction(s, (l) => 1 / Math.sqrt(requirePositiveEigenvalue(l)));
}

/** S^{-1} of an SPD matrix (through its eigendecomposition: symmetric by construction). */
export function inverseSpd(s: Matrix): Matrix {
  return symmetricFunction(s, (l) => 1 / requirePositiveEigenvalue(l));
}

/** S^p of an SPD matrix for any real p. */
export function powm(s: Matrix, p: number): Matrix {
  return symmetricFunction(s, (l) => requirePositiveEigenvalue(l) ** p);
}

/** S^{1/2}, S^{-1/2} and cond(S) from one decomposition (the barycenter loop needs all three). */
export function sqrtAndInvSqrt(s: Matrix): { sqrt: Matrix; invSqrt: Matrix; condition: number } {
  const eigen = symmetricEigen(s);
  const values = eigen.values;
  return {
    sqrt: fromEigen(eigen, (l) => Math.sqrt(requirePositiveEigenvalue(l))),
    invSqrt: fromEigen(eigen, (l) => 1 / Math.sqrt(requirePositiveEigenvalue(l))),
    condition: values[values.length - 1]! / values[0]!,
  };
}

function requirePositiveEigenvalue(lambda: number): number {
  if (!(lambda > 0)) {
    throw new RangeError(
      `matrix is not positive definite (eigenvalue ${lambda}); validate it first`,
    );
  }
  return lambda;
}

/** Largest singular value ‖M‖₂ = √λmax(MᵀM) of any rectangular matrix. */
export function spectralNorm(m: Matrix): number {
  if (m.length === 0 || m[0]!.length === 0) return 0;
  const values = symmetricEigen(matmul(transpose(m), m)).values;
  return Math.sqrt(Math.max(values[values.length - 1]!, 0));
}

/**
 * Lower-triangular L with S = L Lᵀ. Throws InputError naming `field` when a pivot is not
 * positive (S not positive definite).
 */
export function cholesky(s: Matrix, field = 'matrix'): Matrix {
  const n = s.length;
  const l = zeros(n, n);
  for (let j = 0; j < n; j += 1) {
    let d = s[j]![j]!;
    for (let k = 0; k < j; k += 1) d -= l[j]![k]! ** 2;
    if (!(d > 0)) {
      throw new InputError(
        field,
        `is not positive definite (Cholesky pivot ${j} is ${d}); add a multiple of the identity`,
      );
    }
    const ljj = Math.sqrt(d);
    l[j]![j] = ljj;
    for (let i = j + 1; i < n; i += 1) {
      let sum = s[i]![j]!;
      for (let k = 0; k < j; k += 1) sum -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = sum / ljj;
    }
  }
  return l;
}

/** Solves L y = b for lower-triangular L (forward substitution). */
export function forwardSubstitute(l: Matrix, b: readonly number[]): Vector {
  const y: Vector = [];
  l.forEach((row, i) => {
    let sum = b[i]!;
    for (let k = 0; k < i; k += 1) sum -= row[k]! * y[k]!;
    y.push(sum / row[i]!);
  });
  return y;
}

/** log det S = 2 Σ log L_ii from a Cholesky factor. */
export function logDetFromCholesky(l: Matrix): number {
  return 2 * l.reduce((s, row, i) => s + Math.log(row[i]!), 0);
}

/** A `rows × cols` matrix of finite numbers read from JSON. */
export function requireMatrix(value: unknown, field: string, rows?: number, cols?: number): Matrix {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(field, 'expected a non-empty matrix like [[1, 0], [0, 1]]');
  }
  if (rows !== undefined && value.length !== rows) {
    throw new InputError(field, `expected ${rows} rows, got ${value.length}`);
  }
  const width = cols ?? (Array.isArray(value[0]) ? value[0].length : undefined);
  return value.map((row, i) => requireVector(row, `${field}[${i}]`, width));
}

/**
 * A symmetric matrix (within SYMMETRY_TOLERANCE relative to its largest entry), returned exactly
 * symmetrised.
 */
export function requireSymmetric(s: Matrix, field: string): Matrix {
  const n = s.length;
  s.forEach((row, i) => {
    if (row.length !== n)
      throw new InputError(
        `${field}[${i}]`,
        `expected ${n} entries (a square matrix), got ${row.length}`,
      );
  });
  const asymmetry = maxAbsDiff(s, transpose(s));
  if (asymmetry > SYMMETRY_TOLERANCE * maxAbs(s)) {
    throw new InputError(
      field,
      `is not symmetric (max |S − Sᵀ| = ${fmt(asymmetry)}); give a symmetric matrix, e.g. (S + Sᵀ)/2`,
    );
  }
  return symmetrize(s);
}

/**
 * A symmetric positive definite matrix with condition number ≤ MAX_CONDITION_NUMBER, returned
 * symmetrised. Errors name `field` and say how to fix it.
 */
export function requireSpd(s: Matrix, field: string): Matrix {
  const symmetric = requireSymmetric(s, field);
  const { values } = symmetricEigen(symmetric);
  const smallest = values[0]!;
  const largest = values[values.length - 1]!;
  if (!(smallest > 0)) {
    // Enough to make S + shift·I clearly SPD (λmin ≥ 1e-3·λmax), rounded up to 2 digits.
    const shift = ceilTwoDigits(Math.abs(smallest) + 1e-3 * Math.max(Math.abs(largest), 1e-9));
    throw new InputError(
      field,
      `is not positive definite: smallest eigenvalue ${fmt(smallest)}; add a multiple of the identity (e.g. + ${fmt(shift)}·I)`,
    );
  }
  const condition = largest / smallest;
  if (condition > MAX_CONDITION_NUMBER) {
    throw new InputError(
      field,
      `is nearly singular: condition number ${fmt(condition)} > ${fmt(MAX_CONDITION_NUMBER)} (eigenvalues ${fmt(smallest)} … ${fmt(largest)}); add a multiple of the identity or rescale the coordinates`,
    );
  }
  return symmetric;
}

function ceilTwoDigits(x: number): number {
  const unit = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Number((Math.ceil(x / unit) * unit).toPrecision(2));
}

/** Short number formatting for messages: 3 significant digits, exponent form when far from 1. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const r = Number(x.toPrecision(3));
  const a = Math.abs(r);
  return a >= 1e5 || (a !== 0 && a < 1e-3) ? r.toExponential() : String(r);
}
