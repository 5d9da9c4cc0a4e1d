/**
 * Sinkhorn on the GPU (shaders/sinkhorn.wgsl), float32, batched over problems of any sizes.
 *
 * One `step(k)` is ⌈k / iterationsPerSubmit⌉ submits (a single one for small problems: the whole
 * chunk of iterations, 2 dispatches each, plus 2 per marginal-error check and 1 per ε-scaling
 * stage) and one readback (state, error history and potentials copied together). Large problems
 * get fewer iterations per submit so that no submit stalls the page (plan.ts). Convergence is
 * decided on the GPU: a converged batch skips its remaining updates.
 * After a device loss the solver rebuilds its buffers from the last potentials it read back and
 * carries on from there.
 */
import { COST_CODE } from '../../ot/costs';
import {
  costScale,
  dualObjective,
  type PlanTopK,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../../ot/sinkhorn';
import { InputError } from '../../ot/validate';
import type { GpuRuntime } from '../../gpu/runtime';
import { ITERATIONS_PER_CHUNK, SinkhornSolverBase } from './base';
import { SINKHORN_BATCH_STATE, SINKHORN_PARAMS } from './layouts';
import {
  MAX_TOP_K,
  dispatchGrid,
  iterationsPerSubmit,
  planSinkhornGpu,
  type SinkhornGpuPlan,
} from './plan';
import type { SinkhornResult } from './types';

const SHADER = 'sinkhorn.wgsl';
/** Stands in for log 0 (see LOG_ZERO in the shader). */
const LOG_ZERO = -1e30;
/** Beyond C_max/ε = 1e6 float32 exponents lose all digits; refuse rather than return noise. */
export const MAX_COST_OVER_EPSILON = 1e6;

const ENTRIES = [
  'update_f',
  'update_g',
  'row_error',
  'record_error',
  'row_cost',
  'next_stage',
] as const;
type Entry = (typeof ENTRIES)[number];

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
  anneal: GPUBuffer;
  layout: GPUBuffer;
  historyCapacity: number;
  pipelines: Record<Entry, GPUComputePipeline>;
  groups: Record<Entry, GPUBindGroup>;
}

const nanArray = (length: number) => new Float32Array(length).fill(Number.NaN);

