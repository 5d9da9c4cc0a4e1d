import { describe, expect, it } from 'vitest';
import {
  cTransformGap,
  hardCTransform,
  planFromPotentials,
  sinkhornPlanTopK,
  softCTransform,
  type SinkhornProblem,
} from '../../src/ot/sinkhorn';
import { seededRandom } from '../../src/ot/random';
import { createSinkhornSolver } from '../../src/solvers/sinkhorn';

// x = {0, 1}, y = {0, 2} on the line, C = |x − y|² = [[0, 4], [1, 1]], ε = 1.
const tiny: SinkhornProblem = {
  x: [[0], [1]],
  y: [[0], [2]],
  a: [0.5, 0.5],
  b: [0.5, 0.5],
  epsilon: 1,
  cost: { kind: 'sqeuclidean' },
};

describe('sinkhornPlanTopK', () => {
  it('gives hand-computed entries, heaviest first, ties to the smaller j', () => {
    const top = sinkhornPlanTopK(tiny, [0, 0], [0, 0], 2);
    expect(top.k).toBe(2);
    expect(Array.from(top.index)).toEqual([0, 1, 0, 1]);
    const expected = [0.25, 0.25 * Math.exp(-4), 0.25 * Math.exp(-1), 0.25 * Math.exp(-1)];
    top.mass.forEach((v, s) => {
      expect(v).toBeCloseTo(expected[s]!, 15);
    });
    // f, g shift the masses: P_ij = a_i b_j exp((f_i + g_j − C_ij)/ε).
    const shifted = sinkhornPlanTopK(tiny, [1, 0], [0, 5], 1);
    expect(Array.from(shifted.index)).toEqual([1, 1]);
    expect(shifted.mass[0]).toBeCloseTo(0.25 * Math.exp(1 + 5 - 4), 12);
    expect(shifted.mass[1]).toBeCloseTo(0.25 * Math.exp(5 - 1), 12);
  });

  it('clamps k to m, fills rows of zero-weight columns and zeroes zero-weight rows', () => {
    const top = sinkhornPlanTopK({ ...tiny, a: [1, 0], b: [0, 1] }, [0, 0], [0, 0], 5);
    expect(top.k).toBe(2);
    expect(Array.from(top.index)).toEqual([1, 0, 1, 0]);
    expect(Array.from(top.mass)).toEqual([Math.exp(-4), 0, 0, 0]);
    expect(() => sinkhornPlanTopK(tiny, [0, 0], [0, 0], 0)).toThrow(/k: expected an integer/);
  });

  it('equals the k largest entries of the dense plan on a random problem', async () => {
    const random = seededRandom(11);
    const cloud = (count: number) => Array.from({ length: count }, () => [random(), random()]);
    const problem: SinkhornProblem = {
      x: cloud(23),
      y: cloud(31),
      a: new Array<number>(23).fill(1 / 23),
      b: new Array<number>(31).fill(1 / 31),
      epsilon: 0.02,
      cost: { kind: 'euclidean' },
    };
    const solver = createSinkhornSolver([problem], 'cpu');
    const { f, g } = (await solver.run()).batches[0]!;
    const dense = planFromPotentials(problem, f, g);
    const top = sinkhornPlanTopK(problem, f, g, 4);
    expect(await solver.planTopK(0, 4)).toEqual(top);
    for (let i = 0; i < 23; i += 1) {
      const row = Array.from(dense.subarray(i * 31, (i + 1) * 31), (mass, j) => ({ mass, j }));
      row.sort((p, q) => q.mass - p.mass);
      for (let s = 0; s < 4; s += 1) {
        expect(top.index[i * 4 + s]).toBe(row[s]!.j);
        expect(top.mass[i * 4 + s]).toBeCloseTo(row[s]!.mass, 14);
      }
    }
  });
});

describe('c-transforms', () => {
  it('match hand-computed values', () => {
    const soft = softCTransform(tiny, [0, 0], 'y');
    expect(soft[0]).toBeCloseTo(-Math.log(0.5 * (1 + Math.exp(-1))), 14);
    expect(soft[1]).toBeCloseTo(-Math.log(0.5 * (Math.exp(-4) + Math.exp(-1))), 14);
    expect(Array.from(hardCTransform(tiny, [0, 0], 'y'))).toEqual([0, 1]);
    // f^c_j = min_i C_ij − f_i with f = (1, 0): min(−1, 1) = −1 and min(3, 1) = 1.
    expect(Array.from(hardCTransform(tiny, [1, 0], 'y'))).toEqual([-1, 1]);
    // Only the support of a counts: a = (1, 0) leaves i = 0 alone.
    expect(Array.from(hardCTransform({ ...tiny, a: [1, 0] }, [1, 0], 'y'))).toEqual([-1, 3]);
    // x side: g^c_i = min_j C_ij − g_j with g = (0, 2): min(0, 2) = 0 and min(1, −1) = −1.
    expect(Array.from(hardCTransform(tiny, [0, 2], 'x'))).toEqual([0, -1]);
    const softX = softCTransform(tiny, [0, 2], 'x');
    expect(softX[1]).toBeCloseTo(-Math.log(0.5 * Math.exp(-1) + 0.5 * Math.exp(2 - 1)), 14);
  });

  it('at Sinkhorn convergence: soft gaps vanish, hard gaps lie in [0, ε log n]', async () => {
    const random = seededRandom(12);
    const n = 40;
    const cloud = () => Array.from({ length: n }, () => [random(), random(), random()]);
    const problem: SinkhornProblem = {
      x: cloud(),
      y: cloud(),
      a: new Array<number>(n).fill(1 / n),
      b: new Array<number>(n).fill(1 / n),
      epsilon: 0.01,
      cost: { kind: 'sqeuclidean' },
    };
    const { f, g } = (
      await createSinkhornSolver([problem], 'cpu', {
        tolerance: 1e-10,
        maxIterations: 20_000,
      }).run()
    ).batches[0]!;
    const gap = cTransformGap(problem, f, g);
    expect(gap.softY).toBeLessThan(1e-12); // the last half-iteration was the column update
    expect(gap.softX).toBeLessThan(1e-8);
    // soft ≥ hard (Σ a = 1) and soft − hard ≤ ε log(1/a_min) = ε log n.
    const hard = hardCTransform(problem, f, 'y');
    g.forEach((v, j) => {
      expect(v - hard[j]!).toBeGreaterThanOrEqual(-1e-12);
    });
    expect(gap.hardY).toBeLessThanOrEqual(problem.epsilon * Math.log(n) + 1e-12);
    expect(gap.hardX).toBeLessThanOrEqual(problem.epsilon * Math.log(n) + 1e-8);
    expect(gap.hardY).toBeGreaterThan(0);
  });
});
