/**
 * k-means as a Wasserstein projection (MATH.md §1; seed 004, "K-means as Wasserstein Projection"):
 * with μ_n = (1/n) Σ δ_{x_i}, k-means solves min over ν with at most k atoms of W2²(ν, μ_n).
 *
 * Lloyd's iteration alternates the two halves of that problem:
 * - assignment: for fixed atoms z_1..z_k and FREE weights, the optimal plan sends each point to its
 *   nearest atom, and the weights become the cluster masses w_j = |{i : l(i) = j}| / n;
 * - update: for a fixed plan, the best atoms are the barycentric projections of the plan, the
 *   cluster means z_j = (1/(n w_j)) Σ_{l(i)=j} x_i (MATH.md §1, barycentric projection).
 * Each half-step can only lower W2²(ν, μ_n) = (1/n) Σ_i ‖x_i − z_{l(i)}‖², which therefore never
 * increases; Lloyd stops when the assignment no longer changes.
 *
 * An empty cluster keeps its atom with weight 0 (our choice, explicit: no re-seeding).
 */
import { networkSimplex } from './exact/networkSimplex';
import { costMatrixFromPoints } from './exact/problem';
import { squaredDistance } from './linalg';
import { InputError } from './validate';

export type Points = readonly (readonly number[])[];

export interface Assignment {
  /** labels[i] = atom of point i (the nearest; ties go to the lower index). */
  labels: Int32Array;
  /** Cluster masses w_j = count_j / n (the weights of ν). */
  weights: Float64Array;
  /** (1/n) Σ_i ‖x_i − z_{l(i)}‖²: W2²(ν, μ_n) for this plan. */
  objective: number;
}

/** Mean squared distance of each point to the atom of its label: the cost of that plan. */
export function planObjective(points: Points, atoms: Points, labels: ArrayLike<number>): number {
  let total = 0;
  points.forEach((x, i) => (total += squaredDistance(x, atoms[labels[i]!]!)));
  return total / points.length;
}

/** Assignment half-step: the optimal plan to the atoms when their weights are free. */
export function assignToNearest(points: Points, atoms: Points): Assignment {
  requireClusteringInput(points, atoms);
  const n = points.length;
  const labels = new Int32Array(n);
  const weights = new Float64Array(atoms.length);
  let total = 0;
  points.forEach((x, i) => {
    let best = 0;
    let bestDistance = Infinity;
    atoms.forEach((z, j) => {
      const d = squaredDistance(x, z);
      if (d < bestDistance) {
        best = j;
        bestDistance = d;
      }
    });
    labels[i] = best;
    weights[best] = weights[best]! + 1 / n;
    total += bestDistance;
  });
  return { labels, weights, objective: total / n };
}

/** Update half-step: each atom moves to the mean of its cluster (empty clusters stay put). */
export function clusterMeans(points: Points, atoms: Points, labels: ArrayLike<number>): number[][] {
  const d = atoms[0]!.length;
  const sums = atoms.map(() => new Array<number>(d).fill(0));
  const counts = new Array<number>(atoms.length).fill(0);
  points.forEach((x, i) => {
    const j = labels[i]!;
    counts[j] = counts[j]! + 1;
    for (let c = 0; c < d; c += 1) sums[j]![c] = sums[j]![c]! + x[c]!;
  });
  return atoms.map((z, j) => (counts[j]! > 0 ? sums[j]!.map((s) => s / counts[j]!) : z.slice()));
}

/** One Lloyd state: the atoms, and the plan of the latest assignment (with its objective). */
export interface LloydState {
  /** Completed assignment + update rounds. */
  iteration: number;
  atoms: number[][];
  assignment: Assignment;
  /** W2² after the update with the previous labels, before re-assigning (NaN at iteration 0). */
  objectiveAfterUpdate: number;
  /** The assignment no longer changes: Lloyd has converged. */
  converged: boolean;
}

