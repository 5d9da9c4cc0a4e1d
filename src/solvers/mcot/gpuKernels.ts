/**
 * Buffers, pipelines and dispatches of shaders/mcot.wgsl for one MCOT problem. The solver
 * (gpu.ts) records slots of the Langevin state machine through it; the GPU tests drive single
 * kernels through the same object (`dispatch`, `write`, `read`).
 */
import {
  WORKGROUP_SIZE,
  type Dispatch,
  type DispatchIndirect,
  type GpuRuntime,
} from '../../gpu/runtime';
import { philoxKey } from '../../ot/philox';
import { AXIS_FAMILY_CODE } from '../../ot/mcot/polynomials';
import type { LangevinSettings } from '../../ot/mcot/langevin';
import { rankLossFailure } from '../../ot/mcot/initialisation';
import { McotFailure } from '../../ot/mcot/langevin';
import { constraintCount, type ParticleProblem, type ParticleState } from '../../ot/mcot/particles';
import { InputError } from '../../ot/validate';
import { MCOT_GPU_PARAMS, MCOT_STATE } from './layouts';

const SHADER = 'mcot.wgsl';

/** Limits of the WGSL (MAX_CONSTRAINTS, TABLE, one history row's width). */
export const GPU_MAX_CONSTRAINTS = 80;
const GPU_TABLE = 48;
export const HISTORY_STRIDE = 6;
/** Electrons per gram_partial chunk and the cap on its workgroups. */
const GRAM_CHUNK = 4;
const MAX_GRAM_GROUPS = 256;

export const PHASE = { start: 0, newton: 1, halt: 2, failed: 3 } as const;
export const STATUS = { idle: 0, continue: 1, converged: 2, failNewton: 3, failSingular: 4 };
export const FAIL = { none: 0, newton: 1, singular: 2, ascent: 3, nan: 4 } as const;
const NOISE_CODE = { constant: 0, sqrt: 1, zero: 2 } as const;

/** The kernels of one slot, in order, then `publish` once per submit. */
export const SLOT_KERNELS = [
  'predict',
  'candidate',
  'particle_sums',
  'residual',
  'gram_partial',
  'solve',
  'energy',
  'particle_energy',
  'control',
] as const;
export type McotKernel = (typeof SLOT_KERNELS)[number] | 'publish';

export type McotBuffer =
  | 'params'
  | 'state'
  | 'axes'
  | 'problem'
  | 'coords'
  | 'grad'
  | 'work'
  | 'sums'
  | 'gram'
  | 'history'
  | 'snapshot'
  | 'launchA'
  | 'launchB';

/** Bindings each entry point uses (layout 'auto' keeps only those). */
const BINDINGS: Record<McotKernel, readonly McotBuffer[]> = {
  predict: ['params', 'state', 'coords', 'grad', 'work'],
  candidate: ['params', 'state', 'axes', 'problem', 'coords', 'work', 'sums'],
  particle_sums: ['params', 'state', 'axes', 'problem', 'coords', 'sums'],
  residual: ['params', 'state', 'problem', 'coords', 'work', 'sums', 'launchB'],
  gram_partial: ['params', 'state', 'axes', 'problem', 'coords', 'sums', 'gram'],
  solve: ['params', 'state', 'work', 'gram'],
  energy: ['params', 'state', 'coords', 'grad', 'work'],
  particle_energy: ['params', 'state', 'coords', 'grad', 'work'],
  control: ['params', 'state', 'work', 'history', 'launchA', 'launchB'],
  publish: ['params', 'state', 'coords', 'snapshot'],
};

const BINDING_INDEX: Record<McotBuffer, number> = {
  params: 0,
  state: 1,
  axes: 2,
  problem: 3,
  coords: 4,
  grad: 5,
  work: 6,
  sums: 7,
  gram: 8,
  history: 9,
  snapshot: 10,
  launchA: 11,
  launchB: 12,
};

/** Which argument buffer (and entry) launches each indirectly dispatched kernel. */
const LAUNCH: Partial<Record<McotKernel, { buffer: 'launchA' | 'launchB'; entry: number }>> = {
  predict: { buffer: 'launchA', entry: 0 },
  candidate: { buffer: 'launchA', entry: 1 },
  particle_sums: { buffer: 'launchA', entry: 2 },
  residual: { buffer: 'launchA', entry: 3 },
  gram_partial: { buffer: 'launchB', entry: 0 },
  solve: { buffer: 'launchB', entry: 1 },
  energy: { buffer: 'launchB', entry: 2 },
  particle_energy: { buffer: 'launchB', entry: 3 },
};