export class GpuSinkhornSolver extends SinkhornSolverBase {
  readonly backend = 'gpu';
  private readonly plan: SinkhornGpuPlan;
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
    problems.forEach((problem, b) => {
      if (JSON.stringify(problem.cost) !== JSON.stringify(first.cost)) {
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
    this.plan = planSinkhornGpu(problems, runtime.limits);
    this.f = problems.map((p) => new Float64Array(p.x.length));
    this.g = problems.map((p) => new Float64Array(p.y.length));
  }

  protected override chunkSize(): number {
    return iterationsPerSubmit(this.problems, ITERATIONS_PER_CHUNK);
  }

  private layoutOf(b: number) {
    const [n, m, , , fOff, gOff] = this.plan.layout.subarray(b * 8, b * 8 + 8);
    return { n: n!, m: m!, fOff: fOff!, gOff: gOff! };
  }

  private paramsBytes(historyCapacity: number, topK = 1, topBatch = 0): ArrayBuffer {
    const cost = this.problems[0]!.cost;
    return SINKHORN_PARAMS.pack({
      batch: this.problems.length,
      cost_kind: COST_CODE[cost.kind],
      max_rows: this.plan.maxRows,
      max_cols: this.plan.maxCols,
      history_capacity: historyCapacity,
      top_k: topK,
      top_batch: topBatch,
      spare: 0,
      p: cost.kind === 'pq' ? cost.p : 2,
      q: cost.kind === 'pq' ? cost.q : 2,
      eta: cost.kind === 'coulomb' ? cost.eta : 0,
      tolerance: this.options.tolerance,
    });
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
    const { clouds, rows, cols } = this.plan;
    const points = new Float32Array(4 * clouds.reduce((s, cloud) => s + cloud.length, 0));
    clouds.flat().forEach((point, k) => {
      points.set(point, 4 * k);
    });

    const logw = new Float32Array(rows + cols);
    const pot = new Float32Array(rows + cols);
    this.problems.forEach((problem, b) => {
      const { fOff, gOff } = this.layoutOf(b);
      problem.a.forEach((a, i) => (logw[fOff + i] = a > 0 ? Math.log(a) : LOG_ZERO));
      problem.b.forEach((w, j) => (logw[gOff + j] = w > 0 ? Math.log(w) : LOG_ZERO));
      pot.set(this.f[b]!, fOff);
      pot.set(this.g[b]!, gOff);
    });
    const STORAGE = GPUBufferUsage.STORAGE;
    const COPY_SRC = GPUBufferUsage.COPY_SRC;
    const COPY_DST = GPUBufferUsage.COPY_DST;
    const buffers = {
      params: rt.createBufferWith(
        'sinkhorn-params',
        this.paramsBytes(historyCapacity),
        GPUBufferUsage.UNIFORM | COPY_DST,
      ),
      points: rt.createBufferWith('sinkhorn-points', points, STORAGE),
      logw: rt.createBufferWith('sinkhorn-log-weights', logw, STORAGE),
      pot: rt.createBufferWith('sinkhorn-potentials', pot, STORAGE | COPY_SRC),
      epsilon: rt.createBufferWith(
        'sinkhorn-epsilon',
        Float32Array.from(this.problems, (p) => p.epsilon),
        STORAGE | COPY_DST,
      ),
      anneal: rt.createBufferWith(
        'sinkhorn-anneal',
        Float32Array.from(this.problems.flatMap((p) => [this.annealFactor(), p.epsilon])),
        STORAGE,
      ),
      layout: rt.createBufferWith('sinkhorn-layout', this.plan.layout, STORAGE),
      state: rt.createBuffer(
        'sinkhorn-state',
        B * SINKHORN_BATCH_STATE.size,
        STORAGE | COPY_SRC | COPY_DST,
      ),
      // Outputs start as NaN: a value a kernel failed to write shows up instead of passing as 0.
      rowValue: rt.createBufferWith('sinkhorn-row-values', nanArray(rows), STORAGE | COPY_SRC),
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
      layout: L,
    } = buffers;
    // Bindings each entry point uses (layout 'auto' drops unused ones).
    const bindings: Record<Entry, Record<number, GPUBuffer>> = {
      update_f: { 0: P, 1: X, 2: W, 3: F, 4: E, 5: S, 9: L },
      update_g: { 0: P, 1: X, 2: W, 3: F, 4: E, 5: S, 9: L },
      row_error: { 0: P, 1: X, 2: W, 3: F, 4: E, 5: S, 6: R, 9: L },
      record_error: { 0: P, 5: S, 6: R, 7: H, 9: L },
      row_cost: { 0: P, 1: X, 2: W, 3: F, 4: E, 6: R, 9: L },
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

  /** Dispatches `pipeline` over `perBatch` workgroups per problem (2D grid past 65535). */
  private grid(perBatch: number): [number, number] {
    return dispatchGrid(
      this.problems.length * perBatch,
      this.runtime.limits.maxComputeWorkgroupsPerDimension,
    );
  }

  protected async advance(count: number, checkAfter: number[]): Promise<number[][]> {
    const B = this.problems.length;
    const res = await this.ensureResources(Math.max(checkAfter.length, 1));
    const state = new Uint32Array((B * SINKHORN_BATCH_STATE.size) / 4);
    this.finished.forEach((finished, b) => (state[b * 4 + 1] = finished ? 1 : 0));
    this.runtime.device.queue.writeBuffer(res.state, 0, state);
    // ε of the first iteration of this step; later stages are advanced on the GPU.
    const epsilon = Float32Array.from(this.problems, (_, b) =>
      this.epsilonAt(b, this.iteration + 1),
    );
    this.runtime.device.queue.writeBuffer(res.epsilon, 0, epsilon);

    const rowGrid = this.grid(this.plan.maxRows);
    const colGrid = this.grid(this.plan.maxCols);
    const perSubmit = this.chunkSize();
    for (let first = 1; first <= count; first += perSubmit) {
      // Large problems: let each submit finish before queueing the next, so that the page's own
      // GPU work (drawing) is never stuck behind a long queue of Sinkhorn submits.
      if (first > 1) await this.runtime.device.queue.onSubmittedWorkDone();
      this.runtime.submit('sinkhorn-iterations', (dispatch) => {
        for (let t = first; t < first + perSubmit && t <= count; t += 1) {
          if (t > 1 && this.stageStartsAt(this.iteration + t)) {
            dispatch(res.pipelines.next_stage, res.groups.next_stage, Math.ceil(B / 64));
          }
          dispatch(res.pipelines.update_f, res.groups.update_f, ...rowGrid);
          dispatch(res.pipelines.update_g, res.groups.update_g, ...colGrid);
          if (checkAfter.includes(t)) {
            dispatch(res.pipelines.row_error, res.groups.row_error, ...rowGrid);
            dispatch(res.pipelines.record_error, res.groups.record_error, B);
          }
        }
      });
    }
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
    this.problems.forEach((_, b) => {
      const { n, m, fOff, gOff } = this.layoutOf(b);
      this.f[b] = Float64Array.from(pot.subarray(fOff, fOff + n));
      this.g[b] = Float64Array.from(pot.subarray(gOff, gOff + m));
    });
  }

  potentials(b: number) {
    return { f: this.f[b]!.slice(), g: this.g[b]!.slice() };
  }

  /**
   * The k ≤ 16 heaviest plan entries per row of batch b, from the potentials on the GPU (cost on
   * the fly, one invocation per row); one submit and one readback of n_b·k entries.
   */
  async planTopK(b: number, k: number): Promise<PlanTopK> {
    if (!Number.isInteger(k) || k < 1 || k > MAX_TOP_K) {
      throw new InputError('k', `the GPU plan keeps 1 to ${MAX_TOP_K} entries per row, got ${k}`);
    }
    const res = await this.ensureResources(1);
    const { n, m } = this.layoutOf(b);
    const rt = this.runtime;
    const pipeline = await rt.pipeline(SHADER, 'plan_top_k');
    // Poisoned outputs: a slot the kernel failed to write reads as index −2 / NaN.
    const index = rt.createBufferWith(
      'sinkhorn-top-index',
      new Int32Array(n * k).fill(-2),
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    );
    const mass = rt.createBufferWith(
      'sinkhorn-top-mass',
      nanArray(n * k),
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    );
    try {
      rt.device.queue.writeBuffer(res.params, 0, this.paramsBytes(res.historyCapacity, k, b));
      const group = rt.bindGroup('sinkhorn-plan_top_k', pipeline, {
        0: res.params,
        1: res.points,
        2: res.logw,
        3: res.pot,
        4: res.epsilon,
        9: res.layout,
        10: index,
        11: mass,
      });
      const grid = dispatchGrid(Math.ceil(n / 64), rt.limits.maxComputeWorkgroupsPerDimension);
      rt.submit('sinkhorn-plan-top-k', (dispatch) => {
        dispatch(pipeline, group, ...grid);
      });
      const [indexBytes, massBytes] = await rt.readBuffers([index, mass]);
      const kk = Math.min(k, m);
      const all = new Int32Array(indexBytes!);
      const masses = new Float32Array(massBytes!);
      const out: PlanTopK = {
        k: kk,
        index: new Int32Array(n * kk),
        mass: new Float64Array(n * kk),
      };
      for (let i = 0; i < n; i += 1) {
        out.index.set(all.subarray(i * k, i * k + kk), i * kk);
        out.mass.set(masses.subarray(i * k, i * k + kk), i * kk);
      }
      return out;
    } finally {
      index.destroy();
      mass.destroy();
    }
  }

  protected resetPotentials(): void {
    this.f = this.f.map((f) => new Float64Array(f.length));
    this.g = this.g.map((g) => new Float64Array(g.length));
    this.destroyBuffers(); // rebuilt from the zeroed potentials on the next step
  }

  async result(): Promise<SinkhornResult> {
    const res = await this.ensureResources(1);
    this.runtime.submit('sinkhorn-transport-cost', (dispatch) => {
      dispatch(res.pipelines.row_cost, res.groups.row_cost, ...this.grid(this.plan.maxRows));
    });
    const rowCosts = await this.runtime.readFloat32(res.rowValue, this.plan.rows);
    const summary = this.summary();
    return {
      backend: this.backend,
      iterations: summary.iteration,
      batches: this.problems.map((problem, b) => {
        const { n, fOff } = this.layoutOf(b);
        let transportCost = 0;
        for (let i = 0; i < n; i += 1) transportCost += rowCosts[fOff + i]!;
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
      res.layout,
    ]) {
      buffer.destroy();
    }
    this.resources = undefined;
  }

  dispose(): void {
    this.destroyBuffers();
  }
}
