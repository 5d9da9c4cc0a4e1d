/**
 * Entropic generic-cost barycenters with the K Sinkhorn problems solved on the GPU (batched by equal
 * sizes) against the float64 CPU reference, on fresh random measures (the seed is printed): V_ε per
 * iteration and the moved points agree to float32 accuracy. Both backends run a fixed number of
 * Sinkhorn iterations (an unreachable tolerance) so that they compute the same plans.
 * Tolerance: 2e-4 relative on V_ε, 2e-4 on the points (unit-box data); measured ≤ 1e-7.
 */
import { describe, expect, it } from 'vitest';
import type { GenericBarycenterProblem } from '../../src/ot/barycenter/fixedPoint';
import { boxInit, SEED_CIRCLES, uniformMeasure } from '../../src/ot/barycenter/seedExamples';
import { seededRandom } from '../../src/ot/random';
import { createGenericBarycenterSolver } from '../../src/solvers/genericBarycenter';
import { gpuRuntime } from './runtime';

const seed = Date.now() % 1_000_000;
console.info(`generic barycenter GPU tests: seed ${seed}`);
const random = seededRandom(seed);

const cloud = (m: number) => uniformMeasure(Array.from({ length: m }, () => [random(), random()]));

async function compare(problem: GenericBarycenterProblem, label: string) {
  const runtime = await gpuRuntime();
  const options = {
    algorithm: 'H' as const,
    plans: { kind: 'entropic' as const, epsilon: 0.05 },
    maxIterations: 1,
    sinkhorn: { maxIterations: 60, tolerance: 1e-30, checkEvery: 30 },
  };
  const cpu = createGenericBarycenterSolver(problem, options, 'cpu');
  const gpu = createGenericBarycenterSolver(problem, options, 'gpu', runtime);
  const [c, g] = [await cpu.run(), await gpu.run()];
  expect(g.history.length, label).toBe(c.history.length);
  let worstV = 0;
  c.history.forEach((record, t) => {
    worstV = Math.max(worstV, Math.abs(g.history[t]!.V - record.V) / record.V);
  });
  let worstPoint = 0;
  c.points.forEach((p, i) => {
    p.forEach((v, d) => (worstPoint = Math.max(worstPoint, Math.abs(g.points[i]![d]! - v))));
  });
  console.info(
    `${label}: V relative error ${worstV.toExponential(1)}, points ${worstPoint.toExponential(1)}`,
  );
  expect(worstV, label).toBeLessThan(2e-4);
  expect(worstPoint, label).toBeLessThan(2e-4);
  expect(g.backend).toBe('gpu');
}

describe('entropic H with GPU Sinkhorn plans vs the float64 reference', () => {
  it('‖x − y‖_p^q, measures of two sizes (two GPU batches)', async () => {
    const measures = [cloud(10), cloud(10), cloud(7)];
    await compare(
      {
        measures,
        lambdas: [0.5, 0.3, 0.2],
        ground: { kind: 'pq', p: 1.5, q: 1.5 },
        init: boxInit(measures, 12, random),
      },
      'p = q = 1.5',
    );
  });

  it('circles (lifted points differ per measure)', async () => {
    const measures = SEED_CIRCLES.map(() => cloud(9));
    await compare(
      {
        measures,
        lambdas: [0.25, 0.25, 0.25, 0.25],
        ground: { kind: 'circles', circles: SEED_CIRCLES.map((c) => ({ ...c })) },
        init: boxInit(measures, 8, random),
      },
      'circles',
    );
  });
});
