/**
 * Getting the MCOT particles onto the constraint manifold {ξ = 0} (MATH.md §7; seed 003 §4.4).
 *
 * - `sampleInitialState`: every electron iid from μ, weights uniform (w_k = 1/K).
 * - `ConstraintFlow`: the flow dX/dt = F(X) = −J (JᵀJ)⁻¹ ξ(X) (our reconstruction of seed 003 (30);
 *   along it dξ/dt = −ξ), integrated by the Bogacki–Shampine RK3 pair (Bogacki & Shampine 1989)
 *   with its embedded second-order error estimate and first-same-as-last:
 *     k1 = F(X), k2 = F(X + h/2 k1), k3 = F(X + 3h/4 k2), X⁺ = X + h(2/9 k1 + 1/3 k2 + 4/9 k3),
 *     k4 = F(X⁺), err = h(−5/72 k1 + 1/12 k2 + 1/9 k3 − 1/8 k4).
 *   A step is accepted when ‖err‖∞ ≤ errorTolerance; h ← h·clamp(0.9 (tol/err)^{1/3}, 0.2, 5),
 *   at most maxStep (1.5: on the linearised flow ξ' = −ξ one step then shrinks ‖ξ‖ 16-fold).
 * - `tchakaloffInitialState` (adaptive weights): Carathéodory–Tchakaloff subsampling by
 *   Lawson–Hanson NNLS, then the atoms are subdivided and perturbed into K particles.
 */
import { philoxKey } from '../philox';
import { SingularMatrixError, luFactor, luSolve } from './dense';
import { McotFailure, langevinNormals } from './langevin';
import type { Marginal } from './marginals';
import { nnls } from './nnls';
import {
  ParticleKernels,
  axpyState,
  constraintCount,
  createState,
  omegaInverse,
  type ParticleProblem,
  type ParticleState,
} from './particles';

/** Philox counter word 2 of the Tchakaloff perturbation noise (see langevin.ts). */
export const NOISE_STREAM_PERTURBATION = 4;

/** Electrons iid from μ (`marginal.sample(K·N, seed)`), uniform weights. */
export function sampleInitialState(
  problem: ParticleProblem,
  marginal: Marginal,
  seed: number,
): ParticleState {
  const state = createState(problem);
  state.x.set(marginal.sample(problem.particles * problem.electrons, seed));
  state.z.fill(
    problem.weights === 'adaptive' ? omegaInverse(problem.omega, 1 / problem.particles) : 0,
  );
  return state;
}

export interface FlowSettings {
  /** Stop once ‖ξ‖∞ < tolerance. */
  tolerance: number;
  /** Local error bound per RK3 step (absolute, on every coordinate). */
  errorTolerance: number;
  initialStep: number;
  maxStep: number;
  /** Attempted RK3 steps before the moment set is declared unattainable. */
  maxSteps: number;
}

export const DEFAULT_FLOW_SETTINGS: FlowSettings = {
  tolerance: 1e-8,
  errorTolerance: 1e-3,
  initialStep: 0.1,
  maxStep: 1.5,
  maxSteps: 2000,
};

/**
 * The flow's velocity F(X) = −J (JᵀJ)⁻¹ ξ(X) into `out`, returning ‖ξ(X)‖∞. The CPU one is the
 * float64 reference; the GPU solver plugs in its WGSL kernels (src/solvers/mcot/gpuKernels.ts).
 */
export type VelocityField = (at: ParticleState, out: ParticleState) => Promise<number>;

/** The failure of a flow whose Gram matrix JᵀJ lost rank. */
export function rankLossFailure(detail: string): McotFailure {
  return new McotFailure(
    'unattainable',
    `unattainable moment set: the constraint Jacobian lost rank during the RK3 ` +
      `initialisation (${detail}); increase K (or N), or lower M / D`,
  );
}

/** F(X) = −J (JᵀJ)⁻¹ ξ(X) in float64. */
export function cpuVelocityField(problem: ParticleProblem): VelocityField {
  const kernels = new ParticleKernels(problem);
  const M = constraintCount(problem);
  const xi = new Float64Array(M);
  const gram = new Float64Array(M * M);
  const pivots = new Int32Array(M);
  return (at, out) => {
    const residual = kernels.constraints(at, xi);
    kernels.newtonMatrix(at, at, gram);
    try {
      luFactor(gram, M, pivots);
    } catch (error) {
      if (!(error instanceof SingularMatrixError)) throw error;
      throw rankLossFailure(error.message);
    }
    luSolve(gram, M, pivots, xi);
    for (let m = 0; m < M; m += 1) xi[m] = -xi[m]!;
    kernels.applyJacobian(at, xi, out);
    return Promise.resolve(residual);
  };
}

