/**
 * Convolutional (grid) entropic OT, float64 reference (MATH.md §1 and §5, last bullet; Solomon et
 * al. 2015 "Convolutional Wasserstein distances"; Janati et al. 2020 "Debiased Sinkhorn
 * barycenters").
 *
 * Densities live on an h×w grid of pixel centres ((c + ½)/w, (r + ½)/h) in [0, 1]². The cost
 * ‖x − y‖² = (x₁ − y₁)² + (x₂ − y₂)² is separable, so the log-kernel application
 *   logK(v)_i = LSE_j (v_j − C_ij/ε)
 * is a 1D log-domain blur along every row followed by one along every column: O(hw(h + w)) per
 * application instead of O((hw)²), and never an underflowing kernel (log domain, any ε > 0).
 * The GPU kernels (shaders/grid_sinkhorn.wgsl) perform the same updates in the same order.
 */
import type { SinkhornOptions } from './sinkhorn';
import { InputError, requireFiniteNumber, requirePositive, requireWeights } from './validate';

/** Largest grid side (the GPU blur holds one line in workgroup memory). */
export const MAX_GRID_SIDE = 1024;
/** Most images in one barycenter. */
export const MAX_GRID_IMAGES = 16;

export const DEFAULT_GRID_OPTIONS: SinkhornOptions = {
  maxIterations: 1000,
  // float32 on the GPU resolves the L1 marginal error to ~1e-5 at small ε: 1e-4 is reachable.
  tolerance: 1e-4,
  checkEvery: 10,
};

/** Normalised densities (mass 1) on a common h×w grid, row-major. */
export interface GridImages {
  height: number;
  width: number;
  images: Float64Array[];
}

export interface GridSinkhornProblem {
  height: number;
  width: number;
  a: Float64Array;
  b: Float64Array;
  epsilon: number;
}

export interface GridBarycenterProblem extends GridImages {
  /** Barycentric weights λ in the simplex, one per image. */
  weights: number[];
  epsilon: number;
  /** Janati et al. 2020 debiased barycenter (removes the entropic blur). */
  debiased: boolean;
}

/** A K×h×w list of non-negative images, each normalised to mass 1; InputError names the field. */
export function requireGridImages(value: unknown, field: string): GridImages {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(field, 'expected a non-empty array of images (each an array of rows)');
  }
  if (value.length > MAX_GRID_IMAGES) {
    throw new InputError(field, `at most ${MAX_GRID_IMAGES} images, got ${value.length}`);
  }
  const first: unknown = value[0];
  const height = Array.isArray(first) ? first.length : 0;
  const width =
    Array.isArray(first) && Array.isArray(first[0]) ? (first[0] as unknown[]).length : 0;
  for (const [side, size] of [
    ['rows', height],
    ['columns', width],
  ] as const) {
    if (size < 1 || size > MAX_GRID_SIDE) {
      throw new InputError(
        `${field}[0]`,
        `an image needs 1 to ${MAX_GRID_SIDE} ${side}, got ${size} (give [[row], [row], ...])`,
      );
    }
  }
  const images = value.map((image: unknown, k) =>
    requireGridImage(image, `${field}[${k}]`, height, width),
  );
  return { height, width, images };
}

function requireGridImage(
  value: unknown,
  field: string,
  height: number,
  width: number,
): Float64Array {
  if (!Array.isArray(value) || value.length !== height) {
    throw new InputError(field, `expected ${height} rows like the first image`);
  }
  const density = new Float64Array(height * width);
  value.forEach((row: unknown, r) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new InputError(`${field}[${r}]`, `expected a row of ${width} numbers`);
    }
    row.forEach((entry: unknown, c) => {
      const v = requireFiniteNumber(entry, `${field}[${r}][${c}]`);
      if (v < 0) throw new InputError(`${field}[${r}][${c}]`, `densities must be >= 0, got ${v}`);
      density[r * width + c] = v;
    });
  });
  const mass = density.reduce((s, v) => s + v, 0);
  if (!(mass > 0) || !Number.isFinite(mass)) {
    throw new InputError(field, 'the image has no mass: give at least one positive pixel');
  }
  // Already normalised (up to rounding): kept as given, so an exported run reads back bit for bit.
  return Math.abs(mass - 1) <= 1e-12 ? density : density.map((v) => v / mass);
}

