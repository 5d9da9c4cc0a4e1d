/**
 * Float64 Sinkhorn on the CPU: the reference every GPU result is compared with. Each problem is a
 * SinkhornState (src/ot/sinkhorn.ts): the log-domain iterates computed by the stabilised kernel
 * scheme with absorption, two multiply-add passes over an n × m kernel per iteration.
 */
import {
  SinkhornState,
  StreamingSinkhornState,
  dualObjective,
  type CpuSinkhornState,
  sinkhornPlanTopK,
  type PlanTopK,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../../ot/sinkhorn';
import { SinkhornSolverBase } from './base';
import type { SinkhornResult } from './types';

/** Up to this many entries the CPU backend stores C/ε and the kernel (two n × m float64 arrays). */
export const CPU_MAX_ENTRIES = 2 ** 24;
/** Beyond it the cost is streamed; past this many entries an iteration takes minutes: use the GPU. */
export const CPU_MAX_STREAMED_ENTRIES = 2 ** 30;

/** A stored state when C fits in memory, a streamed one (cost on the fly) when it does not. */
export function createCpuSinkhornState(
  problem: SinkhornProblem,
  maxStoredEntries = CPU_MAX_ENTRIES,
): CpuSinkhornState {
  return problem.x.length * problem.y.length <= maxStoredEntries
    ? new SinkhornState(problem)
    : new StreamingSinkhornState(problem);
}

export class CpuSinkhornSolver extends SinkhornSolverBase {
  readonly backend = 'cpu';
  private states: CpuSinkhornState[];

  constructor(problems: readonly SinkhornProblem[], options: SinkhornOptions) {
    super(problems, options);
    this.states = problems.map((problem) => createCpuSinkhornState(problem));
  }

  protected advance(count: number, checkAfter: number[]): Promise<number[][]> {
    const errors = this.states.map((state, b) => {
      const measured: number[] = [];
      let finished = this.finished[b]!;
      for (let t = 1; t <= count && !finished; t += 1) {
        state.setEpsilon(this.epsilonAt(b, this.iteration + t));
        state.iterate();
        if (checkAfter.includes(t)) {
          const error = state.marginalError();
          measured.push(error);
          finished = !(error >= this.options.tolerance);
        }
      }
      return measured;
    });
    return Promise.resolve(errors);
  }

  potentials(b: number) {
    const state = this.states[b]!;
    return { f: state.f.slice(), g: state.g.slice() };
  }

  planTopK(b: number, k: number): Promise<PlanTopK> {
    const state = this.states[b]!;
    const problem = { ...state.problem, epsilon: state.epsilon };
    return Promise.resolve(sinkhornPlanTopK(problem, state.f, state.g, k));
  }

  protected resetPotentials(): void {
    for (const state of this.states) {
      state.reset();
      state.setEpsilon(state.problem.epsilon);
    }
  }

  result(): Promise<SinkhornResult> {
    return Promise.resolve({
      backend: this.backend,
      iterations: this.summary().iteration,
      batches: this.states.map((state, b) => ({
        ...this.summary().batches[b]!,
        iterations: this.iterationsOf(b),
        f: state.f.slice(),
        g: state.g.slice(),
        transportCost: state.transportCost(),
        dualObjective: dualObjective(state.problem, state.f, state.g),
      })),
    });
  }

  dispose(): void {
    this.states = [];
  }
}
