/**
 * MCOT on the GPU (shaders/mcot.wgsl), float32. The Langevin steps, including the adaptive
 * Δt/tolerance, the Newton iterations and their M′×M′ LU solves, run on the GPU as a state
 * machine. The initialisation flow (base.ts) integrates in float64 on the CPU; its velocity
 * −J(JᵀJ)⁻¹ξ, the expensive part, is evaluated by the WGSL kernels on a real GPU (two submits and
 * a readback per evaluation) and by the float64 reference under emulation, where it is faster.
 *
 * `step(k)`: one submit of about k·(Newton solves + 1) slots (the estimate follows the measured
 * slots per step) that halts by itself after k accepted steps, then one readback of the state,
 * the k history rows and the current positions. If the slots ran out first (retries), one more
 * submit finishes the k steps. Why the LU runs on the GPU: a CPU solve would need a readback per
 * Newton iteration (several per step), and a mapAsync round trip costs milliseconds even on a real
 * GPU (shared/TESTING.md), against one small single-workgroup dispatch. bench/mcot.ts measures
 * both; under SwiftShader they cost the same order (M′ = 52, two runs on a loaded machine: 54 and
 * 110 ms per WGSL solve, 134 and 65 ms to read back, solve in float64 and write λ), so what
 * decides is keeping many steps per submit.
 *
 * Float32 limits: ‖ξ‖∞ cannot be driven much below GPU_TOLERANCE_FLOOR, so `tolerance` must be at
 * least that and `minTolerance` is raised to it; the noiseless descent check allows a relative
 * cost slack of GPU_DESCENT_SLACK (the rounding of a float32 sum of K·N² pair terms).
 */
import type { GpuRuntime } from '../../gpu/runtime';
import {
  createLangevinWorkspace,
  nonFiniteMessage,
  stepFailure,
  McotFailure,
  type AttemptFailure,
  type LangevinSettings,
} from '../../ot/mcot/langevin';
import type { VelocityField } from '../../ot/mcot/initialisation';
import type { McotSetup } from '../../ot/mcot/params';
import {
  ParticleKernels,
  cloneState,
  createState,
  costGradient,
  type ParticleState,
} from '../../ot/mcot/particles';
import { InputError } from '../../ot/validate';
import { McotSolverBase } from './base';
import { MCOT_STATE } from './layouts';
import type { McotSolverOptions } from './types';
import {
  FAIL,
  HISTORY_STRIDE,
  McotGpuKernels,
  PHASE,
  STATUS,
  checkGpuProblem,
  decodeState,
  packState,
  type StateFields,
} from './gpuKernels';

/**
 * ‖ξ‖∞ that float32 moment sums reach: accepted residuals in the tests and benchmarks were
 * 6e-8 to 5e-6 (1D Legendre M = 8; 3D Hermite H_9 with K·N = 10⁴ and H_6 with K·N = 10⁵).
 */
export const GPU_TOLERANCE_FLOOR = 1e-5;
/** Relative slack of the noiseless descent check: the rounding of a float32 f. */
export const GPU_DESCENT_SLACK = 1e-5;
/** History rows allocated at least (steps per submit), so that small step(k) never reallocate. */
const MIN_HISTORY_CAPACITY = 64;
/** Initial guess of slots (Newton solves + 1) per accepted step. */
const INITIAL_SLOTS_PER_STEP = 5;

const FAILURE_REASON: Record<number, AttemptFailure> = {
  [FAIL.newton]: 'newton',
  [FAIL.singular]: 'singular',
  [FAIL.ascent]: 'ascent',
};

/** The float32 version of the Langevin settings (see the module comment). */
export function gpuLangevinSettings(settings: LangevinSettings): LangevinSettings {
  if (settings.tolerance < GPU_TOLERANCE_FLOOR) {
    throw new InputError(
      'tolerance',
      `the GPU backend computes in float32 and needs tolerance >= ${GPU_TOLERANCE_FLOOR}, got ${settings.tolerance}; raise it or use the CPU backend`,
    );
  }
  return {
    ...settings,
    minTolerance: Math.max(settings.minTolerance, GPU_TOLERANCE_FLOOR),
    descentSlack: Math.max(settings.descentSlack, GPU_DESCENT_SLACK),
  };
}

