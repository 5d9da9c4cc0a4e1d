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

/**
 * log Σ_j exp(shift[j] − matrix[offset + j]) for j < length: the inner loop of every log-domain
 * update (max first, then Σ exp(· − max)), written without temporaries because it is all the work.
 */
export function logSumExpShifted(
  shift: Float64Array,
  matrix: Float64Array,
  offset: number,
  length: number,
): number {
  let max = -Infinity;
  for (let j = 0; j < length; j += 1) {
    const v = shift[j]! - matrix[offset + j]!;
    if (v > max) max = v;
  }
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let j = 0; j < length; j += 1) sum += Math.exp(shift[j]! - matrix[offset + j]! - max);
  return max + Math.log(sum);
}

/**
 * One Sinkhorn state on a dense cost matrix; the unit the CPU solver iterates. It keeps C/ε in
 * both row-major and column-major order so that row and column updates both stream memory.
 */
export class SinkhornState {
  readonly n: number;
  readonly m: number;
  /** C_ij / ε, row-major (n × m). */
  private readonly scaledCost: Float64Array;
  /** C_ij / ε, column-major (m × n). */
  private readonly scaledCostT: Float64Array;
  private readonly logA: Float64Array;
  private readonly logB: Float64Array;
  f: Float64Array;
  g: Float64Array;
  /** log a_i + f_i/ε and log b_j + g_j/ε, refreshed before each half-iteration. */
  private shiftA: Float64Array;
  private shiftB: Float64Array;
  private fTilde: Float64Array;

  constructor(readonly problem: SinkhornProblem) {
    const { x, y, epsilon } = problem;
    this.n = x.length;
    this.m = y.length;
    this.scaledCost = costMatrix(problem.cost, x, y).map((c) => c / epsilon);
    this.scaledCostT = new Float64Array(this.n * this.m);
    for (let i = 0; i < this.n; i += 1) {
      for (let j = 0; j < this.m; j += 1) {
        this.scaledCostT[j * this.n + i] = this.scaledCost[i * this.m + j]!;
      }
    }
    this.logA = Float64Array.from(problem.a, Math.log);
    this.logB = Float64Array.from(problem.b, Math.log);
    this.f = new Float64Array(this.n);
    this.g = new Float64Array(this.m);
    this.shiftA = new Float64Array(this.n);
    this.shiftB = new Float64Array(this.m);
    this.fTilde = new Float64Array(this.n);
  }

  reset(): void {
    this.f.fill(0);
    this.g.fill(0);
  }

  /** out_i = f̃_i = −ε log Σ_j b_j exp((g_j − C_ij)/ε), the row update from the current g. */
  private rowUpdates(out: Float64Array): void {
    const { n, m, logB, g, shiftB, scaledCost } = this;
    const eps = this.problem.epsilon;
    for (let j = 0; j < m; j += 1) shiftB[j] = logB[j]! + g[j]! / eps;
    for (let i = 0; i < n; i += 1) out[i] = -eps * logSumExpShifted(shiftB, scaledCost, i * m, m);
  }

  /** One full iteration: all rows, then all columns. */
  iterate(): void {
    const { n, m, logA, f, g, shiftA, scaledCostT } = this;
    const eps = this.problem.epsilon;
    this.rowUpdates(f);
    for (let i = 0; i < n; i += 1) shiftA[i] = logA[i]! + f[i]! / eps;
    for (let j = 0; j < m; j += 1) g[j] = -eps * logSumExpShifted(shiftA, scaledCostT, j * n, n);
  }

  /** L1 error of the row marginal (columns are exact after `iterate`). */
  marginalError(): number {
    const eps = this.problem.epsilon;
    this.rowUpdates(this.fTilde);
    let error = 0;
    for (let i = 0; i < this.n; i += 1) {
      const a = this.problem.a[i]!;
      if (a > 0) error += a * Math.abs(Math.expm1((this.f[i]! - this.fTilde[i]!) / eps));
    }
    return error;
  }

  /** ⟨C, P⟩, the transport cost of the current plan. */
  transportCost(): number {
    const { n, m, logA, logB, f, g, scaledCost } = this;
    const eps = this.problem.epsilon;
    let total = 0;
    for (let i = 0; i < n; i += 1) {
      for (let j = 0; j < m; j += 1) {
        const c = scaledCost[i * m + j]!;
        total += eps * c * Math.exp(logA[i]! + logB[j]! + (f[i]! + g[j]!) / eps - c);
      }
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
