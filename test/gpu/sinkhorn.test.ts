/**
 * The WGSL Sinkhorn (shaders/sinkhorn.wgsl) against the float64 CPU reference on fresh random
 * problems: every cost, d = 1..3, batches, odd sizes around the workgroup width of 64.
 * Tolerance: potentials and costs within 2e-4 of the cost scale (float32 accumulations over
 * hundreds of terms and tens of iterations), which is far below any visible difference.
 */
import { describe, expect, it } from 'vitest';
import type { CostSpec } from '../../src/ot/costs';
import {
  costScale,
  sinkhornPlanTopK,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../../src/ot/sinkhorn';
import { createSinkhornSolver, solveSinkhornDivergence } from '../../src/solvers/sinkhorn';
import type { GpuRuntime } from '../../src/gpu/runtime';
import { gpuRuntime, maxRelativeError } from './runtime';
import { seededRandom } from '../../src/ot/random';

const seed = Date.now() % 1_000_000;
console.info(`sinkhorn GPU tests: seed ${seed}`);
const random = seededRandom(seed);

function randomCloud(count: number, d: number): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: d }, () => 2 * random() - 1));
}

function randomWeights(count: number): number[] {
  const raw = Array.from({ length: count }, () => 0.2 + random());
  const total = raw.reduce((s, w) => s + w, 0);
  return raw.map((w) => w / total);
}

function randomProblem(
  n: number,
  m: number,
  d: number,
  cost: CostSpec,
  epsilon: number,
): SinkhornProblem {
  return {
    x: randomCloud(n, d),
    y: randomCloud(m, d),
    a: randomWeights(n),
    b: randomWeights(m),
    epsilon,
    cost,
  };
}

const TOLERANCE = 2e-4;

async function compareBackends(
  problems: SinkhornProblem[],
  iterations: number,
  extra: Partial<SinkhornOptions> = {},
  device?: GpuRuntime,
) {
  const runtime = device ?? (await gpuRuntime());
  const options = { tolerance: 0, maxIterations: iterations, checkEvery: 5, ...extra };
  const cpu = createSinkhornSolver(problems, 'cpu', options);
  const gpu = createSinkhornSolver(problems, 'gpu', options, runtime);
  try {
    await cpu.step(iterations);
    await gpu.step(iterations);
    const [cpuResult, gpuResult] = [await cpu.result(), await gpu.result()];
    problems.forEach((problem, b) => {
      const scale = costScale(problem);
      const c = cpuResult.batches[b]!;
      const g = gpuResult.batches[b]!;
      expect(maxRelativeError(g.f, c.f, scale), `f, batch ${b}`).toBeLessThan(TOLERANCE);
      expect(maxRelativeError(g.g, c.g, scale), `g, batch ${b}`).toBeLessThan(TOLERANCE);
      expect(Math.abs(g.transportCost - c.transportCost) / scale, `cost, batch ${b}`).toBeLessThan(
        TOLERANCE,
      );
      // Marginal errors: same checks, same values up to float32 rounding of small numbers.
      expect(g.history.map((s) => s.iteration)).toEqual(c.history.map((s) => s.iteration));
      g.history.forEach((sample, k) => {
        expect(Math.abs(sample.error - c.history[k]!.error)).toBeLessThan(
          1e-3 * c.history[0]!.error + 1e-5,
        );
      });
    });
  } finally {
    gpu.dispose();
  }
}