/** Row-major h×w values as an array of rows (the JSON form of an image). */
export function gridRows(values: ArrayLike<number>, height: number, width: number): number[][] {
  return Array.from({ length: height }, (_, r) =>
    Array.from({ length: width }, (_, c) => values[r * width + c]!),
  );
}

/** Validates a barycenter problem (weights default to uniform, debiased to false). */
export function validateGridBarycenterProblem(input: {
  images: unknown;
  weights?: unknown;
  epsilon: unknown;
  debiased?: unknown;
}): GridBarycenterProblem {
  const grid = requireGridImages(input.images, 'images');
  const weights = requireWeights(input.weights, 'weights', grid.images.length);
  const epsilon = requirePositive(input.epsilon, 'epsilon');
  if (input.debiased !== undefined && typeof input.debiased !== 'boolean') {
    throw new InputError('debiased', 'expected true or false');
  }
  return { ...grid, weights, epsilon, debiased: input.debiased === true };
}

/** −(Δ/n)²/ε for Δ = p − q on an axis of n pixels; with `timesCost`, log((Δ/n)²) − (Δ/n)²/ε. */
function axisLogKernel(n: number, epsilon: number, timesCost = false): Float64Array {
  const kernel = new Float64Array(n * n);
  for (let p = 0; p < n; p += 1) {
    for (let q = 0; q < n; q += 1) {
      const d = (p - q) / n;
      const c = d * d;
      kernel[p * n + q] = (timesCost ? Math.log(c) : 0) - c / epsilon;
    }
  }
  return kernel;
}

/**
 * One 1D log-domain blur: out_p = LSE_q (in_q + kernel_pq), along rows (stride 1) or columns.
 * Same arithmetic as logSumExp (max, then Σ exp(· − max)), inlined: this loop is the whole cost.
 */
function blurLines(
  src: Float64Array,
  dst: Float64Array,
  kernel: Float64Array,
  lines: number,
  length: number,
  along: 'rows' | 'columns',
  scratch: Float64Array,
): void {
  const [lineStep, step] = along === 'rows' ? [length, 1] : [1, lines];
  for (let line = 0; line < lines; line += 1) {
    const base = line * lineStep;
    for (let q = 0; q < length; q += 1) scratch[q] = src[base + q * step]!;
    for (let p = 0; p < length; p += 1) {
      const row = p * length;
      let max = -Infinity;
      for (let q = 0; q < length; q += 1) max = Math.max(max, scratch[q]! + kernel[row + q]!);
      let sum = 0;
      if (max !== -Infinity) {
        for (let q = 0; q < length; q += 1) sum += Math.exp(scratch[q]! + kernel[row + q]! - max);
      }
      dst[base + p * step] = max === -Infinity ? -Infinity : max + Math.log(sum);
    }
  }
}

/** The Gibbs kernel of the squared distance on an h×w grid, applied in the log domain. */
export class GridKernel {
  readonly size: number;
  readonly logKx: Float64Array;
  readonly logKy: Float64Array;
  private tmp: Float64Array;
  private scratch: Float64Array;

  constructor(
    readonly height: number,
    readonly width: number,
    readonly epsilon: number,
  ) {
    this.size = height * width;
    this.logKx = axisLogKernel(width, epsilon);
    this.logKy = axisLogKernel(height, epsilon);
    this.tmp = new Float64Array(this.size);
    this.scratch = new Float64Array(Math.max(height, width));
  }

  /** dst_i = LSE_j (src_j − C_ij/ε): rows, then columns (separable cost). */
  apply(src: Float64Array, dst: Float64Array, kx = this.logKx, ky = this.logKy): void {
    const { height, width, tmp, scratch } = this;
    blurLines(src, tmp, kx, height, width, 'rows', scratch);
    blurLines(tmp, dst, ky, width, height, 'columns', scratch);
  }

  /** log Σ_j C_ij exp(v_j − C_ij/ε), with C = Cx + Cy split over the two axes. */
  applyTimesCost(src: Float64Array): { alongX: Float64Array; alongY: Float64Array } {
    const alongX = new Float64Array(this.size);
    const alongY = new Float64Array(this.size);
    this.apply(src, alongX, axisLogKernel(this.width, this.epsilon, true), this.logKy);
    this.apply(src, alongY, this.logKx, axisLogKernel(this.height, this.epsilon, true));
    return { alongX, alongY };
  }

  /** Fresh logK(src). */
  of(src: Float64Array): Float64Array {
    const out = new Float64Array(this.size);
    this.apply(src, out);
    return out;
  }
}

