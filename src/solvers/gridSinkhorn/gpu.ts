/**
 * Grid barycenter on the GPU (shaders/grid_sinkhorn.wgsl), float32.
 *
 * One `step(k)` is one submit holding k iterations (5 dispatches each: two separable blurs and the
 * pointwise combine) plus 3 dispatches per marginal-error check, and one readback (state, error
 * history, log v and log b copied together). Convergence is decided on the GPU: once converged,
 * every remaining dispatch of the submit returns at once. After a device loss the solver rebuilds its
 * buffers from the last log v it read back and carries on from there.
 */
import type { GpuRuntime } from '../../gpu/runtime';
import type { GridBarycenterProblem } from '../../ot/gridSinkhorn';
import type { SinkhornOptions } from '../../ot/sinkhorn';
import { InputError } from '../../ot/validate';
import { CheckedSolverBase } from '../sinkhorn/base';
import { SINKHORN_BATCH_STATE } from '../sinkhorn/layouts';
import { MAX_COST_OVER_EPSILON } from '../sinkhorn/gpu';
import { gridResult } from './cpu';
import { GRID_PARAMS } from './layouts';
import type { GridBarycenterResult, GridBarycenterSolver } from './types';

const SHADER = 'grid_sinkhorn.wgsl';
/** Stands in for log 0 (see LOG_ZERO in the shader). */
const LOG_ZERO = -1e30;

type Pass = 'rowsV' | 'rowsW' | 'colsToW' | 'colsToPhi' | 'colsError' | 'combine' | 'recordError';

interface Resources {
  generation: number;
  historyCapacity: number;
  buffers: GPUBuffer[];
  lv: GPUBuffer;
  logB: GPUBuffer;
  state: GPUBuffer;
  history: GPUBuffer;
  pipelines: Record<Pass, GPUComputePipeline>;
  groups: Record<Pass, GPUBindGroup>;
}

