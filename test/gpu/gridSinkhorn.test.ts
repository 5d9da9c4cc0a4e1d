/**
 * The WGSL grid barycenter (shaders/grid_sinkhorn.wgsl) against the float64 CPU reference on fresh
 * random densities: square and non-square grids, sides below, around and above the workgroup width
 * of 64, K = 1..3 images, plain and debiased. The solver's scratch fields start as NaN, so an element
 * a kernel forgets to write shows up in the result.
 * Tolerance: barycenter pixels within 5e-5 of the largest pixel (float32 log-domain blurs over lines
 * of up to 256 terms and a few iterations; measured ≤ 2.2e-6), marginal errors within 5e-5
 * relative (+1e-5 absolute).
 */
import { describe, expect, it } from 'vitest';
import type { GridBarycenterProblem } from '../../src/ot/gridSinkhorn';
import { seededRandom } from '../../src/ot/random';
import { createGridBarycenterSolver } from '../../src/solvers/gridSinkhorn';
import { gpuRuntime, maxRelativeError } from './runtime';

const seed = Date.now() % 1_000_000;
console.info(`grid sinkhorn GPU tests: seed ${seed}`);
const random = seededRandom(seed);

const TOLERANCE = 5e-5;

/** A random density with some empty pixels (log 0 on the GPU). */
function randomImage(size: number): Float64Array {
  const raw = Float64Array.from({ length: size }, () => (random() < 0.15 ? 0 : random() ** 2));
  raw[Math.floor(random() * size)] = 1; // never all zero
  const total = raw.reduce((s, v) => s + v, 0);
  return raw.map((v) => v / total);
}

function randomProblem(
  height: number,
  width: number,
  K: number,
  debiased: boolean,
): GridBarycenterProblem {
  const raw = Array.from({ length: K }, () => 0.2 + random());
  const total = raw.reduce((s, w) => s + w, 0);
  return {
    height,
    width,
    images: Array.from({ length: K }, () => randomImage(height * width)),
    weights: raw.map((w) => w / total),
    // Between 4 and 1 pixel widths squared: blurs that matter, at float32-friendly ratios.
    epsilon: (1 + 3 * random()) / Math.max(height, width) ** 2 + 1e-3,
    debiased,
  };
}

async function compareBackends(problem: GridBarycenterProblem, iterations: number) {
  const runtime = await gpuRuntime();
  const options = { tolerance: 0, maxIterations: iterations, checkEvery: 3 };
  const cpu = createGridBarycenterSolver(problem, 'cpu', options);
  const gpu = createGridBarycenterSolver(problem, 'gpu', options, runtime);
  try {
    await cpu.step(iterations);
    await gpu.step(iterations);
    const [c, g] = [await cpu.result(), await gpu.result()];
    const label = `${problem.height}×${problem.width}, K = ${problem.images.length}`;
    const error = maxRelativeError(g.barycenter, c.barycenter);
    console.info(
      `${label}${problem.debiased ? ' debiased' : ''}: max relative error ${error.toExponential(1)}`,
    );
    expect(error, label).toBeLessThan(TOLERANCE);
    expect(Math.abs(g.mass - c.mass), label).toBeLessThan(TOLERANCE);
    expect(g.history.map((s) => s.iteration)).toEqual(c.history.map((s) => s.iteration));
    g.history.forEach((sample, k) => {
      expect(Math.abs(sample.error - c.history[k]!.error), label).toBeLessThan(
        TOLERANCE * c.history[0]!.error + 1e-5,
      );
    });
  } finally {
    gpu.dispose();
    cpu.dispose();
  }
}

describe('GPU grid barycenter vs float64 reference', () => {
  it.each([
    [1, 1, 1],
    [5, 7, 1],
    [33, 70, 2],
    [65, 64, 3],
    [100, 20, 2],
  ] as const)('%i×%i grid, K = %i, plain and debiased', async (height, width, K) => {
    for (const debiased of [false, true]) {
      await compareBackends(randomProblem(height, width, K, debiased), 6);
    }
  });

  it('handles 256×256 (dispatches of 256 lines, far below 65535 workgroups)', async () => {
    await compareBackends(randomProblem(256, 256, 1, false), 2);
  });

  it('decides convergence on the GPU with one readback per 100-iteration chunk', async () => {
    const runtime = await gpuRuntime();
    const problem = randomProblem(12, 20, 2, false);
    problem.epsilon = 0.02;
    const options = { tolerance: 1e-4, maxIterations: 1000, checkEvery: 10 };
    const cpu = await createGridBarycenterSolver(problem, 'cpu', options).run();
    const solver = createGridBarycenterSolver(problem, 'gpu', options, runtime);
    runtime.resetCounters();
    const gpu = await solver.run();
    solver.dispose();
    console.info(`converged at ${cpu.convergedAt!} (CPU), ${gpu.convergedAt!} (GPU)`);
    expect(cpu.converged).toBe(true);
    expect(gpu.converged).toBe(true);
    // Float32 may cross the threshold one check earlier or later.
    expect(Math.abs(gpu.convergedAt! - cpu.convergedAt!)).toBeLessThanOrEqual(10);
    expect(runtime.counters.readbacks).toBeLessThanOrEqual(Math.ceil(gpu.iterations / 100));
    // Possibly stopped one check apart: compare at the tolerance's scale, not float32's.
    expect(maxRelativeError(gpu.barycenter, cpu.barycenter)).toBeLessThan(1e-3);
  });

  it('refuses an ε too small for float32 with a clear error', async () => {
    const problem = randomProblem(4, 4, 1, false);
    problem.epsilon = 1e-9;
    expect(() => createGridBarycenterSolver(problem, 'gpu', {}, undefined)).toThrow(/runtime/);
    const runtime = await gpuRuntime();
    expect(() => createGridBarycenterSolver(problem, 'gpu', {}, runtime)).toThrow(
      /epsilon: ε = 1e-9 is too small for float32/,
    );
  });

  it('recreates a lost device and resumes from the last log v', async () => {
    const runtime = await gpuRuntime();
    const problem = randomProblem(10, 14, 2, true);
    const options = { tolerance: 0, maxIterations: 20, checkEvery: 5 };
    const reference = await createGridBarycenterSolver(problem, 'cpu', options).run();
    const solver = createGridBarycenterSolver(problem, 'gpu', options, runtime);
    await solver.step(10);
    const generation = runtime.generation;
    const restored = new Promise<number>((resolve) => runtime.onDeviceRestored(resolve));
    runtime.device.destroy(); // not via dispose(): the runtime treats it as a loss
    expect(await restored).toBe(generation + 1);
    await solver.step(10);
    const result = await solver.result();
    solver.dispose();
    expect(result.iterations).toBe(20);
    expect(maxRelativeError(result.barycenter, reference.barycenter)).toBeLessThan(TOLERANCE);
  });
});