export function lloydStart(points: Points, atoms: Points): LloydState {
  return {
    iteration: 0,
    atoms: atoms.map((z) => z.slice()),
    assignment: assignToNearest(points, atoms),
    objectiveAfterUpdate: Number.NaN,
    converged: false,
  };
}

/** Update the atoms, then re-assign; `undefined` once the previous state has converged. */
export function lloydStep(points: Points, state: LloydState): LloydState | undefined {
  if (state.converged) return undefined;
  const atoms = clusterMeans(points, state.atoms, state.assignment.labels);
  const objectiveAfterUpdate = planObjective(points, atoms, state.assignment.labels);
  const assignment = assignToNearest(points, atoms);
  const unchanged = assignment.labels.every((l, i) => l === state.assignment.labels[i]);
  return {
    iteration: state.iteration + 1,
    atoms,
    assignment,
    objectiveAfterUpdate,
    converged: unchanged,
  };
}

/** Lloyd from `start` until the assignment settles (or `maxRounds` updates): every state. */
export function lloydRun(points: Points, start: Points, maxRounds: number): LloydState[] {
  const states = [lloydStart(points, start)];
  while (states.length <= maxRounds) {
    const next = lloydStep(points, states.at(-1)!);
    if (!next) break;
    states.push(next);
  }
  return states;
}

export type LloydPhase = 'assign' | 'update';

/** W2²(ν, μ_n) after one half-step: assign in round 0, then update and assign in every round. */
export interface HalfStep {
  iteration: number;
  phase: LloydPhase;
  objective: number;
}

export function halfSteps(states: readonly LloydState[]): HalfStep[] {
  return states.flatMap((state): HalfStep[] => [
    ...(state.iteration === 0
      ? []
      : [
          {
            iteration: state.iteration,
            phase: 'update' as const,
            objective: state.objectiveAfterUpdate,
          },
        ]),
    { iteration: state.iteration, phase: 'assign', objective: state.assignment.objective },
  ]);
}

/** k distinct points chosen uniformly (a partial Fisher–Yates shuffle). */
export function randomPoints(points: Points, k: number, uniform: () => number): number[][] {
  const order = points.map((_, i) => i);
  for (let t = 0; t < k; t += 1) {
    const pick = t + Math.min(Math.floor(uniform() * (order.length - t)), order.length - t - 1);
    [order[t], order[pick]] = [order[pick]!, order[t]!];
  }
  return order.slice(0, k).map((i) => points[i]!.slice());
}

/**
 * Exact OT (network simplex) from μ_n (1/n each) to the atoms carrying mass, with the weights of an
 * assignment: equals that assignment's objective when the nearest-atom plan is optimal.
 */
export function exactTransportCost(points: Points, atoms: Points, weights: Float64Array): number {
  const used = [...weights.keys()].filter((j) => weights[j]! > 0);
  const C = costMatrixFromPoints(
    { kind: 'sqeuclidean' },
    points.map((x) => [...x]),
    used.map((j) => [...atoms[j]!]),
  );
  return networkSimplex({
    a: new Array<number>(points.length).fill(1 / points.length),
    b: used.map((j) => weights[j]!),
    C,
  }).cost;
}

function requireClusteringInput(points: Points, atoms: Points): void {
  if (points.length === 0) throw new InputError('points', 'give at least one point');
  if (atoms.length === 0) throw new InputError('k', 'needs at least one atom');
  const d = points[0]!.length;
  for (const [field, list] of [
    ['points', points],
    ['atoms', atoms],
  ] as const) {
    list.forEach((x, i) => {
      if (x.length !== d) throw new InputError(`${field}[${i}]`, `expected ${d} coordinates`);
      x.forEach((v, c) => {
        if (!Number.isFinite(v)) {
          throw new InputError(`${field}[${i}][${c}]`, `expected a finite number, got ${v}`);
        }
      });
    });
  }
}