export class GpuGridBarycenterSolver
  extends CheckedSolverBase<GridBarycenterProblem, GridBarycenterResult>
  implements GridBarycenterSolver
{
  readonly backend = 'gpu';
  private readonly problem: GridBarycenterProblem;
  private readonly pixels: number;
  private resources: Resources | undefined;
  /** log v_k (slots 0..K−1) and log d (slot K) as of the last readback, float32 widened. */
  private logV: Float32Array;
  private logB: Float32Array;

  constructor(
    private readonly runtime: GpuRuntime,
    problem: GridBarycenterProblem,
    options: SinkhornOptions,
  ) {
    super([problem], options);
    this.problem = problem;
    this.pixels = problem.height * problem.width;
    // The largest cost on [0, 1]² is < 2: beyond 2/ε = 1e6 float32 exponents lose all digits.
    const ratio = 2 / problem.epsilon;
    if (ratio > MAX_COST_OVER_EPSILON) {
      throw new InputError(
        'epsilon',
        `ε = ${problem.epsilon} is too small for float32 on the GPU (2/ε = ${ratio.toExponential(1)} > ${MAX_COST_OVER_EPSILON}); increase ε or use the CPU backend`,
      );
    }
    this.logV = new Float32Array((problem.images.length + 1) * this.pixels);
    this.logB = new Float32Array(this.pixels).fill(-Math.log(this.pixels));
  }

  private async ensureResources(historyCapacity: number): Promise<Resources> {
    await this.runtime.ready();
    const current = this.resources;
    if (
      current &&
      current.generation === this.runtime.generation &&
      current.historyCapacity >= historyCapacity
    ) {
      return current;
    }
    this.destroyBuffers();
    const rt = this.runtime;
    const { images, height, width, weights, debiased, epsilon } = this.problem;
    const K = images.length;
    const n = this.pixels;
    const logA = new Float32Array(K * n);
    images.forEach((image, k) => {
      image.forEach((a, i) => (logA[k * n + i] = a > 0 ? Math.log(a) : LOG_ZERO));
    });
    const params = GRID_PARAMS.pack({
      height,
      width,
      images: K,
      debiased: debiased ? 1 : 0,
      pixels: n,
      history_capacity: historyCapacity,
      epsilon,
      tolerance: this.options.tolerance,
    });
    const STORAGE = GPUBufferUsage.STORAGE;
    const COPY_SRC = GPUBufferUsage.COPY_SRC;
    // Scratch fields start as NaN: an element some kernel forgets to write poisons log b, which
    // the GPU tests compare with the CPU (WebGPU's zero-filled buffers would hide it).
    const field = (label: string) =>
      rt.createBufferWith(label, new Float32Array((K + 1) * n).fill(Number.NaN), STORAGE);
    const P = rt.createBufferWith('grid-params', params, GPUBufferUsage.UNIFORM);
    const A = rt.createBufferWith('grid-log-a', logA, STORAGE);
    const V = rt.createBufferWith('grid-log-v', this.logV, STORAGE | COPY_SRC);
    const W = field('grid-log-u');
    const Phi = field('grid-log-phi');
    const T = field('grid-row-blur');
    const E = rt.createBufferWith(
      'grid-error-partials',
      new Float32Array(K * width).fill(Number.NaN),
      STORAGE,
    );
    const L = rt.createBufferWith('grid-weights', Float32Array.from(weights), STORAGE);
    const S = rt.createBuffer(
      'grid-state',
      SINKHORN_BATCH_STATE.size,
      STORAGE | COPY_SRC | GPUBufferUsage.COPY_DST,
    );
    const H = rt.createBuffer('grid-error-history', historyCapacity * 4, STORAGE | COPY_SRC);
    const B = rt.createBufferWith('grid-log-b', this.logB, STORAGE | COPY_SRC);

    const pipelines: Record<Pass, GPUComputePipeline> = {
      rowsV: await rt.pipeline(SHADER, 'blur_rows'),
      rowsW: await rt.pipeline(SHADER, 'blur_rows'),
      colsToW: await rt.pipeline(SHADER, 'blur_cols', { MODE: 1 }),
      colsToPhi: await rt.pipeline(SHADER, 'blur_cols', { MODE: 0 }),
      colsError: await rt.pipeline(SHADER, 'blur_cols', { MODE: 2 }),
      combine: await rt.pipeline(SHADER, 'combine'),
      recordError: await rt.pipeline(SHADER, 'record_error'),
    };
    // Bindings each entry point uses (layout 'auto' drops unused ones); aux is never dst.
    const cols = { 0: P, 1: T, 3: A, 5: S };
    const bindings: Record<Pass, Record<number, GPUBuffer>> = {
      rowsV: { 0: P, 1: V, 2: T, 5: S },
      rowsW: { 0: P, 1: W, 2: T, 5: S },
      colsToW: { ...cols, 2: W, 4: A },
      colsToPhi: { ...cols, 2: Phi, 4: A },
      colsError: { ...cols, 2: E, 4: W },
      combine: { 0: P, 1: Phi, 2: V, 4: W, 5: S, 6: L, 8: B },
      recordError: { 0: P, 1: E, 5: S, 7: H },
    };
    const groups = Object.fromEntries(
      (Object.keys(bindings) as Pass[]).map((pass) => [
        pass,
        rt.bindGroup(`grid-${pass}`, pipelines[pass], bindings[pass]),
      ]),
    ) as Record<Pass, GPUBindGroup>;
    this.resources = {
      generation: rt.generation,
      historyCapacity,
      buffers: [P, A, V, W, Phi, T, E, L, S, H, B],
      lv: V,
      logB: B,
      state: S,
      history: H,
      pipelines,
      groups,
    };
    return this.resources;
  }

  /** Records the dispatches of `count` iterations, with a check after those in `checkAfter`. */
  private record(res: Resources, count: number, checkAfter: number[]): void {
    const { height, width, images, debiased } = this.problem;
    const K = images.length;
    const withD = debiased ? K + 1 : K;
    const { pipelines: p, groups: g } = res;
    this.runtime.submit('grid-barycenter-iterations', (dispatch) => {
      for (let t = 1; t <= count; t += 1) {
        dispatch(p.rowsV, g.rowsV, height, withD);
        dispatch(p.colsToW, g.colsToW, width, withD);
        dispatch(p.rowsW, g.rowsW, height, K);
        dispatch(p.colsToPhi, g.colsToPhi, width, K);
        dispatch(p.combine, g.combine, Math.ceil(this.pixels / 64));
        if (checkAfter.includes(t)) {
          dispatch(p.rowsV, g.rowsV, height, K);
          dispatch(p.colsError, g.colsError, width, K);
          dispatch(p.recordError, g.recordError, 1);
        }
      }
    });
  }

  protected async advance(count: number, checkAfter: number[]): Promise<number[][]> {
    const res = await this.ensureResources(Math.max(checkAfter.length, 1));
    const state = new Uint32Array(SINKHORN_BATCH_STATE.size / 4);
    state[1] = this.finished[0] ? 1 : 0;
    this.runtime.device.queue.writeBuffer(res.state, 0, state);
    this.record(res, count, checkAfter);
    const [stateBytes, historyBytes, lvBytes, logBBytes] = await this.runtime.readBuffers([
      res.state,
      res.history,
      res.lv,
      res.logB,
    ]);
    this.logV = new Float32Array(lvBytes!);
    this.logB = new Float32Array(logBBytes!);
    const measured = Math.min(new Uint32Array(stateBytes!)[0]!, res.historyCapacity);
    return [Array.from(new Float32Array(historyBytes!).subarray(0, measured))];
  }

  protected resetPotentials(): void {
    this.logV = new Float32Array(this.logV.length);
    this.logB = new Float32Array(this.pixels).fill(-Math.log(this.pixels));
    this.destroyBuffers(); // rebuilt from the reset iterate on the next step
  }

  result(): Promise<GridBarycenterResult> {
    const barycenter = Float64Array.from(this.logB, Math.exp);
    return Promise.resolve(
      gridResult(this.backend, this.summary(), this.iterationsOf(0), barycenter),
    );
  }

  private destroyBuffers(): void {
    for (const buffer of this.resources?.buffers ?? []) buffer.destroy();
    this.resources = undefined;
  }

  dispose(): void {
    this.destroyBuffers();
  }
}
