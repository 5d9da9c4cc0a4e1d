/**
 * A solver wrapper that leaves at least `paceMs()` between the end of one step and the start of the
 * next, so that a lecturer can follow every move of the barycenter while the loop plays. The wait
 * comes before a step, never after it: a step's result is drawn as soon as it exists.
 */
import type { IterativeSolver, SolverSummary } from '../../../solvers/types';

export class PacedSolver<S extends SolverSummary, R> implements IterativeSolver<S, R> {
  private readyAt = -Infinity;

  constructor(
    private readonly inner: IterativeSolver<S, R>,
    /** Read at every step, so the pace can change while the solver runs. */
    private readonly paceMs: () => number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get backend() {
    return this.inner.backend;
  }

  async step(iterations: number): Promise<S> {
    const wait = this.readyAt - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const summary = await this.inner.step(iterations);
    this.readyAt = this.now() + this.paceMs();
    return summary;
  }

  run(): Promise<R> {
    return this.inner.run();
  }

  result(): Promise<R> {
    return this.inner.result();
  }

  reset(): void {
    this.readyAt = -Infinity;
    this.inner.reset();
  }

  dispose(): void {
    this.inner.dispose();
  }
}
