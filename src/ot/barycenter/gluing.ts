/**
 * Multi-marginal gluing by the north-west corner rule (seed 001, "Discrete G"; Tanguy–Delon–Gozlan
 * 2024, Algorithm 2; ot_bar's NorthWestMMGluing). Given K plans π_k ∈ Π(a, b_k) sharing the first
 * marginal a, it builds a coupling γ ∈ Π(a, b_1, …, b_K) with γ_{0,k} = π_k: row by row, the K
 * conditional laws π_k(i, ·)/a_i are coupled comonotonically, each walked in the lexicographic order
 * of its measure's support points ("sorted supports"; on the line this is the quantile coupling, so
 * gluing monotone 1D plans gives the comonotone K-coupling).
 * Returned: the distinct tuples J = (j_1, …, j_K) with their total mass, and for each the first row
 * i that produced it (a warm start for the ground barycenter).
 */
import type { PlanEntry } from '../exact/problem';

export interface GluedTuple {
  /** One support index per plan. */
  indices: number[];
  mass: number;
  /** The barycenter point (row of the plans) the tuple was first glued from. */
  parent: number;
}

/** Positions of the points in lexicographic order: rank[j] = place of point j. */
export function lexicographicRanks(points: readonly (readonly number[])[]): Int32Array {
  const order = points.map((_, j) => j);
  order.sort((i, j) => {
    const p = points[i]!;
    const q = points[j]!;
    for (let c = 0; c < p.length; c += 1) if (p[c] !== q[c]) return p[c]! - q[c]!;
    return i - j;
  });
  const rank = new Int32Array(points.length);
  order.forEach((j, r) => (rank[j] = r));
  return rank;
}

/**
 * The entries of each row in increasing rank of the column, without those below `precision` times
 * the row's mass (rounding left by the exact solvers, which would otherwise become tuples).
 */
function rowsByRank(
  plan: readonly PlanEntry[],
  rows: number,
  rank: Int32Array,
  precision: number,
): PlanEntry[][] {
  const byRow = Array.from({ length: rows }, (): PlanEntry[] => []);
  for (const entry of plan) byRow[entry.i]!.push(entry);
  return byRow.map((row) => {
    const threshold = precision * row.reduce((s, e) => s + e.mass, 0);
    return row.filter((e) => e.mass > threshold).sort((p, q) => rank[p.j]! - rank[q.j]!);
  });
}

/**
 * North-west gluing of `plans` (each a list of entries (i, j, mass), any order) over `rows` rows.
 * Masses below `precision` (relative to the row mass) count as zero, absorbing rounding.
 */
export function northWestGluing(
  plans: readonly (readonly PlanEntry[])[],
  ranks: readonly Int32Array[],
  rows: number,
  precision = 1e-13,
): GluedTuple[] {
  const sorted = plans.map((plan, k) => rowsByRank(plan, rows, ranks[k]!, precision));
  const tuples = new Map<string, GluedTuple>();
  for (let i = 0; i < rows; i += 1) {
    const rowEntries = sorted.map((byRow) => byRow[i]!);
    if (rowEntries.some((entries) => entries.length === 0)) continue; // a row without mass
    const rowMass = Math.min(
      ...rowEntries.map((entries) => entries.reduce((s, e) => s + e.mass, 0)),
    );
    const threshold = precision * rowMass;
    const remaining = rowEntries.map((entries) => entries[0]!.mass);
    const position = rowEntries.map(() => 0);
    let left = rowMass;
    while (left > threshold) {
      const mass = Math.min(...remaining);
      const indices = rowEntries.map((entries, k) => entries[position[k]!]!.j);
      const key = indices.join(',');
      const tuple = tuples.get(key);
      if (tuple) tuple.mass += mass;
      else tuples.set(key, { indices, mass, parent: i });
      left -= mass;
      let exhausted = false;
      for (let k = 0; k < remaining.length; k += 1) {
        remaining[k] = remaining[k]! - mass;
        if (remaining[k]! <= threshold) {
          position[k] = position[k]! + 1;
          const next = rowEntries[k]![position[k]!];
          if (next) remaining[k] = next.mass;
          else exhausted = true;
        }
      }
      if (exhausted) break; // every column of some plan is used up: only rounding is left
    }
  }
  return [...tuples.values()];
}
