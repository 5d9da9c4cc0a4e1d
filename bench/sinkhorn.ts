/**
 * Sinkhorn toy benchmark: time per iteration on both backends for n = m points in 2D, and the
 * GPU's submits, dispatches and readbacks per iteration.
 */
import { spawnSync } from 'node:child_process';
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

/**
 * POT's NumPy Sinkhorn on the same problems (bench/pot.py), when Debian's python3-pot is
 * installed; each row's note gives our CPU backend's time relative to POT's sinkhorn_log.
 */
export function benchPot(sizes: number[], runs: number, ours: BenchRow[]): BenchRow[] {
  const probe = spawnSync('python3', ['-c', 'import ot'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('POT not installed (apt-get install python3-pot): skipping the POT comparison');
    return [];
  }
  return sizes.flatMap((n) => {
    const iterations = n <= 1024 ? 20 : 10;
    const run = spawnSync(
      'python3',
      ['bench/pot.py', String(n), String(iterations), String(runs)],
      {
        encoding: 'utf8',
      },
    );
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
