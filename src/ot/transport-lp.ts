/**
 * Exact linear programming for small dense OT problems (MATH.md §1, §4): a two-phase tableau
 * simplex for min cᵀx s.t. Ax = b, x ≥ 0, with the discrete transport problem (Kantorovich,
 * seed 004) and the multi-marginal problem over index tuples (seed 001, GMM barycentre) built on it.
 *
 * Pivoting: Dantzig's rule (most negative reduced cost), switching to Bland's rule (smallest
 * index, provably cycle-free) after a run of degenerate pivots, since transport polytopes are highly
 * degenerate. Duals y = c_Bᵀ B⁻¹ are read off the artificial columns, which hold B⁻¹. Dense and
 * O(rows · columns) per pivot: meant for a few thousand variables, not for point clouds (the
 * network simplex in src/ot/exact/ is the tool for those).
 */

export interface LinearProgramResult {
  x: number[];
  objective: number;
  /** Dual variables y (one per equality row) with yᵀA ≤ cᵀ and yᵀb = objective. */
  duals: number[];
  pivots: number;
}

export interface LinearProgramOptions {
  /** Throw after this many pivots (default 50 · (rows + columns)). */
  maxPivots?: number;
}

/** Consecutive degenerate pivots after which Bland's rule takes over. */
const DEGENERATE_RUN_FOR_BLAND = 20;

/** The constraint set is empty (marginals of different total mass, for instance). */
export class InfeasibleError extends Error {
  override name = 'InfeasibleError';
}

/** min cᵀx subject to A x = b, x ≥ 0 (A dense, rows × columns). */
export function solveLinearProgram(
  a: readonly (readonly number[])[],
  b: readonly number[],
  c: readonly number[],
  options: LinearProgramOptions = {},
): LinearProgramResult {
  const tableau = new Tableau(a, b);
  const maxPivots = options.maxPivots ?? 50 * (tableau.rows + tableau.columns);
  const bScale = Math.max(1, ...b.map(Math.abs));
  // Phase 1: minimise the sum of artificials.
  const phase1Cost = [
    ...new Array<number>(tableau.columns).fill(0),
    ...new Array<number>(tableau.rows).fill(1),
  ];
  tableau.optimise(phase1Cost, tableau.columns + tableau.rows, maxPivots);
  const infeasibility = tableau.objective(phase1Cost);
  if (infeasibility > 1e-9 * bScale) {
    throw new InfeasibleError(
      `linear program infeasible: phase 1 leaves residual ${infeasibility.toExponential(2)}`,
    );
  }
  tableau.driveOutArtificials();
  // Phase 2: the real costs; artificials may no longer enter.
  const phase2Cost = [...c, ...new Array<number>(tableau.rows).fill(0)];
  tableau.optimise(phase2Cost, tableau.columns, maxPivots);
  return {
    x: tableau.solution(),
    objective: tableau.objective(phase2Cost),
    duals: tableau.duals(phase2Cost),
    pivots: tableau.pivots,
  };
}

class Tableau {
  readonly rows: number;
  readonly columns: number;
  /** rows × (columns + rows + 1): [A | I | b], rows flipped so that b ≥ 0. */
  private readonly t: Float64Array[];
  private readonly basis: number[];
  private readonly flipped: boolean[];
  /** Reduced costs of the current phase (same width as a row; the last entry is unused). */
  private reduced: Float64Array = new Float64Array(0);
  pivots = 0;

  constructor(a: readonly (readonly number[])[], b: readonly number[]) {
    this.rows = a.length;
    this.columns = a[0]?.length ?? 0;
    const width = this.columns + this.rows + 1;
    this.flipped = b.map((v) => v < 0);
    this.t = a.map((row, i) => {
      const sign = this.flipped[i] ? -1 : 1;
      const r = new Float64Array(width);
      row.forEach((v, j) => (r[j] = sign * v));
      r[this.columns + i] = 1;
      r[width - 1] = sign * b[i]!;
      return r;
    });
    this.basis = a.map((_, i) => this.columns + i);
  }

  private get rhs(): number {
    return this.columns + this.rows;
  }

  objective(cost: readonly number[]): number {
    return this.basis.reduce((s, j, i) => s + cost[j]! * this.t[i]![this.rhs]!, 0);
  }

