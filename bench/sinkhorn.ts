/**
 * Sinkhorn toy benchmark: time per iteration on both backends for n = m points in 2D, and the
 * GPU's submits, dispatches and readbacks per iteration.
 */
import type { GpuRuntime } from '../src/gpu/runtime';
import type { SinkhornProblem } from '../src/ot/sinkhorn';
import { createSinkhornSolver } from '../src/solvers/sinkhorn';
import { medianMs } from './timing';
import type { BenchRow } from './types';

function cloud(count: number, shift: number, seed: number): number[][] {
  // Deterministic quasi-random points (golden-ratio sequence): no RNG state to carry.
  return Array.from({ length: count }, (_, k) => [
    (((k + seed) * 0.6180339887) % 1) + shift,
    ((k + seed) * 0.7548776662) % 1,
  ]);
}

function problem(n: number): SinkhornProblem {
  const weights = new Array<number>(n).fill(1 / n);
  return {
    x: cloud(n, 0, 1),
    y: cloud(n, 0.5, 7),
    a: weights,
    b: weights,
    epsilon: 0.01,
    cost: { kind: 'sqeuclidean' },
  };
}

export async function benchSinkhorn(
  runtime: GpuRuntime,
  sizes: number[],
  runs: number,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // Never converging (tolerance 0) so every run does the same work; a check every 10 iterations.
  const options = { tolerance: 0, maxIterations: 1e9, checkEvery: 10 };
  for (const n of sizes) {
    const iterations = n <= 1024 ? 20 : 10;
    const cpu = createSinkhornSolver([problem(n)], 'cpu', options);
    const cpuMs = await medianMs(runs, () => cpu.step(iterations));
    rows.push({
      name: `sinkhorn n=m=${n} d=2`,
      backend: 'cpu',
      emulated: false,
      n,
      medianMs: cpuMs / iterations,
      runs,
      note: 'per iteration, float64',
    });

    const gpu = createSinkhornSolver([problem(n)], 'gpu', options, runtime);
    await gpu.step(iterations); // warm-up: pipelines, buffers
    runtime.resetCounters();
    const gpuMs = await medianMs(runs, () => gpu.step(iterations));
    const total = (runs + 1) * iterations;
    rows.push({
      name: `sinkhorn n=m=${n} d=2`,
      backend: 'gpu',
      emulated: runtime.adapter.emulated,
      n,
      medianMs: gpuMs / iterations,
      runs,
      submits: runtime.counters.submits / total,
      dispatches: runtime.counters.dispatches / total,
      readbacks: runtime.counters.readbacks / total,
      note: `per iteration, float32, ${iterations} iterations per submit`,
    });
    gpu.dispose();
  }
  return rows;
}
