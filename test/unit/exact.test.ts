import { describe, expect, it } from 'vitest';
import { emdCli } from '../../src/cli/emd';
import { hungarian } from '../../src/ot/exact/assignment';
import {
  complementarySlackness,
  cyclicalMonotonicity,
  dualFeasibility,
  marginalErrors,
} from '../../src/ot/exact/checks';
import { networkSimplex } from '../../src/ot/exact/networkSimplex';
import {
  powerProfile,
  transport1D,
  wasserstein1D,
  type CostProfile,
} from '../../src/ot/exact/oneDimensional';
import {
  costAt,
  costMatrixFromPoints,
  densePlan,
  dualObjective,
  IterationLimitError,
  requireCostMatrix,
  type CostMatrix,
  type ExactSolution,
  type PlanEntry,
} from '../../src/ot/exact/problem';
import { InputError } from '../../src/ot/validate';
import { seededRandom } from '../../src/ot/random';
import { solveTransport } from '../../src/ot/transport-lp';

type Random = () => number;

const uniform = (n: number) => new Array<number>(n).fill(1 / n);

function randomWeights(random: Random, n: number, zeroShare = 0): number[] {
  const w = Array.from({ length: n }, () => (random() < zeroShare ? 0 : 0.05 + random()));
  if (!w.some((v) => v > 0)) w[0] = 1;
  const total = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / total);
}

function randomMatrix(random: Random, n: number, m: number): CostMatrix {
  return { n, m, values: Float64Array.from({ length: n * m }, () => random()) };
}

function randomCloud(random: Random, count: number, d: number): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: d }, random));
}

/** Every permutation of 0..n−1 (Heap's algorithm). */
function permutations(n: number): number[][] {
  const result: number[][] = [];
  const p = Array.from({ length: n }, (_, k) => k);
  const generate = (k: number) => {
    if (k <= 1) {
      result.push([...p]);
      return;
    }
    for (let i = 0; i < k; i += 1) {
      generate(k - 1);
      const swap = k % 2 === 0 ? i : 0;
      [p[swap], p[k - 1]] = [p[k - 1]!, p[swap]!];
    }
  };
  generate(n);
  return result;
}

function bruteForceAssignment(C: CostMatrix): number {
  let best = Infinity;
  for (const sigma of permutations(C.n)) {
    best = Math.min(
      best,
      sigma.reduce((s, j, i) => s + costAt(C, i, j), 0),
    );
  }
  return best;
}

/**
 * Independent reference: the minimum over all vertices of the transportation polytope. Each vertex
 * is the unique flow on some spanning tree of K_{n,m} (n + m − 1 cells), so enumerate the cell
 * subsets, keep the spanning trees whose leaf-eliminated flows are ≥ 0, and take the cheapest.
 */
function vertexEnumeration(a: number[], b: number[], C: CostMatrix): number {
  const { n, m } = C;
  const size = n + m - 1;
  let best = Infinity;
  const chosen: number[] = [];
  const visit = (start: number) => {
    if (chosen.length === size) {
      const cost = treeFlowCost(chosen, a, b, C);
      if (cost !== undefined) best = Math.min(best, cost);
      return;
    }
    for (let cell = start; cell <= n * m - (size - chosen.length); cell += 1) {
      chosen.push(cell);
      visit(cell + 1);
      chosen.pop();
    }
  };
  visit(0);
  return best;
}

function treeFlowCost(
  cells: number[],
  a: number[],
  b: number[],
  C: CostMatrix,
): number | undefined {
  const { n, m } = C;
  const excess = [...a, ...b.map((w) => -w)];
  const edges = cells.map((cell) => ({ p: Math.floor(cell / m), q: n + (cell % m), cell }));
  let cost = 0;
  while (edges.length > 0) {
    const degree = new Array<number>(n + m).fill(0);
    for (const { p, q } of edges) {
      degree[p] = degree[p]! + 1;
      degree[q] = degree[q]! + 1;
    }
    const leafEdge = edges.findIndex(({ p, q }) => degree[p] === 1 || degree[q] === 1);
    if (leafEdge < 0) return undefined; // contains a cycle: not a tree
    const { p, q, cell } = edges[leafEdge]!;
    const flow = degree[p] === 1 ? excess[p]! : -excess[q]!;
    if (flow < -1e-12) return undefined;
    excess[p] = excess[p]! - flow;
    excess[q] = excess[q]! + flow;
    cost += flow * C.values[cell]!;
    edges.splice(leafEdge, 1);
  }
  return excess.every((e) => Math.abs(e) < 1e-12) ? cost : undefined;
}

