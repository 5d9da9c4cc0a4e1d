/**
 * The ground barycenter B(y_1, …, y_K) = argmin_x Σ_k c_k(x, y_k) of generic-cost barycenters
 * (MATH.md §5; seed 001, "Assumption: the ground barycenter function is well-defined"), float64.
 *
 * ‖x − y‖_p^q, p = q: the objective Σ_k λ_k Σ_i |x_i − y_ki|^p separates over coordinates; each is
 *   a 1D convex problem whose derivative is monotone, solved by Newton safeguarded by bisection
 *   (rtsafe) inside [min_k y_ki, max_k y_ki]. Closed forms: p = 2 the weighted mean, p = 1 the
 *   weighted median. Tolerance: |x_i − x_i*| ≤ tol · spread_i.
 * ‖x − y‖_p^q, p ≠ q: damped Newton (Armijo backtracking) on a smoothing of the objective whose
 *   smoothing width is driven down to 1e-3 · tol · spread (see newtonPqBarycenter). The objective
 *   is convex (p, q ≥ 1), so the minimiser found is global.
 * Circles, ‖P_k(x) − y_k‖²: non-convex; Levenberg–Marquardt from a warm start, accepting only
 *   decreasing steps, so B never does worse than its start: the fixed-point iterations of
 *   fixedPoint.ts rely on that to keep V non-increasing (seed 001, "Decrease Property").
 */
import type { Circle, GroundSpec } from './groundCost';
import { projectOntoCircle } from './groundCost';

/** Relative tolerance on B (in units of the spread of the points it averages). */
export const DEFAULT_GROUND_TOLERANCE = 1e-10;
const MAX_ITERATIONS = 200;
const ARMIJO = 1e-4;

export interface GroundBarycenterResult {
  x: number[];
  /** Σ_k λ_k base(T_k(x), y_k). */
  objective: number;
  iterations: number;
}

/** Σ_k λ_k base(T_k(x), y_k), skipping λ_k = 0. */
export function groundObjective(
  ground: GroundSpec,
  lambdas: readonly number[],
  ys: readonly (readonly number[])[],
  x: readonly number[],
): number {
  let total = 0;
  lambdas.forEach((lambda, k) => {
    if (lambda === 0) return;
    const y = ys[k]!;
    if (ground.kind === 'circles') {
      const [px, py] = projectOntoCircle(ground.circles[k]!, x);
      total += lambda * ((px - y[0]!) ** 2 + (py - y[1]!) ** 2);
    } else {
      total += lambda * pqDistance(x, y, ground.p, ground.q);
    }
  });
  return total;
}

function pqDistance(x: readonly number[], y: readonly number[], p: number, q: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i += 1) s += Math.abs(x[i]! - y[i]!) ** p;
  return s ** (q / p);
}

/**
 * B(y_1, …, y_K) with weights λ (entries with λ_k = 0 are ignored). `start` is the warm start
 * (used by the non-convex circle family; the convex families find the global minimiser anyway).
 */
export function groundBarycenter(
  ground: GroundSpec,
  lambdas: readonly number[],
  ys: readonly (readonly number[])[],
  start: readonly number[],
  tolerance = DEFAULT_GROUND_TOLERANCE,
): GroundBarycenterResult {
  const active = lambdas.flatMap((lambda, k) => (lambda > 0 ? [k] : []));
  const weights = active.map((k) => lambdas[k]!);
  const points = active.map((k) => ys[k]!);
  let solved: { x: number[]; iterations: number };
  if (ground.kind === 'circles') {
    solved = circleBarycenter(
      active.map((k) => ground.circles[k]!),
      weights,
      points,
      start,
      tolerance,
    );
  } else if (ground.p === ground.q) {
    solved = separableBarycenter(weights, points, ground.p, tolerance);
  } else {
    solved = newtonPqBarycenter(weights, points, ground.p, ground.q, tolerance);
  }
  return { ...solved, objective: groundObjective(ground, lambdas, ys, solved.x) };
}

// ---- ‖·‖_p^p: one 1D problem per coordinate ------------------------------------------------

function separableBarycenter(
  weights: readonly number[],
  points: readonly (readonly number[])[],
  p: number,
  tolerance: number,
): { x: number[]; iterations: number } {
  let iterations = 0;
  const x = points[0]!.map((_, i) => {
    const values = points.map((point) => point[i]!);
    const solved = minimisePowerSum(values, weights, p, tolerance);
    iterations = Math.max(iterations, solved.iterations);
    return solved.t;
  });
  return { x, iterations };
}

