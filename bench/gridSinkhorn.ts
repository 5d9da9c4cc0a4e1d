/**
 * Grid barycenter benchmark: time per iteration of the convolutional (separable, log-domain)
 * barycenter of two disks on 128² and 256² grids, on both backends, with the GPU's submits,
 * dispatches and readbacks per iteration. Each step runs a few iterations and one marginal-error
 * check, so the figures include the check and the one readback per step.
 */
import type { GpuRuntime } from '../src/gpu/runtime';
import { validateGridBarycenterProblem, type GridBarycenterProblem } from '../src/ot/gridSinkhorn';
import { createGridBarycenterSolver } from '../src/solvers/gridSinkhorn';
import { medianMs } from './timing';
import type { BenchRow } from './types';

/** Two disks of radius 0.15 at x = 0.3 and 0.7: the translation example of MATH.md §2. */
function twoDisks(side: number): GridBarycenterProblem {
  const disk = (cx: number) =>
    Array.from({ length: side }, (_, r) =>
      Array.from({ length: side }, (_, c) => {
        const dx = (c + 0.5) / side - cx;
        const dy = (r + 0.5) / side - 0.5;
        return dx * dx + dy * dy <= 0.15 * 0.15 ? 1 : 0;
      }),
    );
  // ε of 4 pixel spacings squared: a blur of about 1.4 pixels.
  return validateGridBarycenterProblem({ images: [disk(0.3), disk(0.7)], epsilon: 4 / side ** 2 });
}

export async function benchGridSinkhorn(runtime: GpuRuntime, runs: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const side of [128, 256]) {
    const problem = twoDisks(side);
    const name = `grid barycenter ${side}×${side} K=2`;
    const n = side * side;
    // SwiftShader takes ~0.35 s (128²) to ~3 s (256²) per iteration, the CPU ~0.2 s to ~2.7 s:
    // keep the emulated run under a minute; a real GPU gets many iterations per submit.
    const emulated = runtime.adapter.emulated;
    const iterations = emulated ? (side <= 128 ? 2 : 1) : 50;
    const cpuIterations = side <= 128 ? 2 : 1;
    const gpuRuns = emulated && side > 128 ? Math.min(runs, 1) : runs;
    // Never converging (tolerance 0); exactly one marginal-error check per submit.
    const options = { tolerance: 0, maxIterations: 1e9, checkEvery: iterations };

    const cpu = createGridBarycenterSolver(problem, 'cpu', options);
    const cpuRuns = Math.min(runs, 2);
    const cpuMs = (await medianMs(cpuRuns, () => cpu.step(cpuIterations))) / cpuIterations;
    rows.push({
      name,
      backend: 'cpu',
      emulated: false,
      n,
      medianMs: cpuMs,
      runs: cpuRuns,
      note: `per iteration, float64, ${cpuIterations} iterations per step, a check every ${iterations}`,
    });

    const gpu = createGridBarycenterSolver(problem, 'gpu', options, runtime);
    runtime.resetCounters(); // medianMs's warm-up run (pipelines, buffers) is counted in `total`
    const gpuMs = await medianMs(gpuRuns, () => gpu.step(iterations));
    const total = (gpuRuns + 1) * iterations;
    rows.push({
      name,
      backend: 'gpu',
      emulated: runtime.adapter.emulated,
      n,
      medianMs: gpuMs / iterations,
      runs: gpuRuns,
      submits: runtime.counters.submits / total,
      dispatches: runtime.counters.dispatches / total,
      readbacks: runtime.counters.readbacks / total,
      note: `per iteration, float32, ${iterations} iterations and 1 check per submit`,
    });
    gpu.dispose();
    cpu.dispose();
  }
  return rows;
}