/** Bogacki–Shampine RK3 on dX/dt = −J (JᵀJ)⁻¹ ξ(X); one `step()` is one attempted step. */
export class ConstraintFlow {
  /** Current step size h. */
  h: number;
  attempts = 0;
  rejected = 0;
  /** ‖ξ(state)‖∞. */
  residual = Number.NaN;
  private readonly stages: RkStages;

  private constructor(
    readonly problem: ParticleProblem,
    /** Moved in place towards the manifold. */
    readonly state: ParticleState,
    readonly settings: FlowSettings,
    private readonly velocity: VelocityField,
  ) {
    const stage = () => createState(problem);
    this.stages = {
      k1: stage(),
      k2: stage(),
      k3: stage(),
      k4: stage(),
      trial: stage(),
      next: stage(),
    };
    this.h = settings.initialStep;
  }

  /** A flow from `state`, with F(state) evaluated (the first stage of the first step). */
  static async start(
    problem: ParticleProblem,
    state: ParticleState,
    settings: FlowSettings,
    velocity: VelocityField = cpuVelocityField(problem),
  ): Promise<ConstraintFlow> {
    const flow = new ConstraintFlow(problem, state, settings, velocity);
    const xi = new Float64Array(constraintCount(problem));
    flow.residual = new ParticleKernels(problem).constraints(state, xi);
    if (!Number.isFinite(flow.residual)) {
      throw new McotFailure('nan', 'the initial particles give non-finite moments');
    }
    if (!flow.done) await velocity(state, flow.stages.k1);
    return flow;
  }

  get done(): boolean {
    return this.residual < this.settings.tolerance;
  }

  /** One attempted RK3 step (accepted or rejected by the error estimate). Returns whether accepted. */
  async step(): Promise<boolean> {
    if (this.done) return false;
    if (this.attempts >= this.settings.maxSteps) {
      throw new McotFailure(
        'unattainable',
        `unattainable moment set: ‖ξ‖∞ = ${this.residual.toExponential(2)} after ` +
          `${this.attempts} RK3 steps, above ${this.settings.tolerance}; increase K or lower M / D`,
      );
    }
    this.attempts += 1;
    const h = this.h;
    let residual = Number.NaN;
    const error = await bogackiShampineAttempt(
      async (at, out) => {
        residual = await this.velocity(at, out);
      },
      this.state,
      h,
      this.stages,
    );
    const { errorTolerance, maxStep } = this.settings;
    const accepted = error <= errorTolerance && Number.isFinite(residual);
    const ratio = error > 0 ? 0.9 * Math.cbrt(errorTolerance / error) : 5;
    this.h = Math.min(
      maxStep,
      h * Math.min(5, Math.max(0.2, Number.isFinite(ratio) ? ratio : 0.2)),
    );
    if (!accepted) {
      this.rejected += 1;
      return false;
    }
    const { next, k1, k4 } = this.stages;
    this.state.x.set(next.x);
    this.state.z.set(next.z);
    this.residual = residual;
    // First same as last: k4 is F at the new state.
    k1.x.set(k4.x);
    k1.z.set(k4.z);
    return true;
  }
}

/** Stage vectors of one Bogacki–Shampine attempt; k1 = F(y) on entry. */
export interface RkStages {
  k1: ParticleState;
  k2: ParticleState;
  k3: ParticleState;
  k4: ParticleState;
  trial: ParticleState;
  next: ParticleState;
}

/**
 * One Bogacki–Shampine RK3 attempt from y with step h (stages.k1 = F(y) given): writes the
 * third-order solution to stages.next, F(next) to stages.k4, and returns the max-norm of the
 * embedded error estimate h(−5/72 k1 + 1/12 k2 + 1/9 k3 − 1/8 k4).
 */
export async function bogackiShampineAttempt(
  F: (at: ParticleState, out: ParticleState) => Promise<void> | void,
  y: ParticleState,
  h: number,
  stages: RkStages,
): Promise<number> {
  const { k1, k2, k3, k4, trial, next } = stages;
  axpyState(y, h / 2, k1, trial);
  await F(trial, k2);
  axpyState(y, (3 * h) / 4, k2, trial);
  await F(trial, k3);
  const combine = (
    a: Float64Array,
    b1: Float64Array,
    b2: Float64Array,
    b3: Float64Array,
    to: Float64Array,
  ) => {
    for (let e = 0; e < a.length; e += 1)
      to[e] = a[e]! + h * ((2 / 9) * b1[e]! + (1 / 3) * b2[e]! + (4 / 9) * b3[e]!);
  };
  combine(y.x, k1.x, k2.x, k3.x, next.x);
  combine(y.z, k1.z, k2.z, k3.z, next.z);
  await F(next, k4);
  let error = 0;
  const estimate = (b1: Float64Array, b2: Float64Array, b3: Float64Array, b4: Float64Array) => {
    for (let e = 0; e < b1.length; e += 1) {
      const local =
        h * ((-5 / 72) * b1[e]! + (1 / 12) * b2[e]! + (1 / 9) * b3[e]! - (1 / 8) * b4[e]!);
      error = Math.max(error, Math.abs(local));
    }
  };
  estimate(k1.x, k2.x, k3.x, k4.x);
  estimate(k1.z, k2.z, k3.z, k4.z);
  return Number.isNaN(error) ? Infinity : error;
}