/** argmin_t Σ_k w_k |t − v_k|^p for p ≥ 1 (weights > 0). */
export function minimisePowerSum(
  values: readonly number[],
  weights: readonly number[],
  p: number,
  tolerance = DEFAULT_GROUND_TOLERANCE,
): { t: number; iterations: number } {
  if (p === 1) return { t: weightedMedian(values, weights), iterations: 1 };
  const total = weights.reduce((s, w) => s + w, 0);
  const mean = values.reduce((s, v, k) => s + weights[k]! * v, 0) / total;
  if (p === 2) return { t: mean, iterations: 1 };
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const width = tolerance * (hi - lo);
  if (!(hi - lo > 0)) return { t: lo, iterations: 0 };
  // rtsafe (Numerical Recipes §9.4): Newton on the monotone derivative, bisection when Newton
  // would leave the bracket or shrinks it too slowly (|t|^{p−1} has infinite slope at 0 for p < 2).
  let t = Math.min(Math.max(mean, lo), hi);
  let previousStep = hi - lo;
  let step = previousStep;
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration += 1) {
    const { slope, curvature } = powerSumDerivatives(values, weights, p, t);
    if (slope === 0) return { t, iterations: iteration };
    if (slope < 0) lo = t;
    else hi = t;
    const newton = t - slope / curvature;
    if (
      !(newton > lo && newton < hi) ||
      !Number.isFinite(curvature) ||
      Math.abs(2 * slope) > Math.abs(previousStep * curvature)
    ) {
      previousStep = step;
      step = 0.5 * (hi - lo);
      t = lo + step;
    } else {
      previousStep = step;
      step = slope / curvature;
      t = newton;
    }
    if (hi - lo <= width || Math.abs(step) <= 0.5 * width) return { t, iterations: iteration };
  }
  return { t, iterations: MAX_ITERATIONS };
}

/** d/dt and d²/dt² of Σ w_k |t − v_k|^p, divided by p. */
function powerSumDerivatives(
  values: readonly number[],
  weights: readonly number[],
  p: number,
  t: number,
): { slope: number; curvature: number } {
  let slope = 0;
  let curvature = 0;
  values.forEach((v, k) => {
    const u = t - v;
    const magnitude = Math.abs(u);
    slope += weights[k]! * Math.sign(u) * magnitude ** (p - 1);
    curvature += weights[k]! * (p - 1) * magnitude ** (p - 2);
  });
  return { slope, curvature };
}

/**
 * A minimiser of Σ w_k |t − v_k|: the weighted median. When the cumulative weight hits exactly half
 * at a point, every t between it and the next value minimises; we return the midpoint.
 */
export function weightedMedian(values: readonly number[], weights: readonly number[]): number {
  const order = values.map((_, k) => k).sort((i, j) => values[i]! - values[j]!);
  const half = 0.5 * weights.reduce((s, w) => s + w, 0);
  let cumulative = 0;
  for (let r = 0; r < order.length; r += 1) {
    cumulative += weights[order[r]!]!;
    if (cumulative >= half * (1 - 1e-12)) {
      const tie = Math.abs(cumulative - half) <= 1e-12 * half && r + 1 < order.length;
      return tie ? 0.5 * (values[order[r]!]! + values[order[r + 1]!]!) : values[order[r]!]!;
    }
  }
  return values[order[order.length - 1]!]!;
}

// ---- ‖·‖_p^q, p ≠ q: Newton on a smoothing, continued to the tolerance ----------------------

/**
 * ‖u‖_p^q is not differentiable where a coordinate of u vanishes (p = 1) or at u = 0 (q = 1), and
 * the minimiser often sits exactly there (medians). We minimise the smooth convex surrogate
 *   f_δ(x) = Σ_k w_k (Σ_i a_ki^p)^{q/p},  a_ki = √((x_i − y_ki)² + δ²)  (|t| ≤ a ≤ |t| + δ),
 * by damped Newton, for δ = spread, spread/10, … down to 1e-3 · tol · spread, each stage warm-started
 * from the last: the smoothing moves the minimiser by O(δ), below the tolerance at the end.
 */