describe('GPU Sinkhorn vs float64 reference', () => {
  const costs: CostSpec[] = [
    { kind: 'sqeuclidean' },
    { kind: 'euclidean' },
    { kind: 'pq', p: 1.5, q: 1.5 },
    { kind: 'coulomb', eta: 0.3 },
  ];
  it.each(costs.map((cost) => [cost.kind, cost] as const))(
    'cost %s, sizes around the workgroup width',
    async (_, cost) => {
      for (const [n, m, d] of [
        [1, 1, 1],
        [63, 65, 2],
        [130, 37, 3],
      ] as const) {
        await compareBackends([randomProblem(n, m, d, cost, 0.1 + 0.2 * random())], 20);
      }
    },
  );

  it('solves a batch of independent problems (different clouds and ε) in the same dispatches', async () => {
    const problems = [0.05, 0.2, 1].map((epsilon) =>
      randomProblem(50, 70, 2, { kind: 'sqeuclidean' }, epsilon),
    );
    await compareBackends(problems, 30);
  });

  it('solves an ε sweep sharing one pair of clouds', async () => {
    const base = randomProblem(80, 60, 2, { kind: 'sqeuclidean' }, 1);
    await compareBackends(
      [0.03, 0.1, 0.3].map((epsilon) => ({ ...base, epsilon })),
      30,
    );
  });

  it('solves a batch of problems of different sizes (packed with offsets)', async () => {
    const cost = { kind: 'euclidean' } as const;
    await compareBackends(
      [
        randomProblem(30, 70, 2, cost, 0.1),
        randomProblem(100, 20, 2, cost, 0.3),
        randomProblem(1, 1, 2, cost, 0.2),
        randomProblem(65, 64, 2, cost, 0.05),
      ],
      25,
    );
  });

  it('tiles dispatches over a 2D grid when workgroups exceed the per-dimension limit', async () => {
    // The same code path as n > 65535 on a real adapter, made cheap for SwiftShader: the runtime's
    // limit is narrowed to 40 workgroups per dimension (n = m = 100k: planning tested in
    // test/unit/sinkhornGpuPlan.test.ts, timing in `npm run bench`).
    const runtime = await gpuRuntime();
    const narrow = new Proxy(runtime, {
      get: (target, key, receiver) =>
        key === 'limits'
          ? {
              maxStorageBufferBindingSize: target.limits.maxStorageBufferBindingSize,
              maxComputeWorkgroupsPerDimension: 40,
            }
          : (Reflect.get(target, key, receiver) as unknown),
    });
    const cost = { kind: 'sqeuclidean' } as const;
    const problems = [
      randomProblem(130, 70, 2, cost, 0.1),
      randomProblem(90, 140, 2, cost, 0.2),
      randomProblem(5, 3, 2, cost, 0.3),
    ];
    // 3 × 140 = 420 workgroups per dispatch: a 40 × 11 grid.
    await compareBackends(problems, 12, {}, narrow);
    const solver = createSinkhornSolver(problems, 'gpu', { tolerance: 0 }, narrow);
    await solver.step(3);
    const { f, g } = solver.potentials(0);
    const top = await solver.planTopK(0, 3);
    solver.dispose();
    expect(Array.from(top.index.subarray(0, 3))).toEqual(
      Array.from(sinkhornPlanTopK(problems[0]!, f, g, 3).index.subarray(0, 3)),
    );
    expect(top.mass.every(Number.isFinite)).toBe(true);
  });

  it('computes the top-k plan per row like sinkhornPlanTopK (k = 5, and k > m clamped)', async () => {
    const runtime = await gpuRuntime();
    const problems = [
      randomProblem(40, 50, 2, { kind: 'sqeuclidean' }, 0.05),
      randomProblem(130, 90, 3, { kind: 'sqeuclidean' }, 0.02),
      randomProblem(7, 3, 2, { kind: 'sqeuclidean' }, 0.1),
    ];
    const solver = createSinkhornSolver(problems, 'gpu', { tolerance: 0 }, runtime);
    try {
      await solver.step(15);
      for (const [b, k] of [
        [1, 5],
        [0, 16],
        [2, 4],
      ] as const) {
        const { f, g } = solver.potentials(b);
        const cpu = sinkhornPlanTopK(problems[b]!, f, g, k);
        const gpu = await solver.planTopK(b, k);
        expect(gpu.k).toBe(cpu.k);
        const rows = problems[b]!.x.length;
        for (let i = 0; i < rows; i += 1) {
          const row = cpu.mass.subarray(i * cpu.k, (i + 1) * cpu.k);
          const scale = row[0]!;
          for (let s = 0; s < cpu.k; s += 1) {
            const at = i * cpu.k + s;
            expect(
              Math.abs(gpu.mass[at]! - cpu.mass[at]!),
              `batch ${b} row ${i} slot ${s}`,
            ).toBeLessThan(1e-3 * scale + 1e-30);
            // Same column unless a neighbouring slot is a float32 near-tie.
            const near = (t: number) =>
              t >= 0 && t < cpu.k && Math.abs(row[t]! - row[s]!) < 1e-3 * scale;
            if (!near(s - 1) && !near(s + 1)) expect(gpu.index[at]).toBe(cpu.index[at]);
          }
        }
      }
      await expect(solver.planTopK(0, 17)).rejects.toThrow(/k: the GPU plan keeps 1 to 16/);
    } finally {
      solver.dispose();
    }
  });

  it('computes the debiased divergence as one batch of 3 mixed-size problems, like the CPU', async () => {
    const runtime = await gpuRuntime();
    const problem = randomProblem(45, 80, 2, { kind: 'sqeuclidean' }, 0.2);
    const self = { ...problem, y: problem.x, b: problem.a };
    // A fixed number of iterations on both backends (the three parts of `self` are identical).
    const options = { tolerance: 0, maxIterations: 30 };
    const cpu = await solveSinkhornDivergence([problem, self], 'cpu', options);
    const gpu = await solveSinkhornDivergence([problem, self], 'gpu', options, runtime);
    const scale = costScale(problem);
    expect(Math.abs(gpu.divergences[0]! - cpu.divergences[0]!) / scale).toBeLessThan(TOLERANCE);
    expect(gpu.divergences[0]!).toBeGreaterThan(0);
    expect(Math.abs(gpu.divergences[1]!) / scale).toBeLessThan(TOLERANCE);
  });

  it('anneals ε on the GPU like the CPU (stages inside one submit, per-batch targets)', async () => {
    const problems = [0.02, 0.08].map((epsilon) =>
      randomProblem(70, 90, 2, { kind: 'sqeuclidean' }, epsilon),
    );
    const epsilonScaling = { factor: 0.5, iterationsPerStage: 2 };
    // 8 stages from the cost scale (≈ 8) to 0.02: 16 annealing iterations, then 24 at the target.
    await compareBackends(problems, 40, { epsilonScaling });
  });

  it('decides convergence on the GPU and stops updating converged batches', async () => {
    const runtime = await gpuRuntime();
    const problems = [0.5, 0.05].map((epsilon) =>
      randomProblem(40, 40, 2, { kind: 'sqeuclidean' }, epsilon),
    );
    const options = { tolerance: 1e-4, maxIterations: 2000, checkEvery: 10 };
    const cpu = await createSinkhornSolver(problems, 'cpu', options).run();
    const gpuSolver = createSinkhornSolver(problems, 'gpu', options, runtime);
    runtime.resetCounters();
    const gpu = await gpuSolver.run();
    gpuSolver.dispose();
    gpu.batches.forEach((batch, b) => {
      expect(batch.converged).toBe(true);
      // Float32 may cross the threshold one check earlier or later.
      expect(Math.abs(batch.convergedAt! - cpu.batches[b]!.convergedAt!)).toBeLessThanOrEqual(10);
    });
    // One readback per 100-iteration chunk plus the final cost; never one per iteration.
    const iterations = Math.max(...gpu.batches.map((b) => b.iterations));
    expect(runtime.counters.readbacks).toBeLessThanOrEqual(Math.ceil(iterations / 100) + 1);
  });

  it('keeps ε = 1e-3 × diameter² free of NaN in float32', async () => {
    const problem = randomProblem(100, 100, 2, { kind: 'sqeuclidean' }, 0);
    problem.epsilon = 1e-3 * costScale(problem);
    const solver = createSinkhornSolver(
      [problem],
      'gpu',
      { tolerance: 1e-3, maxIterations: 300 },
      await gpuRuntime(),
    );
    const result = await solver.run();
    solver.dispose();
    const batch = result.batches[0]!;
    expect([...batch.f, ...batch.g].every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(batch.transportCost)).toBe(true);
    expect(batch.history.every((s) => Number.isFinite(s.error))).toBe(true);
  });

  it('refuses an ε too small for float32 with a clear error', async () => {
    const problem = randomProblem(10, 10, 2, { kind: 'sqeuclidean' }, 1e-9);
    expect(() => createSinkhornSolver([problem], 'gpu', {}, undefined as never)).toThrow(/runtime/);
    const runtime = await gpuRuntime();
    expect(() => createSinkhornSolver([problem], 'gpu', {}, runtime)).toThrow(
      /epsilon: ε = 1e-9 is too small for float32/,
    );
  });

  it('recreates a lost device and resumes from the last potentials', async () => {
    const runtime = await gpuRuntime();
    const problem = randomProblem(60, 50, 2, { kind: 'sqeuclidean' }, 0.1);
    const options = { tolerance: 0, maxIterations: 40, checkEvery: 10 };
    const reference = await createSinkhornSolver([problem], 'cpu', options).run();
    const solver = createSinkhornSolver([problem], 'gpu', options, runtime);
    await solver.step(20);
    const generation = runtime.generation;
    const restored = new Promise<number>((resolve) => runtime.onDeviceRestored(resolve));
    runtime.device.destroy(); // not via dispose(): the runtime treats it as a loss
    expect(await restored).toBe(generation + 1);
    expect(runtime.lastLoss).toMatch(/GPU device lost/);
    await solver.step(20);
    const result = await solver.result();
    solver.dispose();
    expect(
      maxRelativeError(result.batches[0]!.f, reference.batches[0]!.f, costScale(problem)),
    ).toBeLessThan(TOLERANCE);
  });
});
