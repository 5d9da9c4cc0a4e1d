/**
 * Small dense linear algebra on row-major Float64Arrays for the MCOT solver (MATH.md §7): the
 * M×M Newton systems (LU with partial pivoting, mirrored by the WGSL `solve` kernel) and the
 * least-squares subproblems of Lawson–Hanson NNLS (Householder QR). Allocation-light: callers own
 * the matrices, which are overwritten.
 */

/** A pivot column with no usable pivot: the matrix is singular to working precision. */
export class SingularMatrixError extends Error {
  override name = 'SingularMatrixError';
  constructor(
    readonly column: number,
    readonly pivot: number,
    readonly scale: number,
  ) {
    super(
      `singular matrix: pivot ${pivot.toExponential(2)} in column ${column} against entries of ` +
        `size ${scale.toExponential(2)}`,
    );
  }
}

/** Largest |a_ij|. */
export function maxAbsEntry(a: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i += 1) max = Math.max(max, Math.abs(a[i]!));
  return max;
}

/**
 * In-place LU with partial pivoting: P A = L U, L unit lower (below the diagonal), U on and above.
 * `pivots[k]` is the row swapped with row k at step k. A pivot with |p| ≤ n·ε·max|a_ij| (or a
 * non-finite one) throws SingularMatrixError: the solve would only return rounding noise.
 */
export function luFactor(a: Float64Array, n: number, pivots: Int32Array): void {
  const scale = maxAbsEntry(a.subarray(0, n * n));
  const threshold = n * Number.EPSILON * scale;
  for (let k = 0; k < n; k += 1) {
    let best = k;
    for (let i = k + 1; i < n; i += 1)
      if (Math.abs(a[i * n + k]!) > Math.abs(a[best * n + k]!)) best = i;
    const pivot = a[best * n + k]!;
    if (!(Math.abs(pivot) > threshold) || !Number.isFinite(pivot)) {
      throw new SingularMatrixError(k, pivot, scale);
    }
    pivots[k] = best;
    if (best !== k) {
      for (let j = 0; j < n; j += 1) {
        const swap = a[k * n + j]!;
        a[k * n + j] = a[best * n + j]!;
        a[best * n + j] = swap;
      }
    }
    for (let i = k + 1; i < n; i += 1) {
      const factor = a[i * n + k]! / pivot;
      a[i * n + k] = factor;
      if (factor === 0) continue;
      for (let j = k + 1; j < n; j += 1) a[i * n + j]! -= factor * a[k * n + j]!;
    }
  }
}

/** Solves A x = b in place of b with the factors of `luFactor`. */
export function luSolve(lu: Float64Array, n: number, pivots: Int32Array, b: Float64Array): void {
  for (let k = 0; k < n; k += 1) {
    const p = pivots[k]!;
    if (p !== k) {
      const swap = b[k]!;
      b[k] = b[p]!;
      b[p] = swap;
    }
  }
  for (let i = 1; i < n; i += 1) {
    let sum = b[i]!;
    for (let j = 0; j < i; j += 1) sum -= lu[i * n + j]! * b[j]!;
    b[i] = sum;
  }
  for (let i = n - 1; i >= 0; i -= 1) {
    let sum = b[i]!;
    for (let j = i + 1; j < n; j += 1) sum -= lu[i * n + j]! * b[j]!;
    b[i] = sum / lu[i * n + i]!;
  }
}

/** x with A x = b (A n×n row-major; neither input is modified). */
export function solveLinearSystem(a: ArrayLike<number>, n: number, b: ArrayLike<number>) {
  const lu = Float64Array.from(a);
  const x = Float64Array.from(b);
  const pivots = new Int32Array(n);
  luFactor(lu, n, pivots);
  luSolve(lu, n, pivots, x);
  return x;
}

/**
 * Least squares min ‖A x − b‖₂ for A with m ≥ p rows and full column rank, by Householder QR.
 * `columns` lists which columns of the row-major m × stride matrix `a` form A (NNLS passes its
 * passive set). Returns x (length p), or undefined when a column is dependent on the previous ones
 * (|r_kk| ≤ 1e-12 · ‖a_k‖).
 */
export function leastSquaresColumns(
  a: Float64Array,
  m: number,
  stride: number,
  columns: readonly number[],
  b: ArrayLike<number>,
): Float64Array | undefined {
  const p = columns.length;
  if (p > m) return undefined;
  // Column-major copy of the selected columns, and of b.
  const q = new Float64Array(m * p);
  columns.forEach((column, k) => {
    for (let i = 0; i < m; i += 1) q[k * m + i] = a[i * stride + column]!;
  });
  const rhs = Float64Array.from({ length: m }, (_, i) => b[i]!);
  const diagonal = new Float64Array(p);
  for (let k = 0; k < p; k += 1) {
    const col = k * m;
    let originalNorm = 0;
    for (let i = 0; i < m; i += 1) originalNorm = Math.hypot(originalNorm, q[col + i]!);
    let norm = 0;
    for (let i = k; i < m; i += 1) norm = Math.hypot(norm, q[col + i]!);
    if (!(norm > 1e-12 * originalNorm)) return undefined;
    const alpha = q[col + k]! > 0 ? -norm : norm;
    // Householder vector v = x − α e_k stored in place; H = I − 2 v vᵀ / vᵀv.
    q[col + k]! -= alpha;
    let vv = 0;
    for (let i = k; i < m; i += 1) vv += q[col + i]! ** 2;
    const reflect = (target: Float64Array, offset: number) => {
      let dot = 0;
      for (let i = k; i < m; i += 1) dot += q[col + i]! * target[offset + i]!;
      const factor = (2 * dot) / vv;
      for (let i = k; i < m; i += 1) target[offset + i]! -= factor * q[col + i]!;
    };
    for (let j = k + 1; j < p; j += 1) reflect(q, j * m);
    reflect(rhs, 0);
    diagonal[k] = alpha;
  }
  const x = new Float64Array(p);
  for (let k = p - 1; k >= 0; k -= 1) {
    let sum = rhs[k]!;
    for (let j = k + 1; j < p; j += 1) sum -= q[j * m + k]! * x[j]!;
    x[k] = sum / diagonal[k]!;
  }
  return x;
}
