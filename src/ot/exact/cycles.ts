/**
 * Monge against Kantorovich on small discrete problems (MATH.md §1; seed 004, "Monge's Problem",
 * "Kantorovich's Relaxation", "Cyclic Monotonicity"):
 * - which maps T (each source atom sent whole to one target) push a onto b, and the cheapest one:
 *   none exists when an atom would have to split (one atom to two);
 * - moving mass around a cycle of a plan (marginals unchanged), e.g. a user's perturbation of the
 *   optimal plan along a rectangle;
 * - cycle cancelling: while the support is not c-cyclically monotone, push the most mass possible
 *   around a violating cycle. Each push lowers the cost; the plan that remains is c-cyclically
 *   monotone, hence optimal (the theorem of the lecture), which the tests check against the
 *   network simplex.
 *
 * Plans here are dense, row-major n × m arrays (the problems have a handful of atoms).
 */
import { InputError } from '../validate';
import { cycleGain, cyclicalMonotonicity, type MonotonicityOptions } from './checks';
import { costAt, sparsePlan, type CostMatrix, type PlanEntry } from './problem';

export interface CycleCell {
  i: number;
  j: number;
}

/**
 * Moves `amount` around a cycle of support cells (i_1, j_1), …, (i_L, j_L) in the rematching
 * direction of `cyclicalMonotonicity`: P[i_t, j_t] −= amount, P[i_t, j_{t+1}] += amount. Row and
 * column sums are unchanged. Returns a new plan.
 */
export function pushAroundCycle(
  plan: Float64Array,
  m: number,
  cycle: readonly CycleCell[],
  amount: number,
): Float64Array {
  const next = plan.slice();
  cycle.forEach(({ i, j }, t) => {
    const following = cycle[(t + 1) % cycle.length]!;
    next[i * m + j] = next[i * m + j]! - amount;
    next[i * m + following.j] = next[i * m + following.j]! + amount;
  });
  // Cells emptied exactly stay at 0, not at a rounding residue of either sign.
  for (const { i, j } of cycle) if (Math.abs(next[i * m + j]!) <= 1e-15) next[i * m + j] = 0;
  return next;
}

/** The most that can move around the cycle: the smallest mass on its cells. */
export function cycleCapacity(plan: Float64Array, m: number, cycle: readonly CycleCell[]): number {
  return Math.min(...cycle.map(({ i, j }) => plan[i * m + j]!));
}

/**
 * Moves `amount` (clamped to what the two donor cells hold) from cells (i, j) and (k, l) to the
 * other corners (i, l) and (k, j) of their rectangle: a 2-cycle, marginals unchanged.
 */
export function rectangleShift(
  plan: Float64Array,
  m: number,
  from: CycleCell,
  to: CycleCell,
  amount: number,
): { plan: Float64Array; moved: number } {
  if (from.i === to.i || from.j === to.j) {
    throw new InputError('perturbation', 'the two cells must differ in both row and column');
  }
  const cycle = [from, to];
  const moved = Math.max(0, Math.min(amount, cycleCapacity(plan, m, cycle)));
  return { plan: moved > 0 ? pushAroundCycle(plan, m, cycle, moved) : plan.slice(), moved };
}

export interface CancellationStep {
  plan: Float64Array;
  /** The cycle of (old) support cells that was rematched. */
  cycle: CycleCell[];
  /** Cost saved per unit moved (> 0). */
  gain: number;
  /** Mass moved around the cycle. */
  amount: number;
}

/**
 * One step of cycle cancelling: a violating cycle of the support (if any) and the plan after
 * pushing its capacity around it; `undefined` when the support is c-cyclically monotone. Among the
 * 2-cycles (rectangles) the one that saves the most (gain × capacity) is taken, which keeps the
 * number of steps small; longer cycles come from `cyclicalMonotonicity` when no rectangle helps.
 */
