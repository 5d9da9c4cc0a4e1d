/**
 * Projected constrained overdamped Langevin steps for the MCOT particle problem (MATH.md §7;
 * seed 003 §4, Algorithms 1–3), float64.
 *
 * Step n from Xⁿ on the constraint manifold {ξ = 0}:
 *   Y = Xⁿ − Δt ∇f(Xⁿ) + σ_n √Δt Gⁿ,  Gⁿ iid N(0, 1) (Philox, reproducible from the seed),
 *   find λ ∈ R^{M'} with ξ(Y + J(Xⁿ) λ) = 0 by Newton:
 *     λ ← λ − [J(Y + J(Xⁿ)λ)ᵀ J(Xⁿ)]⁻¹ ξ(Y + J(Xⁿ)λ)   until ‖ξ‖∞ < tol_n,
 *   X^{n+1} = Y + J(Xⁿ) λ.
 *
 * Adaptation (our reading of seed 003 §4.2, whose symbols were lost): if Newton does not reach
 * tol_n within `maxNewtonIterations` linear solves (or its residual stops being finite, or a Newton
 * matrix is singular, or a noiseless step increases the cost: see `descentSlack`), the step is
 * retried from Xⁿ with the same Gⁿ and Δt/2; below `minTimeStep` the run stops (step-size
 * collapse). If it converges within `fastNewtonIterations` solves, Δt ← min(Δt·growth, maxTimeStep)
 * and tol ← max(tol·toleranceFactor, minTolerance): the tolerance only ever tightens, so every
 * accepted step satisfies ‖ξ‖∞ < tolerance. σ_n = σ₀, σ₀/√(n+1) or 0.
 *
 * Noise layout shared with shaders/mcot.wgsl: electron e = k·N + i draws the Philox block with
 * counter [e, n, 2, 0] and key = seed (coordinate c is lane c of its four Box–Muller normals);
 * weight variable z_k draws lane 0 of block [k, n, 3, 0]. Counter word 2 separates these streams
 * from the sampling streams (0 and 1) of marginals.ts.
 */
import { boxMuller, philox4x32, philoxKey } from '../philox';
import { SingularMatrixError, luFactor, luSolve, maxAbsEntry } from './dense';
import {
  ParticleKernels,
  constraintCount,
  costGradient,
  createState,
  isFiniteState,
  type ParticleProblem,
  type ParticleState,
} from './particles';

export const NOISE_STREAM_POSITIONS = 2;
export const NOISE_STREAM_WEIGHTS = 3;

export type NoiseSchedule = 'constant' | 'sqrt' | 'zero';

/** σ_n: σ₀, σ₀/√(n+1) or 0 (seed 003 §4.2). */
export function noiseLevel(schedule: NoiseSchedule, sigma0: number, n: number): number {
  switch (schedule) {
    case 'constant':
      return sigma0;
    case 'sqrt':
      return sigma0 / Math.sqrt(n + 1);
    case 'zero':
      return 0;
  }
}

/** The four normals of Philox block [index, step, stream, 0] under `key`. */
export function langevinNormals(
  key: readonly [number, number],
  step: number,
  index: number,
  stream: number,
): [number, number, number, number] {
  const bits = philox4x32([index, step, stream, 0], key);
  return [...boxMuller(bits[0], bits[1]), ...boxMuller(bits[2], bits[3])];
}

/** Gⁿ for every coordinate of the state (see the module comment for the layout; d ≤ 4). */
export function fillLangevinNoise(
  problem: ParticleProblem,
  seed: number,
  step: number,
  out: ParticleState,
): void {
  const { particles: K, electrons: N, dimension: d } = problem;
  const key = philoxKey(seed);
  for (let e = 0; e < K * N; e += 1) {
    const normals = langevinNormals(key, step, e, NOISE_STREAM_POSITIONS);
    for (let c = 0; c < d; c += 1) out.x[e * d + c] = normals[c]!;
  }
  for (let k = 0; k < out.z.length; k += 1) {
    out.z[k] = langevinNormals(key, step, k, NOISE_STREAM_WEIGHTS)[0];
  }
}

