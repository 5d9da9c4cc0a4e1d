/**
 * Exact OT on the line by sorting (MATH.md §1; seed 004, "equivalent iff T is diagonal, in
 * particular if d = 1"). For a cost c(x, y) = h(x − y) with h CONVEX, the cost matrix between sorted
 * supports is a Monge array: for x ≤ x', y ≤ y', h(x−y) + h(x'−y') ≤ h(x−y') + h(x'−y). Hence the
 * monotone (quantile) coupling, the north-west corner rule on sorted supports, is optimal for any
 * weights (Hoffman 1963). It is the coupling t ↦ (F⁻¹(t), G⁻¹(t)), t ∈ [0, total], of the two
 * quantile functions. For a non-convex h (e.g. concave |d|^q, q < 1, or Coulomb) it is NOT optimal:
 * use the network simplex.
 */
import { costValue, type CostSpec } from '../costs';
import { InputError, requirePositive, requireVector } from '../validate';
import {
  balanceDuals,
  balanceMass,
  MASS_TOLERANCE,
  northWestCorner,
  requireMassVector,
  type ExactSolution,
  type PlanEntry,
} from './problem';

/** Cost profile h of c(x, y) = h(x − y); must be convex for the sorting solution to be optimal. */
export type CostProfile = (difference: number) => number;

export interface LineProblem {
  x: readonly number[];
  y: readonly number[];
  /** Non-negative weights; default uniform 1/n. */
  a?: readonly number[];
  /** Non-negative weights with the same total as a; default uniform 1/m. */
  b?: readonly number[];
}

interface SortedLine {
  x: number[];
  y: number[];
  a: Float64Array;
  b: Float64Array;
  /** Source indices in increasing x (stable), likewise for targets. */
  rowOrder: number[];
  columnOrder: number[];
}

/** h(d) = |d|^power, convex for power ≥ 1. */
export function powerProfile(power: number): CostProfile {
  return (d) => Math.abs(d) ** power;
}

/**
 * The 1D profile of a ground cost, or undefined when it is not convex: ‖·‖² and ‖·‖ are, ‖·‖_p^q is
 * iff q ≥ 1 (in 1D it is |d|^q), the regularised Coulomb cost is not.
 */
export function convexProfile(cost: CostSpec): CostProfile | undefined {
  if (cost.kind === 'coulomb' || (cost.kind === 'pq' && cost.q < 1)) return undefined;
  return (d) => costValue(cost, [d], [0]);
}

function validateLine(problem: LineProblem, tolerance: number): SortedLine {
  const x = requireVector(problem.x, 'x');
  const y = requireVector(problem.y, 'y');
  if (x.length === 0) throw new InputError('x', 'give at least one point');
  if (y.length === 0) throw new InputError('y', 'give at least one point');
  const a = requireMassVector(
    problem.a ?? new Array<number>(x.length).fill(1 / x.length),
    'a',
    x.length,
  );
  const b = balanceMass(
    a,
    requireMassVector(problem.b ?? new Array<number>(y.length).fill(1 / y.length), 'b', y.length),
    tolerance,
  );
  const byValue = (values: number[]) =>
    values.map((_, k) => k).sort((k, l) => values[k]! - values[l]! || k - l);
  return { x, y, a, b, rowOrder: byValue(x), columnOrder: byValue(y) };
}

/**
 * North-west corner walk on sorted supports. Returns the full staircase basis (n + m − 1 cells, some
 * with zero mass when cumulative masses tie or weights vanish) in walk order, as sorted ranks.
 */
function staircase(line: SortedLine): PlanEntry[] {
  return northWestCorner(
    line.rowOrder.map((k) => line.a[k]!),
    line.columnOrder.map((k) => line.b[k]!),
  );
}

/**
 * Duals of the staircase basis: each cell shares its row or its column with the previous one, so
 * u_r + v_c = C_rc fixes the new potential. For a Monge array every monotone staircase basis is dual
 * feasible, which certifies the plan (checked by the tests, not assumed by the caller).
 */
