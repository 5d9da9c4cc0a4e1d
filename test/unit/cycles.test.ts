/**
 * Monge maps by exhaustive search, mass moved around cycles, and cycle cancelling down to the
 * network simplex optimum (c-cyclical monotonicity ⇒ optimality, seed 004).
 */
import { describe, expect, it } from 'vitest';
import { hungarian } from '../../src/ot/exact/assignment';
import { cyclicalMonotonicity, marginalErrors } from '../../src/ot/exact/checks';
import {
  cancelViolatingCycle,
  isMapPlan,
  mapPlan,
  mongeMaps,
  pushAroundCycle,
  rectangleShift,
} from '../../src/ot/exact/cycles';
import { networkSimplex } from '../../src/ot/exact/networkSimplex';
import {
  costMatrixFromPoints,
  densePlan,
  northWestCorner,
  planCost,
  sparsePlan,
  type CostMatrix,
} from '../../src/ot/exact/problem';
import { seededRandom } from '../../src/ot/random';
import { InputError } from '../../src/ot/validate';

type Random = () => number;

function weights(random: Random, n: number): number[] {
  const w = Array.from({ length: n }, () => 0.1 + random());
  const total = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / total);
}

function cloud(random: Random, n: number): number[][] {
  return Array.from({ length: n }, () => [random(), random()]);
}

function cost(C: CostMatrix, plan: Float64Array): number {
  return planCost(C, sparsePlan(plan, C.n, C.m));
}

describe('Monge maps', () => {
  const C: CostMatrix = { n: 1, m: 2, values: Float64Array.from([1, 2]) };

  it('finds none when one atom must split between two targets', () => {
    expect(mongeMaps([1], [0.5, 0.5], C)).toEqual({ count: 0, best: undefined });
  });

  it('for uniform weights the maps are the permutations and the best is the assignment', () => {
    const random = seededRandom(4);
    for (let n = 2; n <= 6; n += 1) {
      const costs = costMatrixFromPoints(
        { kind: 'sqeuclidean' },
        cloud(random, n),
        cloud(random, n),
      );
      const maps = mongeMaps(new Array(n).fill(1 / n), new Array(n).fill(1 / n), costs);
      expect(maps.count).toBe([...Array(n).keys()].reduce((f, k) => f * (k + 1), 1));
      expect(maps.best!.cost).toBeCloseTo(hungarian(costs).cost / n, 12);
      const plan = mapPlan(new Array(n).fill(1 / n), maps.best!.map, n);
      expect(isMapPlan(plan, n, n)).toBe(true);
    }
  });

  it('costs at least the Kantorovich optimum, with equality when a map is optimal', () => {
    const a = [0.5, 0.25, 0.25];
    const b = [0.25, 0.5, 0.25];
    const random = seededRandom(8);
    const costs = costMatrixFromPoints({ kind: 'sqeuclidean' }, cloud(random, 3), cloud(random, 3));
    const maps = mongeMaps(a, b, costs);
    const kantorovich = networkSimplex({ a, b, C: costs }).cost;
    expect(maps.count).toBeGreaterThan(0);
    expect(maps.best!.cost).toBeGreaterThanOrEqual(kantorovich - 1e-12);
    // Count by hand: a_0 = ½ must go to target 1 alone; atoms 1 and 2 fill targets 0 and 2.
    expect(maps.count).toBe(2);
  });

  it('refuses searches that are too large', () => {
    const big: CostMatrix = { n: 9, m: 5, values: new Float64Array(45) };
    expect(() => mongeMaps(new Array(9).fill(1 / 9), new Array(5).fill(0.2), big)).toThrow(
      InputError,
    );
  });
});

describe('cycles in plans', () => {
  it('moving mass around a cycle keeps the marginals and changes the cost by amount × gain', () => {
    const random = seededRandom(12);
    const a = weights(random, 4);
    const b = weights(random, 3);
    const C = costMatrixFromPoints({ kind: 'sqeuclidean' }, cloud(random, 4), cloud(random, 3));
    const optimal = densePlan(networkSimplex({ a, b, C }).plan, 4, 3);
    const support = sparsePlan(optimal, 4, 3);
    const from = support[0]!;
    const to = support.find((e) => e.i !== from.i && e.j !== from.j)!;
    const { plan, moved } = rectangleShift(optimal, 3, from, to, 1);
    expect(moved).toBeCloseTo(Math.min(from.mass, to.mass), 15);
    expect(marginalErrors(sparsePlan(plan, 4, 3), a, b).max).toBeLessThan(1e-15);
    const expectedChange =
      moved *
      (C.values[from.i * 3 + to.j]! +
        C.values[to.i * 3 + from.j]! -
        C.values[from.i * 3 + from.j]! -
        C.values[to.i * 3 + to.j]!);
    expect(cost(C, plan) - cost(C, optimal)).toBeCloseTo(expectedChange, 14);
    // The optimum cannot be improved: the shift costs more, and its support is not monotone.
    expect(cost(C, plan)).toBeGreaterThanOrEqual(cost(C, optimal) - 1e-15);
    expect(() => rectangleShift(optimal, 3, from, { i: from.i, j: to.j }, 0.1)).toThrow(
      /differ in both/,
    );
  });

  it('pushAroundCycle follows the rematching direction of cyclicalMonotonicity', () => {
    const plan = Float64Array.from([0.5, 0, 0, 0.5]);
    const next = pushAroundCycle(
      plan,
      2,
      [
        { i: 0, j: 0 },
        { i: 1, j: 1 },
      ],
      0.2,
    );
    expect([...next]).toEqual([0.3, 0.2, 0.2, 0.3]);
  });

  it('cycle cancelling from the north-west corner reaches the optimal cost', () => {
    const random = seededRandom(2024);
    for (let trial = 0; trial < 25; trial += 1) {
      const n = 2 + (trial % 5);
      const m = 2 + ((trial * 3) % 5);
      const a = weights(random, n);
      const b = weights(random, m);
      const kind = trial % 2 === 0 ? 'sqeuclidean' : 'euclidean';
      const C = costMatrixFromPoints({ kind }, cloud(random, n), cloud(random, m));
      let plan = densePlan(northWestCorner(a, b), n, m);
      let previous = cost(C, plan);
      let steps = 0;
      for (let step = cancelViolatingCycle(plan, C); step; step = cancelViolatingCycle(plan, C)) {
        expect(step.gain).toBeGreaterThan(0);
        expect(step.amount).toBeGreaterThan(0);
        const next = cost(C, step.plan);
        expect(previous - next).toBeCloseTo(step.gain * step.amount, 12);
        expect(next).toBeLessThan(previous);
        plan = step.plan;
        previous = next;
        steps += 1;
        expect(steps).toBeLessThan(60);
      }
      expect(cyclicalMonotonicity(sparsePlan(plan, n, m), C).monotone).toBe(true);
      expect(marginalErrors(sparsePlan(plan, n, m), a, b).max).toBeLessThan(1e-12);
      expect(cost(C, plan)).toBeCloseTo(networkSimplex({ a, b, C }).cost, 12);
    }
  });

  it('the north-west corner plan fills rows in order and has the right marginals', () => {
    const cells = northWestCorner([0.5, 0.5], [0.25, 0.25, 0.5]);
    expect(cells).toEqual([
      { i: 0, j: 0, mass: 0.25 },
      { i: 0, j: 1, mass: 0.25 },
      { i: 1, j: 1, mass: 0 },
      { i: 1, j: 2, mass: 0.5 },
    ]);
  });
});
