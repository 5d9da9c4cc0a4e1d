/**
 * GPU reductions (shaders/reduce.wgsl through src/gpu/reduce.ts) against the float64 reference on
 * fresh random inputs (the seed is in every failure message). Tolerances:
 *   sum:       |gpu − ref| ≤ 1e-5 Σ|x|  (the condition-free scale of a float32 sum; a sum near 0
 *              can have a large error relative to itself);
 *   max:       exact (the maximum is one of the float32 inputs);
 *   logsumexp: |gpu − ref| ≤ 1e-5 max(1, |ref|).
 */
import { describe, expect, it } from 'vitest';
import { GpuReducer, gpuReduce, partialCount, MAX_PARTIALS } from '../../src/gpu/reduce';
import type { GpuRuntime } from '../../src/gpu/runtime';
import { reduceFloat64, type ReduceOp } from '../../src/ot/reduce';
import { gpuRuntime, poisonedBuffer } from './runtime';
import { seededRandom } from '../../src/ot/random';

const TOLERANCE = 1e-5;
const SIZES = [1, 63, 64, 65, 1000, 100_000, 1_200_000];
const seed = Date.now() % 2 ** 31;
const random = seededRandom(seed);

function uniformValues(n: number, low: number, high: number): Float32Array {
  return Float32Array.from({ length: n }, () => low + (high - low) * random());
}

function upload(runtime: GpuRuntime, values: Float32Array): GPUBuffer {
  return runtime.createBufferWith('reduce-input', values, GPUBufferUsage.STORAGE);
}

/** Reduces `values` on the GPU into a NaN-poisoned output and reads the result back. */
async function gpuValue(
  reducer: GpuReducer,
  runtime: GpuRuntime,
  values: Float32Array,
  op: ReduceOp,
) {
  const input = upload(runtime, values);
  const output = poisonedBuffer(runtime, `reduce-${op}-out`, 1);
  await reducer.reduce(input, values.length, op, output);
  const [result] = await runtime.readFloat32(output, 1);
  input.destroy();
  output.destroy();
  return result!;
}

/** Error in the units of the tolerance's scale (see the file comment). */
function scaledError(op: ReduceOp, values: Float32Array, gpu: number, reference: number): number {
  if (gpu === reference) return 0; // also equal infinities
  const scale =
    op === 'sum' ? values.reduce((s, v) => s + Math.abs(v), 0) : Math.max(1, Math.abs(reference));
  return Math.abs(gpu - reference) / scale;
}

const INPUTS: Record<ReduceOp, [number, number]> = {
  sum: [-1, 1],
  max: [-60, -10], // all negative: a 0 identity would show
  logsumexp: [-50, 50],
};

describe(`GPU reductions (input seed ${seed})`, () => {
  for (const op of ['sum', 'max', 'logsumexp'] as const) {
    it(`${op} matches float64 for n = ${SIZES.join(', ')}`, async () => {
      const runtime = await gpuRuntime();
      const reducer = new GpuReducer(runtime);
      for (const n of SIZES) {
        const values = uniformValues(n, ...INPUTS[op]);
        const gpu = await gpuValue(reducer, runtime, values, op);
        const reference = reduceFloat64(values, op);
        const error = scaledError(op, values, gpu, reference);
        const where = `${op}, n = ${n}, seed ${seed}: gpu ${gpu}, float64 ${reference}`;
        if (op === 'max') expect(gpu, where).toBe(reference);
        else expect(error, where).toBeLessThan(TOLERANCE);
      }
      reducer.dispose();
    });
  }

  it('reaches the partial cap for large n (finishing workgroup folds 1024 partials)', () => {
    expect(partialCount(1_200_000)).toBe(MAX_PARTIALS);
    expect(partialCount(65)).toBe(1);
  });

  it('logsumexp handles -inf inputs and empty (-inf, 0) partials without NaN', async () => {
    const runtime = await gpuRuntime();
    const reducer = new GpuReducer(runtime);
    const cases: [string, Float32Array][] = [
      ['single -inf', Float32Array.of(-Infinity)],
      ['all -inf', new Float32Array(5000).fill(-Infinity)],
      // n = 3: 61 idle invocations start from input[0] = -inf with s = 0.
      ['idle invocations at -inf', Float32Array.of(-Infinity, 2, 3)],
      // Whole pass-1 workgroups see only -inf; the finishing workgroup merges them.
      [
        'leading -inf workgroups',
        Float32Array.from({ length: 5000 }, (_, k) => (k < 2100 ? -Infinity : random() * 100 - 50)),
      ],
    ];
    for (const [name, values] of cases) {
      const gpu = await gpuValue(reducer, runtime, values, 'logsumexp');
      const reference = reduceFloat64(values, 'logsumexp');
      expect(Number.isNaN(gpu), name).toBe(false);
      expect(
        scaledError('logsumexp', values, gpu, reference),
        `${name}: ${gpu} vs ${reference}`,
      ).toBeLessThan(TOLERANCE);
    }
    reducer.dispose();
  });

  it('runs back-to-back reductions sharing scratch buffers in queue order', async () => {
    const runtime = await gpuRuntime();
    const reducer = new GpuReducer(runtime);
    const big = uniformValues(100_000, -1, 1);
    const small = uniformValues(65, -1, 1);
    const inputs = [upload(runtime, big), upload(runtime, small)];
    const outputs = [
      poisonedBuffer(runtime, 'out-big', 1),
      poisonedBuffer(runtime, 'out-small', 1),
    ];
    await Promise.all([
      reducer.reduce(inputs[0]!, big.length, 'sum', outputs[0]),
      reducer.reduce(inputs[1]!, small.length, 'sum', outputs[1]),
    ]);
    const [first, second] = await runtime.readBuffers(outputs);
    expect(
      scaledError('sum', big, new Float32Array(first!)[0]!, reduceFloat64(big, 'sum')),
    ).toBeLessThan(TOLERANCE);
    expect(
      scaledError('sum', small, new Float32Array(second!)[0]!, reduceFloat64(small, 'sum')),
    ).toBeLessThan(TOLERANCE);
    reducer.dispose();
  });

  it('gpuReduce returns a readable 1-element buffer; bad lengths throw', async () => {
    const runtime = await gpuRuntime();
    const values = uniformValues(1000, -50, 50);
    const input = upload(runtime, values);
    const output = await gpuReduce(runtime, input, values.length, 'max');
    expect(output.size).toBe(4);
    expect((await runtime.readFloat32(output, 1))[0]).toBe(reduceFloat64(values, 'max'));
    await expect(gpuReduce(runtime, input, 0, 'sum')).rejects.toThrow(
      'reduction length must be an integer in [1, 1000]',
    );
    await expect(gpuReduce(runtime, input, 1001, 'sum')).rejects.toThrow(RangeError);
  });
});
