/**
 * What the CPU and GPU MCOT solvers share: the initialisation (always float64 on the CPU: sampling
 * or Carathéodory–Tchakaloff, then the RK3 flow onto {ξ = 0}), phases, the step budget, history,
 * failures and the particle snapshot. Backends implement only the Langevin steps.
 *
 * `step(k)` spends k units of work: attempted RK3 steps while initialising, then accepted
 * Langevin steps. A failure (McotFailure) stops the run with `failure` and `stopReason` set and
 * the last valid state kept; later `step()` calls return the same summary.
 */
import {
  ConstraintFlow,
  sampleInitialState,
  tchakaloffInitialState,
  type VelocityField,
} from '../../ot/mcot/initialisation';
import { McotFailure, initialControl, type LangevinControl } from '../../ot/mcot/langevin';
import type { McotSetup } from '../../ot/mcot/params';
import {
  ParticleKernels,
  cloneState,
  costGradient,
  createState,
  particleCost,
  particleWeights,
  type ParticleState,
} from '../../ot/mcot/particles';
import type { Backend } from '../types';
import type {
  McotFailureInfo,
  McotHistory,
  McotPhase,
  McotResult,
  McotSolver,
  McotSolverOptions,
  McotSummary,
  ParticleSnapshot,
} from './types';

/** A history with no row yet. */
export const emptyHistory = (): McotHistory => ({
  iteration: [],
  cost: [],
  residual: [],
  timeStep: [],
  sigma: [],
  newtonIterations: [],
});

export abstract class McotSolverBase implements McotSolver {
  abstract readonly backend: Backend;
  protected phase: McotPhase = 'initialising';
  protected control!: LangevinControl;
  protected historyData: McotHistory = emptyHistory();
  protected failure: McotFailureInfo | undefined;
  private stopReason: string | undefined;
  private flow: ConstraintFlow | undefined;
  /** The backend holds the state (beginLangevin succeeded). */
  private langevinStarted = false;
  private snapshot!: ParticleSnapshot;

  constructor(
    readonly setup: McotSetup,
    readonly options: McotSolverOptions = {},
  ) {
    this.clearProgress();
  }

  /** Starts the Langevin phase from `state` (on the manifold; `gradient` = ∇f there). */
  protected abstract beginLangevin(state: ParticleState, gradient: ParticleState): Promise<void>;
  /**
   * Up to `count` accepted steps: advances `control`, appends to the history, refreshes the
   * snapshot (`publish`). Throws McotFailure to stop the run (the state must then be the last
   * valid one, published).
   */
  protected abstract advanceLangevin(count: number): Promise<void>;
  /** The state as of the last step, in float64 (for `result()`). */
  protected abstract currentState(): Promise<ParticleState>;
  protected abstract releaseBackend(): void;
  abstract dispose(): void;

  private clearProgress(): void {
    const { problem, langevin } = this.setup;
    this.phase = 'initialising';
    this.flow = undefined;
    this.langevinStarted = false;
    this.failure = undefined;
    this.stopReason = undefined;
    this.historyData = emptyHistory();
    this.control = initialControl(langevin, Number.NaN);
    this.snapshot = {
      version: 0,
      dimension: problem.dimension,
      electrons: problem.electrons,
      particles: problem.particles,
      x: new Float64Array(problem.particles * problem.electrons * problem.dimension),
      weights: new Float64Array(problem.particles).fill(1 / problem.particles),
    };
  }

  reset(): void {
    this.releaseBackend();
    this.clearProgress();
  }

  /** Publishes positions and weights to the snapshot. */
  protected publish(state: ParticleState): void {
    const { problem } = this.setup;
    this.snapshot = {
      ...this.snapshot,
      version: this.snapshot.version + 1,
      x: Float64Array.from(state.x),
      weights: particleWeights(problem, state),
    };
  }

  particles(): ParticleSnapshot {
    return this.snapshot;
  }

  history(): McotHistory {
    return this.historyData;
  }

  protected recordHistory(cost: number): void {
    const { control, historyData: h } = this;
    h.iteration.push(control.step);
    h.cost.push(cost);
    h.residual.push(control.residual);
    h.timeStep.push(control.acceptedTimeStep);
    h.sigma.push(control.sigma);
    h.newtonIterations.push(control.newtonIterations);
  }

