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
 * SinkhornState performs them by the stabilised kernel scheme with absorption (same iterates, no
 * exp per entry and iteration; see the class): at n = m = 4096 it runs an iteration in about a
 * fifth of the time of POT's `sinkhorn_log` (bench/sinkhorn.ts, issue 4).
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
 * Absorption threshold τ of the stabilised kernel scheme: the scalings u, v are folded into the
 * potentials once some |log u_i| or |log v_j| exceeds τ. With e^{±50} ≈ 10^{±22}, every product
 * K̃_ij·b_j·v_j stays within about 10^{±44} of the absorbed kernel's scale, far inside float64's
 * 10^{±308}, so no term that matters can underflow; yet potentials must move by 50ε before the
 * n·m exps of a rebuild are paid again (at convergence they do not move at all).
 */
const ABSORB_LOG_THRESHOLD = 50;
const ABSORB_HIGH = Math.exp(ABSORB_LOG_THRESHOLD);
const ABSORB_LOW = Math.exp(-ABSORB_LOG_THRESHOLD);
/**
 * A kernel row or column sum below this (or non-finite) is treated as underflow and the
 * half-iteration is redone in the log domain: above it, entries flushed to 0 or subnormal
 * (< 10^-307) are below 10^-100 relative to the sum, so the kernel sums are exact to rounding.
 */
const MIN_KERNEL_SUM = 1e-200;

const kernelSumOk = (s: number) => s >= MIN_KERNEL_SUM && s <= Number.MAX_VALUE;

/**
 * One Sinkhorn state on a dense cost matrix; the unit the CPU solver iterates. It runs the
 * log-stabilised kernel scheme with absorption (Schmitzer 2019, "Stabilized sparse scaling
 * algorithms for entropy regularized transport problems", Alg. 2; POT's `sinkhorn_stabilized`),
 * which performs exactly the log-domain updates above in exact arithmetic (MATH.md §1):
 *
 *   f = f̄ + ε log u,  g = ḡ + ε log v,  K̃_ij = exp((f̄_i + ḡ_j − C_ij)/ε),
 *   u_i = 1 / Σ_j K̃_ij b_j v_j   (row update),   v_j = 1 / Σ_i K̃_ij a_i u_i   (column update).
 *
 * An iteration is then two multiply-add passes over K̃ instead of 2·n·m exps. When some |log u_i|
 * or |log v_j| exceeds τ the scalings are absorbed (f̄ ← f, ḡ ← g, u = v = 1, K̃ rebuilt); when a
 * kernel sum underflows (small ε, far-off potentials such as the first iterations from f = g = 0)
 * that half-iteration is redone in the log domain and the kernel rebuilt. Memory: C/ε and K̃, both
 * row-major; the column update accumulates K̃ᵀ(a∘u) row by row.
 */
export class SinkhornState {
  readonly n: number;
  readonly m: number;
  /** C_ij / ε, row-major (n × m). */
  private readonly scaledCost: Float64Array;
  /** K̃_ij = exp((f̄_i + ḡ_j − C_ij)/ε), row-major; valid when `kernelValid`. */
  private readonly kernel: Float64Array;
  private kernelValid = false;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly logA: Float64Array;
  private readonly logB: Float64Array;
  /** Absorbed potentials f̄, ḡ and scalings u, v: f = f̄ + ε log u, g = ḡ + ε log v. */
  private readonly fBar: Float64Array;
  private readonly gBar: Float64Array;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  /** f and g as read by callers, refreshed from f̄, u, ḡ, v when stale. */
  private readonly fOut: Float64Array;
  private readonly gOut: Float64Array;
  private potentialsSynced = true;
  /** Scratch: b∘v (or log b + g/ε), a∘u (or log a + f/ε), column sums / maxima. */
  private readonly rowScratch: Float64Array;
  private readonly columnScratch: Float64Array;
  private readonly columnMax: Float64Array;
  /** The ε the iterations use: the problem's, or a larger one while annealing. */
  epsilon: number;
  /** Kernel rebuilds after |log u| or |log v| exceeded τ (diagnostics and tests). */
  absorptions = 0;
  /** Half-iterations redone in the log domain (stale kernel or underflowed kernel sums). */
  logDomainUpdates = 0;

