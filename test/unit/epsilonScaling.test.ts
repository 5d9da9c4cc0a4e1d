import { describe, expect, it } from 'vitest';
import {
  annealedEpsilon,
  annealingIterations,
  parseEpsilonScaling,
  type SinkhornProblem,
} from '../../src/ot/sinkhorn';
import { seededRandom } from '../../src/ot/random';
import { createSinkhornSolver } from '../../src/solvers/sinkhorn';
import { gaugeGap } from './sinkhornFixtures';

const line: SinkhornProblem = {
  x: [[0], [1]],
  y: [[0], [1]],
  a: [0.5, 0.5],
  b: [0.5, 0.5],
  epsilon: 0.3,
  cost: { kind: 'sqeuclidean' },
};

describe('ε-scaling schedule', () => {
  it('decreases geometrically per stage and stops at the target', () => {
    const scaling = { start: 1, factor: 0.5, iterationsPerStage: 2 };
    const eps = [1, 2, 3, 4, 5, 6, 100].map((t) => annealedEpsilon(line, scaling, t));
    expect(eps).toEqual([1, 1, 0.5, 0.5, 0.3, 0.3, 0.3]);
    // Two stages (1, 0.5) above 0.3, two iterations each; the batch waits for its slowest problem.
    expect(annealingIterations([line], scaling)).toBe(4);
    expect(annealingIterations([line, { ...line, epsilon: 0.2 }], scaling)).toBe(6);
    expect(annealingIterations([line], { ...scaling, start: 0.3 })).toBe(0);
    expect(annealedEpsilon(line, undefined, 1)).toBe(0.3);
    // The default start is the cost scale: here the diameter² = 1.
    expect(annealedEpsilon(line, { factor: 0.5, iterationsPerStage: 1 }, 1)).toBe(1);
  });

  it('parses the CLI/JSON form with clear errors', () => {
    expect(parseEpsilonScaling(true, 'epsilonScaling')).toEqual({
      factor: 0.7,
      iterationsPerStage: 3,
    });
    expect(parseEpsilonScaling(undefined, 'epsilonScaling')).toBeUndefined();
    expect(parseEpsilonScaling({ start: 2, factor: 0.5 }, 'epsilonScaling')).toEqual({
      start: 2,
      factor: 0.5,
      iterationsPerStage: 3,
    });
    expect(() => parseEpsilonScaling({ factor: 1.5 }, 'epsilonScaling')).toThrow(
      /epsilonScaling.factor: must be < 1/,
    );
    expect(() => parseEpsilonScaling({ start: -1 }, 'epsilonScaling')).toThrow(
      /epsilonScaling.start/,
    );
  });
});

describe('CPU Sinkhorn with ε-scaling', () => {
  it('reaches the plain potentials at the target ε in fewer iterations, checked only at the target', async () => {
    const random = seededRandom(21);
    const n = 80;
    const cloud = () => Array.from({ length: n }, () => [random(), random()]);
    const problem: SinkhornProblem = {
      x: cloud(),
      y: cloud(),
      a: new Array<number>(n).fill(1 / n),
      b: new Array<number>(n).fill(1 / n),
      epsilon: 2e-3,
      cost: { kind: 'sqeuclidean' },
    };
    const options = { tolerance: 1e-7, maxIterations: 50_000, checkEvery: 10 };
    const plain = (await createSinkhornSolver([problem], 'cpu', options).run()).batches[0]!;
    const scaling = { factor: 0.5, iterationsPerStage: 5 };
    const annealed = (
      await createSinkhornSolver([problem], 'cpu', { ...options, epsilonScaling: scaling }).run()
    ).batches[0]!;
    expect(plain.converged && annealed.converged).toBe(true);
    expect(annealed.iterations).toBeLessThan(plain.iterations);
    expect(gaugeGap(annealed, plain)).toBeLessThan(1e-5);
    expect(annealed.dualObjective).toBeCloseTo(plain.dualObjective, 7);
    expect(annealed.history[0]!.iteration).toBeGreaterThan(annealingIterations([problem], scaling));
  });
});
