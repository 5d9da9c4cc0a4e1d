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
import { costMatrix, costValue, type CostSpec } from './costs';
import {
  InputError,
  orDefault,
  requireInteger,
  requireObject,
  requirePoints,
  requirePositive,
  requireWeights,
} from './validate';

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
  /** Anneal ε geometrically down to each problem's ε, warm-starting the potentials. */
  epsilonScaling?: EpsilonScaling;
}

/**
 * ε-scaling (MATH.md §1: "anneal ε from the diameter down"): iteration t (1-based) runs at
 * ε_t = max(start · factor^⌊(t − 1)/iterationsPerStage⌋, ε). Marginal errors are checked only once
 * every problem of a batch has reached its ε, so convergence is always judged at the target.
 */
export interface EpsilonScaling {
  /** First ε; defaults to the cost scale (diameter² for the squared Euclidean cost). */
  start?: number;
  /** Ratio between consecutive stages, in (0, 1). */
  factor: number;
  iterationsPerStage: number;
}

export const DEFAULT_EPSILON_SCALING: EpsilonScaling = { factor: 0.7, iterationsPerStage: 3 };

/** Accepts `true` (defaults) or `{ start?, factor?, iterationsPerStage? }`. */
export function parseEpsilonScaling(value: unknown, field: string): EpsilonScaling | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { ...DEFAULT_EPSILON_SCALING };
  const spec = requireObject(value, field);
  const d = DEFAULT_EPSILON_SCALING;
  const factor = orDefault(spec.factor, d.factor, (v) => requirePositive(v, `${field}.factor`));
  if (factor >= 1)
    throw new InputError(`${field}.factor`, `must be < 1 to decrease ε, got ${factor}`);
  return {
    ...(spec.start === undefined ? {} : { start: requirePositive(spec.start, `${field}.start`) }),
    factor,
    iterationsPerStage: orDefault(spec.iterationsPerStage, d.iterationsPerStage, (v) =>
      requireInteger(v, `${field}.iterationsPerStage`, 1, 1e6),
    ),
  };
}

/** Stages above the target ε of one problem (0 when the schedule starts at or below it). */
function annealingStages(problem: SinkhornProblem, scaling: EpsilonScaling): number {
  const start = scaling.start ?? costScale(problem);
  if (start <= problem.epsilon) return 0;
  return Math.ceil(Math.log(problem.epsilon / start) / Math.log(scaling.factor) - 1e-12);
}

/** ε used by iteration `t` (1-based) of `problem` under `scaling`. */
export function annealedEpsilon(
  problem: SinkhornProblem,
  scaling: EpsilonScaling | undefined,
  t: number,
): number {
  if (!scaling || annealingStages(problem, scaling) === 0) return problem.epsilon;
  const stage = Math.floor((t - 1) / scaling.iterationsPerStage);
  return Math.max((scaling.start ?? costScale(problem)) * scaling.factor ** stage, problem.epsilon);
}