/** The full certificate: marginals, dual feasibility, complementary slackness, strong duality. */
function expectCertified(
  solution: ExactSolution,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  C: CostMatrix,
  tolerance = 1e-12,
) {
  const scale = Math.max(1, ...C.values.map(Math.abs));
  expect(marginalErrors(solution.plan, a, b).max).toBeLessThan(tolerance);
  expect(dualFeasibility(C, solution.u, solution.v).worst).toBeLessThan(tolerance * scale);
  expect(complementarySlackness(solution.plan, C, solution.u, solution.v).worst).toBeLessThan(
    tolerance * scale,
  );
  expect(Math.abs(dualObjective(a, b, solution.u, solution.v) - solution.cost)).toBeLessThan(
    tolerance * scale,
  );
  for (const { mass } of solution.plan) expect(mass).toBeGreaterThan(0);
}

function expectInputError(action: () => unknown, field: string) {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe(field);
    return;
  }
  throw new Error(`expected an InputError naming ${field}`);
}

const matrix = (rows: number[][]) => requireCostMatrix(rows, 'C');

describe('network simplex: hand-computed cases', () => {
  it('keeps the identity when moving costs 1', () => {
    const C = matrix([
      [0, 1],
      [1, 0],
    ]);
    const s = networkSimplex({ a: [0.5, 0.5], b: [0.5, 0.5], C });
    expect(s.cost).toBe(0);
    expect(s.plan).toEqual([
      { i: 0, j: 0, mass: 0.5 },
      { i: 1, j: 1, mass: 0.5 },
    ]);
    expectCertified(s, [0.5, 0.5], [0.5, 0.5], C);
  });

  it('solves a non-normalised 2 x 2 problem (cost 15, unique plan)', () => {
    // Column 0 (1 unit) from row 0 at 1; row 0's other 2 units and row 1's 2 go to column 1:
    // 1 + 2·5 + 2·2 = 15; the alternative (row 1 → column 0) costs 21.
    const C = matrix([
      [1, 5],
      [4, 2],
    ]);
    const s = networkSimplex({ a: [3, 2], b: [1, 4], C });
    expect(s.cost).toBeCloseTo(15, 12);
    expect(densePlan(s.plan, 2, 2)).toEqual(Float64Array.from([1, 2, 0, 2]));
    // Duals are fixed up to the gauge: u_0 − u_1 = 3, v_0 = 1 − u_0, v_1 = 5 − u_0.
    expect(s.u[0]! - s.u[1]!).toBeCloseTo(3, 12);
    expectCertified(s, [3, 2], [1, 4], C);
  });

  it('finds the cost of a 2 x 3 problem with tied optimal plans (1.7)', () => {
    // Options: row 1 → column 2 (0.4·2) + row 0 → columns 0, 1 (0.3 + 0.6) = 1.7, or
    // 0.3·1 + 0.1·2 + 0.3·1 + 0.3·3 = 1.7: the exchange cycle has zero gain.
    const C = matrix([
      [1, 2, 3],
      [3, 1, 2],
    ]);
    const a = [0.6, 0.4];
    const b = [0.3, 0.3, 0.4];
    const s = networkSimplex({ a, b, C });
    expect(s.cost).toBeCloseTo(1.7, 12);
    expectCertified(s, a, b, C);
  });
});

