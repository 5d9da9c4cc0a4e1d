/**
 * Lloyd's iteration as a Wasserstein projection: the assignment is the optimal plan to the atoms
 * (checked with the network simplex), the objective W2²(ν, μ_n) never increases, and the best
 * k-atom measure found by brute force over partitions is where the W2 projection lands.
 */
import { describe, expect, it } from 'vitest';
import {
  assignToNearest,
  clusterMeans,
  lloydStart,
  lloydStep,
  planObjective,
  type LloydState,
} from '../../src/ot/kmeans';
import { kMeansPlusPlus, uniformStream } from '../../src/ot/gmm';
import { networkSimplex } from '../../src/ot/exact/networkSimplex';
import { costMatrixFromPoints } from '../../src/ot/exact/problem';
import { seededRandom } from '../../src/ot/random';
import { InputError } from '../../src/ot/validate';

function cloud(random: () => number, n: number): number[][] {
  return Array.from({ length: n }, () => [random() * 4, random() * 2]);
}

function runLloyd(points: number[][], atoms: number[][]): LloydState[] {
  const states = [lloydStart(points, atoms)];
  for (let next = lloydStep(points, states[0]!); next; next = lloydStep(points, states.at(-1)!)) {
    states.push(next);
    if (states.length > 500) throw new Error('Lloyd did not stop');
  }
  return states;
}

describe('k-means as a W2 projection', () => {
  it('the nearest-atom assignment is an optimal plan to the atoms with the cluster weights', () => {
    const random = seededRandom(31);
    const points = cloud(random, 40);
    const atoms = cloud(random, 4);
    const { labels, weights, objective } = assignToNearest(points, atoms);
    expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
    const C = costMatrixFromPoints({ kind: 'sqeuclidean' }, points, atoms);
    const a = new Array<number>(points.length).fill(1 / points.length);
    const present = [...weights.keys()].filter((j) => weights[j]! > 0);
    const exact = networkSimplex({
      a,
      b: present.map((j) => weights[j]!),
      C: points.map((_, i) => present.map((j) => C.values[i * atoms.length + j]!)),
    });
    expect(objective).toBeCloseTo(exact.cost, 12);
    expect(planObjective(points, atoms, labels)).toBeCloseTo(objective, 14);
  });

  it('never increases W2² over the half-steps and stops when the labels settle', () => {
    const random = seededRandom(77);
    for (let trial = 0; trial < 8; trial += 1) {
      const points = cloud(random, 120);
      const k = 2 + (trial % 5);
      const states = runLloyd(points, kMeansPlusPlus(points, k, uniformStream(trial + 1)));
      for (let t = 1; t < states.length; t += 1) {
        const before = states[t - 1]!.assignment.objective;
        const { objectiveAfterUpdate, assignment } = states[t]!;
        expect(objectiveAfterUpdate).toBeLessThanOrEqual(before + 1e-12);
        expect(assignment.objective).toBeLessThanOrEqual(objectiveAfterUpdate + 1e-12);
      }
      const last = states.at(-1)!;
      expect(last.converged).toBe(true);
      expect(lloydStep(points, last)).toBeUndefined();
      // A fixed point: the atoms are the means of their clusters.
      const means = clusterMeans(points, last.atoms, last.assignment.labels);
      means.forEach((z, j) => {
        expect(z[0]).toBeCloseTo(last.atoms[j]![0]!, 12);
        expect(z[1]).toBeCloseTo(last.atoms[j]![1]!, 12);
      });
    }
  });

  it('the best Lloyd fixed point over all starts is the brute-force k-means optimum', () => {
    const random = seededRandom(5);
    const points = cloud(random, 8);
    // Brute force over the 2^7 two-part partitions (point 7 always in part 1).
    let best = Infinity;
    for (let mask = 0; mask < 2 ** 7; mask += 1) {
      const labels = points.map((_, i) => (i < 7 && (mask >> i) & 1 ? 0 : 1));
      if (!labels.includes(0)) continue;
      const atoms = clusterMeans(points, [points[0]!, points[7]!], labels);
      best = Math.min(best, planObjective(points, atoms, labels));
    }
    let lloydBest = Infinity;
    for (let i = 0; i < points.length; i += 1)
      for (let j = i + 1; j < points.length; j += 1) {
        const states = runLloyd(points, [points[i]!, points[j]!]);
        const objective = states.at(-1)!.assignment.objective;
        expect(objective).toBeGreaterThanOrEqual(best - 1e-12);
        lloydBest = Math.min(lloydBest, objective);
      }
    expect(lloydBest).toBeCloseTo(best, 12);
  });

  it('keeps an empty cluster where it is, with weight 0', () => {
    const points = [
      [0, 0],
      [1, 0],
    ];
    const atoms = [
      [0.5, 0],
      [10, 10],
    ];
    const start = lloydStart(points, atoms);
    expect([...start.assignment.weights]).toEqual([1, 0]);
    expect(clusterMeans(points, atoms, start.assignment.labels)[1]).toEqual([10, 10]);
  });

  it('names bad input', () => {
    expect(() => assignToNearest([], [[0, 0]])).toThrow(InputError);
    expect(() => assignToNearest([[0, Number.NaN]], [[0, 0]])).toThrow(/points\[0\]\[1\]/);
    expect(() => assignToNearest([[0, 0]], [[0]])).toThrow(/atoms\[0\]/);
  });
});
