/**
 * Network simplex for the transportation problem min ⟨C, P⟩, P ≥ 0, P1 = a, Pᵀ1 = b (MATH.md §1,
 * seed 004 Kantorovich relaxation), float64.
 *
 * Network: sources 0..n−1 (supply a_i), sinks n..n+m−1 (demand b_j), arcs i → n+j of cost C_ij, and
 * an artificial root r = n+m joined to every node by an artificial arc of cost M (big-M start, as in
 * LEMON's NetworkSimplex). The basis is a spanning tree rooted at r with node potentials y
 * (reduced cost of arc p → q: c_pq − y_p + y_q); the transport duals are u_i = y_i, v_j = −y_{n+j}.
 *
 * Degeneracy: the tree is kept strongly feasible (Cunningham 1976; Ahuja–Magnanti–Orlin §11.5):
 * every zero-flow tree arc points towards the root. The start tree is strongly feasible (zero-weight
 * nodes get an arc towards r) and the leaving arc is the last blocking arc met when walking the pivot
 * cycle in its orientation from the apex, which preserves the property and rules out cycling. The
 * iteration cap is a safety net only.
 *
 * Big-M: the bipartite graph is complete, so a flow path through r (two artificial arcs, cost 2M,
 * plus at most one real arc, cost ≥ −max|C|) always costs more than the direct arc (≤ max|C|) when
 * M = 2 max|C|; an optimal tree therefore carries no artificial flow. Artificial arcs may leave the
 * tree but are never priced back in (not needed: see the same argument).
 *
 * Pricing: block search (LEMON's default), blocks of ⌈√(nm)⌉ arcs, most negative reduced cost in
 * the first block that has one.
 */
import {
  balanceDuals,
  cTransformDuals,
  IterationLimitError,
  planCost,
  validateExactProblem,
  type ExactProblem,
  type ExactSolution,
  type PlanEntry,
  type ValidatedExactProblem,
} from './problem';
import { requireInteger } from '../validate';

export interface NetworkSimplexOptions {
  /** Pivot cap; default max(100 000, 50 (n+m)²). */
  maxIterations?: number;
  /** Relative tolerance on |Σa − Σb|; default 1e-6. */
  massTolerance?: number;
  /** Verify the tree invariants after every pivot (O(n + m) each; for tests). */
  checkInvariants?: boolean;
}

export function defaultMaxPivots(n: number, m: number): number {
  return Math.max(100_000, 50 * (n + m) ** 2);
}

/** Solves the problem exactly (up to float64 rounding); throws InputError on bad input. */
export function networkSimplex(
  problem: ExactProblem,
  options: NetworkSimplexOptions = {},
): ExactSolution {
  const valid = validateExactProblem(problem, options.massTolerance);
  const maxPivots =
    options.maxIterations === undefined
      ? defaultMaxPivots(valid.C.n, valid.C.m)
      : requireInteger(options.maxIterations, 'maxIterations', 1);
  return solveValidated(valid, maxPivots, options.checkInvariants);
}

export function solveValidated(
  problem: ValidatedExactProblem,
  maxPivots: number,
  checkInvariants = false,
): ExactSolution {
  const tree = new TransportTree(problem);
  let pivots = 0;
  for (let entering = tree.findEntering(); entering >= 0; entering = tree.findEntering()) {
    if (pivots >= maxPivots) {
      throw new IterationLimitError(
        `network simplex: no optimum after ${maxPivots} pivots (maxIterations); raise maxIterations`,
      );
    }
    tree.pivot(entering);
    pivots += 1;
    if (checkInvariants) tree.verify();
  }
  const plan = tree.finalPlan();
  const { u, v } = tree.duals();
  cTransformDuals(problem.C, u, v);
  balanceDuals(u, v, problem.a, problem.b);
  return {
    n: problem.C.n,
    m: problem.C.m,
    plan,
    cost: planCost(problem.C, plan),
    u,
    v,
    iterations: pivots,
  };
}

