/**
 * Non-negative least squares min_{w ≥ 0} ‖A w − b‖₂ by the active-set method of Lawson and Hanson
 * (Solving Least Squares Problems, SIAM 1995, ch. 23, Algorithm NNLS). Seed 003 §4.4 uses it for
 * Carathéodory–Tchakaloff subsampling: by the KKT conditions (Theorem 23.4) the solution it
 * returns has at most rank(A) ≤ m positive entries (Theorem 23.10).
 */
import { leastSquaresColumns } from './dense';

export interface NnlsResult {
  /** The solution, ≥ 0. */
  w: Float64Array;
  /** ‖A w − b‖₂. */
  residualNorm: number;
  /** Indices with w_j > 0 (the final passive set). */
  support: number[];
  /** Outer iterations (columns moved into the passive set). */
  iterations: number;
  /** Dual vector Aᵀ(b − A w): ≤ tolerance off the support, ≈ 0 on it (the KKT certificate). */
  dual: Float64Array;
}

export interface NnlsOptions {
  /** Outer iteration cap (default 3n, Lawson–Hanson's choice). */
  maxIterations?: number;
  /** Dual threshold for optimality (default 10 ε ‖A‖_max · max(m, n) · ‖b‖-scaled). */
  tolerance?: number;
}

/** Aᵀ(b − A w) for row-major A (m × n). */
function dualVector(a: Float64Array, m: number, n: number, b: ArrayLike<number>, w: Float64Array) {
  const residual = new Float64Array(m);
  for (let i = 0; i < m; i += 1) {
    let sum = b[i]!;
    for (let j = 0; j < n; j += 1) if (w[j]! !== 0) sum -= a[i * n + j]! * w[j]!;
    residual[i] = sum;
  }
  const dual = new Float64Array(n);
  for (let i = 0; i < m; i += 1) {
    const r = residual[i]!;
    for (let j = 0; j < n; j += 1) dual[j]! += a[i * n + j]! * r;
  }
  let norm = 0;
  for (let i = 0; i < m; i += 1) norm = Math.hypot(norm, residual[i]!);
  return { dual, residualNorm: norm };
}

/** Lawson–Hanson NNLS for a row-major m × n matrix A and b ∈ R^m. */
export function nnls(
  a: Float64Array,
  m: number,
  n: number,
  b: ArrayLike<number>,
  options: NnlsOptions = {},
): NnlsResult {
  if (a.length !== m * n) throw new RangeError(`A must hold m·n = ${m * n} entries`);
  if (b.length !== m) throw new RangeError(`b must have m = ${m} entries`);
  let aMax = 0;
  for (const v of a) aMax = Math.max(aMax, Math.abs(v));
  let bNorm = 0;
  for (let i = 0; i < m; i += 1) bNorm = Math.hypot(bNorm, b[i]!);
  const tolerance = options.tolerance ?? 10 * Number.EPSILON * aMax * Math.max(m, n) * (bNorm || 1);
  const maxIterations = options.maxIterations ?? 3 * n;

  const w = new Float64Array(n);
  const passive = new Uint8Array(n);
  // Columns that failed to enter (dependent on the passive set, or stepped straight back out by
  // rounding) are skipped until the passive set next changes: no cycling on degenerate input.
  const blocked = new Uint8Array(n);
  const passiveList = () => Array.from({ length: n }, (_, j) => j).filter((j) => passive[j]);
  let iterations = 0;
  let { dual } = dualVector(a, m, n, b, w);
  for (;;) {
    // Step 2/5: the most promising column outside the passive set.
    let entering = -1;
    for (let j = 0; j < n; j += 1) {
      if (passive[j] || blocked[j] || !(dual[j]! > tolerance)) continue;
      if (entering < 0 || dual[j]! > dual[entering]!) entering = j;
    }
    if (entering < 0 || iterations >= maxIterations) break;
    iterations += 1;
    passive[entering] = 1;
    // Inner loop (steps 6–11): solve on the passive set, step back to feasibility if needed.
    for (;;) {
      const columns = passiveList();
      const s = leastSquaresColumns(a, m, n, columns, b);
      if (!s) {
        // The entering column is dependent on the passive ones: it cannot improve the fit.
        passive[entering] = 0;
        blocked[entering] = 1;
        break;
      }
      if (s.every((value) => value > 0)) {
        columns.forEach((j, k) => (w[j] = s[k]!));
        break;
      }
      let alpha = Infinity;
      columns.forEach((j, k) => {
        if (s[k]! <= 0) alpha = Math.min(alpha, w[j]! / (w[j]! - s[k]!));
      });
      columns.forEach((j, k) => {
        w[j] = w[j]! + alpha * (s[k]! - w[j]!);
        if (w[j] <= 0 || (s[k]! <= 0 && w[j] <= Number.EPSILON * Math.abs(s[k]!))) {
          w[j] = 0;
          passive[j] = 0;
        }
      });
    }
    if (passive[entering]) blocked.fill(0);
    else blocked[entering] = 1;
    ({ dual } = dualVector(a, m, n, b, w));
  }
  const final = dualVector(a, m, n, b, w);
  return {
    w,
    residualNorm: final.residualNorm,
    support: passiveList().filter((j) => w[j]! > 0),
    iterations,
    dual: final.dual,
  };
}
