/**
 * Sinkhorn on the GPU (shaders/sinkhorn.wgsl), float32, batched over problems of equal size.
 *
 * One `step(k)` is one submit holding k iterations (2 dispatches each) plus 2 dispatches per
 * marginal-error check, and one readback (state, error history and potentials copied together).
 * Convergence is decided on the GPU: a converged batch skips its remaining updates.
 * After a device loss the solver rebuilds its buffers from the last potentials it read back and
 * carries on from there.
 */
import { COST_CODE } from '../../ot/costs';
import {
  costScale,
  dualObjective,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../../ot/sinkhorn';
import { InputError } from '../../ot/validate';
import type { GpuRuntime } from '../../gpu/runtime';
import { SinkhornSolverBase } from './base';
import { SINKHORN_BATCH_STATE, SINKHORN_PARAMS } from './layouts';
import type { SinkhornResult } from './types';

const SHADER = 'sinkhorn.wgsl';
/** Stands in for log 0 (see LOG_ZERO in the shader). */
const LOG_ZERO = -1e30;
/** Beyond C_max/ε = 1e6 float32 exponents lose all digits; refuse rather than return noise. */
export const MAX_COST_OVER_EPSILON = 1e6;

interface Resources {
  generation: number;
  params: GPUBuffer;
  points: GPUBuffer;
  logw: GPUBuffer;
  pot: GPUBuffer;
  epsilon: GPUBuffer;
  state: GPUBuffer;
  rowValue: GPUBuffer;
  history: GPUBuffer;
  historyCapacity: number;
  anneal: GPUBuffer;
  pipelines: Record<Entry, GPUComputePipeline>;
  groups: Record<Entry, GPUBindGroup>;
}

const ENTRIES = [
  'update_f',
  'update_g',
  'row_error',
  'record_error',
  'row_cost',
  'next_stage',
] as const;
type Entry = (typeof ENTRIES)[number];

const nanArray = (length: number) => new Float32Array(length).fill(Number.NaN);

export class GpuSinkhornSolver extends SinkhornSolverBase {
  readonly backend = 'gpu';
  private readonly n: number;
  private readonly m: number;
  private resources: Resources | undefined;
  /** Potentials as of the last readback (float32 values widened). */
  private f: Float64Array[];
  private g: Float64Array[];

  constructor(
    private readonly runtime: GpuRuntime,
    problems: readonly SinkhornProblem[],
    options: SinkhornOptions,
  ) {
    super(problems, options);
    const first = problems[0]!;
    this.n = first.x.length;
    this.m = first.y.length;
    problems.forEach((problem, b) => {
      if (problem.x.length !== this.n || problem.y.length !== this.m) {
        throw new InputError(
          `problems[${b}]`,
          'every problem of a GPU batch needs the same n and m',
        );
      }
      if (
        problem.cost.kind !== first.cost.kind ||
        JSON.stringify(problem.cost) !== JSON.stringify(first.cost)
      ) {
        throw new InputError(
          `problems[${b}].cost`,
          'every problem of a GPU batch needs the same cost',
        );
      }
      if (problem.x[0]!.length > 3)
        throw new InputError(`problems[${b}].x`, 'the GPU backend handles d ≤ 3');
      const ratio = costScale(problem) / problem.epsilon;
      if (ratio > MAX_COST_OVER_EPSILON) {
        throw new InputError(
          problems.length > 1 ? `epsilon[${b}]` : 'epsilon',
          `ε = ${problem.epsilon} is too small for float32 on the GPU (cost scale / ε = ${ratio.toExponential(1)} > ${MAX_COST_OVER_EPSILON}); increase ε or use the CPU backend`,
        );
      }
    });
    this.f = problems.map(() => new Float64Array(this.n));
    this.g = problems.map(() => new Float64Array(this.m));
  }

  private sharedPoints(side: 'x' | 'y'): boolean {
    return this.problems.every((problem) => problem[side] === this.problems[0]![side]);
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
    const B = this.problems.length;
    const { n, m } = this;
    const sharedX = this.sharedPoints('x');
    const sharedY = this.sharedPoints('y');
    const xClouds = sharedX ? [this.problems[0]!.x] : this.problems.map((p) => p.x);
    const yClouds = sharedY ? [this.problems[0]!.y] : this.problems.map((p) => p.y);
    const points = new Float32Array(4 * (xClouds.length * n + yClouds.length * m));
    [...xClouds.flat(), ...yClouds.flat()].forEach((point, k) => {
      points.set(point, 4 * k);
    });

    const logw = new Float32Array(B * (n + m));
    const pot = new Float32Array(B * (n + m));
    this.problems.forEach((problem, b) => {
      problem.a.forEach((a, i) => (logw[b * n + i] = a > 0 ? Math.log(a) : LOG_ZERO));
      problem.b.forEach((w, j) => (logw[B * n + b * m + j] = w > 0 ? Math.log(w) : LOG_ZERO));
      pot.set(this.f[b]!, b * n);
      pot.set(this.g[b]!, B * n + b * m);
    });
    const first = this.problems[0]!;
    const cost = first.cost;
    const params = SINKHORN_PARAMS.pack({
      n,
      m,
      batch: B,
      cost_kind: COST_CODE[cost.kind],
      x_stride: sharedX ? 0 : n,
      y_stride: sharedY ? 0 : m,
      y_base: xClouds.length * n,
      history_capacity: historyCapacity,
      p: cost.kind === 'pq' ? cost.p : 2,
      q: cost.kind === 'pq' ? cost.q : 2,
      eta: cost.kind === 'coulomb' ? cost.eta : 0,
      tolerance: this.options.tolerance,
    });
    const STORAGE = GPUBufferUsage.STORAGE;
    const COPY_SRC = GPUBufferUsage.COPY_SRC;
    const buffers = {
      params: rt.createBufferWith('sinkhorn-params', params, GPUBufferUsage.UNIFORM),
      points: rt.createBufferWith('sinkhorn-points', points, STORAGE),
      logw: rt.createBufferWith('sinkhorn-log-weights', logw, STORAGE),
      pot: rt.createBufferWith('sinkhorn-potentials', pot, STORAGE | COPY_SRC),
      epsilon: rt.createBufferWith(
        'sinkhorn-epsilon',
        Float32Array.from(this.problems, (p) => p.epsilon),
        STORAGE | GPUBufferUsage.COPY_DST,
      ),
      anneal: rt.createBufferWith(
        'sinkhorn-anneal',
        Float32Array.from(this.problems.flatMap((p) => [this.annealFactor(), p.epsilon])),
        STORAGE,
      ),
      state: rt.createBuffer(
        'sinkhorn-state',
        B * SINKHORN_BATCH_STATE.size,
        STORAGE | COPY_SRC | GPUBufferUsage.COPY_DST,
      ),
      // Outputs start as NaN: a value a kernel failed to write shows up instead of passing as 0.
      rowValue: rt.createBufferWith('sinkhorn-row-values', nanArray(B * n), STORAGE | COPY_SRC),
      history: rt.createBufferWith(
        'sinkhorn-error-history',
        nanArray(B * historyCapacity),
        STORAGE | COPY_SRC,
      ),
    };
    const pipelines = Object.fromEntries(
      await Promise.all(
        ENTRIES.map(async (entry) => [entry, await rt.pipeline(SHADER, entry)] as const),
      ),
    ) as Resources['pipelines'];
    const {
      params: P,
      points: X,
      logw: W,
      pot: F,
      epsilon: E,
      state: S,
      rowValue: R,
      history: H,
      anneal: A,
    } = buffers;
    // Bindings each entry point uses (layout 'auto' drops unused ones).
    const bindings: Record<Entry, Record<number, GPUBuffer>> = {
      update_f: { 0: P, 1: X, 2: W, 3: F, 4: E, 5: S },
      update_g: { 0: P, 1: X, 2: W, 3: F, 4: E, 5: S },
      row_error: { 0: P, 1: X, 2: W, 3: F, 4: E, 5: S, 6: R },
      record_error: { 0: P, 5: S, 6: R, 7: H },
      row_cost: { 0: P, 1: X, 2: W, 3: F, 4: E, 6: R },
      next_stage: { 0: P, 4: E, 8: A },
    };
    const groups = Object.fromEntries(
      ENTRIES.map((entry) => [
        entry,
        rt.bindGroup(`sinkhorn-${entry}`, pipelines[entry], bindings[entry]),
      ]),
    ) as Resources['groups'];
    this.resources = { generation: rt.generation, historyCapacity, ...buffers, pipelines, groups };
    return this.resources;
  }

  protected async advance(count: number, checkAfter: number[]): Promise<number[][]> {
    const B = this.problems.length;
    const res = await this.ensureResources(Math.max(checkAfter.length, 1));
    const state = new Uint32Array((B * SINKHORN_BATCH_STATE.size) / 4);
    this.finished.forEach((finished, b) => (state[b * 4 + 1] = finished ? 1 : 0));
    this.runtime.device.queue.writeBuffer(res.state, 0, state);
    // ε of the first iteration of this submit; later stages are advanced on the GPU.
    const epsilon = Float32Array.from(this.problems, (_, b) =>
      this.epsilonAt(b, this.iteration + 1),
    );
    this.runtime.device.queue.writeBuffer(res.epsilon, 0, epsilon);

    this.runtime.submit('sinkhorn-iterations', (dispatch) => {
      for (let t = 1; t <= count; t += 1) {
        if (t > 1 && this.stageStartsAt(this.iteration + t)) {
          dispatch(res.pipelines.next_stage, res.groups.next_stage, Math.ceil(B / 64));
        }
        dispatch(res.pipelines.update_f, res.groups.update_f, this.n, B);
        dispatch(res.pipelines.update_g, res.groups.update_g, this.m, B);
        if (checkAfter.includes(t)) {
          dispatch(res.pipelines.row_error, res.groups.row_error, this.n, B);
          dispatch(res.pipelines.record_error, res.groups.record_error, B);
        }
      }
    });
    const [stateBytes, historyBytes, potBytes] = await this.runtime.readBuffers([
      res.state,
      res.history,
      res.pot,
    ]);
    const checks = new Uint32Array(stateBytes!);
    const history = new Float32Array(historyBytes!);
    this.storePotentials(new Float32Array(potBytes!));
    return this.problems.map((_, b) => {
      const measured = Math.min(checks[b * 4]!, res.historyCapacity);
      return Array.from(
        history.subarray(b * res.historyCapacity, b * res.historyCapacity + measured),
      );
    });
  }

  private annealFactor(): number {
    return this.options.epsilonScaling?.factor ?? 1;
  }

  /** Whether iteration t (global, 1-based) starts a new ε stage. */
  private stageStartsAt(t: number): boolean {
    const scaling = this.options.epsilonScaling;
    return !!scaling && t - 1 <= this.annealing && (t - 1) % scaling.iterationsPerStage === 0;
  }

  private storePotentials(pot: Float32Array): void {
    const B = this.problems.length;
    this.problems.forEach((_, b) => {
      this.f[b] = Float64Array.from(pot.subarray(b * this.n, (b + 1) * this.n));
      this.g[b] = Float64Array.from(
        pot.subarray(B * this.n + b * this.m, B * this.n + (b + 1) * this.m),
      );
    });
  }

  potentials(b: number) {
    return { f: this.f[b]!.slice(), g: this.g[b]!.slice() };
  }

  protected resetPotentials(): void {
    this.f = this.f.map((f) => new Float64Array(f.length));
    this.g = this.g.map((g) => new Float64Array(g.length));
    this.destroyBuffers(); // rebuilt from the zeroed potentials on the next step
  }

  async result(): Promise<SinkhornResult> {
    const res = await this.ensureResources(1);
    const B = this.problems.length;
    this.runtime.submit('sinkhorn-transport-cost', (dispatch) => {
      dispatch(res.pipelines.row_cost, res.groups.row_cost, this.n, B);
    });
    const rowCosts = await this.runtime.readFloat32(res.rowValue, B * this.n);
    const summary = this.summary();
    return {
      backend: this.backend,
      iterations: summary.iteration,
      batches: this.problems.map((problem, b) => {
        let transportCost = 0;
        for (let i = 0; i < this.n; i += 1) transportCost += rowCosts[b * this.n + i]!;
        const { f, g } = this.potentials(b);
        return {
          ...summary.batches[b]!,
          iterations: this.iterationsOf(b),
          f,
          g,
          transportCost,
          dualObjective: dualObjective(problem, f, g),
        };
      }),
    };
  }

  private destroyBuffers(): void {
    const res = this.resources;
    if (!res) return;
    for (const buffer of [
      res.params,
      res.points,
      res.logw,
      res.pot,
      res.epsilon,
      res.state,
      res.rowValue,
      res.history,
      res.anneal,
    ]) {
      buffer.destroy();
    }
    this.resources = undefined;
  }

  dispose(): void {
    this.destroyBuffers();
  }
}