describe('network simplex against independent references', () => {
  it('equals brute force over all permutations and the Hungarian method (n <= 6)', () => {
    const random = seededRandom(11);
    for (let n = 1; n <= 6; n += 1) {
      for (let trial = 0; trial < 3; trial += 1) {
        const C = randomMatrix(random, n, n);
        const best = bruteForceAssignment(C);
        const ns = networkSimplex({ a: uniform(n), b: uniform(n), C });
        const h = hungarian(C);
        expect(Math.abs(ns.cost - best / n)).toBeLessThan(1e-14);
        expect(Math.abs(h.cost - best)).toBeLessThan(1e-13);
        expectCertified(ns, uniform(n), uniform(n), C);
      }
    }
  });

  it('equals the Hungarian method on random uniform square problems', () => {
    const random = seededRandom(12);
    for (const [n, d] of [
      [7, 1],
      [25, 2],
      [60, 3],
      [150, 2],
    ] as const) {
      const C = costMatrixFromPoints(
        { kind: 'sqeuclidean' },
        randomCloud(random, n, d),
        randomCloud(random, n, d),
      );
      const ns = networkSimplex({ a: uniform(n), b: uniform(n), C });
      const h = hungarian(C);
      expect(Math.abs(ns.cost - h.cost / n)).toBeLessThan(1e-12 * h.cost);
      expectCertified(ns, uniform(n), uniform(n), C);
    }
  });

  it('equals the minimum over all vertices of the transportation polytope (n x m <= 4 x 4)', () => {
    const random = seededRandom(13);
    for (const [n, m] of [
      [2, 3],
      [3, 3],
      [3, 4],
      [4, 2],
      [4, 4],
    ] as const) {
      const a = randomWeights(random, n);
      const b = randomWeights(random, m);
      const C = randomMatrix(random, n, m);
      const ns = networkSimplex({ a, b, C });
      expect(Math.abs(ns.cost - vertexEnumeration(a, b, C))).toBeLessThan(1e-14);
      expectCertified(ns, a, b, C);
    }
  });

  it('equals the dense tableau LP of src/ot/transport-lp.ts (another implementation)', () => {
    const random = seededRandom(18);
    for (const [n, m] of [
      [6, 9],
      [12, 10],
    ] as const) {
      const a = randomWeights(random, n, 0.15);
      const b = randomWeights(random, m, 0.15);
      const C = randomMatrix(random, n, m);
      const rows = Array.from({ length: n }, (_, i) =>
        Array.from(C.values.subarray(i * m, (i + 1) * m)),
      );
      const lp = solveTransport(a, b, rows);
      const ns = networkSimplex({ a, b, C });
      expect(Math.abs(ns.cost - lp.cost)).toBeLessThan(1e-10);
    }
  });

  it('equals the 1D sorting solution for convex costs and general weights', () => {
    const random = seededRandom(14);
    const profiles: [string, CostProfile][] = [
      ['|d|', powerProfile(1)],
      ['d^2', powerProfile(2)],
      ['|d|^1.5', powerProfile(1.5)],
    ];
    for (const [name, h] of profiles) {
      for (const [n, m] of [
        [5, 8],
        [40, 30],
        [120, 120],
      ] as const) {
        // Few distinct values: duplicate points and ties in the costs.
        const x = Array.from({ length: n }, () => Math.round(random() * 20) / 10);
        const y = Array.from({ length: m }, () => Math.round(random() * 20) / 10 + 0.3);
        const a = randomWeights(random, n, 0.1);
        const b = randomWeights(random, m, 0.1);
        const C: CostMatrix = {
          n,
          m,
          values: Float64Array.from({ length: n * m }, (_, k) =>
            h(x[Math.floor(k / m)]! - y[k % m]!),
          ),
        };
        const ns = networkSimplex({ a, b, C });
        const line = transport1D({ x, y, a, b }, h);
        expect(Math.abs(ns.cost - line.cost), `${name} ${n}x${m}`).toBeLessThan(1e-12);
        expectCertified(ns, a, b, C);
        // The staircase duals certify the sorting plan on their own (Monge property of h convex).
        expectCertified(line, a, b, C);
      }
    }
  });

  it('certifies random rectangular problems with zero weights (strong duality, slackness)', () => {
    const random = seededRandom(15);
    for (const [n, m, d, zeros] of [
      [30, 50, 2, 0],
      [80, 45, 3, 0.2],
      [200, 170, 2, 0.05],
    ] as const) {
      const a = randomWeights(random, n, zeros);
      const b = randomWeights(random, m, zeros);
      const C = costMatrixFromPoints(
        { kind: 'pq', p: 1.5, q: 1.5 },
        randomCloud(random, n, d),
        randomCloud(random, m, d),
      );
      const s = networkSimplex({ a, b, C });
      expectCertified(s, a, b, C);
      expect(cyclicalMonotonicity(s.plan, C).monotone).toBe(true);
      // A vertex: at most n + m − 1 cells carry mass.
      expect(s.plan.length).toBeLessThanOrEqual(n + m - 1);
    }
  });
});

