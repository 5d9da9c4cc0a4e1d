import type { FailureCode } from '../../ot/mcot/langevin';
import type { McotParams, McotSetup } from '../../ot/mcot/params';
import type { ParticleState } from '../../ot/mcot/particles';
import type { Backend, IterativeSolver, SolverSummary } from '../types';

/** 'initialising': RK3 (and Tchakaloff) towards {ξ = 0}; 'langevin': projected steps. */
export type McotPhase = 'initialising' | 'langevin' | 'stopped';

/**
 * One entry per accepted Langevin step, entry 0 being the initialised state (columnar arrays,
 * appended in place: read them, do not keep them across `reset()`).
 */
export interface McotHistory {
  /** n: accepted steps so far. */
  iteration: number[];
  /** f(Xⁿ). */
  cost: number[];
  /** ‖ξ(Xⁿ)‖∞ as the backend measured it at acceptance. */
  residual: number[];
  /** Δt that produced Xⁿ (0 for entry 0). */
  timeStep: number[];
  /** σ_n of that step. */
  sigma: number[];
  /** Newton solves of that step. */
  newtonIterations: number[];
}

export interface McotFailureInfo {
  code: FailureCode;
  message: string;
}

export interface McotSummary extends SolverSummary {
  /** Accepted Langevin steps (n). */
  iteration: number;
  phase: McotPhase;
  /** Attempted RK3 steps of the initialisation. */
  initSteps: number;
  /** f at the current state (NaN before the initialisation ends). */
  cost: number;
  /** ‖ξ‖∞ at the current state. */
  residual: number;
  /** Next Δt, current tolerance, σ of the last step. */
  timeStep: number;
  tolerance: number;
  sigma: number;
  accepted: number;
  rejected: number;
  /** Newton solves of the last accepted step. */
  newtonIterations: number;
  failure?: McotFailureInfo;
}

/** Positions and weights at the last summary (cheap to read from a render loop). */
export interface ParticleSnapshot {
  /** Increases whenever the positions change (compare to skip redraws). */
  version: number;
  dimension: number;
  /** N electrons per particle. */
  electrons: number;
  /** K particles. */
  particles: number;
  /** x[((k·N + i)·d + j]: coordinate j of electron i of particle k. */
  x: Float64Array;
  /** w_k (1/K with fixed weights). */
  weights: Float64Array;
}

export interface McotResult {
  backend: Backend;
  params: McotParams;
  summary: McotSummary;
  /** K·N·d positions, as in ParticleSnapshot.x. */
  x: Float64Array;
  /** The weight variables z_k (adaptive weights; empty when fixed): w_k = ω(z_k). */
  z: Float64Array;
  weights: Float64Array;
  /** f(X) re-evaluated in float64 from the returned positions. */
  cost: number;
  /** ‖ξ(X)‖∞ re-evaluated in float64 from the returned positions and weights. */
  residual: number;
  targets: Float64Array;
  history: McotHistory;
}

export interface McotSolverOptions {
  /**
   * Start from these particles instead of sampling μ (the RK3 flow still brings them onto the
   * constraints first): to continue a run, or to share one initialisation between backends.
   */
  initialState?: ParticleState;
  /**
   * GPU backend: evaluate the initialisation flow's velocity with the WGSL kernels (float32)
   * instead of the float64 CPU reference. Default: on real GPUs, not on emulated adapters.
   */
  gpuInitialisation?: boolean;
}

export type McotSolver = IterativeSolver<McotSummary, McotResult> & {
  readonly setup: McotSetup;
  summary(): McotSummary;
  /** The latest positions and weights, refreshed by every `step()`; no GPU access. */
  particles(): ParticleSnapshot;
  history(): McotHistory;
};