export type FailureCode = 'singular' | 'collapse' | 'unattainable' | 'nan';

/** A failure that stops the run; the solver keeps its last valid state. */
export class McotFailure extends Error {
  override name = 'McotFailure';
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
  }
}

export interface LangevinSettings {
  timeStep: number;
  minTimeStep: number;
  maxTimeStep: number;
  /** Δt factor (≥ 1) after a fast Newton convergence. */
  timeStepGrowth: number;
  /** Initial tol_0: every accepted step has ‖ξ‖∞ below it. */
  tolerance: number;
  minTolerance: number;
  /** tol factor (≤ 1) after a fast Newton convergence. */
  toleranceFactor: number;
  maxNewtonIterations: number;
  fastNewtonIterations: number;
  /**
   * Without noise (σ_n = 0) a step whose cost exceeds f(Xⁿ)(1 + descentSlack) is rejected like a
   * failed projection (Δt/2): our safeguard, not in seed 003. The gradient flow must descend, and
   * a Δt beyond the stiffness of c_η (curvature ~ w_k/η³ when electrons meet) would oscillate.
   * The slack absorbs rounding of f (float32 on the GPU).
   */
  descentSlack: number;
  noise: NoiseSchedule;
  sigma0: number;
  seed: number;
}

export const DEFAULT_LANGEVIN_SETTINGS: LangevinSettings = {
  timeStep: 0.01,
  minTimeStep: 1e-12,
  maxTimeStep: 1e6,
  timeStepGrowth: 1.2,
  tolerance: 1e-8,
  minTolerance: 1e-11,
  toleranceFactor: 0.9,
  maxNewtonIterations: 10,
  fastNewtonIterations: 4,
  descentSlack: 1e-6,
  noise: 'zero',
  sigma0: 0,
  seed: 1,
};

/** Where the adaptive integration stands (plain data: the solver snapshots it). */
export interface LangevinControl {
  /** n: accepted steps so far. */
  step: number;
  timeStep: number;
  tolerance: number;
  accepted: number;
  rejected: number;
  /** Linear solves of the last accepted projection. */
  newtonIterations: number;
  /** ‖ξ‖∞ after the last accepted step. */
  residual: number;
  /** σ of the last accepted step. */
  sigma: number;
  /** Δt of the last accepted step (before any growth). */
  acceptedTimeStep: number;
  /** f at the current state. */
  cost: number;
}

export function initialControl(settings: LangevinSettings, residual: number): LangevinControl {
  return {
    step: 0,
    timeStep: settings.timeStep,
    tolerance: settings.tolerance,
    accepted: 0,
    rejected: 0,
    newtonIterations: 0,
    residual,
    sigma: noiseLevel(settings.noise, settings.sigma0, 0),
    acceptedTimeStep: 0,
    cost: Number.NaN,
  };
}

export interface ProjectionOutcome {
  converged: boolean;
  /** Linear solves done. */
  iterations: number;
  /** Last ‖ξ‖∞ (NaN when it overflowed). */
  residual: number;
  /** Set when a Newton matrix was singular (the projection then failed). */
  singular?: string;
}

/** Buffers of one Langevin integration (allocated once per solver). */
export interface LangevinWorkspace {
  kernels: ParticleKernels;
  gradient: ParticleState;
  noise: ParticleState;
  predicted: ParticleState;
  candidate: ParticleState;
  candidateGradient: ParticleState;
  direction: ParticleState;
  lambda: Float64Array;
  xi: Float64Array;
  matrix: Float64Array;
  pivots: Int32Array;
}

export function createLangevinWorkspace(problem: ParticleProblem): LangevinWorkspace {
  const M = constraintCount(problem);
  return {
    kernels: new ParticleKernels(problem),
    gradient: createState(problem),
    noise: createState(problem),
    predicted: createState(problem),
    candidate: createState(problem),
    candidateGradient: createState(problem),
    direction: createState(problem),
    lambda: new Float64Array(M),
    xi: new Float64Array(M),
    matrix: new Float64Array(M * M),
    pivots: new Int32Array(M),
  };
}