describe('network simplex: degenerate cases', () => {
  it('handles a single source or a single target', () => {
    const C = matrix([[3, 1, 2]]);
    const one = networkSimplex({ a: [1], b: [0.2, 0.3, 0.5], C });
    expect(one.cost).toBeCloseTo(0.6 + 0.3 + 1, 14);
    expectCertified(one, [1], [0.2, 0.3, 0.5], C);
    const Ct = matrix([[3], [1], [2]]);
    const other = networkSimplex({ a: [0.2, 0.3, 0.5], b: [1], C: Ct });
    expect(other.cost).toBeCloseTo(1.9, 14);
    const single = networkSimplex({ a: [2], b: [2], C: matrix([[4]]) });
    expect(single.plan).toEqual([{ i: 0, j: 0, mass: 2 }]);
    expect(single.cost).toBe(8);
  });

  it('handles zero weights, duplicate points and constant costs', () => {
    const x = [[0], [0], [1], [1]];
    const y = [[0], [1], [1]];
    const C = costMatrixFromPoints({ kind: 'sqeuclidean' }, x, y);
    const a = [0.25, 0, 0.5, 0.25];
    const b = [0.25, 0, 0.75];
    const s = networkSimplex({ a, b, C });
    expect(s.cost).toBe(0);
    expectCertified(s, a, b, C);
    for (const { i, j } of s.plan) expect(a[i]! > 0 && b[j]! > 0).toBe(true);

    const flat: CostMatrix = { n: 5, m: 4, values: new Float64Array(20).fill(2.5) };
    const t = networkSimplex({ a: uniform(5), b: uniform(4), C: flat });
    expect(t.cost).toBeCloseTo(2.5, 14);
    expectCertified(t, uniform(5), uniform(4), flat);
    const zero: CostMatrix = { n: 3, m: 3, values: new Float64Array(9) };
    expect(networkSimplex({ a: uniform(3), b: uniform(3), C: zero }).cost).toBe(0);
  });

  it('keeps a strongly feasible tree through degenerate pivots', () => {
    // Uniform weights and integer costs with many ties: most pivots are degenerate.
    const random = seededRandom(19);
    for (const n of [5, 12, 30]) {
      const C: CostMatrix = {
        n,
        m: n,
        values: Float64Array.from({ length: n * n }, () => Math.floor(random() * 4)),
      };
      const s = networkSimplex({ a: uniform(n), b: uniform(n), C }, { checkInvariants: true });
      expect(Math.abs(s.cost - hungarian(C).cost / n)).toBeLessThan(1e-14);
      const b = randomWeights(random, n, 0.3);
      const t = networkSimplex({ a: b, b: [...b].reverse(), C }, { checkInvariants: true });
      expectCertified(t, b, [...b].reverse(), C);
    }
  });

  it('accepts totals equal within the tolerance and rescales b', () => {
    const C = randomMatrix(seededRandom(16), 3, 3);
    const s = networkSimplex({ a: [0.2, 0.3, 0.5], b: [0.3333333, 0.3333333, 0.3333333], C });
    expect(marginalErrors(s.plan, [0.2, 0.3, 0.5], uniform(3)).max).toBeLessThan(1e-12);
  });

  it('stops at the iteration cap with a clear error', () => {
    const C = randomMatrix(seededRandom(17), 10, 10);
    expect(() =>
      networkSimplex({ a: uniform(10), b: uniform(10), C }, { maxIterations: 2 }),
    ).toThrow(IterationLimitError);
  });
});

