/**
 * Iteration bookkeeping shared by the CPU and GPU Sinkhorn-type solvers (point clouds here, grid
 * barycenters in src/solvers/gridSinkhorn): which iterations are checked, the error history,
 * convergence, the iteration cap and stop reasons. Backends only advance their iterates and report
 * the marginal errors at the requested checks.
 */
import {
  annealedEpsilon,
  annealingIterations,
  type PlanTopK,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../../ot/sinkhorn';
import type { Backend, IterativeSolver } from '../types';
import type {
  SinkhornBatchSummary,
  SinkhornResult,
  SinkhornSolver,
  SinkhornSummary,
} from './types';

/** Iterations run per submit in `run()`; also bounds the UI's time between frames. */
export const ITERATIONS_PER_CHUNK = 100;

/** Bookkeeping for a batch of independent problems checked every `checkEvery` iterations. */
export abstract class CheckedSolverBase<Problem, Result> implements IterativeSolver<
  SinkhornSummary,
  Result
> {
  abstract readonly backend: Backend;
  protected iteration = 0;
  protected batches: SinkhornBatchSummary[] = [];
  /** A batch is finished once converged or once its error became NaN; it is no longer updated. */
  protected finished: boolean[] = [];
  private stopReason: string | undefined;
  /** Iterations that run above the target ε (ε-scaling); no marginal-error checks before. */
  protected annealing = 0;

  constructor(
    readonly problems: readonly Problem[],
    readonly options: SinkhornOptions,
  ) {
    this.clearProgress();
  }

  /**
   * Runs `count` iterations on unfinished batches, measuring the marginal error right after the
   * iterations listed (1-based, within this call) in `checkAfter`. Returns, per batch, the errors
   * measured before it finished (a batch stops being checked once its error is below tolerance).
   */
  protected abstract advance(count: number, checkAfter: number[]): Promise<number[][]>;
  abstract result(): Promise<Result>;
  abstract dispose(): void;
  protected abstract resetPotentials(): void;

  reset(): void {
    this.resetPotentials();
    this.clearProgress();
  }

  private clearProgress(): void {
    this.iteration = 0;
    this.stopReason = undefined;
    this.finished = this.problems.map(() => false);
    this.batches = this.problems.map(() => ({
      marginalError: Number.NaN,
      converged: false,
      convergedAt: undefined,
      history: [],
    }));
  }

  get done(): boolean {
    return this.finished.every(Boolean) || this.iteration >= this.options.maxIterations;
  }

  async step(iterations: number): Promise<SinkhornSummary> {
    const { maxIterations, checkEvery, tolerance } = this.options;
    const count = Math.min(Math.max(0, Math.floor(iterations)), maxIterations - this.iteration);
    if (count > 0 && !this.finished.every(Boolean)) {
      const checkAfter: number[] = [];
      for (let t = 1; t <= count; t += 1) {
        const global = this.iteration + t;
        if (global <= this.annealing) continue;
        if (global % checkEvery === 0 || global === maxIterations) checkAfter.push(t);
      }
      const errors = await this.advance(count, checkAfter);
      errors.forEach((batchErrors, b) => {
        const batch = this.batches[b]!;
        batchErrors.forEach((error, k) => {
          const at = this.iteration + checkAfter[k]!;
          batch.history.push({ iteration: at, error });
          batch.marginalError = error;
          if (error < tolerance) {
            batch.converged = true;
            batch.convergedAt = at;
          }
          if (!(error >= tolerance)) this.finished[b] = true;
        });
      });
      this.iteration += count;
    }
    return this.summary();
  }

  summary(): SinkhornSummary {
    const { tolerance, maxIterations } = this.options;
    const diverged = this.batches.findIndex(
      (batch) => Number.isNaN(batch.marginalError) && batch.history.length > 0,
    );
    if (diverged >= 0) {
      this.stopReason = `batch ${diverged} diverged (NaN marginal error): increase ε or use the CPU backend`;
    } else if (this.batches.every((batch) => batch.converged)) {
      const last = Math.max(...this.batches.map((batch) => batch.convergedAt ?? 0));
      this.stopReason = `converged: marginal error below ${tolerance} at iteration ${last}`;
    } else if (this.iteration >= maxIterations) {
      this.stopReason = `iteration cap ${maxIterations} reached before the tolerance ${tolerance}`;
    }
    const iteration = this.batches.every((batch) => batch.converged)
      ? Math.max(...this.batches.map((batch) => batch.convergedAt ?? 0))
      : this.iteration;
    return {
      iteration,
      converged: this.batches.every((batch) => batch.converged),
      ...(this.stopReason ? { stopReason: this.stopReason } : {}),
      batches: this.batches.map((batch) => ({ ...batch, history: [...batch.history] })),
    };
  }

  /** Iterations per `run()` step; backends lower it for large problems. */
  protected chunkSize(): number {
    return ITERATIONS_PER_CHUNK;
  }

  async run(): Promise<Result> {
    while (!this.done) await this.step(this.chunkSize());
    return this.result();
  }

  /** Iterations actually applied to batch b (it stops moving when it converges). */
  protected iterationsOf(b: number): number {
    return this.batches[b]!.convergedAt ?? this.iteration;
  }
}

export abstract class SinkhornSolverBase
  extends CheckedSolverBase<SinkhornProblem, SinkhornResult>
  implements SinkhornSolver
{
  constructor(problems: readonly SinkhornProblem[], options: SinkhornOptions) {
    super(problems, options);
    this.annealing = annealingIterations(problems, options.epsilonScaling);
  }

  abstract potentials(b: number): { f: Float64Array; g: Float64Array };
  abstract planTopK(b: number, k: number): Promise<PlanTopK>;

  /** ε of batch b at iteration `t` (1-based, global). */
  protected epsilonAt(b: number, t: number): number {
    return annealedEpsilon(this.problems[b]!, this.options.epsilonScaling, t);
  }
}
