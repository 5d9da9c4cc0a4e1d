/**
 * Shared types and validation of the exact discrete OT solvers (MATH.md §1; seed 004, Kantorovich
 * relaxation and duality): min ⟨C, P⟩ over P ≥ 0 with P1 = a, Pᵀ1 = b, and its dual
 * max Σ a_i u_i + Σ b_j v_j over u_i + v_j ≤ C_ij.
 */
import { costMatrix, type CostSpec } from '../costs';
import { InputError, requireFiniteNumber, requireVector } from '../validate';

/** Dense n × m cost matrix, row-major: C_ij = values[i * m + j]. */
export interface CostMatrix {
  readonly n: number;
  readonly m: number;
  readonly values: Float64Array;
}

/** A cost matrix as rows of numbers (JSON) or already dense. */
export type CostMatrixInput = CostMatrix | readonly (readonly number[])[];

/** One entry of a transport plan: mass moved from source i to target j. */
export interface PlanEntry {
  i: number;
  j: number;
  mass: number;
}

export interface ExactProblem {
  /** Source weights, ≥ 0. */
  a: readonly number[];
  /** Target weights, ≥ 0, same total as `a` (relative tolerance). */
  b: readonly number[];
  C: CostMatrixInput;
}

/** A validated problem: b is rescaled to a's total so that the masses balance exactly. */
export interface ValidatedExactProblem {
  a: Float64Array;
  b: Float64Array;
  C: CostMatrix;
  /** Σ a_i. */
  mass: number;
}

/** Optimal plan with a dual certificate (u_i + v_j ≤ C_ij, equality on the support). */
export interface ExactSolution {
  n: number;
  m: number;
  /** Entries with positive mass, sorted by (i, j). */
  plan: PlanEntry[];
  /** ⟨C, P⟩. */
  cost: number;
  u: Float64Array;
  v: Float64Array;
  iterations: number;
}

/** Default relative tolerance on |Σa − Σb| / max(Σa, Σb). */
export const MASS_TOLERANCE = 1e-6;

/** Thrown when an iterative exact solver hits its iteration cap (a runtime, not an input, error). */
export class IterationLimitError extends Error {
  override name = 'IterationLimitError';
}

export function costMatrixFromPoints(
  cost: CostSpec,
  x: readonly number[][],
  y: readonly number[][],
): CostMatrix {
  return { n: x.length, m: y.length, values: costMatrix(cost, x, y) };
}

function isDense(C: CostMatrixInput): C is CostMatrix {
  return !Array.isArray(C) && typeof C === 'object' && 'values' in C;
}

/** Validates shape and finiteness; every entry must be a finite number. */
export function requireCostMatrix(C: unknown, field: string): CostMatrix {
  if (typeof C === 'object' && C !== null && isDense(C as CostMatrixInput)) {
    const dense = C as CostMatrix;
    if (!Number.isInteger(dense.n) || !Number.isInteger(dense.m) || dense.n < 1 || dense.m < 1) {
      throw new InputError(field, `needs n, m >= 1, got ${dense.n} x ${dense.m}`);
    }
    if (dense.values.length !== dense.n * dense.m) {
      throw new InputError(
        field,
        `has ${dense.values.length} values, expected n*m = ${dense.n * dense.m}`,
      );
    }
    dense.values.forEach((value, k) => {
      if (!Number.isFinite(value)) {
        const where = `${field}[${Math.floor(k / dense.m)}][${k % dense.m}]`;
        throw new InputError(where, `expected a finite number, got ${value}`);
      }
    });
    return dense;
  }
  if (!Array.isArray(C) || C.length === 0) {
    throw new InputError(field, 'expected a non-empty matrix like [[0, 1], [1, 0]]');
  }
  const rows = C.map((row, i) => requireVector(row, `${field}[${i}]`));
  const m = rows[0]!.length;
  if (m === 0) throw new InputError(`${field}[0]`, 'rows must have at least one entry');
  const values = new Float64Array(rows.length * m);
  rows.forEach((row, i) => {
    if (row.length !== m) {
      throw new InputError(
        `${field}[${i}]`,
        `has ${row.length} entries, expected ${m} like ${field}[0]`,
      );
    }
    values.set(row, i * m);
  });
  return { n: rows.length, m, values };
}

/** Non-negative finite weights of the given length with a positive total. */
export function requireMassVector(value: unknown, field: string, length: number): Float64Array {
  const weights = requireVector(value, field, length);
  let total = 0;
  weights.forEach((w, i) => {
    if (w < 0) throw new InputError(`${field}[${i}]`, `weights must be >= 0, got ${w}`);
    total += w;
  });
  if (!(total > 0))
    throw new InputError(field, 'weights sum to 0: give at least one positive weight');
  return Float64Array.from(weights);
}

/**
 * Validates an exact OT problem. The totals of a and b must agree within `tolerance` (relative);
 * b is then rescaled to a's total so that a balanced network exists.
 */
export function validateExactProblem(
  problem: ExactProblem,
  tolerance = MASS_TOLERANCE,
): ValidatedExactProblem {
  const C = requireCostMatrix(problem.C, 'C');
  const a = requireMassVector(problem.a, 'a', C.n);
  const b = requireMassVector(problem.b, 'b', C.m);
  return { a, b: balanceMass(a, b, tolerance), C, mass: sum(a) };
}