describe('network simplex: bad input', () => {
  const C = [
    [0, 1],
    [1, 0],
  ];
  it('names the offending field', () => {
    expectInputError(() => networkSimplex({ a: [0.5, 0.5, 0], b: [0.5, 0.5], C }), 'a');
    expectInputError(() => networkSimplex({ a: [0.5, Number.NaN], b: [0.5, 0.5], C }), 'a[1]');
    expectInputError(() => networkSimplex({ a: [0.5, 0.5], b: [1.5, -0.5], C }), 'b[1]');
    expectInputError(() => networkSimplex({ a: [0, 0], b: [0.5, 0.5], C }), 'a');
    expectInputError(() => networkSimplex({ a: [0.5, 0.5], b: [0.5, 0.6], C }), 'b');
    expectInputError(
      () => networkSimplex({ a: [0.5, 0.5], b: [0.5, 0.5], C: [[0, 1], [1]] }),
      'C[1]',
    );
    expectInputError(
      () =>
        networkSimplex({
          a: [0.5, 0.5],
          b: [0.5, 0.5],
          C: [
            [0, Infinity],
            [1, 0],
          ],
        }),
      'C[0][1]',
    );
    expectInputError(() => networkSimplex({ a: [1], b: [1], C: [] }), 'C');
    expectInputError(
      () => networkSimplex({ a: [0.5, 0.5], b: [0.5, 0.5], C }, { maxIterations: 0 }),
      'maxIterations',
    );
    expectInputError(() => hungarian([[1, 2]]), 'C');
    expectInputError(() => transport1D({ x: [0, 1], y: [0], a: [0.5] }, powerProfile(2)), 'a');
    expectInputError(() => wasserstein1D({ x: [0], y: [1] }, 0.5), 'p');
  });
});

describe('Hungarian assignment', () => {
  it('returns a permutation with tight feasible duals', () => {
    const random = seededRandom(21);
    const C = randomMatrix(random, 40, 40);
    const { permutation, cost, u, v } = hungarian(C);
    expect([...permutation].sort((p, q) => p - q)).toEqual(Array.from({ length: 40 }, (_, k) => k));
    const plan = Array.from(permutation, (j, i) => ({ i, j, mass: 1 }));
    const ones = new Array<number>(40).fill(1);
    expectCertified({ n: 40, m: 40, plan, cost, u, v, iterations: 0 }, ones, ones, C);
  });

  it('solves ties and a hand-made anti-diagonal', () => {
    const C = matrix([
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ]);
    // Classic example: 1 + 2 + 2 = 5 via (0,1), (1,0), (2,2).
    const h = hungarian(C);
    expect(h.cost).toBe(5);
    expect(Array.from(h.permutation)).toEqual([1, 0, 2]);
    expect(hungarian({ n: 4, m: 4, values: new Float64Array(16).fill(1) }).cost).toBe(4);
  });
});