/**
 * Newton projection of `predicted` along J(base): writes Y + J(base)λ into ws.candidate. A
 * singular Newton matrix ends the projection unconverged, with `singular` saying why.
 */
export function projectAlongJacobian(
  base: ParticleState,
  predicted: ParticleState,
  tolerance: number,
  maxIterations: number,
  ws: LangevinWorkspace,
): ProjectionOutcome {
  const { kernels, lambda, xi, matrix, pivots, candidate, direction } = ws;
  const M = lambda.length;
  lambda.fill(0);
  for (let iteration = 0; ; iteration += 1) {
    if (iteration === 0) {
      candidate.x.set(predicted.x);
      candidate.z.set(predicted.z);
    } else {
      kernels.applyJacobian(base, lambda, direction);
      for (let e = 0; e < candidate.x.length; e += 1)
        candidate.x[e] = predicted.x[e]! + direction.x[e]!;
      for (let k = 0; k < candidate.z.length; k += 1)
        candidate.z[k] = predicted.z[k]! + direction.z[k]!;
    }
    const residual = kernels.constraints(candidate, xi);
    if (!Number.isFinite(residual)) return { converged: false, iterations: iteration, residual };
    if (residual < tolerance) return { converged: true, iterations: iteration, residual };
    if (iteration >= maxIterations) return { converged: false, iterations: iteration, residual };
    kernels.newtonMatrix(candidate, base, matrix);
    if (!Number.isFinite(maxAbsEntry(matrix))) {
      return { converged: false, iterations: iteration, residual: Number.NaN };
    }
    try {
      luFactor(matrix, M, pivots);
    } catch (error) {
      if (!(error instanceof SingularMatrixError)) throw error;
      return { converged: false, iterations: iteration, residual, singular: error.message };
    }
    luSolve(matrix, M, pivots, xi);
    for (let m = 0; m < M; m += 1) lambda[m]! -= xi[m]!;
  }
}

/**
 * One accepted Langevin step from `state` (on the manifold, with ws.gradient = ∇f(state) and
 * control.cost = f(state) already set), retrying with Δt/2 until Newton converges. On success
 * `state` holds X^{n+1}, ws.gradient its gradient and control is advanced. On failure it throws
 * McotFailure and `state` is untouched: 'collapse' when Δt falls below its floor, 'singular' when
 * the last attempts failed on a singular Newton matrix (a singular matrix at a far-off predicted
 * point is cured by a smaller Δt; one that persists down to the floor means J(Xⁿ) lost rank).
 */
export function langevinStep(
  problem: ParticleProblem,
  state: ParticleState,
  control: LangevinControl,
  settings: LangevinSettings,
  ws: LangevinWorkspace,
): void {
  if (!isFiniteState(ws.gradient)) {
    throw new McotFailure('nan', nonFiniteMessage(problem, control.step));
  }
  const sigma = noiseLevel(settings.noise, settings.sigma0, control.step);
  if (sigma > 0) fillLangevinNoise(problem, settings.seed, control.step, ws.noise);
  for (;;) {
    const dt = control.timeStep;
    const noiseScale = sigma * Math.sqrt(dt);
    const { predicted, gradient, noise } = ws;
    for (let e = 0; e < state.x.length; e += 1) {
      predicted.x[e] =
        state.x[e]! - dt * gradient.x[e]! + (noiseScale > 0 ? noiseScale * noise.x[e]! : 0);
    }
    for (let k = 0; k < state.z.length; k += 1) {
      predicted.z[k] =
        state.z[k]! - dt * gradient.z[k]! + (noiseScale > 0 ? noiseScale * noise.z[k]! : 0);
    }
    const outcome = projectAlongJacobian(
      state,
      predicted,
      control.tolerance,
      settings.maxNewtonIterations,
      ws,
    );
    let ascent = false;
    if (outcome.converged && isFiniteState(ws.candidate)) {
      const cost = costGradient(problem, ws.candidate, ws.candidateGradient);
      if (!Number.isFinite(cost) || !isFiniteState(ws.candidateGradient)) {
        throw new McotFailure('nan', nonFiniteMessage(problem, control.step + 1));
      }
      ascent = sigma === 0 && cost > control.cost + settings.descentSlack * Math.abs(control.cost);
      if (!ascent) {
        acceptCandidate(state, control, settings, ws, { ...outcome, cost, sigma, dt });
        return;
      }
    }
    control.rejected += 1;
    control.timeStep = dt / 2;
    if (control.timeStep >= settings.minTimeStep) continue;
    const reason: AttemptFailure = ascent ? 'ascent' : outcome.singular ? 'singular' : 'newton';
    throw stepFailure(reason, state, ws, {
      dt,
      tolerance: control.tolerance,
      settings,
      detail: outcome.singular,
    });
  }
}

