/**
 * Barycenters of discrete measures for generic costs by fixed-point iteration, float64 reference
 * (MATH.md §5; seed 001, "Discrete G" and "Discrete H"; Tanguy–Delon–Gozlan 2024).
 *
 * Barycenter μ = Σ_i a_i δ_{x_i} of ν_k = Σ_j b_kj δ_{y_kj} with costs c_k (groundCost.ts), energy
 *   V(μ) = Σ_k T_{c_k}(μ, ν_k).
 * Each iteration solves OT(μ, ν_k) for every k (plans π_k at the current μ; their costs give V(μ)):
 * - H (generalises Cuturi–Doucet 2014; ot_bar 'L2_barycentric_proj'): barycentric projections
 *   ȳ_k(x_i) = Σ_j π_k(i, j) y_kj / Σ_j π_k(i, j), then x_i ← B(ȳ_1(x_i), …, ȳ_K(x_i)); the
 *   weights a stay. V is guaranteed not to increase when the plans are maps (e.g. n = n_k with
 *   uniform weights, where H = G) and for c = λ‖x − y‖²; otherwise H is a heuristic.
 * - G (the true fixed point; ot_bar 'true_fixed_point'): glue the plans into γ ∈ Π(a, b_1, …, b_K)
 *   by the north-west rule (gluing.ts) and push γ through B: μ ← Σ_J γ_J δ_{B(y_1J_1, …, y_KJ_K)}.
 *   V(G(μ)) ≤ V(μ) (seed 001, "Decrease Property"); the support may grow by up to Σ_k (n_k − 1).
 * Plans are exact (network simplex; sorting on the line) or entropic (Sinkhorn, H only), for which V
 * is the entropic V_ε = Σ_k OT_ε(μ, ν_k) (seed 001, "Entropic Barycentres").
 * B is warm-started from the point being moved, so it never increases Σ_k c_k there.
 */