  /**
   * Simplex iterations on `cost`; columns ≥ `enterLimit` may not enter the basis. The reduced-cost
   * row is updated by each pivot like a tableau row, and recomputed from scratch before optimality
   * is declared, so accumulated rounding cannot stop the method early.
   */
  optimise(cost: readonly number[], enterLimit: number, maxPivots: number): void {
    const costScale = Math.max(1, ...cost.map(Math.abs));
    const tolerance = 1e-11 * costScale;
    let degenerateRun = 0;
    this.reduced = this.reducedCosts(cost);
    for (;;) {
      const bland = degenerateRun >= DEGENERATE_RUN_FOR_BLAND;
      let entering = chooseEntering(this.reduced, enterLimit, tolerance, bland);
      if (entering < 0) {
        this.reduced = this.reducedCosts(cost);
        entering = chooseEntering(this.reduced, enterLimit, tolerance, bland);
        if (entering < 0) return;
      }
      const leaving = this.ratioTest(entering);
      if (leaving < 0) throw new Error('linear program unbounded (a cost is −∞ along a ray)');
      const step = this.t[leaving]![this.rhs]! / this.t[leaving]![entering]!;
      degenerateRun = step <= 1e-14 ? degenerateRun + 1 : 0;
      this.pivot(leaving, entering);
      if (this.pivots > maxPivots) {
        throw new Error(`linear program: no optimum after ${maxPivots} pivots`);
      }
    }
  }

  /** d_j = c_j − Σ_i c_{B(i)} T_ij for every column. */
  private reducedCosts(cost: readonly number[]): Float64Array {
    const width = this.columns + this.rows;
    const d = new Float64Array(width + 1);
    for (let j = 0; j < width; j += 1) d[j] = cost[j]!;
    this.t.forEach((row, i) => {
      const cb = cost[this.basis[i]!]!;
      if (cb === 0) return;
      for (let j = 0; j < width; j += 1) d[j]! -= cb * row[j]!;
    });
    return d;
  }

  /** Minimum ratio row; ties go to the smallest basic index (Bland). −1 if unbounded. */
  private ratioTest(entering: number): number {
    let best = -1;
    let bestRatio = Infinity;
    this.t.forEach((row, i) => {
      const v = row[entering]!;
      if (v <= 1e-12) return;
      const ratio = row[this.rhs]! / v;
      if (
        ratio < bestRatio - 1e-15 ||
        (Math.abs(ratio - bestRatio) <= 1e-15 && this.basis[i]! < this.basis[best]!)
      ) {
        best = i;
        bestRatio = ratio;
      }
    });
    return best;
  }

  /** Gauss–Jordan pivot on (r, j), touching only the pivot row's non-zero columns. */
  private pivot(r: number, j: number): void {
    const pivotRow = this.t[r]!;
    const p = pivotRow[j]!;
    const support: number[] = [];
    for (let k = 0; k < pivotRow.length; k += 1) {
      if (pivotRow[k] !== 0) {
        pivotRow[k]! /= p;
        support.push(k);
      }
    }
    const eliminate = (row: Float64Array) => {
      const f = row[j]!;
      if (f === 0) return;
      for (const k of support) row[k]! -= f * pivotRow[k]!;
      row[j] = 0;
    };
    this.t.forEach((row, i) => {
      if (i !== r) eliminate(row);
    });
    eliminate(this.reduced);
    if (pivotRow[this.rhs]! < 0) pivotRow[this.rhs] = 0; // rounding of a degenerate step
    this.basis[r] = j;
    this.pivots += 1;
  }

  /**
   * After phase 1 some artificials may stay basic at level 0; pivot each out on any structural
   * column. A row with no such column is redundant (e.g. Σa = Σb in transport) and keeps it.
   */
  driveOutArtificials(): void {
    this.basis.forEach((j, i) => {
      if (j < this.columns) return;
      const row = this.t[i]!;
      let best = -1;
      for (let k = 0; k < this.columns; k += 1) {
        if (Math.abs(row[k]!) > 1e-9 && (best < 0 || Math.abs(row[k]!) > Math.abs(row[best]!)))
          best = k;
      }
      if (best >= 0) this.pivot(i, best);
    });
  }

  solution(): number[] {
    const x = new Array<number>(this.columns).fill(0);
    this.basis.forEach((j, i) => {
      if (j < this.columns) x[j] = Math.max(this.t[i]![this.rhs]!, 0);
    });
    return x;
  }

  /** y = c_Bᵀ B⁻¹; the artificial columns hold B⁻¹. Flipped rows flip their dual back. */
  duals(cost: readonly number[]): number[] {
    return this.flipped.map((flip, k) => {
      const y = this.basis.reduce((s, j, i) => s + cost[j]! * this.t[i]![this.columns + k]!, 0);
      return flip ? -y : y;
    });
  }
}