export function cancelViolatingCycle(
  plan: Float64Array,
  C: CostMatrix,
  options: MonotonicityOptions = {},
): CancellationStep | undefined {
  const support = sparsePlan(plan, C.n, C.m);
  const check = cyclicalMonotonicity(support, C, options);
  if (check.monotone || !check.cycle) return undefined;
  const cycle = check.method === 'two-cycle' ? bestRectangle(support, C) : check.cycle;
  const amount = cycleCapacity(plan, C.m, cycle);
  return {
    plan: pushAroundCycle(plan, C.m, cycle, amount),
    cycle,
    gain: cycleGain(cycle, C),
    amount,
  };
}

/** The 2-cycle of support cells with the largest saving gain × capacity (one exists). */
function bestRectangle(support: readonly PlanEntry[], C: CostMatrix): CycleCell[] {
  let best: { cycle: CycleCell[]; saving: number } = { cycle: [], saving: 0 };
  for (let k = 0; k < support.length; k += 1)
    for (let l = k + 1; l < support.length; l += 1) {
      const first = support[k]!;
      const second = support[l]!;
      const cycle = [
        { i: first.i, j: first.j },
        { i: second.i, j: second.j },
      ];
      const saving = cycleGain(cycle, C) * Math.min(first.mass, second.mass);
      if (saving > best.saving) best = { cycle, saving };
    }
  return best.cycle;
}

export interface MongeMaps {
  /** How many maps T: sources → targets push a onto b (within `tolerance`). */
  count: number;
  /** The cheapest such map (target of each source) and its cost Σ_i a_i C[i, T(i)]. */
  best: { map: Int32Array; cost: number } | undefined;
}

/** Largest m^n the exhaustive search accepts. */
export const MAX_MAP_CANDIDATES = 1_000_000;

/**
 * Every map T: [n] → [m] with T#a = b, by exhaustive search with pruning (a target is never filled
 * beyond its mass). Monge's problem on atoms: none exists, for example, when one atom must be
 * split between two targets.
 */
export function mongeMaps(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  C: CostMatrix,
  tolerance = 1e-9,
): MongeMaps {
  const n = a.length;
  const m = b.length;
  if (m ** n > MAX_MAP_CANDIDATES) {
    throw new InputError(
      'C',
      `too many candidate maps (${m}^${n}); use at most ${MAX_MAP_CANDIDATES}`,
    );
  }
  const filled = new Float64Array(m);
  const map = new Int32Array(n);
  const result: MongeMaps = { count: 0, best: undefined };
  const visit = (i: number, cost: number) => {
    if (i === n) {
      for (let j = 0; j < m; j += 1) if (Math.abs(filled[j]! - b[j]!) > tolerance) return;
      result.count += 1;
      if (!result.best || cost < result.best.cost) result.best = { map: map.slice(), cost };
      return;
    }
    for (let j = 0; j < m; j += 1) {
      if (filled[j]! + a[i]! > b[j]! + tolerance) continue;
      filled[j] = filled[j]! + a[i]!;
      map[i] = j;
      visit(i + 1, cost + a[i]! * costAt(C, i, j));
      filled[j] = filled[j]! - a[i]!;
    }
  };
  visit(0, 0);
  return result;
}

/** The plan of a map: mass a_i at (i, T(i)). */
export function mapPlan(a: ArrayLike<number>, map: ArrayLike<number>, m: number): Float64Array {
  const plan = new Float64Array(a.length * m);
  for (let i = 0; i < a.length; i += 1) plan[i * m + map[i]!] = a[i]!;
  return plan;
}

/** Whether each row of the plan has a single non-zero entry (the plan is induced by a map). */
export function isMapPlan(plan: Float64Array, n: number, m: number, threshold = 1e-12): boolean {
  for (let i = 0; i < n; i += 1) {
    let entries = 0;
    for (let j = 0; j < m; j += 1) if (plan[i * m + j]! > threshold) entries += 1;
    if (entries > 1) return false;
  }
  return true;
}
