/**
 * Reduction micro-benchmark: sum, max and log Σ exp of n floats, CPU float64 (reduceFloat64)
 * against the GPU (GpuReducer, float32). A GPU run is one submit of two dispatches plus the
 * readback of the 4-byte result, i.e. what a caller waiting for the value pays.
 */
import { GpuReducer } from '../src/gpu/reduce';
import type { GpuRuntime } from '../src/gpu/runtime';
import { REDUCE_OPS, reduceFloat64 } from '../src/ot/reduce';
import { medianMs } from './timing';
import type { BenchRow } from './types';

const SIZES = [100_000, 1_000_000];

/** Deterministic values in [−50, 50) (golden-ratio sequence): no RNG state to carry. */
function values(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, k) => ((k * 0.6180339887) % 1) * 100 - 50);
}

export async function benchReductions(runtime: GpuRuntime, repeats: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const reducer = new GpuReducer(runtime);
  const output = reducer.createOutput('bench-reduce-output');
  for (const n of SIZES) {
    const data = values(n);
    const cpuData = Float64Array.from(data);
    const input = runtime.createBufferWith('bench-reduce-input', data, GPUBufferUsage.STORAGE);
    for (const op of REDUCE_OPS) {
      const name = `reduce ${op} n=${n}`;
      const cpuMs = await medianMs(repeats, () => reduceFloat64(cpuData, op));
      rows.push({
        name,
        backend: 'cpu',
        emulated: false,
        n,
        medianMs: cpuMs,
        runs: repeats,
        note: 'float64',
      });

      runtime.resetCounters();
      const gpuMs = await medianMs(repeats, async () => {
        await reducer.reduce(input, n, op, output);
        await runtime.read(output, 4);
      });
      const total = repeats + 1; // medianMs adds one warm-up run
      rows.push({
        name,
        backend: 'gpu',
        emulated: runtime.adapter.emulated,
        n,
        medianMs: gpuMs,
        runs: repeats,
        submits: runtime.counters.submits / total,
        dispatches: runtime.counters.dispatches / total,
        readbacks: runtime.counters.readbacks / total,
        note: 'float32, per reduction including the 4-byte readback',
      });
    }
    input.destroy();
  }
  output.destroy();
  reducer.dispose();
  return rows;
}