  constructor(readonly problem: SinkhornProblem) {
    const { x, y, epsilon } = problem;
    this.n = x.length;
    this.m = y.length;
    this.scaledCost = costMatrix(problem.cost, x, y).map((c) => c / epsilon);
    this.kernel = new Float64Array(this.n * this.m);
    this.a = Float64Array.from(problem.a);
    this.b = Float64Array.from(problem.b);
    this.logA = this.a.map(Math.log);
    this.logB = this.b.map(Math.log);
    this.fBar = new Float64Array(this.n);
    this.gBar = new Float64Array(this.m);
    this.u = new Float64Array(this.n).fill(1);
    this.v = new Float64Array(this.m).fill(1);
    this.fOut = new Float64Array(this.n);
    this.gOut = new Float64Array(this.m);
    this.rowScratch = new Float64Array(this.n);
    this.columnScratch = new Float64Array(this.m);
    this.columnMax = new Float64Array(this.m);
    this.epsilon = epsilon;
  }

  /** f_i = f̄_i + ε log u_i (a view kept current; copy it to keep a snapshot). */
  get f(): Float64Array {
    this.syncPotentials();
    return this.fOut;
  }

  /** g_j = ḡ_j + ε log v_j. */
  get g(): Float64Array {
    this.syncPotentials();
    return this.gOut;
  }

  private syncPotentials(): void {
    if (this.potentialsSynced) return;
    const eps = this.epsilon;
    for (let i = 0; i < this.n; i += 1) this.fOut[i] = this.fBar[i]! + eps * Math.log(this.u[i]!);
    for (let j = 0; j < this.m; j += 1) this.gOut[j] = this.gBar[j]! + eps * Math.log(this.v[j]!);
    this.potentialsSynced = true;
  }

  /** f̄ ← f, ḡ ← g, u = v = 1 (the kernel must be rebuilt after). */
  private absorb(): void {
    this.fBar.set(this.f);
    this.gBar.set(this.g);
    this.u.fill(1);
    this.v.fill(1);
    this.kernelValid = false;
  }

  /** K̃_ij = exp(f̄_i/ε + ḡ_j/ε − C_ij/ε): n·m exps, the price of one log-domain half-iteration. */
  private buildKernel(): void {
    const { n, m, fBar, gBar, kernel, scaledCost, columnScratch } = this;
    const eps = this.epsilon;
    for (let j = 0; j < m; j += 1) columnScratch[j] = gBar[j]! / eps;
    for (let i = 0; i < n; i += 1) {
      const fi = fBar[i]! / eps;
      const row = i * m;
      for (let j = 0; j < m; j += 1) {
        kernel[row + j] = Math.exp(fi + columnScratch[j]! - scaledCost[row + j]!);
      }
    }
    this.kernelValid = true;
  }

  reset(): void {
    this.fBar.fill(0);
    this.gBar.fill(0);
    this.u.fill(1);
    this.v.fill(1);
    this.fOut.fill(0);
    this.gOut.fill(0);
    this.potentialsSynced = true;
    this.kernelValid = false;
  }

  /** Changes ε keeping the potentials (a warm start); rescales the stored C/ε, drops the kernel. */
  setEpsilon(epsilon: number): void {
    if (epsilon === this.epsilon) return;
    this.absorb();
    const ratio = this.epsilon / epsilon;
    for (let k = 0; k < this.scaledCost.length; k += 1) this.scaledCost[k]! *= ratio;
    this.epsilon = epsilon;
  }

  /** out_i = f̃_i = −ε log Σ_j b_j exp((g_j − C_ij)/ε), the log-domain row update from g. */
  private logRowUpdates(g: Float64Array, out: Float64Array): void {
    const { n, m, logB, columnScratch: shiftB, scaledCost } = this;
    const eps = this.epsilon;
    for (let j = 0; j < m; j += 1) shiftB[j] = logB[j]! + g[j]! / eps;
    for (let i = 0; i < n; i += 1) out[i] = -eps * logSumExpShifted(shiftB, scaledCost, i * m, m);
  }