export class GpuMcotSolver extends McotSolverBase {
  readonly backend = 'gpu';
  readonly settings: LangevinSettings;
  private kernels: McotGpuKernels | undefined;
  /** Whether the kernels' buffers hold the current state (false after creation or a velocity). */
  private loaded = false;
  /** The state as of the last readback (float32 values widened), or as uploaded. */
  private state: ParticleState | undefined;
  /** The GPU state struct as of the last readback. */
  private mirror: StateFields | undefined;
  private slotsPerStep = INITIAL_SLOTS_PER_STEP;

  constructor(
    private readonly runtime: GpuRuntime,
    setup: McotSetup,
    options: McotSolverOptions = {},
  ) {
    super(setup, options);
    checkGpuProblem(setup.problem);
    this.settings = gpuLangevinSettings(setup.langevin);
  }

  /** On a real GPU the RK3 flow evaluates its velocity with the WGSL kernels (see the options). */
  protected override velocityField(): VelocityField | undefined {
    const onGpu = this.options.gpuInitialisation ?? !this.runtime.adapter.emulated;
    if (!onGpu) return undefined;
    return async (at, out) => {
      const kernels = await this.ensureKernels(MIN_HISTORY_CAPACITY);
      this.loaded = false; // the velocity evaluation overwrites positions and state
      return kernels.velocity(at, out);
    };
  }

  protected async beginLangevin(state: ParticleState): Promise<void> {
    this.state = cloneState(state);
    this.control.tolerance = this.settings.tolerance;
    await this.resources(1);
  }

  /**
   * The buffers and pipelines, created anew when missing, after a device loss, or when `count`
   * history rows do not fit. A new set holds no state yet (`loaded` is false).
   */
  private async ensureKernels(count: number): Promise<McotGpuKernels> {
    const current = this.kernels;
    if (
      current &&
      current.generation === this.runtime.generation &&
      current.historyCapacity >= count
    ) {
      return current;
    }
    current?.destroy();
    this.kernels = undefined;
    this.loaded = false;
    const capacity = Math.max(count, this.setup.params.stepsPerSummary, MIN_HISTORY_CAPACITY);
    this.kernels = await McotGpuKernels.create(
      this.runtime,
      this.setup.problem,
      this.settings,
      Math.max(capacity, current?.historyCapacity ?? 0),
    );
    return this.kernels;
  }

  /** Kernels holding the current state: for `count` steps per submit. */
  private async resources(count: number): Promise<McotGpuKernels> {
    const kernels = await this.ensureKernels(count);
    if (!this.loaded) this.load(kernels);
    return kernels;
  }

  /** Writes the current state (positions, ∇f, moment sums, λ = 0) and control to the GPU. */
  private load(kernels: McotGpuKernels): void {
    const { problem } = this.setup;
    const state = this.state!;
    const { layout } = kernels;
    const gradient = createState(problem);
    const cost = costGradient(problem, state, gradient);
    const M = layout.constraints;
    const sums = new Float64Array(problem.particles * M);
    const particleKernels = new ParticleKernels(problem);
    for (let k = 0; k < problem.particles; k += 1)
      particleKernels.particleSums(state.x, k, sums, k * M);
    kernels.write('coords', packState(state));
    kernels.write('grad', packState(gradient));
    kernels.write('sums', Float32Array.from(sums));
    kernels.write('work', new Float32Array(M), layout.lambda);
    const { control } = this;
    this.mirror = {
      phase: PHASE.halt,
      cur: 0,
      step: control.step,
      halt_at: control.step,
      newton_iter: 0,
      status: STATUS.idle,
      accepted: control.accepted,
      rejected: control.rejected,
      history_count: 0,
      fail_code: FAIL.none,
      slots: 0,
      dt: control.timeStep,
      tol: control.tolerance,
      sigma: control.sigma,
      residual: control.residual,
      cost,
      last_dt: control.acceptedTimeStep,
      last_newton: control.newtonIterations,
    };
    kernels.writeState(this.mirror);
    this.loaded = true;
  }