const logOf = (density: Float64Array) => density.map(Math.log);

/**
 * Grid Sinkhorn between densities a and b, with the point-cloud solver's potentials and order
 * (MATH.md §1): f = −ε logK(log b + g/ε), then g = −ε logK(log a + f/ε) (the kernel is symmetric).
 */
export class GridSinkhornState {
  readonly kernel: GridKernel;
  readonly logA: Float64Array;
  readonly logB: Float64Array;
  f: Float64Array;
  g: Float64Array;

  constructor(readonly problem: GridSinkhornProblem) {
    const { height, width, epsilon } = problem;
    this.kernel = new GridKernel(height, width, epsilon);
    this.logA = logOf(problem.a);
    this.logB = logOf(problem.b);
    this.f = new Float64Array(height * width);
    this.g = new Float64Array(height * width);
  }

  /** −ε logK(log w + potential/ε): the update of the other side's potential. */
  private update(logW: Float64Array, potential: Float64Array): Float64Array {
    const eps = this.problem.epsilon;
    const v = logW.map((lw, j) => lw + potential[j]! / eps);
    return this.kernel.of(v).map((lse) => -eps * lse);
  }

  iterate(): void {
    this.f = this.update(this.logB, this.g);
    this.g = this.update(this.logA, this.f);
  }

  /** L1 error of the first marginal (the second is exact after `iterate`), as in sinkhorn.ts. */
  marginalError(): number {
    const eps = this.problem.epsilon;
    const fTilde = this.update(this.logB, this.g);
    let error = 0;
    this.problem.a.forEach((a, i) => {
      if (a > 0) error += a * Math.abs(Math.expm1((this.f[i]! - fTilde[i]!) / eps));
    });
    return error;
  }

  /** ⟨C, P⟩ with P_ij = a_i b_j exp((f_i + g_j − C_ij)/ε), without forming P. */
  transportCost(): number {
    const eps = this.problem.epsilon;
    const v = this.logB.map((lb, j) => lb + this.g[j]! / eps);
    const { alongX, alongY } = this.kernel.applyTimesCost(v);
    let total = 0;
    this.logA.forEach((la, i) => {
      const u = la + this.f[i]! / eps;
      total += Math.exp(u + alongX[i]!) + Math.exp(u + alongY[i]!);
    });
    return total;
  }

  dualObjective(): number {
    let total = 0;
    this.problem.a.forEach((a, i) => (total += a > 0 ? a * this.f[i]! : 0));
    this.problem.b.forEach((b, j) => (total += b > 0 ? b * this.g[j]! : 0));
    return total;
  }
}

export interface GridSinkhornResult {
  f: Float64Array;
  g: Float64Array;
  iterations: number;
  converged: boolean;
  marginalError: number;
  transportCost: number;
  dualObjective: number;
}

/** Runs grid Sinkhorn to the tolerance (checked every `checkEvery` iterations) or the cap. */
export function gridSinkhorn(
  problem: GridSinkhornProblem,
  options: SinkhornOptions = DEFAULT_GRID_OPTIONS,
): GridSinkhornResult {
  const state = new GridSinkhornState(problem);
  let iterations = 0;
  let marginalError = Number.NaN;
  while (iterations < options.maxIterations) {
    state.iterate();
    iterations += 1;
    if (iterations % options.checkEvery === 0 || iterations === options.maxIterations) {
      marginalError = state.marginalError();
      if (!(marginalError >= options.tolerance)) break;
    }
  }
  return {
    f: state.f,
    g: state.g,
    iterations,
    converged: marginalError < options.tolerance,
    marginalError,
    transportCost: state.transportCost(),
    dualObjective: state.dualObjective(),
  };
}

/**
 * Entropic barycenter by log-domain iterative Bregman projections (MATH.md §5; Benamou et al.
 * 2015, Solomon et al. 2015), debiased variant of Janati et al. 2020, Algorithm 1:
 *   for k: log w_k = log a_k − logK(log v_k)          (u_k = a_k ⊘ K v_k)
 *          log φ_k = logK(log w_k)                     (φ_k = K u_k)
 *   log b = log d + Σ_k λ_k log φ_k
 *   for k: log v_k = log b − log φ_k
 *   debiased: log d ← ½ (log d + log b − logK(log d))   (plain: log d = 0)
 * MATH.md writes b = Π_k (v_k ⊙ φ_k)^{λ_k}; it is the same update because Π_k v_k^{λ_k} = 1 is
 * invariant from v_k = 1 (Σ λ_k = 1). The marginal error is max_k ‖u_k ⊙ K v_k − a_k‖₁ (the
 * barycenter side is exact after the v update).
 */