function staircaseDuals(line: SortedLine, cells: readonly PlanEntry[], h: CostProfile) {
  const u = new Float64Array(line.x.length);
  const v = new Float64Array(line.y.length);
  const cost = (r: number, c: number) =>
    h(line.x[line.rowOrder[r]!]! - line.y[line.columnOrder[c]!]!);
  let previous: PlanEntry | undefined;
  for (const cell of cells) {
    const { i: r, j: c } = cell;
    if (previous === undefined) {
      u[line.rowOrder[r]!] = 0;
      v[line.columnOrder[c]!] = cost(r, c);
    } else if (r !== previous.i) {
      u[line.rowOrder[r]!] = cost(r, c) - v[line.columnOrder[c]!]!;
    } else {
      v[line.columnOrder[c]!] = cost(r, c) - u[line.rowOrder[r]!]!;
    }
    previous = cell;
  }
  return { u, v };
}

/**
 * Exact OT on the line for c(x, y) = h(x − y), h convex (see the module comment): plan (entries
 * with positive mass, original indices), cost and duals. `iterations` is the number of basis cells.
 */
export function transport1D(
  problem: LineProblem,
  h: CostProfile,
  tolerance = MASS_TOLERANCE,
): ExactSolution {
  const line = validateLine(problem, tolerance);
  const cells = staircase(line);
  const plan: PlanEntry[] = [];
  let cost = 0;
  for (const { i: r, j: c, mass } of cells) {
    if (mass <= 0) continue;
    const i = line.rowOrder[r]!;
    const j = line.columnOrder[c]!;
    plan.push({ i, j, mass });
    cost += mass * h(line.x[i]! - line.y[j]!);
  }
  const { u, v } = staircaseDuals(line, cells, h);
  balanceDuals(u, v, line.a, line.b);
  plan.sort((e, f) => e.i - f.i || e.j - f.j);
  return { n: line.x.length, m: line.y.length, plan, cost, u, v, iterations: cells.length };
}

/**
 * W_p on the line from the quantile functions: W_p^p = ∫₀¹ |F⁻¹(t) − G⁻¹(t)|^p dt, evaluated exactly
 * on the breakpoints of the two piecewise-constant quantile functions (the staircase above). Weights
 * are normalised to probabilities (divided by their total).
 */
export function wasserstein1D(problem: LineProblem, p: number, tolerance = MASS_TOLERANCE): number {
  const power = requirePositive(p, 'p');
  if (power < 1) throw new InputError('p', `W_p needs p >= 1, got ${power}`);
  const line = validateLine(problem, tolerance);
  let total = 0;
  let integral = 0;
  for (const { i: r, j: c, mass } of staircase(line)) {
    total += mass;
    integral +=
      mass * Math.abs(line.x[line.rowOrder[r]!]! - line.y[line.columnOrder[c]!]!) ** power;
  }
  return (integral / total) ** (1 / power);
}

/**
 * W_1 on the line the other way round: the area between the two CDFs, ∫ |F(s) − G(s)| ds, summed
 * exactly between consecutive points of the merged supports (seed 004 and MATH.md §1: for p = 1
 * the quantile and CDF pictures give the same area). Weights are normalised to probabilities.
 */
export function cdfDistance(problem: LineProblem, tolerance = MASS_TOLERANCE): number {
  const line = validateLine(problem, tolerance);
  let total = 0;
  for (const w of line.a) total += w;
  const events = [
    ...line.rowOrder.map((k) => ({ at: line.x[k]!, jump: line.a[k]! / total })),
    ...line.columnOrder.map((k) => ({ at: line.y[k]!, jump: -line.b[k]! / total })),
  ].sort((e, f) => e.at - f.at);
  let area = 0;
  let difference = 0; // F − G just right of the previous event
  for (let k = 0; k < events.length; k += 1) {
    if (k > 0) area += Math.abs(difference) * (events[k]!.at - events[k - 1]!.at);
    difference += events[k]!.jump;
  }
  return area;
}