import { transport1D } from '../exact/oneDimensional';
import { solveValidated, defaultMaxPivots } from '../exact/networkSimplex';
import { type PlanEntry } from '../exact/problem';
import {
  dualObjective,
  planFromPotentials,
  SinkhornState,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../sinkhorn';
import { groundBarycenter, DEFAULT_GROUND_TOLERANCE } from './groundBarycenter';
import { baseCost, groundCostMatrix, liftPoint, type GroundSpec } from './groundCost';
import { lexicographicRanks, northWestGluing } from './gluing';

export interface DiscreteMeasure {
  points: number[][];
  weights: Float64Array;
}

export interface GenericBarycenterProblem {
  /** The measures ν_k. */
  measures: DiscreteMeasure[];
  /** Barycentric weights λ_k ≥ 0 summing to 1 (inside the costs: c_k = λ_k · base). */
  lambdas: number[];
  ground: GroundSpec;
  /** The starting barycenter μ_0. */
  init: DiscreteMeasure;
}

export type FixedPointAlgorithm = 'H' | 'G';

export type PlanMethod = { kind: 'exact' } | { kind: 'entropic'; epsilon: number };

export interface FixedPointOptions {
  algorithm: FixedPointAlgorithm;
  plans: PlanMethod;
  maxIterations: number;
  /** Stop when |V(μ_{t−1}) − V(μ_t)| ≤ tolerance · V(μ_{t−1}). */
  tolerance: number;
  /** Tolerance of the ground barycenter B (groundBarycenter.ts). */
  groundTolerance: number;
  /** G: stop rather than let the support grow beyond this many points. */
  maxSupport: number;
  /** Entropic plans: the inner Sinkhorn's stopping rule. */
  sinkhorn: SinkhornOptions;
}

export const DEFAULT_FIXED_POINT_OPTIONS: FixedPointOptions = {
  algorithm: 'H',
  plans: { kind: 'exact' },
  maxIterations: 20,
  tolerance: 1e-9,
  groundTolerance: DEFAULT_GROUND_TOLERANCE,
  maxSupport: 5000,
  sinkhorn: { maxIterations: 5000, tolerance: 1e-9, checkEvery: 10 },
};

/** The plan between μ and one measure ν_k at the current iterate. */
export interface MeasurePlan {
  /** Index of the measure (λ_k > 0). */
  k: number;
  /** Entries (i, j, mass) with mass > 0. */
  entries: PlanEntry[];
  /** T_{c_k}(μ, ν_k) for exact plans, OT_ε for entropic ones. */
  value: number;
  /** Entropic plans: the inner Sinkhorn's last marginal error (0 for exact plans). */
  marginalError: number;
}

/** One line of the V history. */
export interface FixedPointRecord {
  iteration: number;
  /** V(μ_t) = Σ_k T_{c_k}(μ_t, ν_k) (V_ε for entropic plans). */
  V: number;
  supportSize: number;
  /** Worst inner Sinkhorn marginal error of the plans that gave V (0 when exact). */
  marginalError: number;
}

export interface FixedPointSnapshot {
  points: number[][];
  weights: Float64Array;
}

/** Indices k with λ_k > 0: the measures that enter V and B. */
export function activeMeasures(problem: GenericBarycenterProblem): number[] {
  return problem.lambdas.flatMap((lambda, k) => (lambda > 0 ? [k] : []));
}

/**
 * The iterate μ_t with its V history. Drivers alternate `needsPlans()` → `setPlans(plans)` (plans at
 * the current iterate, which record V(μ_t) and decide convergence) → `update()` (one H or G step).
 */
export class FixedPointState {
  points: number[][];
  weights: Float64Array;
  /** For each current point, the index of the point of μ_{t−1} it came from (drawing tweens). */
  parents: Int32Array;
  /** μ_{t−1}, for drawing the move of the last update. */
  previous: FixedPointSnapshot | undefined;
  iteration = 0;
  history: FixedPointRecord[] = [];
  converged = false;
  stopReason: string | undefined;
  /** Iterations at which V went up (possible for H with non-map plans: it is a heuristic). */
  increases: number[] = [];
  private plans: MeasurePlan[] | undefined;
  readonly active: number[];
  private readonly ranks: Int32Array[];

  constructor(
    readonly problem: GenericBarycenterProblem,
    readonly options: FixedPointOptions,
  ) {
    this.active = activeMeasures(problem);
    this.ranks = problem.measures.map((measure) => lexicographicRanks(measure.points));
    this.points = [];
    this.weights = new Float64Array(0);
    this.parents = new Int32Array(0);
    this.previous = undefined;
    this.reset();
  }

  reset(): void {
    const { init } = this.problem;
    this.points = init.points.map((point) => [...point]);
    this.weights = init.weights.slice();
    this.parents = Int32Array.from(init.points, (_, i) => i);
    this.previous = undefined;
    this.iteration = 0;
    this.history = [];
    this.converged = false;
    this.stopReason = undefined;
    this.increases = [];
    this.plans = undefined;
  }

  needsPlans(): boolean {
    return this.plans === undefined;
  }

  isDone(): boolean {
    return this.stopReason !== undefined;
  }

  /** Records V(μ_t) from the plans at the current iterate and applies the stopping rule. */
  setPlans(plans: MeasurePlan[]): void {
    this.plans = plans;
    const V = plans.reduce((s, plan) => s + plan.value, 0);
    const marginalError = Math.max(0, ...plans.map((plan) => plan.marginalError));
    const last = this.history.at(-1);
    this.history.push({
      iteration: this.iteration,
      V,
      supportSize: this.points.length,
      marginalError,
    });
    if (!Number.isFinite(V)) {
      this.stopReason = `V is ${V} at iteration ${this.iteration}: the plans failed (increase ε or use exact plans)`;
      return;
    }
    if (last) {
      if (V > last.V * (1 + 1e-12) + 1e-300) this.increases.push(this.iteration);
      if (Math.abs(last.V - V) <= this.options.tolerance * Math.abs(last.V)) {
        this.converged = true;
        this.stopReason = `converged: |ΔV| ≤ ${this.options.tolerance}·V at iteration ${this.iteration}`;
        return;
      }
    }
    if (V === 0) {
      this.converged = true;
      this.stopReason = `converged: V = 0 at iteration ${this.iteration}`;
    } else if (this.iteration >= this.options.maxIterations) {
      this.stopReason = `iteration cap ${this.options.maxIterations} reached`;
    }
  }

  /** One H or G step with the plans at the current iterate. */
  update(): void {
    const plans = this.plans;
    if (!plans) throw new Error('update() needs the plans at the current iterate: call setPlans');
    if (this.isDone()) return;
    const next = this.options.algorithm === 'G' ? this.glue(plans) : this.project(plans);
    if (!next) return;
    this.previous = { points: this.points, weights: this.weights };
    this.points = next.points;
    this.weights = next.weights;
    this.parents = next.parents;
    this.iteration += 1;
    this.plans = undefined;
  }

  /** The lambdas-length list of points B sees, with one entry per measure (unused for λ_k = 0). */
  private tuple(points: Map<number, readonly number[]>): number[][] {
    return this.problem.lambdas.map((_, k) => [...(points.get(k) ?? [])]);
  }

  private ground(ys: number[][], start: readonly number[]): number[] {
    const { ground, lambdas } = this.problem;
    return groundBarycenter(ground, lambdas, ys, start, this.options.groundTolerance).x;
  }

  /** H: B of the barycentric projections, point by point; weights unchanged. */
  private project(plans: MeasurePlan[]) {
    const n = this.points.length;
    const projections = plans.map((plan) => barycentricProjection(plan, this.problem, n));
    const points = this.points.map((x, i) => {
      if (projections.some((projection) => projection[i] === undefined)) return [...x];
      const ys = this.tuple(new Map(plans.map((plan, r) => [plan.k, projections[r]![i]!])));
      return this.ground(ys, x);
    });
    return { points, weights: this.weights.slice(), parents: Int32Array.from(points, (_, i) => i) };
  }

  /** G: north-west gluing of the plans, pushed through B. */
  private glue(plans: MeasurePlan[]) {
    const tuples = northWestGluing(
      plans.map((plan) => plan.entries),
      plans.map((plan) => this.ranks[plan.k]!),
      this.points.length,
    );
    if (tuples.length > this.options.maxSupport) {
      this.stopReason = `G stopped: the glued support would have ${tuples.length} points, above maxSupport = ${this.options.maxSupport}`;
      return undefined;
    }
    const { measures } = this.problem;
    const points = tuples.map((tuple) => {
      const ys = this.tuple(
        new Map(plans.map((plan, r) => [plan.k, measures[plan.k]!.points[tuple.indices[r]!]!])),
      );
      return this.ground(ys, this.points[tuple.parent]!);
    });
    const total = tuples.reduce((s, t) => s + t.mass, 0);
    return {
      points,
      weights: Float64Array.from(tuples, (t) => t.mass / total),
      parents: Int32Array.from(tuples, (t) => t.parent),
    };
  }

  /** The OT problems between the current μ and each active ν_k, as Sinkhorn problems. */
  sinkhornProblems(epsilon: number): SinkhornProblem[] {
    return this.active.map((k) =>
      entropicProblem(this.problem, k, this.points, this.weights, epsilon),
    );
  }
}

/** ȳ_k(x_i) = Σ_j π(i, j) y_j / Σ_j π(i, j) for every row with mass (undefined otherwise). */
export function barycentricProjection(
  plan: MeasurePlan,
  problem: GenericBarycenterProblem,
  rows: number,
): (number[] | undefined)[] {
  const y = problem.measures[plan.k]!.points;
  const d = y[0]!.length;
  const sums = Array.from({ length: rows }, () => new Array<number>(d).fill(0));
  const mass = new Float64Array(rows);
  for (const { i, j, mass: m } of plan.entries) {
    mass[i] = mass[i]! + m;
    for (let c = 0; c < d; c += 1) sums[i]![c] = sums[i]![c]! + m * y[j]![c]!;
  }
  return sums.map((sum, i) => (mass[i]! > 0 ? sum.map((v) => v / mass[i]!) : undefined));
}

/**
 * The Sinkhorn problem whose plan is the entropic plan for c_k = λ_k base(T_k x, y) at ε: the same
 * plan as base at ε/λ_k, and OT_ε(c_k) = λ_k OT_{ε/λ_k}(base).
 */
export function entropicProblem(
  problem: GenericBarycenterProblem,
  k: number,
  points: readonly number[][],
  weights: Float64Array,
  epsilon: number,
): SinkhornProblem {
  const measure = problem.measures[k]!;
  return {
    x: points.map((x) => liftPoint(problem.ground, k, x)),
    y: measure.points,
    a: Array.from(weights),
    b: Array.from(measure.weights),
    epsilon: epsilon / problem.lambdas[k]!,
    cost: baseCost(problem.ground),
  };
}

/** The entropic MeasurePlan from Sinkhorn potentials of `entropicProblem(…, k, …)`. */
export function entropicPlan(
  sinkhorn: SinkhornProblem,
  lambda: number,
  k: number,
  f: ArrayLike<number>,
  g: ArrayLike<number>,
  marginalError: number,
): MeasurePlan {
  const m = sinkhorn.y.length;
  const dense = planFromPotentials(sinkhorn, f, g);
  const entries: PlanEntry[] = [];
  dense.forEach((mass, index) => {
    if (mass > 0) entries.push({ i: Math.floor(index / m), j: index % m, mass });
  });
  return { k, entries, value: lambda * dualObjective(sinkhorn, f, g), marginalError };
}

/** Exact plans at the current iterate: sorting on the line (convex 1D costs), else network simplex. */
export function exactPlans(state: FixedPointState): MeasurePlan[] {
  const { problem } = state;
  return state.active.map((k) => {
    const measure = problem.measures[k]!;
    const lambda = problem.lambdas[k]!;
    const a = state.weights;
    if (problem.ground.kind === 'pq' && state.points[0]!.length === 1) {
      const { p, q } = problem.ground;
      const solution = transport1D(
        {
          x: state.points.map((x) => x[0]!),
          y: measure.points.map((y) => y[0]!),
          a: Array.from(a),
          b: Array.from(measure.weights),
        },
        (t) => lambda * (Math.abs(t) ** p) ** (q / p),
      );
      return { k, entries: solution.plan, value: solution.cost, marginalError: 0 };
    }
    const C = groundCostMatrix(problem.ground, lambda, k, state.points, measure.points);
    const cost = { n: state.points.length, m: measure.points.length, values: C };
    const solution = solveValidated(
      { a, b: measure.weights, C: cost, mass: 1 },
      defaultMaxPivots(cost.n, cost.m),
    );
    return { k, entries: solution.plan, value: solution.cost, marginalError: 0 };
  });
}

/** Entropic plans at the current iterate by the float64 Sinkhorn (the CPU reference). */
export function entropicPlansCpu(state: FixedPointState, epsilon: number): MeasurePlan[] {
  const { maxIterations, tolerance, checkEvery } = state.options.sinkhorn;
  return state.sinkhornProblems(epsilon).map((sinkhorn, r) => {
    const k = state.active[r]!;
    const solver = new SinkhornState(sinkhorn);
    let error = Number.NaN;
    for (let t = 1; t <= maxIterations; t += 1) {
      solver.iterate();
      if (t % checkEvery === 0 || t === maxIterations) {
        error = solver.marginalError();
        if (!(error >= tolerance)) break;
      }
    }
    return entropicPlan(sinkhorn, state.problem.lambdas[k]!, k, solver.f, solver.g, error);
  });
}

/** Plans at the current iterate by the method of the options (CPU). */
export function referencePlans(state: FixedPointState): MeasurePlan[] {
  const method = state.options.plans;
  return method.kind === 'exact' ? exactPlans(state) : entropicPlansCpu(state, method.epsilon);
}

/**
 * One iteration on the CPU: plans at μ_t if missing, update, plans at μ_{t+1} (so V(μ_{t+1}) is in
 * the history and the stopping rule sees it).
 */
export function iterateReference(state: FixedPointState): void {
  if (state.needsPlans()) state.setPlans(referencePlans(state));
  if (state.isDone()) return;
  state.update();
  if (state.needsPlans() && !state.isDone()) state.setPlans(referencePlans(state));
}

/** Runs to convergence or the cap on the CPU and returns the final state. */
export function solveGenericBarycenter(
  problem: GenericBarycenterProblem,
  options: Partial<FixedPointOptions> = {},
): FixedPointState {
  const state = new FixedPointState(problem, { ...DEFAULT_FIXED_POINT_OPTIONS, ...options });
  while (!state.isDone()) iterateReference(state);
  return state;
}