export interface TchakaloffSettings {
  /** Q: candidate configurations drawn from μ^{⊗N} (Q ≫ M'). */
  samples: number;
  /** Standard deviation of the perturbation of subdivided copies. */
  perturbation: number;
  seed: number;
}

export interface TchakaloffOutcome {
  state: ParticleState;
  /** Atoms with positive NNLS weight (≤ M'). */
  atoms: number;
  /** ‖Φw − b‖₂ of the NNLS solution. */
  nnlsResidual: number;
}

/**
 * Carathéodory–Tchakaloff subsampling (seed 003 §4.4, (31)): Q configurations y_q ~ μ^{⊗N},
 * Φ_{mq} = (1/N) Σ_i φ_m(y_{q,i}) (row 0 is the constant: ones), b = μ(φ), w = NNLS(Φ, b). The
 * ≤ M' atoms with w_q > 0 are split into K particles (counts ∝ w_q by largest remainder, at least
 * one each; the heaviest K atoms when there are more than K), each copy carrying w_q/count and
 * perturbed by N(0, perturbation²) per coordinate except the first copy.
 */
export function tchakaloffInitialState(
  problem: ParticleProblem,
  marginal: Marginal,
  settings: TchakaloffSettings,
): TchakaloffOutcome {
  if (problem.weights !== 'adaptive') {
    throw new RangeError('Carathéodory–Tchakaloff initialisation needs adaptive weights');
  }
  const { electrons: N, dimension: d, particles: K, targets } = problem;
  const M = constraintCount(problem);
  const Q = settings.samples;
  const kernels = new ParticleKernels(problem);
  const samples = marginal.sample(Q * N, settings.seed);
  const phi = new Float64Array(M * Q);
  const sums = new Float64Array(M);
  for (let q = 0; q < Q; q += 1) {
    kernels.particleSums(samples, q, sums);
    for (let m = 0; m < M; m += 1) phi[m * Q + q] = sums[m]! / N;
  }
  const solution = nnls(phi, M, Q, targets);
  const atoms = solution.support
    .map((q) => ({ q, w: solution.w[q]! }))
    .sort((a, b) => b.w - a.w)
    .slice(0, K);
  const counts = subdivisionCounts(
    atoms.map((atom) => atom.w),
    K,
  );
  const state = createState(problem);
  const key = philoxKey(settings.seed);
  let k = 0;
  atoms.forEach((atom, p) => {
    for (let copy = 0; copy < counts[p]!; copy += 1, k += 1) {
      for (let i = 0; i < N; i += 1) {
        const normals = langevinNormals(key, 0, k * N + i, NOISE_STREAM_PERTURBATION);
        for (let c = 0; c < d; c += 1) {
          const jitter = copy === 0 ? 0 : settings.perturbation * normals[c]!;
          state.x[(k * N + i) * d + c] = samples[(atom.q * N + i) * d + c]! + jitter;
        }
      }
      state.z[k] = omegaInverse(problem.omega, atom.w / counts[p]!);
    }
  });
  return { state, atoms: atoms.length, nnlsResidual: solution.residualNorm };
}

/** Integer counts ≥ 1 summing to K, proportional to the weights (largest remainder). */
export function subdivisionCounts(weights: readonly number[], K: number): number[] {
  const P = weights.length;
  if (P === 0) {
    throw new McotFailure('unattainable', 'NNLS found no atom: the moments are unreachable');
  }
  if (P > K) throw new RangeError(`${P} atoms do not fit in K = ${K} particles`);
  const total = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (w / total) * K);
  const counts = exact.map((v) => Math.max(1, Math.floor(v)));
  const excess = (p: number) => counts[p]! - exact[p]!;
  const byExcess = [...counts.keys()].sort((a, b) => excess(a) - excess(b));
  let left = K - counts.reduce((s, c) => s + c, 0);
  // Too few: the largest remainders get one more. Too many (the minimum of one): the most
  // over-served atoms with more than one copy give one back.
  for (let r = 0; left > 0; r += 1, left -= 1) counts[byExcess[r % P]!]! += 1;
  for (let r = P - 1; left < 0; r = (r + P - 1) % P) {
    const p = byExcess[r]!;
    if (counts[p]! > 1) {
      counts[p]! -= 1;
      left += 1;
    }
  }
  return counts;
}
