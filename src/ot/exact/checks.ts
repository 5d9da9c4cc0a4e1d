/**
 * Optimality certificates for transport plans (seed 004: duality, complementarity, cyclical
 * monotonicity), used by the tests and the UI. Plans are sparse entry lists; `sparsePlan` in
 * ./problem converts dense (e.g. Sinkhorn) plans.
 */
import { costAt, type CostMatrix, type PlanEntry } from './problem';

export interface MarginalErrors {
  /** Σ_i |(P1)_i − a_i|. */
  rowL1: number;
  /** Σ_j |(Pᵀ1)_j − b_j|. */
  columnL1: number;
  /** Largest single deviation over rows and columns. */
  max: number;
}

export function marginalErrors(
  plan: readonly PlanEntry[],
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): MarginalErrors {
  const rows = Float64Array.from({ length: a.length }, (_, i) => -a[i]!);
  const columns = Float64Array.from({ length: b.length }, (_, j) => -b[j]!);
  for (const { i, j, mass } of plan) {
    rows[i] = rows[i]! + mass;
    columns[j] = columns[j]! + mass;
  }
  const l1 = (values: Float64Array) => values.reduce((s, e) => s + Math.abs(e), 0);
  const max = (values: Float64Array) => values.reduce((s, e) => Math.max(s, Math.abs(e)), 0);
  return { rowL1: l1(rows), columnL1: l1(columns), max: Math.max(max(rows), max(columns)) };
}

export interface DualCheck {
  /** Worst value found (a violation, ≥ 0) and where; i = j = −1 when there is nothing to check. */
  worst: number;
  i: number;
  j: number;
}

/** Dual feasibility: max over all (i, j) of u_i + v_j − C_ij, clamped at 0. */
export function dualFeasibility(
  C: CostMatrix,
  u: ArrayLike<number>,
  v: ArrayLike<number>,
): DualCheck {
  const result: DualCheck = { worst: 0, i: -1, j: -1 };
  for (let i = 0; i < C.n; i += 1)
    for (let j = 0; j < C.m; j += 1) {
      const violation = u[i]! + v[j]! - costAt(C, i, j);
      if (violation > result.worst) Object.assign(result, { worst: violation, i, j });
    }
  return result;
}

/** Complementary slackness: max over the support (mass > threshold) of |C_ij − u_i − v_j|. */
export function complementarySlackness(
  plan: readonly PlanEntry[],
  C: CostMatrix,
  u: ArrayLike<number>,
  v: ArrayLike<number>,
  threshold = 0,
): DualCheck {
  const result: DualCheck = { worst: 0, i: -1, j: -1 };
  for (const { i, j, mass } of plan) {
    if (mass <= threshold) continue;
    const gap = Math.abs(costAt(C, i, j) - u[i]! - v[j]!);
    if (gap > result.worst || result.i < 0) Object.assign(result, { worst: gap, i, j });
  }
  return result;
}

export interface MonotonicityResult {
  monotone: boolean;
  /**
   * A violating cycle of support pairs (i_1, j_1), …, (i_L, j_L): rematching i_t → j_{t+1}
   * (cyclically) lowers the cost by `gain` = Σ C_{i_t j_t} − Σ C_{i_t j_{t+1}} > tolerance.
   */
  cycle?: { i: number; j: number }[];
  gain?: number;
  /** How the cycle was found. */
  method?: 'two-cycle' | 'bellman-ford';
}

export interface MonotonicityOptions {
  /** A cycle counts when its gain exceeds this; default 1e-10 · max |C| over the support rows. */
  tolerance?: number;
  /** Exhaustive 2-cycle search only up to this many support entries (O(s²)); default 3000. */
  maxPairSearch?: number;
}

/**
 * c-cyclical monotonicity of the support (seed 004, "Cyclic monotonicity"): no cycle of support
 * pairs can be rematched more cheaply. First every pair of support entries is tried (the shortest
 * witness, a "crossing"); then longer cycles by Bellman–Ford negative-cycle detection on the
 * bipartite exchange graph over the support's rows and columns: an edge column j → row i of weight
 * −C_ij for each support pair (undo it) and an edge row i → column j' of weight +C_ij' for every
 * support row i and support column j' (rematch). A cycle of this graph alternates the two kinds, so
 * its weight is −gain of the corresponding rematching; the support is c-cyclically monotone iff no
 * negative cycle exists. Cost: O(V·E) with V ≤ n + m rows and columns, E ≈ rows × columns.
 */
export function cyclicalMonotonicity(
  plan: readonly PlanEntry[],
  C: CostMatrix,
  options: MonotonicityOptions = {},
): MonotonicityResult {
  const support = plan.filter((entry) => entry.mass > 0);
  const tolerance = options.tolerance ?? 1e-10 * supportCostScale(support, C);
  const pair =
    support.length <= (options.maxPairSearch ?? 3000) ? twoCycle(support, C, tolerance) : undefined;
  if (pair) return pair;
  return negativeCycle(support, C, tolerance) ?? { monotone: true };
}

