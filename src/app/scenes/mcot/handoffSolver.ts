/**
 * An MCOT solver whose initialisation runs in one solver and whose Langevin steps run in another:
 * the lab initialises in the CPU worker and hands the particles to the GPU solver.
 *
 * Why: the initialisation (sampling, then RK3 onto {ξ = 0}) is float64 CPU work in every backend
 * (solvers/mcot/base.ts). For N = 100, K = 1000 one RK3 step applies Newton matrices of
 * K·N·d × M² ≈ 10⁹ operations: seconds during which the page would freeze if the GPU solver ran it
 * on the main thread. The worker runs it instead; its initialised particles become the GPU
 * solver's `initialState`, which its own flow finds on the constraints at once. Both backends
 * then start from bit-identical float64 particles.
 */
import type { McotSetup } from '../../../ot/mcot/params';
import type { ParticleState } from '../../../ot/mcot/particles';
import type {
  McotHistory,
  McotResult,
  McotSolver,
  McotSummary,
  ParticleSnapshot,
} from '../../../solvers/mcot/types';

export class HandoffSolver implements McotSolver {
  readonly backend = 'gpu';
  private langevin: McotSolver | undefined;
  /** RK3 steps the initialiser took (the Langevin solver counts none). */
  private initSteps = 0;

  constructor(
    readonly setup: McotSetup,
    private readonly initialiser: McotSolver,
    private readonly createLangevin: (initialState: ParticleState) => McotSolver,
  ) {}

  /** `units` of work as the McotSolver contract counts them: RK3 steps, then Langevin steps. */
  async step(units: number): Promise<McotSummary> {
    let left = Math.max(0, Math.floor(units));
    if (!this.langevin) {
      let summary = this.initialiser.summary();
      while (left > 0 && summary.phase === 'initialising') {
        summary = await this.initialiser.step(1);
        left -= 1;
      }
      // Still initialising, failed, or initialised with no unit left: hand off on the next call.
      if (summary.phase !== 'langevin' || left === 0) return summary;
      const { x, z } = await this.initialiser.result();
      this.initSteps = summary.initSteps;
      this.langevin = this.createLangevin({ x, z });
    }
    return this.counted(await this.langevin.step(left));
  }

  private counted(summary: McotSummary): McotSummary {
    return { ...summary, initSteps: summary.initSteps + this.initSteps };
  }

  async run(): Promise<McotResult> {
    let summary = await this.step(this.setup.params.stepsPerSummary);
    while (!summary.stopReason) summary = await this.step(this.setup.params.stepsPerSummary);
    return this.result();
  }

  async result(): Promise<McotResult> {
    if (!this.langevin) return { ...(await this.initialiser.result()), backend: this.backend };
    const result = await this.langevin.result();
    return { ...result, summary: this.counted(result.summary) };
  }

  summary(): McotSummary {
    return this.langevin ? this.counted(this.langevin.summary()) : this.initialiser.summary();
  }

  particles(): ParticleSnapshot {
    const snapshot = this.langevin?.particles();
    // Until the Langevin solver has published, the initialised particles are the current ones.
    return snapshot && snapshot.version > 0 ? snapshot : this.initialiser.particles();
  }

  history(): McotHistory {
    return (this.langevin ?? this.initialiser).history();
  }

  reset(): void {
    this.langevin?.dispose();
    this.langevin = undefined;
    this.initSteps = 0;
    this.initialiser.reset();
  }

  dispose(): void {
    this.langevin?.dispose();
    this.langevin = undefined;
    this.initialiser.dispose();
  }
}
