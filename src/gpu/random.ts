/**
 * Standard normals on the GPU from Philox4x32-10 (shaders/random.wgsl). Element e of the stream
 * of a seed equals normalAt(seed, e) of src/ot/philox.ts up to float32 rounding, whatever the
 * dispatch shape, so CPU and GPU solvers draw the same noise.
 */
import { blockCounter, checkStreamRange, philoxKey } from '../ot/philox';
import { defineStruct } from './layout';
import { WORKGROUP_SIZE, type GpuRuntime } from './runtime';

export const RANDOM_PARAMS = defineStruct('RandomParams', [
  ['count', 'u32'],
  ['first_lane', 'u32'],
  ['first_block_lo', 'u32'],
  ['first_block_hi', 'u32'],
  ['key', 'vec2<u32>'],
] as const);

const SHADER = 'random.wgsl';
/** Workgroups of a fill beyond which invocations loop (grid stride) instead. */
const DEFAULT_MAX_WORKGROUPS = 4096;
/** u32 counts in the kernel: at most 2^32 − 4 − 3 elements per fill. */
const MAX_COUNT = 2 ** 32 - 8;

/**
 * Writes elements offset … offset + count − 1 of the normal stream of `seed` to buffer[0 … count − 1]
 * (one submit, no readback). `maxWorkgroups` only changes the dispatch shape, never the values.
 */
export async function gpuFillNormals(
  runtime: GpuRuntime,
  buffer: GPUBuffer,
  count: number,
  seed: number,
  offset: number,
  maxWorkgroups = DEFAULT_MAX_WORKGROUPS,
): Promise<void> {
  checkStreamRange(offset, count);
  const key = philoxKey(seed);
  if (count > MAX_COUNT || 4 * count > buffer.size) {
    throw new RangeError(
      `${count} normals do not fit in buffer ${buffer.label} (${buffer.size} bytes)`,
    );
  }
  if (!Number.isInteger(maxWorkgroups) || maxWorkgroups < 1) {
    throw new RangeError(`maxWorkgroups must be an integer >= 1, got ${maxWorkgroups}`);
  }
  if (count === 0) return;
  const [blockLo, blockHi] = blockCounter(Math.floor(offset / 4));
  const firstLane = offset % 4;
  const params = runtime.createBufferWith(
    'random-params',
    RANDOM_PARAMS.pack({
      count,
      first_lane: firstLane,
      first_block_lo: blockLo,
      first_block_hi: blockHi,
      key,
    }),
    GPUBufferUsage.UNIFORM,
  );
  const pipeline = await runtime.pipeline(SHADER, 'fill_normals');
  const group = runtime.bindGroup('random-fill', pipeline, { 0: params, 1: buffer });
  const blocks = Math.ceil((firstLane + count) / 4);
  const workgroups = Math.min(Math.ceil(blocks / WORKGROUP_SIZE), maxWorkgroups);
  runtime.submit('random-fill', (dispatch) => {
    dispatch(pipeline, group, workgroups);
  });
  params.destroy();
}

/**
 * Test hook: raw Philox4x32-10 outputs for (counter, key) pairs, packed as
 * [c0, c1, c2, c3, k0, k1, 0, 0] per pair. Returns the outputs (4 words per pair).
 */
export async function gpuPhiloxRaw(runtime: GpuRuntime, pairs: Uint32Array): Promise<Uint32Array> {
  if (pairs.length === 0 || pairs.length % 8 !== 0) {
    throw new RangeError(`pairs must hold 8 words per (counter, key) pair, got ${pairs.length}`);
  }
  const count = pairs.length / 8;
  const input = runtime.createBufferWith('philox-raw-in', pairs, GPUBufferUsage.STORAGE);
  const output = runtime.createBuffer(
    'philox-raw-out',
    count * 16,
    GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  );
  try {
    const pipeline = await runtime.pipeline(SHADER, 'philox_raw');
    const group = runtime.bindGroup('philox-raw', pipeline, { 2: input, 3: output });
    runtime.submit('philox-raw', (dispatch) => {
      dispatch(pipeline, group, Math.ceil(count / WORKGROUP_SIZE));
    });
    return new Uint32Array(await runtime.read(output));
  } finally {
    input.destroy();
    output.destroy();
  }
}