function supportCostScale(support: readonly PlanEntry[], C: CostMatrix): number {
  let scale = 0;
  const rows = new Set(support.map((e) => e.i));
  for (const i of rows)
    for (let j = 0; j < C.m; j += 1) scale = Math.max(scale, Math.abs(costAt(C, i, j)));
  return scale;
}

/** Σ_t C[i_t, j_t] − C[i_t, j_{t+1}]: what one unit rematched around the cycle saves. */
export function cycleGain(cycle: readonly { i: number; j: number }[], C: CostMatrix): number {
  let gain = 0;
  cycle.forEach(({ i, j }, t) => {
    const next = cycle[(t + 1) % cycle.length]!;
    gain += costAt(C, i, j) - costAt(C, i, next.j);
  });
  return gain;
}

function twoCycle(
  support: readonly PlanEntry[],
  C: CostMatrix,
  tolerance: number,
): MonotonicityResult | undefined {
  for (let k = 0; k < support.length; k += 1)
    for (let l = k + 1; l < support.length; l += 1) {
      const cycle = [
        { i: support[k]!.i, j: support[k]!.j },
        { i: support[l]!.i, j: support[l]!.j },
      ];
      const gain = cycleGain(cycle, C);
      if (gain > tolerance) return { monotone: false, cycle, gain, method: 'two-cycle' };
    }
  return undefined;
}

function negativeCycle(
  support: readonly PlanEntry[],
  C: CostMatrix,
  tolerance: number,
): MonotonicityResult | undefined {
  const rows = [...new Set(support.map((e) => e.i))];
  const columns = [...new Set(support.map((e) => e.j))];
  // Nodes: rows 0..R−1, then columns R..R+K−1. Predecessor edges record the support pair used.
  const R = rows.length;
  const nodes = R + columns.length;
  const rowNode = new Map(rows.map((i, k) => [i, k]));
  const columnNode = new Map(columns.map((j, k) => [j, R + k]));
  const distance = new Float64Array(nodes);
  const predecessor = new Int32Array(nodes).fill(-1);
  // Relaxations must beat a slack so that rounding on ties never looks like a cycle. After each
  // pass the predecessor graph is searched for a cycle (always negative when present); a pass
  // without relaxation proves there is none.
  const slack = tolerance / Math.max(1, nodes);
  for (let pass = 0; pass < 10 * nodes + 10; pass += 1) {
    let changed = false;
    for (const { i, j } of support) {
      const from = columnNode.get(j)!;
      const to = rowNode.get(i)!;
      const d = distance[from]! - costAt(C, i, j);
      if (d < distance[to]! - slack) {
        distance[to] = d;
        predecessor[to] = from;
        changed = true;
      }
    }
    for (let r = 0; r < R; r += 1)
      for (let k = 0; k < columns.length; k += 1) {
        const to = R + k;
        const d = distance[r]! + costAt(C, rows[r]!, columns[k]!);
        if (d < distance[to]! - slack) {
          distance[to] = d;
          predecessor[to] = r;
          changed = true;
        }
      }
    if (!changed) return undefined;
    const loop = predecessorCycle(predecessor);
    if (loop) return exchangeCycle(loop, rows, columns, C, tolerance);
  }
  throw new Error('cyclicalMonotonicity: Bellman-Ford did not settle (internal error)');
}

/** A cycle of the predecessor graph (each node has at most one predecessor), in forward order. */
function predecessorCycle(predecessor: Int32Array): number[] | undefined {
  const stamp = new Int32Array(predecessor.length).fill(-1);
  for (let start = 0; start < predecessor.length; start += 1) {
    let v = start;
    while (v >= 0 && stamp[v] === -1) {
      stamp[v] = start;
      v = predecessor[v]!;
    }
    if (v < 0 || stamp[v] !== start) continue;
    const backwards = [v];
    for (let w = predecessor[v]!; w !== v; w = predecessor[w]!) backwards.push(w);
    return backwards.reverse();
  }
  return undefined;
}

/** Turns an alternating column/row node cycle into support pairs (i_t, j_t), rematched i_t → j_{t+1}. */
function exchangeCycle(
  loop: readonly number[],
  rows: readonly number[],
  columns: readonly number[],
  C: CostMatrix,
  tolerance: number,
): MonotonicityResult | undefined {
  const R = rows.length;
  const cycle: { i: number; j: number }[] = [];
  loop.forEach((from, k) => {
    const to = loop[(k + 1) % loop.length]!;
    if (from >= R && to < R) cycle.push({ i: rows[to]!, j: columns[from - R]! });
  });
  const gain = cycleGain(cycle, C);
  return gain > tolerance ? { monotone: false, cycle, gain, method: 'bellman-ford' } : undefined;
}