  summary(): McotSummary {
    const { control } = this;
    return {
      iteration: control.step,
      converged: this.phase === 'stopped' && !this.failure,
      ...(this.stopReason ? { stopReason: this.stopReason } : {}),
      phase: this.phase,
      initSteps: this.flow?.attempts ?? 0,
      cost: control.cost,
      residual:
        this.phase === 'initialising' ? (this.flow?.residual ?? Number.NaN) : control.residual,
      timeStep: control.timeStep,
      tolerance: control.tolerance,
      sigma: control.sigma,
      accepted: control.accepted,
      rejected: control.rejected,
      newtonIterations: control.newtonIterations,
      ...(this.failure ? { failure: { ...this.failure } } : {}),
    };
  }

  private stop(reason: string): void {
    this.phase = 'stopped';
    this.stopReason = reason;
  }

  private fail(error: unknown): void {
    if (!(error instanceof McotFailure)) throw error;
    this.failure = { code: error.code, message: error.message };
    this.stop(`failed: ${error.message}`);
  }

  /** The velocity of the initialisation flow; the float64 CPU one unless a backend has its own. */
  protected velocityField(): VelocityField | undefined {
    return undefined;
  }

  private async startFlow(): Promise<ConstraintFlow> {
    const { problem, marginal, params, flow } = this.setup;
    const given = this.options.initialState;
    const start = given
      ? cloneState(given)
      : params.init === 'tchakaloff'
        ? tchakaloffInitialState(problem, marginal, {
            samples: params.tchakaloffSamples || 20 * (problem.set.count + 1),
            perturbation: params.tchakaloffPerturbation,
            seed: params.seed,
          }).state
        : sampleInitialState(problem, marginal, params.seed);
    this.publish(start);
    return ConstraintFlow.start(problem, start, flow, this.velocityField());
  }

  private async enterLangevin(state: ParticleState): Promise<void> {
    const { problem, params } = this.setup;
    const gradient = createState(problem);
    const cost = costGradient(problem, state, gradient);
    if (!Number.isFinite(cost)) {
      throw new McotFailure('nan', 'the initialised particles have a non-finite cost: use eta > 0');
    }
    this.control.cost = cost;
    this.control.residual = this.flow?.residual ?? Number.NaN;
    this.recordHistory(cost);
    this.phase = 'langevin';
    await this.beginLangevin(state, gradient);
    this.langevinStarted = true;
    if (params.steps === 0) this.stop('step budget of 0 Langevin steps reached');
  }

  async step(iterations: number): Promise<McotSummary> {
    let units = Math.max(0, Math.floor(iterations));
    try {
      while (units > 0 && this.phase === 'initialising') {
        this.flow ??= await this.startFlow();
        if (!this.flow.done) {
          await this.flow.step();
          units -= 1;
          this.publish(this.flow.state);
        }
        if (this.flow.done) await this.enterLangevin(this.flow.state);
      }
      const left = this.setup.params.steps - this.control.step;
      if (units > 0 && this.phase === 'langevin' && left > 0) {
        await this.advanceLangevin(Math.min(units, left));
        if (this.control.step >= this.setup.params.steps) {
          this.stop(`step budget of ${this.setup.params.steps} Langevin steps reached`);
        }
      }
    } catch (error) {
      this.fail(error);
    }
    return this.summary();
  }

  async run(): Promise<McotResult> {
    while (this.phase !== 'stopped') await this.step(this.setup.params.stepsPerSummary);
    return this.result();
  }

  async result(): Promise<McotResult> {
    const { problem, params } = this.setup;
    // Before the Langevin phase (or after a failed initialisation) the flow holds the particles.
    const state = this.langevinStarted
      ? await this.currentState()
      : (this.flow?.state ?? createState(problem));
    const xi = new Float64Array(problem.set.count);
    const residual = this.flow ? new ParticleKernels(problem).constraints(state, xi) : Number.NaN;
    return {
      backend: this.backend,
      params,
      summary: this.summary(),
      x: state.x,
      z: state.z,
      weights: particleWeights(problem, state),
      cost: particleCost(problem, state),
      residual,
      targets: problem.targets,
      history: this.historyData,
    };
  }
}