describe('1D exact OT and W_p', () => {
  it('solves a hand-computed example with unequal weights', () => {
    // Sorted supports: x = 0 (0.5), 1 (0.5); y = 0.5 (0.25), 2 (0.75).
    // North-west corner: (0, 0.5) 0.25, (0, 2) 0.25, (1, 2) 0.5; |d|: 0.125 + 0.5 + 0.5 = 1.125.
    const s = transport1D(
      { x: [1, 0], y: [2, 0.5], a: [0.5, 0.5], b: [0.75, 0.25] },
      powerProfile(1),
    );
    expect(s.cost).toBeCloseTo(1.125, 14);
    expect(s.plan).toEqual([
      { i: 0, j: 0, mass: 0.5 },
      { i: 1, j: 0, mass: 0.25 },
      { i: 1, j: 1, mass: 0.25 },
    ]);
  });

  it('matches the CDF formula W_1 = ∫|F − G| and closed forms of W_p', () => {
    const random = seededRandom(22);
    for (let trial = 0; trial < 5; trial += 1) {
      const x = Array.from({ length: 30 }, random);
      const y = Array.from({ length: 17 }, () => 2 * random());
      const a = randomWeights(random, 30, 0.1);
      const b = randomWeights(random, 17, 0.1);
      const grid = [...x, ...y].sort((p, q) => p - q);
      const cdf = (points: number[], w: number[], t: number) =>
        points.reduce((s, p, k) => (p <= t ? s + w[k]! : s), 0);
      let integral = 0;
      for (let k = 0; k + 1 < grid.length; k += 1) {
        integral += Math.abs(cdf(x, a, grid[k]!) - cdf(y, b, grid[k]!)) * (grid[k + 1]! - grid[k]!);
      }
      expect(Math.abs(wasserstein1D({ x, y, a, b }, 1) - integral)).toBeLessThan(1e-12);
      const w2 = wasserstein1D({ x, y, a, b }, 2);
      expect(Math.abs(w2 ** 2 - transport1D({ x, y, a, b }, powerProfile(2)).cost)).toBeLessThan(
        1e-12,
      );
      // Translation: W_p(μ, μ + c) = |c| for every p.
      const shifted = x.map((p) => p + 0.7);
      expect(wasserstein1D({ x, y: shifted, a, b: a }, 3)).toBeCloseTo(0.7, 12);
    }
    expect(wasserstein1D({ x: [0], y: [3] }, 2.5)).toBeCloseTo(3, 14);
  });
});

describe('optimality checks', () => {
  it('detects a crossing as a 2-cycle', () => {
    const C = costMatrixFromPoints({ kind: 'sqeuclidean' }, [[0], [1]], [[0], [1]]);
    const crossed: PlanEntry[] = [
      { i: 0, j: 1, mass: 0.5 },
      { i: 1, j: 0, mass: 0.5 },
    ];
    const result = cyclicalMonotonicity(crossed, C);
    expect(result.monotone).toBe(false);
    expect(result.method).toBe('two-cycle');
    expect(result.gain).toBeCloseTo(2, 14);
    expect(result.cycle).toEqual([
      { i: 0, j: 1 },
      { i: 1, j: 0 },
    ]);
    const straight = [
      { i: 0, j: 0, mass: 0.5 },
      { i: 1, j: 1, mass: 0.5 },
    ];
    expect(cyclicalMonotonicity(straight, C).monotone).toBe(true);
  });

  it('finds a 3-cycle that no 2-cycle reveals (Bellman-Ford)', () => {
    // Identity plan; every swap costs more (1 + 1 ≤ 0 + 3) but 0 → 1 → 2 → 0 saves 3.
    const C = matrix([
      [1, 0, 3],
      [3, 1, 0],
      [0, 3, 1],
    ]);
    const identity = [0, 1, 2].map((k) => ({ i: k, j: k, mass: 1 / 3 }));
    const result = cyclicalMonotonicity(identity, C);
    expect(result.monotone).toBe(false);
    expect(result.method).toBe('bellman-ford');
    expect(result.cycle).toHaveLength(3);
    expect(result.gain).toBeCloseTo(3, 14);
    expect(cyclicalMonotonicity(identity, C, { maxPairSearch: 0 }).monotone).toBe(false);
  });

  it('agrees with brute force: a permutation is monotone iff it is optimal', () => {
    const random = seededRandom(23);
    let violations = 0;
    for (let trial = 0; trial < 40; trial += 1) {
      const n = 3 + (trial % 4);
      const C = randomMatrix(random, n, n);
      const best = bruteForceAssignment(C);
      const sigma = permutations(n)[Math.floor(random() * permutations(n).length)]!;
      const cost = sigma.reduce((s, j, i) => s + costAt(C, i, j), 0);
      const plan = sigma.map((j, i) => ({ i, j, mass: 1 / n }));
      const result = cyclicalMonotonicity(plan, C, { maxPairSearch: trial % 2 === 0 ? 0 : 3000 });
      expect(result.monotone).toBe(cost - best < 1e-12);
      if (!result.monotone) {
        violations += 1;
        // Rematching along the returned cycle really lowers the cost by `gain`.
        const rematched = [...sigma];
        result.cycle!.forEach(
          ({ i }, t) => (rematched[i] = result.cycle![(t + 1) % result.cycle!.length]!.j),
        );
        const newCost = rematched.reduce((s, j, i) => s + costAt(C, i, j), 0);
        expect(cost - newCost).toBeCloseTo(result.gain!, 12);
      }
    }
    expect(violations).toBeGreaterThan(10);
  });

  it('reports marginal errors, infeasible duals and slackness gaps', () => {
    const C = matrix([
      [0, 1],
      [1, 0],
    ]);
    const plan = [{ i: 0, j: 0, mass: 0.7 }];
    expect(marginalErrors(plan, [0.5, 0.5], [0.5, 0.5])).toEqual({
      rowL1: Math.abs(0.7 - 0.5) + 0.5,
      columnL1: Math.abs(0.7 - 0.5) + 0.5,
      max: 0.5,
    });
    expect(dualFeasibility(C, [1, 0], [0.5, 0])).toEqual({ worst: 1.5, i: 0, j: 0 });
    expect(complementarySlackness(plan, C, [0.25, 0], [0, 0]).worst).toBe(0.25);
  });
});

