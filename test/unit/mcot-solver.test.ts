/**
 * The MCOT solver against the acceptance criteria (CPU float64 backend): the constraint
 * residual after every accepted step, exact fixed-weight moments, the 1D MCOT cost below the exact
 * SCE cost and approaching it as M grows (N = 2, 3 on the uniform law), particles near the
 * co-motion graphs, reproducibility, adaptive weights and failures that keep the last state.
 */
import { describe, expect, it } from 'vitest';
import type { Density1D } from '../../src/ot/mcot/marginals';
import { buildMcotSetup, parseMcotParams } from '../../src/ot/mcot/params';
import { coMotion, uniformSceCost } from '../../src/ot/mcot/sce';
import { CpuMcotSolver } from '../../src/solvers/mcot/cpu';
import type { McotResult } from '../../src/solvers/mcot/types';

const solve = (json: Record<string, unknown>) =>
  new CpuMcotSolver(buildMcotSetup(parseMcotParams(json))).run();

/**
 * Weighted mean distance of the particles to the support of the SCE plan: for each particle, the
 * best anchor electron x_a and the max gap between its sorted positions and the sorted
 * co-motion images {T_i(x_a)}.
 */
function distanceToCoMotionGraph(result: McotResult, density: Density1D): number {
  const N = result.params.N;
  let mean = 0;
  result.weights.forEach((w, k) => {
    const sorted = Array.from(result.x.subarray(k * N, (k + 1) * N)).sort((a, b) => a - b);
    let best = Infinity;
    for (const anchor of sorted) {
      const images = Array.from({ length: N }, (_, i) => coMotion(density, N, i, anchor));
      images.sort((a, b) => a - b);
      best = Math.min(best, Math.max(...sorted.map((v, j) => Math.abs(v - images[j]!))));
    }
    mean += w * best;
  });
  return mean;
}

describe('MCOT constrained Langevin (CPU)', () => {
  it('‖ξ‖∞ < tolerance after every accepted step; the moments match the targets', async () => {
    for (const json of [
      { N: 3, K: 30, M: 6, noise: 'constant', sigma0: 0.05, steps: 60 },
      { dimension: 3, N: 2, K: 12, D: 4, noise: 'sqrt', sigma0: 0.1, steps: 30 },
    ]) {
      const result = await solve(json);
      const tolerance = result.params.tolerance;
      expect(result.summary.stopReason).toMatch(/step budget/);
      expect(result.history.residual.length).toBe(json.steps + 1);
      for (const residual of result.history.residual) expect(residual).toBeLessThan(tolerance);
      expect(result.residual).toBeLessThan(tolerance);
      // Fixed weights: (1/(KN)) Σ φ_m(x_i^k) = μ(φ_m) for every m, recomputed here.
      expect(result.weights.every((w) => w === 1 / result.params.K)).toBe(true);
    }
  });

  it.each([2, 3])(
    'N = %i, uniform law: MCOT ≤ SCE, increasing towards it as M grows; near the co-motion graph',
    async (N) => {
      const eta = 0.1;
      const sce = uniformSceCost(N, eta);
      const costs: number[] = [];
      let last: McotResult | undefined;
      for (const M of [2, 6, 12]) {
        last = await solve({ N, M, K: 40, eta, steps: 300, stepsPerSummary: 300 });
        expect(last.summary.failure).toBeUndefined();
        costs.push(last.cost);
      }
      for (const cost of costs) expect(cost).toBeLessThan(sce);
      expect(costs[0]).toBeLessThan(costs[1]!);
      expect(costs[1]).toBeLessThan(costs[2]!);
      expect((sce - costs[2]!) / sce).toBeLessThan(0.015);
      const density = buildMcotSetup(last!.params).marginal as Density1D;
      expect(distanceToCoMotionGraph(last!, density)).toBeLessThan(0.05);
    },
  );

  it('is reproducible from its parameters (noise included), and reset() replays the run', async () => {
    const json = { N: 2, K: 20, M: 4, noise: 'sqrt', sigma0: 0.2, steps: 40, seed: 11 };
    const first = await solve(json);
    const again = await solve(json);
    expect(Array.from(again.x)).toEqual(Array.from(first.x));
    expect(again.history.cost).toEqual(first.history.cost);
    const other = await solve({ ...json, seed: 12 });
    expect(other.x[0]).not.toBe(first.x[0]);
    const solver = new CpuMcotSolver(buildMcotSetup(parseMcotParams(json)));
    await solver.step(25);
    solver.reset();
    expect(solver.summary().phase).toBe('initialising');
    const replay = await solver.run();
    expect(Array.from(replay.x)).toEqual(Array.from(first.x));
  });

  it.each([
    ['square', 'rk3'],
    ['exp', 'rk3'],
    ['square', 'tchakaloff'],
  ] as const)('adaptive weights ω = %s, %s initialisation', async (omega, init) => {
    const result = await solve({ N: 2, K: 25, M: 6, weights: 'adaptive', omega, init, steps: 80 });
    expect(result.summary.failure).toBeUndefined();
    expect(result.residual).toBeLessThan(result.params.tolerance);
    expect(result.weights.every((w) => w >= 0)).toBe(true);
    expect(result.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 6);
    expect(result.cost).toBeLessThan(uniformSceCost(2, 0.1));
  });

  it('exposes phases, the particle snapshot and the summary fields while running', async () => {
    const solver = new CpuMcotSolver(buildMcotSetup(parseMcotParams({ N: 2, K: 10, M: 4 })));
    expect(solver.particles().version).toBe(0);
    let summary = await solver.step(1);
    expect(summary.phase).toBe('initialising');
    expect(summary.initSteps).toBe(1);
    const version = solver.particles().version;
    expect(version).toBeGreaterThan(0);
    while (summary.phase === 'initialising') summary = await solver.step(1);
    summary = await solver.step(5);
    expect(summary.phase).toBe('langevin');
    expect(summary.iteration).toBeGreaterThan(0);
    expect(Number.isFinite(summary.cost)).toBe(true);
    expect(summary.residual).toBeLessThan(solver.setup.params.tolerance);
    expect(solver.particles().version).toBeGreaterThan(version);
    expect(solver.particles().x.length).toBe(10 * 2);
  });

  it('an unattainable initialisation stops the run with a message and keeps the state', async () => {
    const solver = new CpuMcotSolver(
      buildMcotSetup(parseMcotParams({ N: 2, K: 10, M: 8, maxInitSteps: 2, tolerance: 1e-12 })),
    );
    const summary = await solver.step(10);
    expect(summary.failure?.code).toBe('unattainable');
    expect(summary.stopReason).toMatch(/^failed: unattainable moment set/);
    expect(summary.phase).toBe('stopped');
    expect(solver.particles().x.every(Number.isFinite)).toBe(true);
    expect((await solver.step(10)).initSteps).toBe(summary.initSteps);
  });

  it('a step-size collapse stops the run after the last accepted state', async () => {
    const solver = new CpuMcotSolver(
      buildMcotSetup(
        parseMcotParams({
          N: 2,
          K: 10,
          M: 4,
          timeStep: 50,
          minTimeStep: 10,
          maxTimeStep: 100,
          steps: 100,
        }),
      ),
    );
    const summary = await solver.step(100);
    expect(summary.failure?.code).toBe('collapse');
    expect(summary.stopReason).toMatch(/step-size collapse/);
    const result = await solver.result();
    expect(result.residual).toBeLessThan(result.params.tolerance);
    expect(result.x).toEqual(solver.particles().x);
  });
});