function newtonPqBarycenter(
  weights: readonly number[],
  points: readonly (readonly number[])[],
  p: number,
  q: number,
  tolerance: number,
): { x: number[]; iterations: number } {
  const d = points[0]!.length;
  const spread = Math.max(
    ...Array.from({ length: d }, (_, i) => {
      const column = points.map((y) => y[i]!);
      return Math.max(...column) - Math.min(...column);
    }),
  );
  if (!(spread > 0)) return { x: [...points[0]!], iterations: 0 };
  // Start from the separable (q = p) solution: same geometry, solved exactly.
  let x = separableBarycenter(weights, points, p, tolerance).x;
  const sum: PqSum = { weights, points, p, q };
  let iterations = 0;
  const finalDelta = 1e-3 * tolerance * spread;
  for (let delta = spread; ; delta = Math.max(delta / 10, finalDelta)) {
    const objective = (z: readonly number[]) => smoothedPqObjective(sum, delta, z);
    let value = objective(x);
    for (let stage = 0; stage < MAX_ITERATIONS; stage += 1) {
      iterations += 1;
      const { gradient, hessian } = smoothedPqDerivatives(sum, delta, x);
      const direction = solveRidge(
        hessian,
        gradient.map((g) => -g),
      );
      const slope = gradient.reduce((s, g, i) => s + g * direction[i]!, 0);
      let length = 1;
      let next = x;
      let nextValue = value;
      for (let halving = 0; halving < 60; halving += 1) {
        next = x.map((v, i) => v + length * direction[i]!);
        nextValue = objective(next);
        if (nextValue <= value + ARMIJO * length * slope) break;
        length *= 0.5;
      }
      if (!(nextValue <= value)) break;
      const moved = Math.max(...next.map((v, i) => Math.abs(v - x[i]!)));
      x = next;
      value = nextValue;
      if (moved <= 1e-2 * delta) break;
    }
    if (delta === finalDelta) return { x, iterations };
  }
}

/** Σ_k w_k ‖x − y_k‖_p^q: the data of the p ≠ q ground barycenter. */
interface PqSum {
  weights: readonly number[];
  points: readonly (readonly number[])[];
  p: number;
  q: number;
}

function smoothedPqObjective(
  { weights, points, p, q }: PqSum,
  delta: number,
  x: readonly number[],
): number {
  return points.reduce((total, y, k) => {
    let s = 0;
    for (let i = 0; i < x.length; i += 1) s += Math.hypot(x[i]! - y[i]!, delta) ** p;
    return total + weights[k]! * s ** (q / p);
  }, 0);
}

/**
 * Gradient and Hessian of f_δ. With a_i = √(u_i² + δ²), s = Σ a_i^p, σ_i = a_i^{p−2} u_i and
 * τ_i = a_i^{p−4} ((p − 1) u_i² + δ²):
 *   ∇ = Σ_k w q s^{q/p−1} σ,   ∇² = Σ_k w q s^{q/p−2} [(q − p) σσᵀ + s diag(τ)].
 */
function smoothedPqDerivatives(
  { weights, points, p, q }: PqSum,
  delta: number,
  x: readonly number[],
): { gradient: number[]; hessian: number[][] } {
  const d = x.length;
  const gradient = new Array<number>(d).fill(0);
  const hessian = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  points.forEach((y, k) => {
    const u = x.map((v, i) => v - y[i]!);
    const a = u.map((v) => Math.hypot(v, delta));
    const sigma = u.map((v, i) => a[i]! ** (p - 2) * v);
    const tau = u.map((v, i) => a[i]! ** (p - 4) * ((p - 1) * v * v + delta * delta));
    const s = a.reduce((acc, v) => acc + v ** p, 0);
    const first = weights[k]! * q * s ** (q / p - 1);
    const outer = weights[k]! * q * (q - p) * s ** (q / p - 2);
    for (let i = 0; i < d; i += 1) {
      gradient[i] = gradient[i]! + first * sigma[i]!;
      for (let j = 0; j < d; j += 1)
        hessian[i]![j] = hessian[i]![j]! + outer * sigma[i]! * sigma[j]!;
      hessian[i]![i] = hessian[i]![i]! + first * tau[i]!;
    }
  });
  return { gradient, hessian };
}

/**
 * Solves (H + ρI) z = b by Gaussian elimination with partial pivoting; the ridge ρ (1e-10 of the
 * largest diagonal entry, then ×100 until the system is solvable) keeps the Newton direction a
 * descent direction where H is only semi-definite (p = 1: rank one).
 */
function solveRidge(hessian: readonly number[][], b: readonly number[]): number[] {
  const top = Math.max(...hessian.map((row, i) => Math.abs(row[i]!)), 1e-300);
  for (let ridge = 1e-10 * top; ; ridge *= 100) {
    const solution = gaussianElimination(
      hessian.map((row, i) => row.map((v, j) => (i === j ? v + ridge : v))),
      [...b],
    );
    const descent = solution && solution.reduce((s, z, i) => s + z * b[i]!, 0) > 0;
    if (solution && descent && solution.every(Number.isFinite)) return solution;
    if (ridge > 1e10 * top) return b.map((v) => v / top); // scaled gradient step
  }
}

