/**
 * Gauss quadrature in float64 (MATH.md §7: moments exact to machine precision, seed 003 Remark 4).
 *
 * Gauss rules come from the Jacobi matrix of the orthogonal polynomials (Golub–Welsch): the nodes
 * are the eigenvalues of the symmetric tridiagonal matrix of recurrence coefficients, found by the
 * implicit QL algorithm below. The eigenvalues are then polished by Newton on the orthonormal
 * three-term recurrence and the weights taken as Christoffel numbers 1/Σ_k p_k(x_i)², which keeps
 * full relative accuracy even for the tiny outer Gauss–Hermite weights (the eigenvector route only
 * gives them to absolute accuracy). Measured against 40-digit references for n = 100: nodes within
 * 6e-17 (Legendre, absolute) and 1.2e-16 (Hermite, relative), weights within 1.7e-13 and 4e-14
 * relative, which is the conditioning of the weight at the rounded outermost nodes.
 */

export interface QuadratureRule {
  /** Nodes, ascending. */
  readonly nodes: Float64Array;
  /** Weights; their sum is the mass of the weight function (2 on [−1, 1] for Legendre). */
  readonly weights: Float64Array;
}

/** Eigenvalues of a symmetric tridiagonal matrix and the first component of each eigenvector. */
export interface TridiagonalEigen {
  values: Float64Array;
  firstComponents: Float64Array;
}

const MAX_QL_ITERATIONS = 60;

/**
 * Implicit QL with Wilkinson shifts for a symmetric tridiagonal matrix (the classical `tqli`),
 * tracking only the first row of the eigenvector matrix (all Golub–Welsch needs).
 * `diagonal` has n entries, `offDiagonal` n − 1 (entry i couples i and i + 1). Unsorted output.
 */
export function symmetricTridiagonalEigen(
  diagonal: ArrayLike<number>,
  offDiagonal: ArrayLike<number>,
): TridiagonalEigen {
  const n = diagonal.length;
  if (offDiagonal.length !== Math.max(0, n - 1)) {
    throw new RangeError(`offDiagonal must have ${n - 1} entries, got ${offDiagonal.length}`);
  }
  const d = Float64Array.from(diagonal);
  const e = new Float64Array(n);
  for (let i = 0; i + 1 < n; i += 1) e[i] = offDiagonal[i]!;
  const z = new Float64Array(n);
  if (n > 0) z[0] = 1;
  for (let l = 0; l < n; l += 1) {
    for (let iteration = 0; ; iteration += 1) {
      let m = l;
      for (; m < n - 1; m += 1) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (iteration === MAX_QL_ITERATIONS) {
        throw new Error('symmetricTridiagonalEigen: QL did not converge in 60 iterations');
      }
      qlSweep(d, e, z, l, m);
    }
  }
  return { values: d, firstComponents: z };
}

/** One implicit shifted QL sweep on the block l..m (rotations also applied to the row z). */
function qlSweep(d: Float64Array, e: Float64Array, z: Float64Array, l: number, m: number): void {
  let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
  let r = Math.hypot(g, 1);
  g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
  let s = 1;
  let c = 1;
  let p = 0;
  let i = m - 1;
  for (; i >= l; i -= 1) {
    const f = s * e[i]!;
    const b = c * e[i]!;
    r = Math.hypot(f, g);
    e[i + 1] = r;
    if (r === 0) {
      // Underflow: the matrix split; deflate and let the caller restart.
      d[i + 1] = d[i + 1]! - p;
      e[m] = 0;
      return;
    }
    s = f / r;
    c = g / r;
    g = d[i + 1]! - p;
    r = (d[i]! - g) * s + 2 * c * b;
    p = s * r;
    d[i + 1] = g + p;
    g = c * r - b;
    const zi1 = z[i + 1]!;
    z[i + 1] = s * z[i]! + c * zi1;
    z[i] = c * z[i]! - s * zi1;
  }
  d[l] = d[l]! - p;
  e[l] = g;
  e[m] = 0;
}

/**
 * Orthonormal polynomials of a three-term recurrence x p_k = b_{k+1} p_{k+1} + a_k p_k + b_k p_{k−1}
 * (b_k = √β_k), p_0 = 1/√μ0. A family is given by a_k, b_k (k ≥ 1) and μ0.
 */
export interface JacobiFamily {
  alpha(k: number): number;
  /** √β_k, k ≥ 1. */
  beta(k: number): number;
  mass: number;
}

/** p_n(x) and p'_n(x) plus Σ_{k<n} p_k(x)² (the inverse Christoffel number). */
function orthonormalAt(family: JacobiFamily, n: number, x: number) {
  let previous = 0;
  let current = 1 / Math.sqrt(family.mass);
  let dPrevious = 0;
  let dCurrent = 0;
  let sumSquares = 0;
  for (let k = 0; k < n; k += 1) {
    sumSquares += current * current;
    const a = family.alpha(k);
    const bNext = family.beta(k + 1);
    const bk = k === 0 ? 0 : family.beta(k);
    const next = ((x - a) * current - bk * previous) / bNext;
    const dNext = ((x - a) * dCurrent + current - bk * dPrevious) / bNext;
    previous = current;
    current = next;
    dPrevious = dCurrent;
    dCurrent = dNext;
  }
  return { value: current, derivative: dCurrent, sumSquares };
}