/** Spanning-tree basis of the transportation network (see the module comment). */
class TransportTree {
  private readonly n: number;
  private readonly m: number;
  private readonly nodes: number;
  private readonly root: number;
  private readonly realArcs: number;
  private readonly cost: Float64Array;
  private readonly bigM: number;
  /** Reduced costs above −tolerance count as non-negative (rounding of the potentials). */
  private readonly tolerance: number;
  /** Artificial arc of node v is v → r when true, r → v otherwise. */
  private readonly artificialUp: Uint8Array;
  private readonly supply: Float64Array;
  private readonly flow: Float64Array;
  private readonly basic: Uint8Array;
  private readonly parent: Int32Array;
  private readonly parentArc: Int32Array;
  private readonly depth: Int32Array;
  private readonly y: Float64Array;
  /** Tree arcs at each node. */
  private readonly adjacent: number[][];
  private readonly blockSize: number;
  private nextArc = 0;
  private readonly stack: Int32Array;

  constructor(problem: ValidatedExactProblem) {
    const { a, b, C } = problem;
    this.n = C.n;
    this.m = C.m;
    this.nodes = C.n + C.m + 1;
    this.root = C.n + C.m;
    this.realArcs = C.n * C.m;
    this.cost = C.values;
    let maxAbs = 0;
    for (const c of C.values) maxAbs = Math.max(maxAbs, Math.abs(c));
    this.bigM = maxAbs > 0 ? 2 * maxAbs : 1;
    this.tolerance = 1e-12 * this.bigM;
    const arcs = this.realArcs + this.nodes - 1;
    this.flow = new Float64Array(arcs);
    this.basic = new Uint8Array(this.realArcs);
    this.supply = new Float64Array(this.nodes);
    this.supply.set(a, 0);
    b.forEach((w, j) => (this.supply[this.n + j] = -w));
    this.artificialUp = new Uint8Array(this.nodes - 1);
    this.parent = new Int32Array(this.nodes).fill(-1);
    this.parentArc = new Int32Array(this.nodes).fill(-1);
    this.depth = new Int32Array(this.nodes);
    this.y = new Float64Array(this.nodes);
    this.adjacent = Array.from({ length: this.nodes }, () => []);
    this.stack = new Int32Array(this.nodes);
    this.blockSize = Math.max(10, Math.ceil(Math.sqrt(this.realArcs)));
    this.initialTree();
  }

  /** Star at the root; zero-supply nodes point towards r so that the tree is strongly feasible. */
  private initialTree(): void {
    for (let v = 0; v < this.root; v += 1) {
      const arc = this.realArcs + v;
      const s = this.supply[v]!;
      const up = s >= 0;
      this.artificialUp[v] = up ? 1 : 0;
      this.flow[arc] = Math.abs(s);
      this.parent[v] = this.root;
      this.parentArc[v] = arc;
      this.depth[v] = 1;
      this.y[v] = up ? this.bigM : -this.bigM;
      this.adjacent[v]!.push(arc);
      this.adjacent[this.root]!.push(arc);
    }
  }

  private tail(arc: number): number {
    if (arc < this.realArcs) return Math.floor(arc / this.m);
    const v = arc - this.realArcs;
    return this.artificialUp[v] ? v : this.root;
  }

  private head(arc: number): number {
    if (arc < this.realArcs) return this.n + (arc % this.m);
    const v = arc - this.realArcs;
    return this.artificialUp[v] ? this.root : v;
  }

  private arcCost(arc: number): number {
    return arc < this.realArcs ? this.cost[arc]! : this.bigM;
  }

  /** Block search over real arcs; −1 when every reduced cost is ≥ −tolerance (optimal). */
  findEntering(): number {
    const { realArcs, m, n, y, cost, basic } = this;
    let best = -1;
    let bestValue = -this.tolerance;
    let count = 0;
    let arc = this.nextArc;
    for (let scanned = 0; scanned < realArcs; scanned += 1) {
      if (basic[arc] === 0) {
        const i = Math.floor(arc / m);
        const reduced = cost[arc]! - y[i]! + y[n + arc - i * m]!;
        if (reduced < bestValue) {
          bestValue = reduced;
          best = arc;
        }
      }
      arc = arc + 1 === realArcs ? 0 : arc + 1;
      count += 1;
      if (count === this.blockSize) {
        if (best >= 0) break;
        count = 0;
      }
    }
    this.nextArc = arc;
    return best;
  }