/** Sizes (in f32/u32 words) of the problem's buffers and sub-buffers. */
export interface McotGpuLayout {
  electrons: number;
  particles: number;
  constraints: number;
  coordStride: number;
  gramGroups: number;
  /** Offsets in `work`. */
  lambda: number;
  xi: number;
  energies: number;
  particleCosts: number;
  workLength: number;
  /** Offsets in `gram`. */
  assembled: number;
  lu: number;
  gramLength: number;
}

export function gpuLayout(problem: ParticleProblem): McotGpuLayout {
  const electrons = problem.particles * problem.electrons;
  const particles = problem.particles;
  const constraints = constraintCount(problem);
  const coordStride =
    electrons * problem.dimension + (problem.weights === 'adaptive' ? particles : 0);
  const gramGroups = Math.min(Math.ceil(electrons / GRAM_CHUNK), MAX_GRAM_GROUPS);
  const lambda = coordStride;
  const xi = lambda + constraints;
  const energies = xi + constraints;
  const particleCosts = energies + electrons;
  const entries = constraints * constraints;
  return {
    electrons,
    particles,
    constraints,
    coordStride,
    gramGroups,
    lambda,
    xi,
    energies,
    particleCosts,
    workLength: particleCosts + particles,
    assembled: gramGroups * entries,
    lu: (gramGroups + 1) * entries,
    gramLength: (gramGroups + 2) * entries,
  };
}

/** Refuses problems the WGSL cannot hold, naming the parameter to change. */
export function checkGpuProblem(problem: ParticleProblem): void {
  const M = constraintCount(problem);
  if (M > GPU_MAX_CONSTRAINTS) {
    throw new InputError(
      problem.dimension === 1 ? 'M' : 'D',
      `${M} constraints exceed the GPU backend's ${GPU_MAX_CONSTRAINTS}; lower it or use the CPU backend`,
    );
  }
  if (problem.dimension * (problem.set.maxAxisDegree + 1) > GPU_TABLE) {
    throw new InputError(
      problem.dimension === 1 ? 'M' : 'D',
      `single-axis degree ${problem.set.maxAxisDegree} is too high for the GPU tables; use the CPU backend`,
    );
  }
}

/** The problem's multi-indices followed by its targets as f32 bit patterns. */
function problemWords(problem: ParticleProblem): Uint32Array {
  const { set, targets } = problem;
  const words = new Uint32Array(set.indices.length + targets.length);
  words.set(set.indices);
  new Float32Array(words.buffer, set.indices.length * 4).set(targets);
  return words;
}

function axesData(problem: ParticleProblem): Float32Array {
  return Float32Array.from(
    problem.set.axes.flatMap((axis) => {
      const code = AXIS_FAMILY_CODE[axis.family];
      if (axis.family === 'legendre') return [code, axis.a, axis.b, 0];
      if (axis.family === 'hermite') return [code, axis.center, axis.scale, 0];
      return [code, 0, 0, 0];
    }),
  );
}

/** McotState as numbers (u32 and f32 alike). */
/** [x | z] as float32, the layout of one half of `coords` (and of `grad`, `snapshot`). */
export function packState(state: ParticleState): Float32Array {
  const out = new Float32Array(state.x.length + state.z.length);
  out.set(state.x);
  out.set(state.z, state.x.length);
  return out;
}

export type StateFields = { [Name in keyof Parameters<typeof MCOT_STATE.pack>[0]]: number };

export class McotGpuKernels {
  readonly layout: McotGpuLayout;
  readonly generation: number;
  private readonly buffers: Record<McotBuffer, GPUBuffer>;
  private pipelines!: Record<McotKernel, GPUComputePipeline>;
  private groups!: Record<McotKernel, GPUBindGroup>;