/** n-point Gauss rule of a family by Golub–Welsch, Newton polish and Christoffel weights. */
export function gaussRule(family: JacobiFamily, n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  const diagonal = Array.from({ length: n }, (_, k) => family.alpha(k));
  const offDiagonal = Array.from({ length: n - 1 }, (_, k) => family.beta(k + 1));
  const { values } = symmetricTridiagonalEigen(diagonal, offDiagonal);
  const nodes = Float64Array.from(values).sort();
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let x = nodes[i]!;
    for (let step = 0; step < 3; step += 1) {
      const { value, derivative } = orthonormalAt(family, n, x);
      const dx = value / derivative;
      x -= dx;
      if (Math.abs(dx) <= Number.EPSILON * Math.max(1, Math.abs(x))) break;
    }
    nodes[i] = x;
    // Christoffel number (less sensitive to the rounding of x_i than Christoffel–Darboux).
    weights[i] = 1 / orthonormalAt(family, n, x).sumSquares;
  }
  return { nodes, weights };
}

/** Legendre: weight 1 on [−1, 1], β_k = k²/(4k² − 1). */
export const LEGENDRE_FAMILY: JacobiFamily = {
  alpha: () => 0,
  beta: (k) => k / Math.sqrt(4 * k * k - 1),
  mass: 2,
};

/** Probabilists' Hermite: weight e^{−x²/2}/√(2π) (a probability), β_k = k. */
export const HERMITE_FAMILY: JacobiFamily = {
  alpha: () => 0,
  beta: (k) => Math.sqrt(k),
  mass: 1,
};

const legendreCache = new Map<number, QuadratureRule>();
const hermiteCache = new Map<number, QuadratureRule>();

function cached(cache: Map<number, QuadratureRule>, family: JacobiFamily, n: number) {
  let rule = cache.get(n);
  if (!rule) {
    rule = gaussRule(family, n);
    cache.set(n, rule);
  }
  return rule;
}

/** n-point Gauss–Legendre on [−1, 1] (exact for degree ≤ 2n − 1); cached, do not mutate. */
export function gaussLegendre(n: number): QuadratureRule {
  return cached(legendreCache, LEGENDRE_FAMILY, n);
}

/** n-point Gauss–Legendre mapped to [a, b]. */
export function gaussLegendreOn(n: number, a: number, b: number): QuadratureRule {
  const base = gaussLegendre(n);
  const half = (b - a) / 2;
  const mid = (a + b) / 2;
  return {
    nodes: base.nodes.map((u) => mid + half * u),
    weights: base.weights.map((w) => w * half),
  };
}

/**
 * n-point Gauss–Hermite for the standard normal law (probabilists': E f(Z) ≈ Σ w_i f(x_i), weights
 * sum to 1, exact for degree ≤ 2n − 1); cached, do not mutate.
 */
export function gaussHermite(n: number): QuadratureRule {
  return cached(hermiteCache, HERMITE_FAMILY, n);
}

/** Number of Gauss nodes exact for polynomials of the given degree. */
export function gaussNodesForDegree(degree: number): number {
  return Math.max(1, Math.ceil((degree + 1) / 2));
}

export interface AdaptiveOptions {
  /** Absolute tolerance on the whole integral (default 1e-13). */
  tolerance?: number;
  /** Gauss–Legendre nodes per panel (default 20). */
  nodes?: number;
  /** Maximal bisection depth (default 50). */
  maxDepth?: number;
}

export interface AdaptiveResult {
  value: number;
  /** Sum of |panel − two half panels| over accepted panels: a (pessimistic) error estimate. */
  errorEstimate: number;
  evaluations: number;
}

/**
 * ∫_a^b f by adaptive bisection with a Gauss–Legendre panel rule: a panel is accepted when its
 * value agrees with the sum over its two halves. Copes with integrable endpoint singularities and
 * kinks (bisection refines geometrically towards them); put known kinks at panel ends.
 */
export function integrateAdaptive(
  f: (x: number) => number,
  a: number,
  b: number,
  options: AdaptiveOptions = {},
): AdaptiveResult {
  const rule = gaussLegendre(options.nodes ?? 20);
  const maxDepth = options.maxDepth ?? 50;
  let evaluations = 0;
  const panel = (lo: number, hi: number) => {
    const half = (hi - lo) / 2;
    const mid = (lo + hi) / 2;
    let sum = 0;
    for (let i = 0; i < rule.nodes.length; i += 1)
      sum += rule.weights[i]! * f(mid + half * rule.nodes[i]!);
    evaluations += rule.nodes.length;
    return sum * half;
  };
  const tolerance = options.tolerance ?? 1e-13;
  // A panel's share of the tolerance halves with its width, but never below this floor: where the
  // integrand is noisy (an ill-conditioned quantile near a zero of a density) halving forever would
  // refine a whole region to maxDepth; the floor bounds the extra error by tolerance·2^-20 per panel.
  const floor = tolerance * 2 ** -20;
  let value = 0;
  let errorEstimate = 0;
  const stack: { lo: number; hi: number; whole: number; tol: number; depth: number }[] = [
    { lo: a, hi: b, whole: panel(a, b), tol: tolerance, depth: 0 },
  ];
  while (stack.length > 0) {
    const { lo, hi, whole, tol, depth } = stack.pop()!;
    const mid = (lo + hi) / 2;
    const left = panel(lo, mid);
    const right = panel(mid, hi);
    const difference = Math.abs(left + right - whole);
    if (difference <= Math.max(tol, floor) || depth >= maxDepth || mid <= lo || mid >= hi) {
      value += left + right;
      errorEstimate += difference;
    } else {
      stack.push({ lo, hi: mid, whole: left, tol: tol / 2, depth: depth + 1 });
      stack.push({ lo: mid, hi, whole: right, tol: tol / 2, depth: depth + 1 });
    }
  }
  return { value, errorEstimate, evaluations };
}