  private apex(p: number, q: number): number {
    const { parent, depth } = this;
    while (p !== q) {
      if (depth[p]! > depth[q]!) p = parent[p]!;
      else if (depth[q]! > depth[p]!) q = parent[q]!;
      else {
        p = parent[p]!;
        q = parent[q]!;
      }
    }
    return p;
  }

  /** One pivot on entering arc p → q: pivot cycle, ratio test, tree update. */
  pivot(entering: number): void {
    const p = this.tail(entering);
    const q = this.head(entering);
    const join = this.apex(p, q);
    const { parent, parentArc, flow } = this;
    // Ratio test with the strongly feasible tie-break: the cycle is oriented along p → q; ties go
    // to the last blocking arc from the apex, i.e. the q side (≤) and, on the p side, nearest p (<).
    let delta = Infinity;
    let leavingNode = -1;
    let onPSide = false;
    for (let u = p; u !== join; u = parent[u]!) {
      const arc = parentArc[u]!;
      if (this.tail(arc) === u && flow[arc]! < delta) {
        delta = flow[arc]!;
        leavingNode = u;
        onPSide = true;
      }
    }
    for (let u = q; u !== join; u = parent[u]!) {
      const arc = parentArc[u]!;
      if (this.head(arc) === u && flow[arc]! <= delta) {
        delta = flow[arc]!;
        leavingNode = u;
        onPSide = false;
      }
    }
    if (leavingNode < 0) throw new Error('network simplex: unbounded pivot cycle (internal error)');
    if (delta > 0) this.augment(entering, p, q, join, delta);
    const leaving = parentArc[leavingNode]!;
    flow[leaving] = 0;
    this.replaceArc(leaving, leavingNode, entering, onPSide ? p : q, onPSide ? q : p);
  }

  private augment(entering: number, p: number, q: number, join: number, delta: number): void {
    const { parent, parentArc, flow } = this;
    flow[entering] = flow[entering]! + delta;
    for (let u = p; u !== join; u = parent[u]!) {
      const arc = parentArc[u]!;
      flow[arc] = this.tail(arc) === u ? flow[arc]! - delta : flow[arc]! + delta;
    }
    for (let u = q; u !== join; u = parent[u]!) {
      const arc = parentArc[u]!;
      flow[arc] = this.tail(arc) === u ? flow[arc]! + delta : flow[arc]! - delta;
    }
  }

  /** Swaps the tree arcs and re-hangs the detached subtree below `newChild`. */
  private replaceArc(
    leaving: number,
    leavingNode: number,
    entering: number,
    newChild: number,
    newParent: number,
  ): void {
    const { adjacent } = this;
    removeFrom(adjacent[leavingNode]!, leaving);
    removeFrom(adjacent[this.parent[leavingNode]!]!, leaving);
    adjacent[this.tail(entering)]!.push(entering);
    adjacent[this.head(entering)]!.push(entering);
    if (leaving < this.realArcs) this.basic[leaving] = 0;
    this.basic[entering] = 1;
    this.hang(newChild, newParent, entering);
    // Depth-first over the detached subtree: new parents, depths and potentials.
    const { stack } = this;
    let top = 0;
    stack[top++] = newChild;
    while (top > 0) {
      const v = stack[--top]!;
      for (const arc of adjacent[v]!) {
        if (arc === this.parentArc[v]) continue;
        const w = this.tail(arc) === v ? this.head(arc) : this.tail(arc);
        this.hang(w, v, arc);
        stack[top++] = w;
      }
    }
  }

  /** Sets the parent of `child`, its depth, and its potential from a zero reduced cost. */
  private hang(child: number, parentNode: number, arc: number): void {
    this.parent[child] = parentNode;
    this.parentArc[child] = arc;
    this.depth[child] = this.depth[parentNode]! + 1;
    const c = this.arcCost(arc);
    this.y[child] = this.tail(arc) === child ? c + this.y[parentNode]! : this.y[parentNode]! - c;
  }

