import { describe, expect, it } from 'vitest';
import { debiasedBatch, type SinkhornProblem } from '../../src/ot/sinkhorn';
import { seededRandom } from '../../src/ot/random';
import { solveSinkhornDivergence } from '../../src/solvers/sinkhorn';

const options = { tolerance: 1e-10, maxIterations: 20_000 };

function cloudProblem(seed: number, n: number, m: number, epsilon: number): SinkhornProblem {
  const random = seededRandom(seed);
  const cloud = (count: number) => Array.from({ length: count }, () => [random(), random()]);
  const weights = (count: number) => {
    const raw = Array.from({ length: count }, () => 0.5 + random());
    const total = raw.reduce((s, w) => s + w, 0);
    return raw.map((w) => w / total);
  };
  return {
    x: cloud(n),
    y: cloud(m),
    a: weights(n),
    b: weights(m),
    epsilon,
    cost: { kind: 'sqeuclidean' },
  };
}

describe('debiased Sinkhorn divergence S_ε (CPU)', () => {
  it('batches (a, b), (a, a), (b, b) per problem', () => {
    const p = cloudProblem(1, 3, 4, 0.1);
    const [xy, xx, yy] = debiasedBatch([p]);
    expect(xy).toBe(p);
    expect([xx!.x, xx!.y, xx!.a, xx!.b]).toEqual([p.x, p.x, p.a, p.a]);
    expect([yy!.x, yy!.y, yy!.a, yy!.b]).toEqual([p.y, p.y, p.b, p.b]);
  });

  it('is 0 between a measure and itself, and > 0 otherwise', async () => {
    const p = cloudProblem(2, 25, 30, 0.05);
    const self = { ...p, y: p.x, b: p.a };
    const result = await solveSinkhornDivergence([self, p], 'cpu', options);
    expect(result.converged).toBe(true);
    expect(Math.abs(result.divergences[0]!)).toBeLessThan(1e-12);
    expect(result.divergences[1]!).toBeGreaterThan(1e-3);
    // The biased OT_ε(a, a) itself is not 0: that is what the debiasing removes.
    expect(result.parts[0]!.xy.dualObjective).toBeGreaterThan(1e-3);
  });

  it('equals |t|² between a cloud and its translate (squared Euclidean cost)', async () => {
    // |x − y − t|² = |x − y|² − 2t·(x − y) + |t|²: the linear part is absorbed by the potentials,
    // so OT_ε(μ, μ + t) = OT_ε(μ, μ) + |t|² and S_ε = |t|² at every ε.
    const p = cloudProblem(3, 20, 20, 0.1);
    const t = [0.3, -0.4];
    const shifted = { ...p, y: p.x.map(([u, v]) => [u! + t[0]!, v! + t[1]!]), b: p.a };
    for (const epsilon of [0.02, 0.5]) {
      const result = await solveSinkhornDivergence([{ ...shifted, epsilon }], 'cpu', options);
      expect(result.divergences[0]).toBeCloseTo(0.25, 8);
    }
  });

  it('is non-negative on random pairs and costs', async () => {
    const problems = [4, 5, 6].map((seed) => cloudProblem(seed, 15, 12, 0.02 + 0.1 * (seed - 4)));
    const euclidean = problems.map((p) => ({ ...p, cost: { kind: 'euclidean' as const } }));
    for (const batch of [problems, euclidean]) {
      const result = await solveSinkhornDivergence(batch, 'cpu', options);
      result.divergences.forEach((s) => {
        expect(s).toBeGreaterThan(0);
      });
    }
  });
});
