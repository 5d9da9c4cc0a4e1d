import { describe, expect, it } from 'vitest';
import {
  InfeasibleError,
  solveLinearProgram,
  solveMultiMarginal,
  solveTransport,
} from '../../src/ot/transport-lp';
import { random } from './gaussianFixtures';

const rng = random(99);

function randomSimplex(k: number): number[] {
  const raw = Array.from({ length: k }, () => 0.05 + rng());
  const total = raw.reduce((s, v) => s + v, 0);
  return raw.map((v) => v / total);
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

/** Checks marginals, dual feasibility u_i + v_j ≤ C_ij and zero duality gap. */
function expectCertifiedTransport(a: number[], b: number[], cost: number[][]) {
  const result = solveTransport(a, b, cost);
  const scale = Math.max(...cost.flat().map(Math.abs), 1);
  result.plan.forEach((row, i) => {
    expect(Math.abs(row.reduce((s, v) => s + v, 0) - a[i]!)).toBeLessThan(1e-12);
    row.forEach((v, j) => {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(result.u[i]! + result.v[j]!).toBeLessThanOrEqual(cost[i]![j]! + 1e-10 * scale);
    });
  });
  b.forEach((bj, j) => {
    expect(Math.abs(result.plan.reduce((s, row) => s + row[j]!, 0) - bj)).toBeLessThan(1e-12);
  });
  const primal = result.plan.reduce(
    (s, row, i) => s + row.reduce((t, v, j) => t + v * cost[i]![j]!, 0),
    0,
  );
  const dual =
    a.reduce((s, v, i) => s + v * result.u[i]!, 0) + b.reduce((s, v, j) => s + v * result.v[j]!, 0);
  expect(Math.abs(primal - result.cost)).toBeLessThan(1e-12 * scale);
  expect(Math.abs(primal - dual)).toBeLessThan(1e-10 * scale);
  return result;
}

describe('dense simplex LP', () => {
  it('solves a textbook LP with an inequality turned into a slack', () => {
    // min −x − y s.t. x + 2y + s1 = 4, 3x + y + s2 = 6 → optimum x = 1.6, y = 1.2.
    const result = solveLinearProgram(
      [
        [1, 2, 1, 0],
        [3, 1, 0, 1],
      ],
      [4, 6],
      [-1, -1, 0, 0],
    );
    expect(result.x[0]).toBeCloseTo(1.6, 14);
    expect(result.x[1]).toBeCloseTo(1.2, 14);
    expect(result.objective).toBeCloseTo(-2.8, 14);
    expect(result.duals[0]! * 4 + result.duals[1]! * 6).toBeCloseTo(-2.8, 13);
  });

  it('handles negative right-hand sides and reports infeasibility', () => {
    const result = solveLinearProgram([[-1, -1]], [-2], [1, 3]);
    expect(result.x).toEqual([2, 0]);
    // Dual: max −2y s.t. −y ≤ 1, −y ≤ 3 → y = −1, value 2 = primal.
    expect(result.duals[0]).toBeCloseTo(-1, 14);
    expect(result.objective).toBeCloseTo(2, 14);
    expect(() =>
      solveLinearProgram(
        [
          [1, 1],
          [1, 1],
        ],
        [1, 2],
        [0, 0],
      ),
    ).toThrow(InfeasibleError);
  });
});

describe('exact transport', () => {
  it('matches brute force over permutations for uniform n = m (assignment), n ≤ 6', () => {
    for (let n = 1; n <= 6; n += 1) {
      const cost = Array.from({ length: n }, () => Array.from({ length: n }, () => rng()));
      const uniform = new Array<number>(n).fill(1 / n);
      const best = Math.min(
        ...permutations(n).map((p) => p.reduce((s, j, i) => s + cost[i]![j]!, 0) / n),
      );
      const result = expectCertifiedTransport(uniform, uniform, cost);
      expect(result.cost).toBeCloseTo(best, 13);
    }
  });

  it('is certified optimal (duality gap 0) on random rectangular problems up to 40 × 45', () => {
    for (const [k, l] of [
      [1, 5],
      [3, 7],
      [12, 9],
      [40, 45],
    ] as const) {
      const cost = Array.from({ length: k }, () => Array.from({ length: l }, () => 10 * rng()));
      expectCertifiedTransport(randomSimplex(k), randomSimplex(l), cost);
    }
  });

  it('survives heavy degeneracy (integer costs, equal weights, ties everywhere)', () => {
    const n = 20;
    const cost = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => Math.abs(i - j) % 3),
    );
    const uniform = new Array<number>(n).fill(1 / n);
    expect(expectCertifiedTransport(uniform, uniform, cost).cost).toBeCloseTo(0, 12);
  });

  it('rejects problems above its size limit', () => {
    const big = new Array<number>(60).fill(1 / 60);
    expect(() =>
      solveTransport(
        big,
        big,
        big.map(() => big),
      ),
    ).toThrow(/too large/);
  });
});

describe('exact multi-marginal OT', () => {
  it('equals the two-marginal transport for M = 2', () => {
    const a = randomSimplex(4);
    const b = randomSimplex(5);
    const cost = a.map(() => b.map(() => rng()));
    const multi = solveMultiMarginal([a, b], ([i, j]) => cost[i!]![j!]!);
    expect(multi.cost).toBeCloseTo(solveTransport(a, b, cost).cost, 13);
  });

  it('has the prescribed marginals and a dual certificate for M = 3', () => {
    const marginals = [randomSimplex(3), randomSimplex(4), randomSimplex(2)];
    const table = new Map<string, number>();
    const cost = (t: readonly number[]) => {
      const key = t.join();
      if (!table.has(key)) table.set(key, rng());
      return table.get(key)!;
    };
    const result = solveMultiMarginal(marginals, cost);
    expect(result.tuples).toBe(24);
    marginals.forEach((w, m) => {
      w.forEach((wk, k) => {
        const mass = result.support
          .filter((e) => e.indices[m] === k)
          .reduce((s, e) => s + e.mass, 0);
        expect(Math.abs(mass - wk)).toBeLessThan(1e-12);
      });
    });
    for (let i = 0; i < 3; i += 1)
      for (let j = 0; j < 4; j += 1)
        for (let k = 0; k < 2; k += 1) {
          const dualSum = result.duals[0]![i]! + result.duals[1]![j]! + result.duals[2]![k]!;
          expect(dualSum).toBeLessThanOrEqual(cost([i, j, k]) + 1e-11);
        }
    const dual = result.duals.reduce(
      (s, y, m) => s + y.reduce((t, v, k) => t + v * marginals[m]![k]!, 0),
      0,
    );
    expect(dual).toBeCloseTo(result.cost, 12);
    // A vertex of the polytope: at most Σ K_m − M + 1 = 7 tuples carry mass.
    expect(result.support.length).toBeLessThanOrEqual(7);
  });
});