  /**
   * Flows recomputed from the final tree by leaf elimination (each tree arc carries the net supply
   * of the subtree below it), so the marginals hold to the rounding of one subtree sum.
   */
  finalPlan(): PlanEntry[] {
    const order = this.breadthFirstOrder();
    const excess = Float64Array.from(this.supply);
    const plan: PlanEntry[] = [];
    let artificialFlow = 0;
    for (let k = order.length - 1; k > 0; k -= 1) {
      const v = order[k]!;
      const arc = this.parentArc[v]!;
      const f = this.tail(arc) === v ? excess[v]! : -excess[v]!;
      const up = this.parent[v]!;
      excess[up] = excess[up]! + excess[v]!;
      if (arc >= this.realArcs) artificialFlow = Math.max(artificialFlow, Math.abs(f));
      else if (f > 0) plan.push({ i: Math.floor(arc / this.m), j: arc % this.m, mass: f });
    }
    let total = 0;
    for (let i = 0; i < this.n; i += 1) total += this.supply[i]!;
    if (artificialFlow > 1e-9 * total) {
      throw new Error(
        `network simplex: ${artificialFlow} mass left on artificial arcs (internal error)`,
      );
    }
    return plan.sort((e, f) => e.i - f.i || e.j - f.j);
  }

  private breadthFirstOrder(): Int32Array {
    const order = new Int32Array(this.nodes);
    order[0] = this.root;
    let end = 1;
    for (let k = 0; k < end; k += 1) {
      const v = order[k]!;
      for (const arc of this.adjacent[v]!) {
        const w = this.tail(arc) === v ? this.head(arc) : this.tail(arc);
        if (w !== this.parent[v]) order[end++] = w;
      }
    }
    return order;
  }

  /**
   * Throws unless the basis is a strongly feasible spanning tree: flows ≥ 0, every zero-flow tree
   * arc points towards the root, tree arcs have zero reduced cost (up to rounding), and the
   * parent/depth links agree with the adjacency lists.
   */
  verify(): void {
    // n + m arcs reaching every node from the root: a spanning tree.
    const arcs = this.adjacent.reduce((s, list) => s + list.length, 0) / 2;
    const seen = new Uint8Array(this.nodes);
    const queue = [this.root];
    seen[this.root] = 1;
    for (let k = 0; k < queue.length; k += 1) {
      for (const arc of this.adjacent[queue[k]!]!) {
        for (const w of [this.tail(arc), this.head(arc)]) {
          if (!seen[w]) {
            seen[w] = 1;
            queue.push(w);
          }
        }
      }
    }
    if (arcs !== this.nodes - 1 || queue.length !== this.nodes) {
      throw new Error('network simplex: basis is not a spanning tree');
    }
    for (let v = 0; v < this.root; v += 1) {
      const arc = this.parentArc[v]!;
      const up = this.tail(arc) === v;
      const other = up ? this.head(arc) : this.tail(arc);
      if (other !== this.parent[v] || this.depth[v] !== this.depth[other]! + 1) {
        throw new Error(`network simplex: broken parent link at node ${v}`);
      }
      if (this.flow[arc]! < 0 || (this.flow[arc] === 0 && !up)) {
        throw new Error(`network simplex: tree not strongly feasible at node ${v}`);
      }
      const reduced = this.arcCost(arc) - this.y[this.tail(arc)]! + this.y[this.head(arc)]!;
      if (Math.abs(reduced) > this.tolerance) {
        throw new Error(`network simplex: tree arc of node ${v} has reduced cost ${reduced}`);
      }
    }
  }

  duals(): { u: Float64Array; v: Float64Array } {
    const u = this.y.slice(0, this.n);
    const v = this.y.slice(this.n, this.n + this.m).map((value) => -value);
    return { u, v };
  }
}

function removeFrom(list: number[], value: number): void {
  const index = list.indexOf(value);
  if (index < 0) throw new Error('network simplex: tree arc missing (internal error)');
  list[index] = list[list.length - 1]!;
  list.pop();
}