function gaussianElimination(a: number[][], b: number[]): number[] | undefined {
  const d = b.length;
  for (let col = 0; col < d; col += 1) {
    let pivot = col;
    for (let row = col + 1; row < d; row += 1) {
      if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    }
    if (!(Math.abs(a[pivot]![col]!) > 0)) return undefined;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    for (let row = col + 1; row < d; row += 1) {
      const factor = a[row]![col]! / a[col]![col]!;
      for (let j = col; j < d; j += 1) a[row]![j] = a[row]![j]! - factor * a[col]![j]!;
      b[row] = b[row]! - factor * b[col]!;
    }
  }
  const z = new Array<number>(d).fill(0);
  for (let row = d - 1; row >= 0; row -= 1) {
    let s = b[row]!;
    for (let j = row + 1; j < d; j += 1) s -= a[row]![j]! * z[j]!;
    z[row] = s / a[row]![row]!;
  }
  return z;
}

// ---- circles: Levenberg–Marquardt ----------------------------------------------------------

/**
 * argmin_x Σ_k w_k ‖P_k(x) − y_k‖² from `start`. Residuals r_k = P_k(x) − y_k with Jacobian
 * J_k = (R_k/ρ_k)(I − v̂v̂ᵀ), v = x − c_k, ρ_k = ‖v‖; Gauss–Newton matrix Σ w_k J_kᵀJ_k, damped.
 */
function circleBarycenter(
  circles: readonly Circle[],
  weights: readonly number[],
  points: readonly (readonly number[])[],
  start: readonly number[],
  tolerance: number,
): { x: number[]; iterations: number } {
  const scale = Math.max(...circles.map((c) => c.radius));
  const objective = (x: readonly number[]) =>
    circles.reduce((s, circle, k) => {
      const [px, py] = projectOntoCircle(circle, x);
      return s + weights[k]! * ((px - points[k]![0]!) ** 2 + (py - points[k]![1]!) ** 2);
    }, 0);
  let x: number[] = [start[0]!, start[1]!];
  let value = objective(x);
  let damping = -1;
  for (let iteration = 1; iteration <= 4 * MAX_ITERATIONS; iteration += 1) {
    const { gradient, gaussNewton } = circleDerivatives(circles, weights, points, x);
    if (damping < 0) damping = 1e-3 * (gaussNewton[0] + gaussNewton[2] + 1e-300);
    let accepted = false;
    while (!accepted && damping < 1e12 * (scale * scale + 1)) {
      const step = solve2x2(
        gaussNewton[0] + damping,
        gaussNewton[1],
        gaussNewton[2] + damping,
        -gradient[0],
        -gradient[1],
      );
      const next = [x[0]! + step[0], x[1]! + step[1]];
      const nextValue = objective(next);
      if (nextValue < value) {
        const moved = Math.hypot(step[0], step[1]);
        x = next;
        value = nextValue;
        damping /= 3;
        accepted = true;
        if (moved <= tolerance * scale) return { x, iterations: iteration };
      } else {
        damping *= 4;
      }
    }
    if (!accepted) return { x, iterations: iteration }; // no decreasing step: a local minimum
  }
  return { x, iterations: 4 * MAX_ITERATIONS };
}

/** ½∇f and the Gauss–Newton matrix [a, b, c] = [[a, b], [b, c]] of f = Σ w‖P(x) − y‖². */
function circleDerivatives(
  circles: readonly Circle[],
  weights: readonly number[],
  points: readonly (readonly number[])[],
  x: readonly number[],
): { gradient: [number, number]; gaussNewton: [number, number, number] } {
  const gradient: [number, number] = [0, 0];
  const gaussNewton: [number, number, number] = [0, 0, 0];
  circles.forEach((circle, k) => {
    const vx = x[0]! - circle.center[0];
    const vy = x[1]! - circle.center[1];
    const rho = Math.hypot(vx, vy);
    if (rho === 0) return; // P is discontinuous at the centre: no derivative information
    const [ux, uy] = [vx / rho, vy / rho];
    const factor = circle.radius / rho;
    // J = factor (I − uuᵀ), symmetric; JᵀJ = factor² (I − uuᵀ).
    const j = [factor * (1 - ux * ux), -factor * ux * uy, factor * (1 - uy * uy)] as const;
    const rx = circle.center[0] + circle.radius * ux - points[k]![0]!;
    const ry = circle.center[1] + circle.radius * uy - points[k]![1]!;
    const w = weights[k]!;
    gradient[0] += w * (j[0] * rx + j[1] * ry);
    gradient[1] += w * (j[1] * rx + j[2] * ry);
    const f2 = w * factor * factor;
    gaussNewton[0] += f2 * (1 - ux * ux);
    gaussNewton[1] += -f2 * ux * uy;
    gaussNewton[2] += f2 * (1 - uy * uy);
  });
  return { gradient, gaussNewton };
}

function solve2x2(a: number, b: number, c: number, r0: number, r1: number): [number, number] {
  const det = a * c - b * b;
  return [(c * r0 - b * r1) / det, (a * r1 - b * r0) / det];
}