export class GridBarycenterState {
  readonly kernel: GridKernel;
  readonly logA: Float64Array[];
  readonly size: number;
  /** log v_k, one per image. */
  logV: Float64Array[];
  /** log u_k of the last iteration. */
  logW: Float64Array[];
  /** log d (debiasing), 0 for the plain barycenter. */
  logD: Float64Array;
  logB: Float64Array;

  constructor(readonly problem: GridBarycenterProblem) {
    const { height, width, epsilon, images } = problem;
    this.kernel = new GridKernel(height, width, epsilon);
    this.size = height * width;
    this.logA = images.map(logOf);
    this.logV = [];
    this.logW = [];
    this.logD = new Float64Array(this.size);
    this.logB = new Float64Array(this.size);
    this.reset();
  }

  /** v_k = 1, d = 1, b uniform (what `barycenter()` reports before the first iteration). */
  reset(): void {
    this.logV = this.logA.map(() => new Float64Array(this.size));
    this.logW = this.logA.map(() => new Float64Array(this.size));
    this.logD = new Float64Array(this.size);
    this.logB = new Float64Array(this.size).fill(-Math.log(this.size));
  }

  /** Restores log v_k and log d (a backend resuming from a checkpoint). */
  load(logV: Float64Array[], logD: Float64Array): void {
    this.logV = logV.map((v) => v.slice());
    this.logD = logD.slice();
  }

  iterate(): void {
    const { kernel, logA, problem } = this;
    this.logW = this.logV.map((lv, k) => {
      const kv = kernel.of(lv);
      return logA[k]!.map((la, i) => la - kv[i]!);
    });
    const kd = problem.debiased ? kernel.of(this.logD) : undefined;
    const logPhi = this.logW.map((lw) => kernel.of(lw));
    const logB = this.logD.map((ld, i) => {
      let lb = problem.debiased ? ld : 0;
      logPhi.forEach((lphi, k) => (lb += problem.weights[k]! * lphi[i]!));
      return lb;
    });
    this.logV = logPhi.map((lphi) => lphi.map((p, i) => logB[i]! - p));
    if (kd) this.logD = this.logD.map((ld, i) => 0.5 * (ld + logB[i]! - kd[i]!));
    this.logB = logB;
  }

  /** max_k Σ_i a_ki |u_ki (K v_k)_i / a_ki − 1|, the worst first-marginal L1 error. */
  marginalError(): number {
    let worst = 0;
    this.logV.forEach((lv, k) => {
      const kv = this.kernel.of(lv);
      let error = 0;
      this.problem.images[k]!.forEach((a, i) => {
        if (a > 0) {
          error += a * Math.abs(Math.expm1(this.logW[k]![i]! + kv[i]! - this.logA[k]![i]!));
        }
      });
      worst = Number.isNaN(error) ? Number.NaN : Math.max(worst, error);
    });
    return worst;
  }

  barycenter(): Float64Array {
    return this.logB.map(Math.exp);
  }
}

/** The L2 (mixture) barycenter Σ_k λ_k a_k: two bumps where the Wasserstein one moves one. */
export function l2Barycenter(problem: GridImages & { weights: number[] }): Float64Array {
  const out = new Float64Array(problem.height * problem.width);
  problem.images.forEach((image, k) => {
    image.forEach((v, i) => (out[i] = out[i]! + problem.weights[k]! * v));
  });
  return out;
}

/** Centre of mass (x, y) and mean squared distance to it of a grid density (mass-normalised). */
export function gridMoments(
  density: ArrayLike<number>,
  height: number,
  width: number,
): { mass: number; mean: [number, number]; secondMoment: number } {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < height * width; i += 1) {
    const v = density[i]!;
    mass += v;
    mx += (v * ((i % width) + 0.5)) / width;
    my += (v * (Math.floor(i / width) + 0.5)) / height;
  }
  mx /= mass;
  my /= mass;
  let spread = 0;
  for (let i = 0; i < height * width; i += 1) {
    const dx = ((i % width) + 0.5) / width - mx;
    const dy = (Math.floor(i / width) + 0.5) / height - my;
    spread += density[i]! * (dx * dx + dy * dy);
  }
  return { mass, mean: [mx, my], secondMoment: spread / mass };
}