  /**
   * g_j = −ε log Σ_i a_i exp((f_i − C_ij)/ε) from the current f, streaming C/ε by rows: one pass
   * for the column maxima, one for Σ exp(· − max).
   */
  private logColumnUpdates(f: Float64Array, out: Float64Array): void {
    const { n, m, logA, rowScratch: shiftA, columnMax, columnScratch: sum, scaledCost } = this;
    const eps = this.epsilon;
    for (let i = 0; i < n; i += 1) shiftA[i] = logA[i]! + f[i]! / eps;
    columnMax.fill(-Infinity);
    for (let i = 0; i < n; i += 1) {
      const s = shiftA[i]!;
      if (s === -Infinity) continue;
      const row = i * m;
      for (let j = 0; j < m; j += 1) {
        const value = s - scaledCost[row + j]!;
        if (value > columnMax[j]!) columnMax[j] = value;
      }
    }
    sum.fill(0);
    for (let i = 0; i < n; i += 1) {
      const s = shiftA[i]!;
      if (s === -Infinity) continue;
      const row = i * m;
      for (let j = 0; j < m; j += 1) sum[j]! += Math.exp(s - scaledCost[row + j]! - columnMax[j]!);
    }
    for (let j = 0; j < m; j += 1) {
      out[j] = columnMax[j] === -Infinity ? Infinity : -eps * (columnMax[j]! + Math.log(sum[j]!));
    }
  }

  /** Row update u_i = 1/Σ_j K̃_ij b_j v_j; false (u partly written) when a sum underflows. */
  private kernelRowUpdates(): boolean {
    const { n, m, b, u, v, kernel, columnScratch: bv } = this;
    for (let j = 0; j < m; j += 1) bv[j] = b[j]! * v[j]!;
    for (let i = 0; i < n; i += 1) {
      const row = i * m;
      let s = 0;
      for (let j = 0; j < m; j += 1) s += kernel[row + j]! * bv[j]!;
      if (!kernelSumOk(s)) return false;
      u[i] = 1 / s;
    }
    return true;
  }

  /** Column update v_j = 1/Σ_i K̃_ij a_i u_i, accumulated row by row (axpy); false on underflow. */
  private kernelColumnUpdates(): boolean {
    const { n, m, a, u, v, kernel, columnScratch: sum } = this;
    sum.fill(0);
    for (let i = 0; i < n; i += 1) {
      const w = a[i]! * u[i]!;
      if (w === 0) continue;
      const row = i * m;
      for (let j = 0; j < m; j += 1) sum[j]! += kernel[row + j]! * w;
    }
    for (let j = 0; j < m; j += 1) if (!kernelSumOk(sum[j]!)) return false;
    for (let j = 0; j < m; j += 1) v[j] = 1 / sum[j]!;
    return true;
  }

  /** One full iteration: all rows, then all columns. */
  iterate(): void {
    const { fOut, gOut } = this;
    // f, g before the iteration (n + m logs), for a log-domain row update; u, v change below.
    this.syncPotentials();
    this.potentialsSynced = false;
    if (!this.kernelValid || !this.kernelRowUpdates()) {
      // Log-domain row update, then f̄ = f, ḡ = g, u = v = 1 and a kernel built around them.
      this.logRowUpdates(gOut, this.fBar);
      this.gBar.set(gOut);
      this.u.fill(1);
      this.v.fill(1);
      this.logDomainUpdates += 1;
      this.buildKernel();
    }
    if (!this.kernelColumnUpdates()) {
      this.syncPotentials(); // f after the row update (v is untouched on failure)
      this.fBar.set(fOut);
      this.logColumnUpdates(fOut, this.gBar);
      this.u.fill(1);
      this.v.fill(1);
      this.potentialsSynced = false;
      this.logDomainUpdates += 1;
      this.buildKernel();
    }
    const out = (s: number) => s > ABSORB_HIGH || s < ABSORB_LOW;
    if (this.u.some(out) || this.v.some(out)) {
      this.absorb();
      this.absorptions += 1;
      this.buildKernel();
    }
  }