/** Iterations before every problem of the batch runs at its own ε (no checks before). */
export function annealingIterations(
  problems: readonly SinkhornProblem[],
  scaling: EpsilonScaling | undefined,
): number {
  if (!scaling) return 0;
  return Math.max(...problems.map((p) => annealingStages(p, scaling))) * scaling.iterationsPerStage;
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
  /** The ε the iterations use: the problem's, or a larger one while annealing. */
  epsilon: number;

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
    this.epsilon = epsilon;
  }

  reset(): void {
    this.f.fill(0);
    this.g.fill(0);
  }

  /** Changes ε keeping the potentials (a warm start); rescales the stored C/ε. */
  setEpsilon(epsilon: number): void {
    if (epsilon === this.epsilon) return;
    const ratio = this.epsilon / epsilon;
    for (let k = 0; k < this.scaledCost.length; k += 1) {
      this.scaledCost[k]! *= ratio;
      this.scaledCostT[k]! *= ratio;
    }
    this.epsilon = epsilon;
  }

  /** out_i = f̃_i = −ε log Σ_j b_j exp((g_j − C_ij)/ε), the row update from the current g. */
  private rowUpdates(out: Float64Array): void {
    const { n, m, logB, g, shiftB, scaledCost } = this;
    const eps = this.epsilon;
    for (let j = 0; j < m; j += 1) shiftB[j] = logB[j]! + g[j]! / eps;
    for (let i = 0; i < n; i += 1) out[i] = -eps * logSumExpShifted(shiftB, scaledCost, i * m, m);
  }

  /** One full iteration: all rows, then all columns. */
  iterate(): void {
    const { n, m, logA, f, g, shiftA, scaledCostT } = this;
    const eps = this.epsilon;
    this.rowUpdates(f);
    for (let i = 0; i < n; i += 1) shiftA[i] = logA[i]! + f[i]! / eps;
    for (let j = 0; j < m; j += 1) g[j] = -eps * logSumExpShifted(shiftA, scaledCostT, j * n, n);
  }

  /** L1 error of the row marginal (columns are exact after `iterate`). */
  marginalError(): number {
    const eps = this.epsilon;
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
    const eps = this.epsilon;
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

/**
 * The debiased Sinkhorn divergence (MATH.md §1; seeds 004, 001) needs three entropic problems per
 * pair: (a, b), (a, a), (b, b). Returns them as one batch, [xy₀, xx₀, yy₀, xy₁, …].
 */
export function debiasedBatch(problems: readonly SinkhornProblem[]): SinkhornProblem[] {
  return problems.flatMap((p) => [p, { ...p, y: p.x, b: p.a }, { ...p, x: p.y, a: p.b }]);
}

/** S_ε(a, b) = OT_ε(a, b) − ½ OT_ε(a, a) − ½ OT_ε(b, b) from the batch's OT_ε values, per pair. */
export function sinkhornDivergences(entropicCosts: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k + 2 < entropicCosts.length; k += 3) {
    out.push(entropicCosts[k]! - 0.5 * entropicCosts[k + 1]! - 0.5 * entropicCosts[k + 2]!);
  }
  return out;
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

/** Per row, the k heaviest plan entries: row i holds slots [i·k, (i + 1)·k), heaviest first. */
export interface PlanTopK {
  /** Entries per row: min(requested k, m). */
  k: number;
  /** Column j of each slot. */
  index: Int32Array;
  /** P_ij of each slot. */
  mass: Float64Array;
}

/**
 * The k largest entries of each row of P_ij = a_i b_j exp((f_i + g_j − C_ij)/ε) (MATH.md §1),
 * streamed: the cost is computed on the fly and only O(n·k) is stored, so it serves n·m too large
 * for a dense plan. Rows are ranked by log b_j + (g_j − C_ij)/ε (a_i and f_i are common to the
 * row); ties keep the smaller j. The GPU kernel `plan_top_k` (shaders/sinkhorn.wgsl) ranks alike.
 */
export function sinkhornPlanTopK(
  problem: SinkhornProblem,
  f: ArrayLike<number>,
  g: ArrayLike<number>,
  k: number,
): PlanTopK {
  const { x, y, a, b, epsilon, cost } = problem;
  if (!Number.isInteger(k) || k < 1)
    throw new InputError('k', `expected an integer >= 1, got ${k}`);
  const n = x.length;
  const m = y.length;
  const kk = Math.min(k, m);
  const index = new Int32Array(n * kk);
  const mass = new Float64Array(n * kk);
  const logB = Float64Array.from(b, Math.log);
  const score = new Float64Array(kk);
  const slot = new Int32Array(kk);
  for (let i = 0; i < n; i += 1) {
    score.fill(-Infinity);
    slot.fill(-1);
    for (let j = 0; j < m; j += 1) {
      const v = logB[j]! + (g[j]! - costValue(cost, x[i]!, y[j]!)) / epsilon;
      // Insertion into the sorted slots; an empty slot (−1) takes any entry, even a zero one.
      if (!(v > score[kk - 1]!) && slot[kk - 1] !== -1) continue;
      let s = kk - 1;
      while (s > 0 && (slot[s - 1] === -1 || v > score[s - 1]!)) {
        score[s] = score[s - 1]!;
        slot[s] = slot[s - 1]!;
        s -= 1;
      }
      score[s] = v;
      slot[s] = j;
    }
    for (let s = 0; s < kk; s += 1) {
      index[i * kk + s] = slot[s]!;
      mass[i * kk + s] = a[i]! > 0 ? a[i]! * Math.exp(f[i]! / epsilon + score[s]!) : 0;
    }
  }
  return { k: kk, index, mass };
}

/** The `k` heaviest entries of each row of the plan: what a drawing or a summary needs. */
export function planTopPerRow(
  problem: SinkhornProblem,
  f: ArrayLike<number>,
  g: ArrayLike<number>,
  k: number,
): PlanEntry[] {
  const top = sinkhornPlanTopK(problem, f, g, k);
  return Array.from(top.index, (j, slot) => ({
    i: Math.floor(slot / top.k),
    j,
    mass: top.mass[slot]!,
  }));
}

/** Which side a c-transform lands on: 'y' transforms f (a function of x), 'x' transforms g. */
export type TransformSide = 'x' | 'y';

/**
 * c-transforms of a potential, streamed (cost on the fly, O(n + m) memory), MATH.md §1 (seed 004):
 * soft, side 'y': f^{c,ε}_j = −ε log Σ_i a_i exp((f_i − C_ij)/ε)  (exactly the Sinkhorn g update);
 * hard, side 'y': f^c_j = min_{i: a_i > 0} C_ij − f_i;  side 'x' is the same with g, b and C_ijᵀ.
 */
function cTransform(
  problem: SinkhornProblem,
  potential: ArrayLike<number>,
  side: TransformSide,
  soft: boolean,
): Float64Array {
  const { x, y, epsilon, cost } = problem;
  const [from, onto, weights] = side === 'y' ? [x, y, problem.a] : [y, x, problem.b];
  const logW = Float64Array.from(weights, Math.log);
  const values = new Float64Array(from.length);
  return Float64Array.from(onto, (point) => {
    for (let i = 0; i < from.length; i += 1) {
      const c = side === 'y' ? costValue(cost, from[i]!, point) : costValue(cost, point, from[i]!);
      values[i] = soft
        ? logW[i]! + (potential[i]! - c) / epsilon
        : weights[i]! > 0
          ? c - potential[i]!
          : Infinity;
    }
    return soft
      ? -epsilon * logSumExp(values)
      : values.reduce((min, v) => Math.min(min, v), Infinity);
  });
}

/** The ε-smoothed c-transform: of f onto y (side 'y') or of g onto x (side 'x'). */
export function softCTransform(
  problem: SinkhornProblem,
  potential: ArrayLike<number>,
  side: TransformSide,
): Float64Array {
  return cTransform(problem, potential, side, true);
}

/** The c-transform min over the support of c(x, y) − potential: of f onto y or of g onto x. */
export function hardCTransform(
  problem: SinkhornProblem,
  potential: ArrayLike<number>,
  side: TransformSide,
): Float64Array {
  return cTransform(problem, potential, side, false);
}

/** Max-norm gaps between potentials and the transforms of the other one, over the supports. */
export interface CTransformGap {
  /** max_j |g_j − f^{c,ε}_j|: 0 right after a Sinkhorn column update. */
  softY: number;
  /** max_j |g_j − f^c_j|: → 0 as ε → 0 (the unregularised dual's optimality). */
  hardY: number;
  /** max_i |f_i − g^{c,ε}_i|: the Sinkhorn fixed-point residual on the x side. */
  softX: number;
  /** max_i |f_i − g^c_i|. */
  hardX: number;
}

export function cTransformGap(
  problem: SinkhornProblem,
  f: ArrayLike<number>,
  g: ArrayLike<number>,
): CTransformGap {
  const gap = (potential: ArrayLike<number>, weights: number[], transform: Float64Array) =>
    transform.reduce(
      (max, v, k) => (weights[k]! > 0 ? Math.max(max, Math.abs(potential[k]! - v)) : max),
      0,
    );
  return {
    softY: gap(g, problem.b, softCTransform(problem, f, 'y')),
    hardY: gap(g, problem.b, hardCTransform(problem, f, 'y')),
    softX: gap(f, problem.a, softCTransform(problem, g, 'x')),
    hardX: gap(f, problem.a, hardCTransform(problem, g, 'x')),
  };
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