function chooseEntering(
  reduced: Float64Array,
  enterLimit: number,
  tolerance: number,
  bland: boolean,
): number {
  let best = -1;
  for (let j = 0; j < enterLimit; j += 1) {
    if (reduced[j]! >= -tolerance) continue;
    if (bland) return j;
    if (best < 0 || reduced[j]! < reduced[best]!) best = j;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Transport and multi-marginal problems
// ---------------------------------------------------------------------------------------------

export interface TransportResult {
  /** K × L optimal plan with row sums a and column sums b. */
  plan: number[][];
  cost: number;
  /** Dual potentials with u_k + v_l ≤ C_kl and Σ a u + Σ b v = cost. */
  u: number[];
  v: number[];
}

/** Largest K·L the dense solver takes (e.g. 50 × 50 components). */
export const MAX_TRANSPORT_VARIABLES = 2500;

/** Exact discrete OT min ⟨C, P⟩ over P ≥ 0, P1 = a, Pᵀ1 = b (MATH.md §1). */
export function solveTransport(
  a: readonly number[],
  b: readonly number[],
  cost: readonly (readonly number[])[],
): TransportResult {
  const k = a.length;
  const l = b.length;
  if (k * l > MAX_TRANSPORT_VARIABLES) {
    throw new RangeError(
      `transport LP too large: ${k}×${l} > ${MAX_TRANSPORT_VARIABLES} variables`,
    );
  }
  const rows: number[][] = [];
  for (let i = 0; i < k; i += 1) rows.push(indicator(k * l, (v) => Math.floor(v / l) === i));
  for (let j = 0; j < l; j += 1) rows.push(indicator(k * l, (v) => v % l === j));
  const result = solveLinearProgram(rows, [...a, ...b], cost.flat());
  return {
    plan: Array.from({ length: k }, (_, i) => result.x.slice(i * l, (i + 1) * l)),
    cost: result.objective,
    u: result.duals.slice(0, k),
    v: result.duals.slice(k),
  };
}

export interface MultiMarginalResult {
  /** Tuples (k_1, …, k_M) with positive mass. */
  support: { indices: number[]; mass: number }[];
  cost: number;
  /** duals[m][k]: Σ_m duals[m][k_m] ≤ cost(tuple), Σ_m Σ_k w_m[k] duals[m][k] = cost. */
  duals: number[][];
  tuples: number;
}

/** Largest number of tuples Π K_m the multi-marginal solver takes. */
export const MAX_MULTI_MARGINAL_TUPLES = 4096;

/**
 * Exact multi-marginal OT: min Σ_tuples c(k_1..k_M) π(k_1..k_M) over π ≥ 0 whose m-th marginal is
 * `marginals[m]`. Enumerates all Π K_m tuples (at most MAX_MULTI_MARGINAL_TUPLES).
 */
export function solveMultiMarginal(
  marginals: readonly (readonly number[])[],
  cost: (indices: readonly number[]) => number,
): MultiMarginalResult {
  const sizes = marginals.map((w) => w.length);
  const count = sizes.reduce((p, s) => p * s, 1);
  if (count > MAX_MULTI_MARGINAL_TUPLES) {
    throw new RangeError(
      `multi-marginal LP too large: ${sizes.join('×')} = ${count} tuples > ${MAX_MULTI_MARGINAL_TUPLES}`,
    );
  }
  const tuples = Array.from({ length: count }, (_, v) => tupleOf(v, sizes));
  const rows: number[][] = [];
  sizes.forEach((size, m) => {
    for (let k = 0; k < size; k += 1) rows.push(tuples.map((t) => (t[m] === k ? 1 : 0)));
  });
  const result = solveLinearProgram(rows, marginals.flat(), tuples.map(cost));
  const duals: number[][] = [];
  let offset = 0;
  sizes.forEach((size) => {
    duals.push(result.duals.slice(offset, offset + size));
    offset += size;
  });
  return {
    support: tuples
      .map((indices, v) => ({ indices, mass: result.x[v]! }))
      .filter((e) => e.mass > 0),
    cost: result.objective,
    duals,
    tuples: count,
  };
}

/** Mixed-radix digits of v, first index most significant. */
function tupleOf(v: number, sizes: readonly number[]): number[] {
  const out = new Array<number>(sizes.length);
  for (let m = sizes.length - 1; m >= 0; m -= 1) {
    out[m] = v % sizes[m]!;
    v = Math.floor(v / sizes[m]!);
  }
  return out;
}

function indicator(length: number, f: (v: number) => boolean): number[] {
  return Array.from({ length }, (_, v) => (f(v) ? 1 : 0));
}
