/** Float64 grid barycenter on the CPU: the reference the GPU backend is compared with. */
import { GridBarycenterState, type GridBarycenterProblem } from '../../ot/gridSinkhorn';
import type { SinkhornOptions } from '../../ot/sinkhorn';
import { CheckedSolverBase } from '../sinkhorn/base';
import type { SinkhornSummary } from '../sinkhorn/types';
import type { GridBarycenterResult, GridBarycenterSolver } from './types';

export class CpuGridBarycenterSolver
  extends CheckedSolverBase<GridBarycenterProblem, GridBarycenterResult>
  implements GridBarycenterSolver
{
  readonly backend = 'cpu';
  private state: GridBarycenterState;

  constructor(problem: GridBarycenterProblem, options: SinkhornOptions) {
    super([problem], options);
    this.state = new GridBarycenterState(problem);
  }

  protected advance(count: number, checkAfter: number[]): Promise<number[][]> {
    const measured: number[] = [];
    for (let t = 1; t <= count; t += 1) {
      this.state.iterate();
      if (checkAfter.includes(t)) {
        const error = this.state.marginalError();
        measured.push(error);
        if (!(error >= this.options.tolerance)) break;
      }
    }
    return Promise.resolve([measured]);
  }

  protected resetPotentials(): void {
    this.state.reset();
  }

  result(): Promise<GridBarycenterResult> {
    const barycenter = this.state.barycenter();
    return Promise.resolve(
      gridResult(this.backend, this.summary(), this.iterationsOf(0), barycenter),
    );
  }

  dispose(): void {
    // Nothing to release: the state is garbage-collected with the solver.
  }
}

/** The result object both backends return. */
export function gridResult(
  backend: GridBarycenterResult['backend'],
  summary: SinkhornSummary,
  iterations: number,
  barycenter: Float64Array,
): GridBarycenterResult {
  return {
    ...summary.batches[0]!,
    ...(summary.stopReason ? { stopReason: summary.stopReason } : {}),
    backend,
    iterations,
    barycenter,
    mass: barycenter.reduce((s, v) => s + v, 0),
  };
}
