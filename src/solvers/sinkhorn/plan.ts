/**
 * How a batch of Sinkhorn problems is laid out on the GPU (shaders/sinkhorn.wgsl): offsets of each
 * problem in the packed buffers, the dispatch grids, and the checks against the adapter's limits.
 * Pure functions, so the planning of large problems is testable without a GPU.
 */
import type { SinkhornProblem } from '../../ot/sinkhorn';
import { InputError } from '../../ot/validate';
import { SINKHORN_BATCH_LAYOUT } from './layouts';

/** The adapter limits the point-cloud Sinkhorn depends on. */
export interface SinkhornGpuLimits {
  maxStorageBufferBindingSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

/** Largest k of `planTopK` on the GPU (MAX_TOP_K in the shader: a private array per row). */
export const MAX_TOP_K = 16;

export interface SinkhornGpuPlan {
  /** BatchLayout per problem (n, m, x_off, y_off, f_off, g_off, 0, 0). */
  layout: Uint32Array;
  /** Distinct clouds in buffer order (a cloud shared by several problems is stored once). */
  clouds: (readonly number[][])[];
  maxRows: number;
  maxCols: number;
  /** Σ n_b and Σ m_b: the f and g parts of the potential and weight buffers. */
  rows: number;
  cols: number;
}

const MIB = 2 ** 20;
const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

/**
 * Packs the problems (any sizes) and checks every buffer and dispatch against `limits`, raising an
 * InputError that names the limit and how to stay under it.
 */
export function planSinkhornGpu(
  problems: readonly SinkhornProblem[],
  limits: SinkhornGpuLimits,
): SinkhornGpuPlan {
  const clouds: (readonly number[][])[] = [];
  const offsets = new Map<readonly number[][], number>();
  let pointCount = 0;
  const offsetOf = (cloud: readonly number[][]) => {
    let offset = offsets.get(cloud);
    if (offset === undefined) {
      offset = pointCount;
      offsets.set(cloud, offset);
      clouds.push(cloud);
      pointCount += cloud.length;
    }
    return offset;
  };
  const rows = problems.reduce((s, p) => s + p.x.length, 0);
  const cols = problems.reduce((s, p) => s + p.y.length, 0);
  const words = SINKHORN_BATCH_LAYOUT.size / 4;
  const layout = new Uint32Array(problems.length * words);
  let f = 0;
  let g = rows;
  problems.forEach((problem, b) => {
    layout.set(
      [problem.x.length, problem.y.length, offsetOf(problem.x), offsetOf(problem.y), f, g],
      b * words,
    );
    f += problem.x.length;
    g += problem.y.length;
  });
  const maxRows = Math.max(...problems.map((p) => p.x.length));
  const maxCols = Math.max(...problems.map((p) => p.y.length));

  const binding = limits.maxStorageBufferBindingSize;
  const buffers: [string, number][] = [
    ['the points (16 bytes each)', 16 * pointCount],
    ['the potentials and weights (4 bytes per point per problem)', 4 * (rows + cols)],
    [`the top-${MAX_TOP_K} plan of one problem`, 4 * maxRows * MAX_TOP_K],
  ];
  for (const [what, bytes] of buffers) {
    if (bytes > binding) {
      throw new InputError(
        'x',
        `${what} need ${mib(bytes)} in one GPU buffer but this adapter binds at most ${mib(binding)} ` +
          '(maxStorageBufferBindingSize): use fewer points or a smaller batch, or split the problem',
      );
    }
  }
  const perDimension = limits.maxComputeWorkgroupsPerDimension;
  const workgroups = problems.length * Math.max(maxRows, maxCols);
  if (workgroups > perDimension * perDimension) {
    throw new InputError(
      'x',
      `${workgroups} workgroups (one per point per problem) exceed this adapter's ` +
        `${perDimension}² (maxComputeWorkgroupsPerDimension in 2D): use fewer points or a smaller batch`,
    );
  }
  return { layout, clouds, maxRows, maxCols, rows, cols };
}

/** A 2D grid of at least `workgroups` workgroups, x ≤ maxPerDimension (the shader linearises). */
export function dispatchGrid(workgroups: number, maxPerDimension: number): [number, number] {
  const x = Math.max(1, Math.min(workgroups, maxPerDimension));
  return [x, Math.max(1, Math.ceil(workgroups / x))];
}

/**
 * Cost evaluations one submit may hold: about 2^32 (tens of ms on a discrete GPU), so that a
 * submit never stalls the page for long; small problems get the full chunk of iterations.
 */
export const EVALUATIONS_PER_SUBMIT = 2 ** 32;

/** Iterations per submit (and per `run()` chunk) for this batch: 1 … `cap`. */
export function iterationsPerSubmit(problems: readonly SinkhornProblem[], cap: number): number {
  // Two passes (rows, columns) of Σ n_b m_b cost evaluations per iteration.
  const perIteration = 2 * problems.reduce((s, p) => s + p.x.length * p.y.length, 0);
  return Math.max(1, Math.min(cap, Math.floor(EVALUATIONS_PER_SUBMIT / perIteration)));
}
