/**
 * Above CPU_MAX_ENTRIES the CPU backend streams the cost (StreamingSinkhornState): the same
 * log-domain iterations as the stored SinkhornState, so the two must agree to float64 rounding.
 */
import { describe, expect, it } from 'vitest';
import type { CostSpec } from '../../src/ot/costs';
import { seededRandom } from '../../src/ot/random';
import {
  SinkhornState,
  StreamingSinkhornState,
  costScale,
  type CpuSinkhornState,
  type SinkhornProblem,
} from '../../src/ot/sinkhorn';
import { createCpuSinkhornState } from '../../src/solvers/sinkhorn/cpu';

function randomProblem(seed: number, n: number, m: number, cost: CostSpec): SinkhornProblem {
  const random = seededRandom(seed);
  const cloud = (count: number, shift: number) =>
    Array.from({ length: count }, () => [random() + shift, random()]);
  const weights = (count: number) => {
    const w = Array.from({ length: count }, () => 0.2 + random());
    const total = w.reduce((s, v) => s + v, 0);
    return w.map((v) => v / total);
  };
  const problem = {
    x: cloud(n, 0),
    y: cloud(m, 0.5),
    a: weights(n),
    b: weights(m),
    epsilon: 1,
    cost,
  };
  return { ...problem, epsilon: 0.02 * costScale(problem) };
}

const relative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let scale = 0;
  let diff = 0;
  for (let k = 0; k < a.length; k += 1) {
    scale = Math.max(scale, Math.abs(b[k]!));
    diff = Math.max(diff, Math.abs(a[k]! - b[k]!));
  }
  return diff / scale;
};

describe('StreamingSinkhornState', () => {
  it.each<[string, CostSpec]>([
    ['sqeuclidean', { kind: 'sqeuclidean' }],
    ['pq', { kind: 'pq', p: 1.5, q: 1.5 }],
    ['coulomb', { kind: 'coulomb', eta: 0.1 }],
  ])('matches the stored state over iterations and an ε change (%s cost)', (_, cost) => {
    const problem = randomProblem(7, 23, 31, cost);
    const stored = new SinkhornState(problem);
    const streamed = new StreamingSinkhornState(problem);
    const both: CpuSinkhornState[] = [stored, streamed];
    for (let t = 1; t <= 60; t += 1) {
      for (const state of both) {
        if (t === 40) state.setEpsilon(problem.epsilon / 2);
        state.iterate();
      }
    }
    expect(relative(streamed.f, stored.f)).toBeLessThan(1e-10);
    expect(relative(streamed.g, stored.g)).toBeLessThan(1e-10);
    const error = stored.marginalError();
    expect(error).toBeGreaterThan(0);
    expect(Math.abs(streamed.marginalError() - error)).toBeLessThan(1e-9 * error + 1e-14);
    expect(streamed.transportCost()).toBeCloseTo(stored.transportCost(), 10);
    streamed.reset();
    expect([...streamed.f, ...streamed.g].every((v) => v === 0)).toBe(true);
  });

  it('is what the CPU backend uses once n·m exceeds the stored limit', () => {
    const problem = randomProblem(3, 5, 4, { kind: 'sqeuclidean' });
    expect(createCpuSinkhornState(problem)).toBeInstanceOf(SinkhornState);
    expect(createCpuSinkhornState(problem, 19)).toBeInstanceOf(StreamingSinkhornState);
  });
});