  private constructor(
    private readonly runtime: GpuRuntime,
    readonly problem: ParticleProblem,
    settings: LangevinSettings,
    readonly historyCapacity: number,
  ) {
    checkGpuProblem(problem);
    this.generation = runtime.generation;
    const layout = gpuLayout(problem);
    this.layout = layout;
    const { K, N } = { K: problem.particles, N: problem.electrons };
    const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const nan = (length: number) => new Float32Array(length).fill(Number.NaN);
    const params = MCOT_GPU_PARAMS.pack({
      electrons_total: K * N,
      particles: K,
      electrons: N,
      dimension: problem.dimension,
      constraints: layout.constraints,
      axis_stride: problem.set.maxAxisDegree + 1,
      adaptive: problem.weights === 'adaptive' ? 1 : 0,
      omega_kind: problem.omega === 'exp' ? 1 : 0,
      coord_stride: layout.coordStride,
      gram_groups: layout.gramGroups,
      max_newton: settings.maxNewtonIterations,
      fast_newton: settings.fastNewtonIterations,
      noise_kind: NOISE_CODE[settings.noise],
      history_capacity: historyCapacity,
      key: philoxKey(settings.seed),
      eta: problem.eta,
      sigma0: settings.sigma0,
      min_dt: settings.minTimeStep,
      max_dt: settings.maxTimeStep,
      dt_growth: settings.timeStepGrowth,
      min_tol: settings.minTolerance,
      tol_factor: settings.toleranceFactor,
      descent_slack: settings.descentSlack,
    });
    const rt = runtime;
    // Everything a kernel writes starts as NaN: an unwritten value cannot pass for a result.
    this.buffers = {
      params: rt.createBufferWith('mcot-params', params, GPUBufferUsage.UNIFORM),
      state: rt.createBuffer('mcot-state', MCOT_STATE.size, STORAGE),
      axes: rt.createBufferWith('mcot-axes', axesData(problem), GPUBufferUsage.STORAGE),
      problem: rt.createBufferWith('mcot-problem', problemWords(problem), GPUBufferUsage.STORAGE),
      coords: rt.createBufferWith('mcot-coords', nan(2 * layout.coordStride), STORAGE),
      grad: rt.createBufferWith('mcot-gradient', nan(2 * layout.coordStride), STORAGE),
      work: rt.createBufferWith('mcot-work', nan(layout.workLength), STORAGE),
      sums: rt.createBufferWith('mcot-sums', nan(2 * K * layout.constraints), STORAGE),
      gram: rt.createBufferWith('mcot-gram', nan(layout.gramLength), STORAGE),
      history: rt.createBufferWith('mcot-history', nan(historyCapacity * HISTORY_STRIDE), STORAGE),
      snapshot: rt.createBufferWith('mcot-snapshot', nan(layout.coordStride), STORAGE),
      launchA: rt.createBuffer('mcot-launch-a', 48, STORAGE | GPUBufferUsage.INDIRECT),
      launchB: rt.createBuffer('mcot-launch-b', 48, STORAGE | GPUBufferUsage.INDIRECT),
    };
  }

  static async create(
    runtime: GpuRuntime,
    problem: ParticleProblem,
    settings: LangevinSettings,
    historyCapacity: number,
  ): Promise<McotGpuKernels> {
    await runtime.ready();
    const kernels = new McotGpuKernels(runtime, problem, settings, historyCapacity);
    try {
      await kernels.compile();
    } catch (error) {
      kernels.destroy();
      throw error;
    }
    return kernels;
  }

  private async compile(): Promise<void> {
    const names = [...SLOT_KERNELS, 'publish'] as const;
    const pipelines = await Promise.all(names.map((name) => this.runtime.pipeline(SHADER, name)));
    this.pipelines = Object.fromEntries(names.map((name, i) => [name, pipelines[i]!])) as Record<
      McotKernel,
      GPUComputePipeline
    >;
    this.groups = Object.fromEntries(
      names.map((name) => [
        name,
        this.runtime.bindGroup(
          `mcot-${name}`,
          this.pipelines[name],
          Object.fromEntries(BINDINGS[name].map((b) => [BINDING_INDEX[b], this.buffers[b]])),
        ),
      ]),
    ) as Record<McotKernel, GPUBindGroup>;
  }

  /** Workgroups of a kernel's dispatch. */
  private workgroups(kernel: McotKernel): number {
    const { electrons, particles, gramGroups, coordStride } = this.layout;
    switch (kernel) {
      case 'predict':
      case 'candidate':
      case 'energy':
        return Math.ceil(electrons / WORKGROUP_SIZE);
      case 'particle_sums':
      case 'particle_energy':
        return Math.ceil(particles / WORKGROUP_SIZE);
      case 'gram_partial':
        return gramGroups;
      case 'publish':
        return Math.ceil(coordStride / WORKGROUP_SIZE);
      default:
        return 1;
    }
  }

  /**
   * Launch arguments matching a state written by the host: the first slot of a submit then runs
   * what `control` would have chosen (predict only at the start of an attempt).
   */
  writeLaunches(phase: number): void {
    const { electrons, particles } = this.layout;
    const groups = (count: number) => Math.ceil(count / WORKGROUP_SIZE);
    const newton = phase === PHASE.start || phase === PHASE.newton;
    const a = [
      phase === PHASE.start ? groups(electrons) : 0,
      newton ? groups(electrons) : 0,
      newton ? groups(particles) : 0,
      newton ? 1 : 0,
    ];
    this.write('launchA', Uint32Array.from(a.flatMap((x) => [x, 1, 1])));
    this.write('launchB', Uint32Array.from([0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1]));
  }

