/**
 * Entropic optimal transport by log-domain Sinkhorn, float64 reference (MATH.md §1; seed 004
 * for entropic OT, seed 001 §entropic barycentres).
 *
 *   f_i = −ε log Σ_j b_j exp((g_j − C_ij)/ε)      (row update)
 *   g_j = −ε log Σ_i a_i exp((f_i − C_ij)/ε)      (column update)
 *   P_ij = a_i b_j exp((f_i + g_j − C_ij)/ε)
 *
 * After a column update the column marginals are exact, so the marginal error is the row error
 * Σ_i |r_i − a_i| with r_i = a_i exp((f_i − f̃_i)/ε), f̃ the row update from the current g.
 * The GPU kernels (shaders/sinkhorn.wgsl) perform the same updates in the same order.
 */
import { costMatrix, type CostSpec } from './costs';
import { InputError, requirePoints, requirePositive, requireWeights } from './validate';

export interface SinkhornProblem {
  x: number[][];
  y: number[][];
  a: number[];
  b: number[];
  epsilon: number;
  cost: CostSpec;
}

export interface SinkhornOptions {
  maxIterations: number;
  /** Stop when the L1 marginal error falls below this. */
  tolerance: number;
  /** Check the marginal error every this many iterations. */
  checkEvery: number;
}

export const DEFAULT_SINKHORN_OPTIONS: SinkhornOptions = {
  maxIterations: 1000,
  tolerance: 1e-6,
  checkEvery: 10,
};

/** log Σ_k exp(v_k) without overflow; −∞ for an empty or all −∞ input. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let k = 0; k < values.length; k += 1) max = Math.max(max, values[k]!);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let k = 0; k < values.length; k += 1) sum += Math.exp(values[k]! - max);
  return max + Math.log(sum);
}

/** Validates a problem, raising InputError on the first bad field. */
export function validateSinkhornProblem(problem: SinkhornProblem): SinkhornProblem {
  const x = requirePoints(problem.x, 'x');
  const y = requirePoints(problem.y, 'y');
  if (x[0]!.length !== y[0]!.length) {
    throw new InputError('y', `points have ${y[0]!.length} coordinates but x has ${x[0]!.length}`);
  }
  const epsilon = requirePositive(problem.epsilon, 'epsilon');
  const a = requireWeights(problem.a, 'a', x.length);
  const b = requireWeights(problem.b, 'b', y.length);
  return { x, y, a, b, epsilon, cost: problem.cost };
}

/** One Sinkhorn state on a dense cost matrix; the unit the CPU solver iterates. */
export class SinkhornState {
  readonly n: number;
  readonly m: number;
  readonly cost: Float64Array;
  readonly logA: Float64Array;
  readonly logB: Float64Array;
  f: Float64Array;
  g: Float64Array;
  private scratch: Float64Array;

  constructor(readonly problem: SinkhornProblem) {
    this.n = problem.x.length;
    this.m = problem.y.length;
    this.cost = costMatrix(problem.cost, problem.x, problem.y);
    this.logA = Float64Array.from(problem.a, Math.log);
    this.logB = Float64Array.from(problem.b, Math.log);
    this.f = new Float64Array(this.n);
    this.g = new Float64Array(this.m);
    this.scratch = new Float64Array(Math.max(this.n, this.m));
  }

  reset(): void {
    this.f.fill(0);
    this.g.fill(0);
  }

  /** f̃_i, the row update from the current g. */
  rowUpdate(i: number): number {
    const { m, cost, logB, g, scratch } = this;
    const eps = this.problem.epsilon;
    for (let j = 0; j < m; j += 1) scratch[j] = logB[j]! + (g[j]! - cost[i * m + j]!) / eps;
    return -eps * logSumExp(scratch.subarray(0, m));
  }

  columnUpdate(j: number): number {
    const { n, m, cost, logA, f, scratch } = this;
    const eps = this.problem.epsilon;
    for (let i = 0; i < n; i += 1) scratch[i] = logA[i]! + (f[i]! - cost[i * m + j]!) / eps;
    return -eps * logSumExp(scratch.subarray(0, n));
  }

