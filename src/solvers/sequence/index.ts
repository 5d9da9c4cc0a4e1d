/**
 * A solver that walks through the states of a step-by-step algorithm (Gale–Shapley rounds, Lloyd
 * iterations, cycle cancelling, c-transforms, …): `next(state)` computes the following state, or
 * `undefined` when the algorithm has stopped. States are kept, so reset and replay cost nothing and
 * views can draw the whole history (e.g. an objective per iteration). CPU only: these algorithms
 * are small and are shown one state at a time.
 */
import type { IterativeSolver, SolverSummary } from '../types';

export interface SequenceDefinition<State> {
  first: State;
  next: (state: State, index: number) => State | undefined;
  /** Why the sequence ended (shown when the player stops), from its last state. */
  finished: (last: State) => string;
  /** Safety cap on the number of steps (default 10 000). */
  maxSteps?: number;
}

export interface SequenceSummary extends SolverSummary {
  /** Index of the current state (0 = the first). */
  iteration: number;
}

export class SequenceSolver<State> implements IterativeSolver<SequenceSummary, State> {
  readonly backend = 'cpu' as const;
  private readonly states: State[];
  private index = 0;
  /** Set once `next` returned undefined (or the cap was hit): states.length − 1 is the end. */
  private endReason: string | undefined;

  constructor(private readonly definition: SequenceDefinition<State>) {
    this.states = [definition.first];
    this.extend();
  }

  /** The state shown now. */
  currentState(): State {
    return this.states[this.index]!;
  }

  get position(): number {
    return this.index;
  }

  /** The states from the first up to the current one. */
  history(): readonly State[] {
    return this.states.slice(0, this.index + 1);
  }

  get summary(): SequenceSummary {
    const atEnd = this.endReason !== undefined && this.index === this.states.length - 1;
    return {
      iteration: this.index,
      converged: atEnd,
      ...(atEnd ? { stopReason: this.endReason } : {}),
    };
  }

  step(iterations: number): Promise<SequenceSummary> {
    for (let k = 0; k < iterations && this.advance(); k += 1);
    return Promise.resolve(this.summary);
  }

  /** Steps to the end and returns the last state. */
  run(): Promise<State> {
    while (this.advance());
    return Promise.resolve(this.currentState());
  }

  result(): Promise<State> {
    return Promise.resolve(this.currentState());
  }

  reset(): void {
    this.index = 0;
  }

  dispose(): void {
    // Nothing to release: the states are plain data.
  }

  private advance(): boolean {
    if (this.index + 1 >= this.states.length) return false;
    this.index += 1;
    this.extend();
    return true;
  }

  /**
   * Computes the state after the last one known, one ahead of the current state, so that reaching
   * the final state already reports the stop (the player pauses there, not one tick later).
   */
  private extend(): void {
    if (this.endReason !== undefined || this.index + 1 < this.states.length) return;
    const cap = this.definition.maxSteps ?? 10_000;
    if (this.index >= cap) {
      this.endReason = `Stopped after ${cap} steps`;
      return;
    }
    const next = this.definition.next(this.currentState(), this.index);
    if (next === undefined) this.endReason = this.definition.finished(this.currentState());
    else this.states.push(next);
  }
}