  protected async advanceLangevin(count: number): Promise<void> {
    const kernels = await this.resources(count);
    const target = this.control.step + count;
    const coordStride = kernels.layout.coordStride;
    while (this.control.step < target) {
      const mirror = { ...this.mirror!, halt_at: target, history_count: 0, slots: 0 };
      if (mirror.phase === PHASE.halt) mirror.phase = PHASE.start;
      kernels.writeState(mirror);
      kernels.writeLaunches(mirror.phase);
      const remaining = target - this.control.step;
      const slots = Math.ceil(remaining * this.slotsPerStep * 1.2) + 2;
      kernels.submitSlots(slots);
      const [stateBytes, historyBytes, snapshotBytes] = await kernels.read([
        { buffer: 'state', words: MCOT_STATE.size / 4 },
        { buffer: 'history', words: remaining * HISTORY_STRIDE },
        { buffer: 'snapshot', words: coordStride },
      ]);
      const gpu = decodeState(stateBytes!);
      this.mirror = gpu;
      this.absorb(gpu, new Float32Array(historyBytes!), new Float32Array(snapshotBytes!));
      const stepsDone = gpu.history_count;
      if (stepsDone > 0) {
        this.slotsPerStep = Math.max(1, 0.5 * this.slotsPerStep + (0.5 * gpu.slots) / stepsDone);
      } else {
        this.slotsPerStep *= 2;
      }
      if (gpu.phase === PHASE.failed) throw this.gpuFailure(gpu);
    }
  }

  /** Copies the GPU's progress into control, history and the snapshot. */
  private absorb(gpu: StateFields, history: Float32Array, snapshot: Float32Array): void {
    const { control } = this;
    const rows = Math.min(gpu.history_count, history.length / HISTORY_STRIDE);
    for (let r = 0; r < rows; r += 1) {
      const row = history.subarray(r * HISTORY_STRIDE, (r + 1) * HISTORY_STRIDE);
      control.step = row[0]!;
      control.residual = row[2]!;
      control.acceptedTimeStep = row[3]!;
      control.sigma = row[4]!;
      control.newtonIterations = row[5]!;
      this.recordHistory(row[1]!);
    }
    control.step = gpu.step;
    control.accepted = gpu.accepted;
    control.rejected = gpu.rejected;
    control.timeStep = gpu.dt;
    control.tolerance = gpu.tol;
    control.cost = gpu.cost;
    const state = this.state!;
    const xLength = state.x.length;
    for (let i = 0; i < xLength; i += 1) state.x[i] = snapshot[i]!;
    for (let k = 0; k < state.z.length; k += 1) state.z[k] = snapshot[xLength + k]!;
    this.publish(state);
  }

  private gpuFailure(gpu: StateFields): McotFailure {
    const { problem } = this.setup;
    if (gpu.fail_code === FAIL.nan)
      return new McotFailure('nan', nonFiniteMessage(problem, gpu.step + 1));
    const reason = FAILURE_REASON[gpu.fail_code] ?? 'newton';
    return stepFailure(reason, this.state!, createLangevinWorkspace(problem), {
      dt: gpu.last_dt,
      tolerance: gpu.tol,
      settings: this.settings,
    });
  }

  protected currentState(): Promise<ParticleState> {
    return Promise.resolve(cloneState(this.state ?? createState(this.setup.problem)));
  }

  protected releaseBackend(): void {
    this.kernels?.destroy();
    this.kernels = undefined;
    this.loaded = false;
    this.state = undefined;
    this.mirror = undefined;
    this.slotsPerStep = INITIAL_SLOTS_PER_STEP;
  }

  dispose(): void {
    this.releaseBackend();
  }
}