  /**
   * L1 error of the row marginal (columns are exact after `iterate`): Σ_i |r_i − a_i| with
   * r_i = a_i u_i Σ_j K̃_ij b_j v_j = a_i exp((f_i − f̃_i)/ε), in the log domain if a sum underflows.
   */
  marginalError(): number {
    const { n, m, a, b, u, v, kernel, columnScratch: bv } = this;
    if (this.kernelValid) {
      for (let j = 0; j < m; j += 1) bv[j] = b[j]! * v[j]!;
      let error = 0;
      let ok = true;
      for (let i = 0; i < n && ok; i += 1) {
        if (!(a[i]! > 0)) continue;
        const row = i * m;
        let s = 0;
        for (let j = 0; j < m; j += 1) s += kernel[row + j]! * bv[j]!;
        ok = kernelSumOk(s);
        error += a[i]! * Math.abs(u[i]! * s - 1);
      }
      if (ok) return error;
    }
    const eps = this.epsilon;
    const fTilde = this.rowScratch;
    this.logRowUpdates(this.g, fTilde);
    const f = this.f;
    let error = 0;
    for (let i = 0; i < n; i += 1) {
      if (a[i]! > 0) error += a[i]! * Math.abs(Math.expm1((f[i]! - fTilde[i]!) / eps));
    }
    return error;
  }

  /** ⟨C, P⟩, the transport cost of the current plan. */
  transportCost(): number {
    const { n, m, logA, logB, scaledCost } = this;
    const { f, g } = this;
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

/** What the CPU solver needs of a Sinkhorn state, stored (SinkhornState) or streamed. */
export type CpuSinkhornState = Pick<
  SinkhornState,
  | 'problem'
  | 'epsilon'
  | 'f'
  | 'g'
  | 'reset'
  | 'setEpsilon'
  | 'iterate'
  | 'marginalError'
  | 'transportCost'
>;

/**
 * The same log-domain iterations with the cost computed on the fly and O(n + m) memory, for
 * problems too large to store C (n·m above the CPU backend's limit): each half-iteration is a soft
 * c-transform (MATH.md §1, seed 004), f ← g^{c,ε}, then g ← f^{c,ε}. About 2·n·m cost evaluations
 * and exps per iteration, so slow, but it lets the CPU reference reach the sizes the GPU runs.
 */
export class StreamingSinkhornState implements CpuSinkhornState {
  f: Float64Array;
  g: Float64Array;
  epsilon: number;

  constructor(readonly problem: SinkhornProblem) {
    this.f = new Float64Array(problem.x.length);
    this.g = new Float64Array(problem.y.length);
    this.epsilon = problem.epsilon;
  }

  private get current(): SinkhornProblem {
    return { ...this.problem, epsilon: this.epsilon };
  }

  reset(): void {
    this.f.fill(0);
    this.g.fill(0);
  }

  setEpsilon(epsilon: number): void {
    this.epsilon = epsilon;
  }

  iterate(): void {
    this.f = softCTransform(this.current, this.g, 'x');
    this.g = softCTransform(this.current, this.f, 'y');
  }

  /** L1 error of the row marginal, as SinkhornState.marginalError. */
  marginalError(): number {
    const fTilde = softCTransform(this.current, this.g, 'x');
    let error = 0;
    this.problem.a.forEach((a, i) => {
      if (a > 0) error += a * Math.abs(Math.expm1((this.f[i]! - fTilde[i]!) / this.epsilon));
    });
    return error;
  }

  /** ⟨C, P⟩ with P_ij = a_i b_j exp((f_i + g_j − C_ij)/ε), streamed. */
  transportCost(): number {
    const { x, y, a, b, cost } = this.problem;
    const eps = this.epsilon;
    let total = 0;
    x.forEach((xi, i) => {
      if (!(a[i]! > 0)) return;
      y.forEach((yj, j) => {
        if (!(b[j]! > 0)) return;
        const c = costValue(cost, xi, yj);
        total += c * a[i]! * b[j]! * Math.exp((this.f[i]! + this.g[j]! - c) / eps);
      });
    });
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