/** Why the last attempt of a step failed. */
export type AttemptFailure = 'newton' | 'singular' | 'ascent';

/**
 * The failure that ends a run when Δt fell below its floor: 'singular' when J(Xⁿ) itself lost
 * rank (checked in float64 on `state`), else a step-size collapse explained by the last reason.
 */
export function stepFailure(
  reason: AttemptFailure,
  state: ParticleState,
  ws: LangevinWorkspace,
  at: { dt: number; tolerance: number; settings: LangevinSettings; detail?: string | undefined },
): McotFailure {
  const rankLoss = reason === 'singular' ? jacobianRankLoss(state, ws) : undefined;
  if (rankLoss) {
    return new McotFailure(
      'singular',
      `singular Newton system (${rankLoss}): J(Xⁿ) lost rank, the particles no longer span ` +
        'the test functions; increase K, lower M (or D)',
    );
  }
  const why =
    reason === 'ascent'
      ? 'the noiseless step still increased the cost'
      : reason === 'singular'
        ? `the Newton matrix was singular at the predicted point${at.detail ? ` (${at.detail})` : ''}`
        : `Newton did not reach tol ${at.tolerance.toExponential(2)} within ` +
          `${at.settings.maxNewtonIterations} iterations`;
  return new McotFailure(
    'collapse',
    `step-size collapse: ${why} at Δt = ${at.dt.toExponential(2)}, and halving it falls below ` +
      `the floor ${at.settings.minTimeStep}; lower M, raise the tolerance or reduce the noise`,
  );
}

/** Why J(X)ᵀJ(X) is singular, or undefined when it factors (uses ws.matrix as scratch). */
export function jacobianRankLoss(state: ParticleState, ws: LangevinWorkspace): string | undefined {
  ws.kernels.newtonMatrix(state, state, ws.matrix);
  try {
    luFactor(ws.matrix, ws.lambda.length, ws.pivots);
    return undefined;
  } catch (error) {
    if (!(error instanceof SingularMatrixError)) throw error;
    return error.message;
  }
}

export function nonFiniteMessage(problem: ParticleProblem, step: number): string {
  const hint = problem.eta === 0 ? ': eta = 0 is the singular Coulomb cost, use eta > 0' : '';
  return `non-finite cost or gradient at step ${step} (two electrons collided?)${hint}`;
}

function acceptCandidate(
  state: ParticleState,
  control: LangevinControl,
  settings: LangevinSettings,
  ws: LangevinWorkspace,
  accepted: ProjectionOutcome & { cost: number; sigma: number; dt: number },
): void {
  state.x.set(ws.candidate.x);
  state.z.set(ws.candidate.z);
  ws.gradient.x.set(ws.candidateGradient.x);
  ws.gradient.z.set(ws.candidateGradient.z);
  control.step += 1;
  control.accepted += 1;
  control.newtonIterations = accepted.iterations;
  control.residual = accepted.residual;
  control.sigma = accepted.sigma;
  control.acceptedTimeStep = accepted.dt;
  control.cost = accepted.cost;
  if (accepted.iterations <= settings.fastNewtonIterations) {
    control.timeStep = Math.min(accepted.dt * settings.timeStepGrowth, settings.maxTimeStep);
    control.tolerance = Math.max(
      control.tolerance * settings.toleranceFactor,
      settings.minTolerance,
    );
  }
}