  /** One submit: `slots` slots of the state machine, then `publish`. */
  submitSlots(slots: number): void {
    this.runtime.submit('mcot-slots', (dispatch, dispatchIndirect) => {
      for (let s = 0; s < slots; s += 1) {
        for (const kernel of SLOT_KERNELS) this.record(kernel, dispatch, dispatchIndirect);
      }
      dispatch(this.pipelines.publish, this.groups.publish, this.workgroups('publish'));
    });
  }

  /** Runs the given kernels once each, in order, in one submit, all with direct dispatches (tests). */
  dispatch(kernels: readonly McotKernel[]): void {
    this.runtime.submit('mcot-kernels', (dispatch) => {
      for (const kernel of kernels) {
        dispatch(this.pipelines[kernel], this.groups[kernel], this.workgroups(kernel));
      }
    });
  }

  private record(kernel: McotKernel, dispatch: Dispatch, dispatchIndirect: DispatchIndirect): void {
    const launch = LAUNCH[kernel];
    if (!launch) {
      dispatch(this.pipelines[kernel], this.groups[kernel], this.workgroups(kernel));
      return;
    }
    const buffer = this.buffers[launch.buffer];
    dispatchIndirect(this.pipelines[kernel], this.groups[kernel], buffer, launch.entry * 12);
  }

  write(buffer: McotBuffer, data: ArrayBufferView | ArrayBuffer, offsetWords = 0): void {
    const bytes = data instanceof ArrayBuffer ? data : data.buffer;
    const start = data instanceof ArrayBuffer ? 0 : data.byteOffset;
    this.runtime.device.queue.writeBuffer(
      this.buffers[buffer],
      offsetWords * 4,
      bytes,
      start,
      data.byteLength,
    );
  }

  writeState(fields: StateFields): void {
    this.write('state', MCOT_STATE.pack(fields));
  }

  /** Reads the first `words` 32-bit words of each buffer, in one readback. */
  read(requests: readonly { buffer: McotBuffer; words: number }[]): Promise<ArrayBuffer[]> {
    return this.runtime.readBuffers(
      requests.map((r) => this.buffers[r.buffer]),
      requests.map((r) => Math.max(4, r.words * 4)),
    );
  }

  /**
   * The initialisation flow's velocity F(X) = −J (JᵀJ)⁻¹ ξ(X) into `out`, returning ‖ξ(X)‖∞, by
   * the Newton kernels with P = Xⁿ = X, Y = 0 and λ = 0: residual gives ξ(X), gram_partial and
   * solve give λ = −(JᵀJ)⁻¹ξ, candidate writes Y + J(X)λ = F. Overwrites the solver's buffers.
   */
  async velocity(at: ParticleState, out: ParticleState): Promise<number> {
    const { layout } = this;
    const packed = packState(at);
    this.write('coords', packed);
    this.write('coords', packed, layout.coordStride);
    this.write('work', new Float32Array(layout.coordStride + layout.constraints));
    const state = (cur: number): StateFields =>
      ({
        ...Object.fromEntries(MCOT_STATE.fields.map((f) => [f.name, 0])),
        phase: PHASE.newton,
        cur,
        tol: 0, // never "converged": the Gram matrix and the solve always run
      }) as StateFields;
    // Moment sums S(X) in both halves: J(X) reads the current half, ξ(X) the candidate half.
    this.writeState(state(1));
    this.dispatch(['particle_sums']);
    this.writeState(state(0));
    this.dispatch(['particle_sums', 'residual', 'gram_partial', 'solve', 'candidate']);
    const [stateBytes, coordsBytes] = await this.read([
      { buffer: 'state', words: MCOT_STATE.size / 4 },
      { buffer: 'coords', words: 2 * layout.coordStride },
    ]);
    const gpu = decodeState(stateBytes!);
    if (gpu.status === STATUS.failSingular) throw rankLossFailure('float32 LU on the GPU');
    if (gpu.status !== STATUS.continue || !Number.isFinite(gpu.residual)) {
      throw new McotFailure('nan', 'the initialisation flow met non-finite moments on the GPU');
    }
    const velocity = new Float32Array(coordsBytes!, layout.coordStride * 4, layout.coordStride);
    out.x.forEach((_, e) => (out.x[e] = velocity[e]!));
    out.z.forEach((_, k) => (out.z[k] = velocity[out.x.length + k]!));
    return gpu.residual;
  }

  destroy(): void {
    for (const buffer of Object.values(this.buffers)) buffer.destroy();
  }
}

/** Decodes a McotState read back from the GPU. */
export function decodeState(bytes: ArrayBuffer): StateFields {
  const view = new DataView(bytes);
  return Object.fromEntries(
    MCOT_STATE.fields.map((field) => [
      field.name,
      field.type === 'f32'
        ? view.getFloat32(field.offset, true)
        : view.getUint32(field.offset, true),
    ]),
  ) as StateFields;
}