describe('otlab emd', () => {
  it('solves points with each method and reports the certificate', async () => {
    const random = seededRandom(31);
    const x = randomCloud(random, 12, 1);
    const y = randomCloud(random, 12, 1);
    const costs: number[] = [];
    for (const method of ['auto', 'network-simplex', 'hungarian', '1d']) {
      const output = (await emdCli.run(emdCli.parse({ x, y, method }), {
        backend: 'cpu',
        gpu: () => Promise.reject(new Error('no GPU needed')),
      })) as {
        method: string;
        cost: number;
        plan: number[][];
        marginalError: { max: number };
        dualFeasibilityViolation: number;
      };
      expect(output.method).toBe(method === 'auto' ? '1d' : method);
      expect(output.plan.length).toBeGreaterThanOrEqual(12);
      expect(output.marginalError.max).toBeLessThan(1e-12);
      expect(output.dualFeasibilityViolation).toBeLessThan(1e-12);
      costs.push(output.cost);
    }
    for (const cost of costs) expect(cost).toBeCloseTo(costs[0]!, 12);
  });

  it('accepts a cost matrix and rejects bad input naming the field', () => {
    const C = [
      [0, 2],
      [2, 0],
    ];
    const parsed = emdCli.parse({ C, a: [1, 1], b: [1, 1] }) as { method: string };
    expect(parsed.method).toBe('network-simplex');
    expectInputError(() => emdCli.parse({ C, x: [[0]] }), 'C');
    expectInputError(() => emdCli.parse({ C, cost: 'euclidean' }), 'cost');
    expectInputError(() => emdCli.parse({ C, method: '1d' }), 'method');
    expectInputError(() => emdCli.parse({ C, method: 'simplex' }), 'method');
    expectInputError(() => emdCli.parse({ C, a: [0.2, 0.8], method: 'hungarian' }), 'method');
    expectInputError(() => emdCli.parse({ x: [[0], [1]], y: [[0, 1]] }), 'y');
    expectInputError(
      () => emdCli.parse({ x: [[0]], y: [[1]], cost: { kind: 'coulomb', eta: 0.1 }, method: '1d' }),
      'method',
    );
    expectInputError(() => emdCli.parse({ x: [[0]], y: [[1]], b: [2] }), 'b');
    expectInputError(() => emdCli.parse({ C, maxIterations: 1.5 }), 'maxIterations');
  });
});
