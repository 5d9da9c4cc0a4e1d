import { describe, expect, it } from 'vitest';
import {
  logSumExp,
  planFromPotentials,
  validateSinkhornProblem,
  type SinkhornProblem,
} from '../../src/ot/sinkhorn';
import { createSinkhornSolver } from '../../src/solvers/sinkhorn';
import { seededRandom } from '../../src/ot/random';

const uniform = (n: number) => new Array<number>(n).fill(1 / n);

function randomProblem(
  seed: number,
  n: number,
  m: number,
  d: number,
  epsilon: number,
): SinkhornProblem {
  const random = seededRandom(seed);
  const cloud = (count: number) =>
    Array.from({ length: count }, () => Array.from({ length: d }, random));
  return {
    x: cloud(n),
    y: cloud(m),
    a: uniform(n),
    b: uniform(m),
    epsilon,
    cost: { kind: 'sqeuclidean' },
  };
}

describe('logSumExp', () => {
  it('is exact on large and −∞ entries', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSumExp([-Infinity, 0])).toBe(0);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([])).toBe(-Infinity);
  });
});

describe('CPU Sinkhorn (float64 reference)', () => {
  it('matches both marginals at convergence and reports it', async () => {
    const problem = randomProblem(1, 30, 40, 2, 0.05);
    const solver = createSinkhornSolver([problem], 'cpu', { tolerance: 1e-9, maxIterations: 5000 });
    const result = await solver.run();
    const batch = result.batches[0]!;
    expect(batch.converged).toBe(true);
    const plan = planFromPotentials(problem, batch.f, batch.g);
    for (let i = 0; i < 30; i += 1) {
      const row = plan.subarray(i * 40, (i + 1) * 40).reduce((s, v) => s + v, 0);
      expect(Math.abs(row - 1 / 30)).toBeLessThan(1e-9);
    }
    for (let j = 0; j < 40; j += 1) {
      let column = 0;
      for (let i = 0; i < 30; i += 1) column += plan[i * 40 + j]!;
      expect(Math.abs(column - 1 / 40)).toBeLessThan(1e-12);
    }
    expect((await solver.step(10)).stopReason).toMatch(/converged/);
  });

  it('satisfies strong duality: Σaf + Σbg = ⟨C,P⟩ + ε KL(P | a⊗b)', async () => {
    const problem = randomProblem(2, 20, 25, 3, 0.1);
    const [batch] = (
      await createSinkhornSolver([problem], 'cpu', {
        tolerance: 1e-12,
        maxIterations: 10_000,
      }).run()
    ).batches;
    const plan = planFromPotentials(problem, batch!.f, batch!.g);
    let kl = 0;
    plan.forEach((p, index) => {
      const ab = problem.a[Math.floor(index / 25)]! * problem.b[index % 25]!;
      if (p > 0) kl += p * Math.log(p / ab) - p + ab;
    });
    expect(batch!.dualObjective).toBeCloseTo(batch!.transportCost + problem.epsilon * kl, 10);
  });

  it('tends to the exact 1D (sorted) cost as ε → 0 and to the independent coupling as ε → ∞', async () => {
    const random = seededRandom(3);
    const xs = Array.from({ length: 6 }, random);
    const ys = Array.from({ length: 6 }, random);
    const base = {
      x: xs.map((v) => [v]),
      y: ys.map((v) => [v]),
      a: uniform(6),
      b: uniform(6),
      cost: { kind: 'sqeuclidean' as const },
    };
    const sortedX = [...xs].sort((p, q) => p - q);
    const sortedY = [...ys].sort((p, q) => p - q);
    const exact = sortedX.reduce((s, v, k) => s + (v - sortedY[k]!) ** 2, 0) / 6;
    const sharp = await createSinkhornSolver([{ ...base, epsilon: 1e-4 }], 'cpu', {
      tolerance: 1e-10,
      maxIterations: 200_000,
    }).run();
    expect(Math.abs(sharp.batches[0]!.transportCost - exact)).toBeLessThan(1e-3);

    const flat = await createSinkhornSolver([{ ...base, epsilon: 1e6 }], 'cpu', {
      tolerance: 1e-12,
    }).run();
    let independent = 0;
    for (const x of xs) for (const y of ys) independent += (x - y) ** 2 / 36;
    expect(flat.batches[0]!.transportCost).toBeCloseTo(independent, 6);
  });

  it('gives a single point all the mass and f + g = C', async () => {
    const problem: SinkhornProblem = {
      x: [[0, 0]],
      y: [[3, 4]],
      a: [1],
      b: [1],
      epsilon: 0.5,
      cost: { kind: 'euclidean' },
    };
    const [batch] = (await createSinkhornSolver([problem], 'cpu').run()).batches;
    expect(batch!.f[0]! + batch!.g[0]!).toBeCloseTo(5, 12);
    expect(batch!.transportCost).toBeCloseTo(5, 12);
  });

  it('ignores zero-weight points', async () => {
    const problem: SinkhornProblem = {
      x: [[0], [1], [5]],
      y: [[0], [1]],
      a: [0.5, 0.5, 0],
      b: [0.5, 0.5],
      epsilon: 0.01,
      cost: { kind: 'sqeuclidean' },
    };
    const [batch] = (await createSinkhornSolver([problem], 'cpu', { tolerance: 1e-10 }).run())
      .batches;
    expect(batch!.converged).toBe(true);
    expect(batch!.transportCost).toBeLessThan(1e-6);
  });

  it('resets to the initial iterate', async () => {
    const solver = createSinkhornSolver([randomProblem(4, 10, 10, 2, 0.1)], 'cpu');
    const first = await solver.step(20);
    solver.reset();
    expect(solver.potentials(0).f.every((v) => v === 0)).toBe(true);
    const again = await solver.step(20);
    expect(again.batches[0]!.history).toEqual(first.batches[0]!.history);
  });
});

describe('problem validation', () => {
  const good = randomProblem(5, 3, 3, 2, 0.1);
  it.each([
    [{ ...good, a: [0.5, 0.6, -0.1] }, /a\[2\]: weights must be >= 0/],
    [{ ...good, a: [0.2, 0.2, 0.2] }, /a: weights must sum to 1/],
    [{ ...good, b: [0.5, 0.5] }, /b: expected 3 entries/],
    [
      {
        ...good,
        x: [
          [0, 0],
          [Number.NaN, 1],
          [1, 1],
        ],
      },
      /x\[1\]\[0\]: expected a finite number/,
    ],
    [
      {
        ...good,
        y: [
          [0, 0, 0],
          [1, 1, 1],
          [2, 2, 2],
        ],
      },
      /y: points have 3 coordinates but x has 2/,
    ],
    [{ ...good, epsilon: 0 }, /epsilon: must be > 0/],
    [{ ...good, x: [] }, /x: expected a non-empty array/],
  ])('rejects bad input %#', (problem, message) => {
    expect(() => validateSinkhornProblem(problem)).toThrow(message);
  });
});