  /** One full iteration: all rows, then all columns. */
  iterate(): void {
    for (let i = 0; i < this.n; i += 1) this.f[i] = this.rowUpdate(i);
    for (let j = 0; j < this.m; j += 1) this.g[j] = this.columnUpdate(j);
  }

  /** L1 error of the row marginal (columns are exact after `iterate`). */
  marginalError(): number {
    const eps = this.problem.epsilon;
    let error = 0;
    for (let i = 0; i < this.n; i += 1) {
      const a = this.problem.a[i]!;
      if (a > 0) error += a * Math.abs(Math.expm1((this.f[i]! - this.rowUpdate(i)) / eps));
    }
    return error;
  }

  planEntry(i: number, j: number): number {
    const c = this.cost[i * this.m + j]!;
    return Math.exp(
      this.logA[i]! + this.logB[j]! + (this.f[i]! + this.g[j]! - c) / this.problem.epsilon,
    );
  }

  /** ⟨C, P⟩, the transport cost of the current plan. */
  transportCost(): number {
    let total = 0;
    for (let i = 0; i < this.n; i += 1) {
      for (let j = 0; j < this.m; j += 1)
        total += this.cost[i * this.m + j]! * this.planEntry(i, j);
    }
    return total;
  }
}

/** Σ a_i f_i + Σ b_j g_j, the entropic dual objective (equals OT_ε at convergence). */
export function dualObjective(
  problem: SinkhornProblem,
  f: ArrayLike<number>,
  g: ArrayLike<number>,
) {
  let total = 0;
  problem.a.forEach((a, i) => (total += a > 0 ? a * f[i]! : 0));
  problem.b.forEach((b, j) => (total += b > 0 ? b * g[j]! : 0));
  return total;
}

/** Dense plan P_ij = a_i b_j exp((f_i + g_j − C_ij)/ε), row-major, from any backend's potentials. */
export function planFromPotentials(
  problem: SinkhornProblem,
  f: ArrayLike<number>,
  g: ArrayLike<number>,
): Float64Array {
  const { x, y, a, b, epsilon, cost } = problem;
  const matrix = costMatrix(cost, x, y);
  return matrix.map((c, index) => {
    const i = Math.floor(index / y.length);
    const j = index % y.length;
    return a[i]! * b[j]! * Math.exp((f[i]! + g[j]! - c) / epsilon);
  });
}

export interface PlanEntry {
  i: number;
  j: number;
  mass: number;
}

/** The `k` heaviest entries of each row of the plan: what a drawing or a summary needs. */
export function planTopPerRow(
  problem: SinkhornProblem,
  f: ArrayLike<number>,
  g: ArrayLike<number>,
  k: number,
): PlanEntry[] {
  const plan = planFromPotentials(problem, f, g);
  const m = problem.y.length;
  const entries: PlanEntry[] = [];
  for (let i = 0; i < problem.x.length; i += 1) {
    const row = Array.from(plan.subarray(i * m, (i + 1) * m), (mass, j) => ({ i, j, mass }));
    row.sort((p, q) => q.mass - p.mass);
    entries.push(...row.slice(0, k));
  }
  return entries;
}

/** Largest possible cost between the two clouds' bounding boxes, for ε scales and float32 checks. */
export function costScale(problem: SinkhornProblem): number {
  const dimension = problem.x[0]!.length;
  const lo = new Array<number>(dimension).fill(Infinity);
  const hi = new Array<number>(dimension).fill(-Infinity);
  for (const point of [...problem.x, ...problem.y]) {
    point.forEach((v, k) => {
      lo[k] = Math.min(lo[k]!, v);
      hi[k] = Math.max(hi[k]!, v);
    });
  }
  const corner = hi.map((v, k) => v - lo[k]!);
  return Math.max(
    costMatrix(problem.cost, [corner], [new Array<number>(dimension).fill(0)])[0]!,
    1e-300,
  );
}
