/**
 * Linear assignment (MATH.md §1): for uniform weights and n = m, an optimal plan of the Kantorovich
 * problem is a permutation (Birkhoff–von Neumann), so OT reduces to min_σ Σ_i C_{iσ(i)}.
 *
 * Hungarian method in the Jonker–Volgenant form: rows are added one at a time and each is matched by
 * a shortest augmenting path (Dijkstra on reduced costs C_ij − u_i − v_j ≥ 0) that also updates the
 * potentials; O(n³) overall. The potentials are dual feasible throughout (u_i + v_j ≤ C_ij) and tight
 * on the matching, so they are the duals of the assignment LP (seed 004, duality).
 */
import { balanceDuals, cTransformDuals, requireCostMatrix, type CostMatrixInput } from './problem';
import { InputError } from '../validate';

export interface AssignmentSolution {
  /** permutation[i] = column assigned to row i. */
  permutation: Int32Array;
  /** Σ_i C_{i, permutation[i]} (the OT cost with weights 1/n is this divided by n). */
  cost: number;
  /** Duals: u_i + v_j ≤ C_ij, equality on the matching, Σ u + Σ v = cost. */
  u: Float64Array;
  v: Float64Array;
}

export function hungarian(costInput: CostMatrixInput): AssignmentSolution {
  const C = requireCostMatrix(costInput, 'C');
  const { n, m, values } = C;
  if (n !== m) {
    throw new InputError('C', `the assignment needs a square cost matrix, got ${n} x ${m}`);
  }
  // 1-based arrays; column 0 is the virtual column holding the row being inserted.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const rowOfColumn = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  const minReduced = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let row = 1; row <= n; row += 1) {
    rowOfColumn[0] = row;
    let column = 0;
    minReduced.fill(Infinity);
    used.fill(0);
    // Dijkstra from `row` over alternating paths until a free column is reached.
    do {
      used[column] = 1;
      const i = rowOfColumn[column]!;
      let delta = Infinity;
      let next = 0;
      for (let j = 1; j <= n; j += 1) {
        if (used[j]) continue;
        const reduced = values[(i - 1) * n + j - 1]! - u[i]! - v[j]!;
        if (reduced < minReduced[j]!) {
          minReduced[j] = reduced;
          way[j] = column;
        }
        if (minReduced[j]! < delta) {
          delta = minReduced[j]!;
          next = j;
        }
      }
      for (let j = 0; j <= n; j += 1) {
        if (used[j]) {
          const r = rowOfColumn[j]!;
          u[r] = u[r]! + delta;
          v[j] = v[j]! - delta;
        } else minReduced[j] = minReduced[j]! - delta;
      }
      column = next;
    } while (rowOfColumn[column] !== 0);
    // Augment along the shortest path.
    do {
      const previous = way[column]!;
      rowOfColumn[column] = rowOfColumn[previous]!;
      column = previous;
    } while (column !== 0);
  }
  const permutation = new Int32Array(n);
  for (let j = 1; j <= n; j += 1) permutation[rowOfColumn[j]! - 1] = j - 1;
  let cost = 0;
  for (let i = 0; i < n; i += 1) cost += values[i * n + permutation[i]!]!;
  const rowDuals = u.slice(1);
  const columnDuals = v.slice(1);
  // Same post-processing as the network simplex: tight c-transform, then Σu = Σv.
  cTransformDuals(C, rowDuals, columnDuals);
  const ones = new Float64Array(n).fill(1);
  balanceDuals(rowDuals, columnDuals, ones, ones);
  return { permutation, cost, u: rowDuals, v: columnDuals };
}
