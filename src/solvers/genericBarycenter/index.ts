/**
 * Generic-cost barycenters (src/ot/barycenter/fixedPoint.ts) as an IterativeSolver: one `step(k)`
 * runs k fixed-point iterations (H or G), each solving the K transport problems at the current
 * barycenter. Exact plans are computed on the CPU (network simplex, sorting on the line) whatever
 * the backend; with entropic plans the `gpu` backend solves the K Sinkhorn problems on the GPU in
 * one batch per group of equal sizes (src/solvers/sinkhorn), the `cpu` backend with the float64
 * reference. The plan assembly, barycentric projections and ground barycenters run on the CPU.
 */
import type { GpuRuntime } from '../../gpu/runtime';
import {
  DEFAULT_FIXED_POINT_OPTIONS,
  entropicPlan,
  FixedPointState,
  referencePlans,
  type FixedPointOptions,
  type FixedPointRecord,
  type GenericBarycenterProblem,
  type MeasurePlan,
} from '../../ot/barycenter/fixedPoint';
import type { SinkhornProblem } from '../../ot/sinkhorn';
import { createSinkhornSolver } from '../sinkhorn';
import type { Backend, IterativeSolver, SolverSummary } from '../types';

export interface GenericBarycenterSummary extends SolverSummary {
  /** V(μ_t) for t = 0, 1, … (V_ε with entropic plans). */
  history: FixedPointRecord[];
  supportSize: number;
  /** Iterations where V went up (H beyond maps is a heuristic). */
  increases: number[];
}

export interface GenericBarycenterResult extends GenericBarycenterSummary {
  backend: Backend;
  points: number[][];
  weights: number[];
  /** For each point, the point of the previous iterate it came from (for drawing the move). */
  parents: number[];
  previous: { points: number[][]; weights: number[] } | undefined;
}

export class GenericBarycenterSolver implements IterativeSolver<
  GenericBarycenterSummary,
  GenericBarycenterResult
> {
  private readonly state: FixedPointState;
  private disposed = false;

  constructor(
    readonly problem: GenericBarycenterProblem,
    readonly options: FixedPointOptions,
    readonly backend: Backend = 'cpu',
    private readonly runtime?: GpuRuntime,
  ) {
    if (backend === 'gpu' && !runtime) throw new Error('the GPU backend needs a GPU runtime');
    this.state = new FixedPointState(problem, options);
  }

  private async plans(): Promise<MeasurePlan[]> {
    const method = this.options.plans;
    if (method.kind === 'exact' || this.backend === 'cpu') return referencePlans(this.state);
    return this.gpuEntropicPlans(method.epsilon);
  }

  /** The K Sinkhorn problems on the GPU, batched by equal sizes (a GPU batch needs equal n, m). */
  private async gpuEntropicPlans(epsilon: number): Promise<MeasurePlan[]> {
    const problems = this.state.sinkhornProblems(epsilon);
    const groups = new Map<number, number[]>();
    problems.forEach((problem, r) => {
      const group = groups.get(problem.y.length) ?? [];
      group.push(r);
      groups.set(problem.y.length, group);
    });
    const plans: MeasurePlan[] = [];
    for (const members of groups.values()) {
      const batch: SinkhornProblem[] = members.map((r) => problems[r]!);
      const solver = createSinkhornSolver(batch, 'gpu', this.options.sinkhorn, this.runtime);
      try {
        const result = await solver.run();
        members.forEach((r, b) => {
          const k = this.state.active[r]!;
          const { f, g, marginalError } = result.batches[b]!;
          plans[r] = entropicPlan(batch[b]!, this.problem.lambdas[k]!, k, f, g, marginalError);
        });
      } finally {
        solver.dispose();
      }
    }
    return plans;
  }

  async step(iterations: number): Promise<GenericBarycenterSummary> {
    const state = this.state;
    for (let t = 0; t < iterations && !state.isDone() && !this.disposed; t += 1) {
      if (state.needsPlans()) state.setPlans(await this.plans());
      if (state.isDone()) break;
      state.update();
      if (state.needsPlans() && !state.isDone()) state.setPlans(await this.plans());
    }
    if (iterations === 0 && state.needsPlans() && !state.isDone())
      state.setPlans(await this.plans());
    return this.summary();
  }

  summary(): GenericBarycenterSummary {
    const state = this.state;
    return {
      iteration: state.iteration,
      converged: state.converged,
      ...(state.stopReason ? { stopReason: state.stopReason } : {}),
      history: state.history.map((record) => ({ ...record })),
      supportSize: state.points.length,
      increases: [...state.increases],
    };
  }

  async run(): Promise<GenericBarycenterResult> {
    while (!this.state.isDone() && !this.disposed) await this.step(1);
    return this.result();
  }

  result(): Promise<GenericBarycenterResult> {
    const state = this.state;
    const previous = state.previous && {
      points: state.previous.points.map((p) => [...p]),
      weights: Array.from(state.previous.weights),
    };
    return Promise.resolve({
      ...this.summary(),
      backend: this.backend,
      points: state.points.map((p) => [...p]),
      weights: Array.from(state.weights),
      parents: Array.from(state.parents),
      previous,
    });
  }

  reset(): void {
    this.state.reset();
  }

  dispose(): void {
    this.disposed = true;
  }
}

export function createGenericBarycenterSolver(
  problem: GenericBarycenterProblem,
  options: Partial<FixedPointOptions> = {},
  backend: Backend = 'cpu',
  runtime?: GpuRuntime,
): GenericBarycenterSolver {
  return new GenericBarycenterSolver(
    problem,
    { ...DEFAULT_FIXED_POINT_OPTIONS, ...options },
    backend,
    runtime,
  );
}
