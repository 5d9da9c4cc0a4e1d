/**
 * Sinkhorn toy benchmark: time per iteration on both backends for n = m points in 2D, and the
 * GPU's submits, dispatches and readbacks per iteration.
 */
import { spawnSync } from 'node:child_process';
import type { GpuRuntime } from '../src/gpu/runtime';
import type { SinkhornProblem } from '../src/ot/sinkhorn';
import { createSinkhornSolver } from '../src/solvers/sinkhorn';
import { ITERATIONS_PER_CHUNK } from '../src/solvers/sinkhorn/base';
import { CPU_MAX_ENTRIES, CPU_MAX_STREAMED_ENTRIES } from '../src/solvers/sinkhorn/cpu';
import { iterationsPerSubmit } from '../src/solvers/sinkhorn/plan';
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

/** The GPU fields of a row: backend, emulation and counters per iteration over `iterations`. */
function gpuCounts(runtime: GpuRuntime, iterations: number) {
  const { submits, dispatches, readbacks } = runtime.counters;
  return {
    backend: 'gpu' as const,
    emulated: runtime.adapter.emulated,
    submits: submits / iterations,
    dispatches: dispatches / iterations,
    readbacks: readbacks / iterations,
  };
}

/**
 * Iterations timed per run: fewer for large n, far fewer when the GPU is emulated (SwiftShader
 * needs about 0.5 s per iteration at n = 1k and 30 s at 16k), to keep `npm run bench` short.
 */
function iterationsFor(n: number, emulated: boolean): number {
  if (n <= 1024) return emulated ? 10 : 20;
  if (n <= 4096) return emulated ? 2 : 10;
  return emulated ? 1 : 10;
}

export async function benchSinkhorn(
  runtime: GpuRuntime,
  sizes: number[],
  runs: number,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // Never converging (tolerance 0) so every run does the same work; a check every 10 iterations.
  const options = { tolerance: 0, maxIterations: 1e9, checkEvery: 10 };
  const emulated = runtime.adapter.emulated;
  for (const n of sizes) {
    if (n * n <= CPU_MAX_STREAMED_ENTRIES) {
      // Above CPU_MAX_ENTRIES the CPU streams the cost: seconds per iteration, so one of each.
      const streamed = n * n > CPU_MAX_ENTRIES;
      const iterations = streamed ? 1 : iterationsFor(n, false);
      const cpuRuns = streamed ? 1 : runs;
      const cpu = createSinkhornSolver([problem(n)], 'cpu', options);
      const cpuMs = await medianMs(cpuRuns, () => cpu.step(iterations));
      rows.push({
        name: `sinkhorn n=m=${n} d=2`,
        backend: 'cpu',
        emulated: false,
        n,
        medianMs: cpuMs / iterations,
        runs: cpuRuns,
        note: `per iteration, float64${streamed ? ', cost streamed (not stored)' : ''}`,
      });
    } else {
      console.log(
        `sinkhorn n=m=${n}: CPU skipped (n·m above the CPU backend's ${CPU_MAX_STREAMED_ENTRIES})`,
      );
    }

    const iterations = iterationsFor(n, emulated);
    const gpuRuns = emulated && n > 1024 ? 1 : runs;
    const gpu = createSinkhornSolver([problem(n)], 'gpu', options, runtime);
    runtime.resetCounters();
    const gpuMs = await medianMs(gpuRuns, () => gpu.step(iterations));
    rows.push({
      name: `sinkhorn n=m=${n} d=2`,
      n,
      medianMs: gpuMs / iterations,
      runs: gpuRuns,
      // medianMs adds one warm-up run (pipelines, buffers).
      ...gpuCounts(runtime, (gpuRuns + 1) * iterations),
      note: `per iteration, float32, steps of ${iterations} iterations (≤ ${iterationsPerSubmit([problem(n)], ITERATIONS_PER_CHUNK)} per submit)`,
    });
    gpu.dispose();
  }
  return rows;
}

/**
 * n = m = 100k on the GPU (issue 4's scale target): builds the problem, checks it fits the
 * adapter, times one-iteration steps (one submit each: ≈ 2·10¹⁰ cost evaluations). Skipped on a
 * software adapter unless BENCH_LARGE=1 (SwiftShader needs minutes per iteration).
 */
export async function benchSinkhornLarge(runtime: GpuRuntime, runs: number): Promise<BenchRow[]> {
  const n = 100_000;
  if (runtime.adapter.emulated && process.env.BENCH_LARGE !== '1') {
    console.log(`sinkhorn n=m=${n}: skipped on an emulated adapter (BENCH_LARGE=1 to force)`);
    return [];
  }
  const options = { tolerance: 0, maxIterations: 1e9, checkEvery: 10 };
  const gpu = createSinkhornSolver([problem(n)], 'gpu', options, runtime);
  const count = runtime.adapter.emulated ? 1 : Math.min(runs, 3);
  runtime.resetCounters();
  const ms = await medianMs(count, () => gpu.step(1));
  gpu.dispose();
  return [
    {
      name: `sinkhorn n=m=${n} d=2`,
      n,
      medianMs: ms,
      runs: count,
      ...gpuCounts(runtime, count + 1),
      note: 'per iteration, float32, 1 iteration per submit (2D-tiled dispatch, 100k workgroups)',
    },
  ];
}

/**
 * POT's NumPy Sinkhorn on the same problems (bench/pot.py), when Debian's python3-pot is
 * installed; each row's note gives our CPU backend's time relative to POT's sinkhorn_log.
 */
export function benchPot(sizes: number[], runs: number, ours: BenchRow[]): BenchRow[] {
  // Debian's python3-pot is installed for the system Python, which a pyenv `python3` may hide.
  const python = [process.env.POT_PYTHON, 'python3', '/usr/bin/python3'].find(
    (candidate) =>
      candidate && spawnSync(candidate, ['-c', 'import ot'], { encoding: 'utf8' }).status === 0,
  );
  if (!python) {
    console.log('POT not installed (apt-get install python3-pot): skipping the POT comparison');
    return [];
  }
  return sizes.flatMap((n) => {
    const iterations = iterationsFor(n, false);
    const run = spawnSync(python, ['bench/pot.py', String(n), String(iterations), String(runs)], {
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`bench/pot.py failed: ${run.stderr}`);
    const pot = JSON.parse(run.stdout) as {
      version: string;
      sinkhorn_log: number;
      sinkhorn: number;
    };
    const cpu = ours.find((row) => row.backend === 'cpu' && row.n === n);
    const ratio = cpu
      ? `; OT Lab CPU / POT sinkhorn_log = ${(cpu.medianMs / pot.sinkhorn_log).toFixed(2)}`
      : '';
    return [
      {
        name: `POT ${pot.version} sinkhorn_log n=m=${n}`,
        backend: 'cpu' as const,
        emulated: false,
        n,
        medianMs: pot.sinkhorn_log,
        runs,
        note: `per iteration, NumPy float64${ratio}`,
      },
      {
        name: `POT ${pot.version} sinkhorn (kernel domain) n=m=${n}`,
        backend: 'cpu' as const,
        emulated: false,
        n,
        medianMs: pot.sinkhorn,
        runs,
        note: 'per iteration, NumPy float64, not log domain',
      },
    ];
  });
}