/** Rescales b to a's total; throws (naming `b`) when the totals differ beyond `tolerance`. */
export function balanceMass(a: Float64Array, b: Float64Array, tolerance: number): Float64Array {
  requireFiniteNumber(tolerance, 'tolerance');
  const totalA = sum(a);
  const totalB = sum(b);
  if (Math.abs(totalA - totalB) > tolerance * Math.max(totalA, totalB)) {
    throw new InputError(
      'b',
      `total mass ${totalB} differs from the total of a, ${totalA}: transport needs equal masses (normalise both)`,
    );
  }
  const scale = totalA / totalB;
  return scale === 1 ? b : b.map((w) => w * scale);
}

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let k = 0; k < values.length; k += 1) total += values[k]!;
  return total;
}

export function costAt(C: CostMatrix, i: number, j: number): number {
  return C.values[i * C.m + j]!;
}

export function planCost(C: CostMatrix, plan: readonly PlanEntry[]): number {
  let total = 0;
  for (const { i, j, mass } of plan) total += mass * costAt(C, i, j);
  return total;
}

/** The n × m matrix of a sparse plan, row-major. */
export function densePlan(plan: readonly PlanEntry[], n: number, m: number): Float64Array {
  const dense = new Float64Array(n * m);
  for (const { i, j, mass } of plan) dense[i * m + j] = dense[i * m + j]! + mass;
  return dense;
}

/** Entries of a dense row-major plan above `threshold`. */
export function sparsePlan(
  dense: ArrayLike<number>,
  n: number,
  m: number,
  threshold = 0,
): PlanEntry[] {
  const plan: PlanEntry[] = [];
  for (let i = 0; i < n; i += 1)
    for (let j = 0; j < m; j += 1) {
      const mass = dense[i * m + j]!;
      if (mass > threshold) plan.push({ i, j, mass });
    }
  return plan;
}

/**
 * The north-west corner rule: fill the plan row by row, moving right when a column is full. For
 * weights in the given order it returns the n + m − 1 basis cells in walk order (some with zero
 * mass when cumulative sums tie or weights vanish). b must have a's total (see balanceMass); the
 * last cumulative sums are set to that total so that both ends meet exactly.
 */
export function northWestCorner(a: ArrayLike<number>, b: ArrayLike<number>): PlanEntry[] {
  const n = a.length;
  const m = b.length;
  const total = sum(a);
  const rowSums = cumulativeTo(a, total);
  const columnSums = cumulativeTo(b, total);
  const cells: PlanEntry[] = [];
  let t = 0;
  let r = 0;
  let c = 0;
  for (;;) {
    const next = Math.min(rowSums[r]!, columnSums[c]!);
    cells.push({ i: r, j: c, mass: Math.max(0, next - t) });
    t = Math.max(t, next);
    if (r === n - 1 && c === m - 1) return cells;
    if (c === m - 1 || (r < n - 1 && rowSums[r]! <= columnSums[c]!)) r += 1;
    else c += 1;
  }
}

function cumulativeTo(weights: ArrayLike<number>, total: number): Float64Array {
  const sums = new Float64Array(weights.length);
  let running = 0;
  for (let k = 0; k < weights.length; k += 1) {
    running += weights[k]!;
    sums[k] = running;
  }
  sums[weights.length - 1] = total;
  return sums;
}

/** The c-transform of row potentials (seed 004, "Conjugacy"): u^c_j = min_i C_ij − u_i. */
export function cTransformOfRows(C: CostMatrix, u: ArrayLike<number>): Float64Array {
  const { n, m, values } = C;
  const v = new Float64Array(m).fill(Infinity);
  for (let i = 0; i < n; i += 1)
    for (let j = 0; j < m; j += 1) v[j] = Math.min(v[j]!, values[i * m + j]! - u[i]!);
  return v;
}

/** The c-transform of column potentials: v^c_i = min_j C_ij − v_j. */
export function cTransformOfColumns(C: CostMatrix, v: ArrayLike<number>): Float64Array {
  const { n, m, values } = C;
  const u = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i += 1)
    for (let j = 0; j < m; j += 1) u[i] = Math.min(u[i]!, values[i * m + j]! - v[j]!);
  return u;
}

/**
 * One round of c-transforms (seed 004, "Conjugacy"): u ← v^c, then v ← u^c. Optimal duals stay
 * optimal (rows and columns carrying mass are already tight), zero-weight points get the tightest
 * feasible potential, and feasibility u_i + v_j ≤ C_ij then holds to one rounding.
 */
export function cTransformDuals(C: CostMatrix, u: Float64Array, v: Float64Array): void {
  u.set(cTransformOfColumns(C, v));
  v.set(cTransformOfRows(C, u));
}

/**
 * Removes the gauge freedom (u + t, v − t) of the duals, our convention: t is chosen so that
 * Σ a_i u_i = Σ b_j v_j, each half of the dual objective.
 */
export function balanceDuals(
  u: Float64Array,
  v: Float64Array,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): void {
  let au = 0;
  let bv = 0;
  for (let i = 0; i < u.length; i += 1) au += a[i]! * u[i]!;
  for (let j = 0; j < v.length; j += 1) bv += b[j]! * v[j]!;
  const t = (au - bv) / (sum(a) + sum(b));
  for (let i = 0; i < u.length; i += 1) u[i] = u[i]! - t;
  for (let j = 0; j < v.length; j += 1) v[j] = v[j]! + t;
}

/** Σ a_i u_i + Σ b_j v_j: equals ⟨C, P⟩ at optimality (strong duality, seed 004). */
export function dualObjective(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  u: ArrayLike<number>,
  v: ArrayLike<number>,
): number {
  let total = 0;
  for (let i = 0; i < a.length; i += 1) total += a[i]! * u[i]!;
  for (let j = 0; j < b.length; j += 1) total += b[j]! * v[j]!;
  return total;
}
