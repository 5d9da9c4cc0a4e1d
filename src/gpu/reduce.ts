/**
 * GPU reductions of a storage array<f32> to one value (shaders/reduce.wgsl): sum, max, log Σ exp.
 * Two dispatches in one submit; the result stays on the GPU (no readback here).
 * The float64 reference is reduceFloat64 in src/ot/reduce.ts.
 */
import type { ReduceOp } from '../ot/reduce';
import { defineStruct } from './layout';
import { WORKGROUP_SIZE, type GpuRuntime } from './runtime';

export const REDUCE_PARAMS = defineStruct('ReduceParams', [
  ['n', 'u32'],
  ['partial_count', 'u32'],
] as const);

const OP_CODE: Record<ReduceOp, number> = { sum: 0, max: 1, logsumexp: 2 };
/** Elements per invocation aimed at in pass 1 before more workgroups are added. */
const ITEMS_PER_INVOCATION = 16;
/** Cap on pass-1 workgroups, so the single finishing workgroup folds at most 16 partials each. */
export const MAX_PARTIALS = 1024;
const SHADER = 'reduce.wgsl';

/** Number of pass-1 workgroups (and partials) for n elements. */
export function partialCount(n: number): number {
  return Math.min(Math.ceil(n / (WORKGROUP_SIZE * ITEMS_PER_INVOCATION)), MAX_PARTIALS);
}

/**
 * Reductions with their scratch buffers (params, partials) allocated once. Calls may follow each
 * other without waiting: the queue runs each call's buffer write before its own dispatches.
 */
export class GpuReducer {
  private params: GPUBuffer | undefined;
  private partials: GPUBuffer | undefined;
  private generation = -1;

  constructor(private readonly runtime: GpuRuntime) {}

  /** Scratch buffers, recreated after a device loss (old ones belong to the dead device). */
  private scratch(): { params: GPUBuffer; partials: GPUBuffer } {
    if (!this.params || !this.partials || this.generation !== this.runtime.generation) {
      this.params = this.runtime.createBuffer(
        'reduce-params',
        REDUCE_PARAMS.size,
        GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      );
      this.partials = this.runtime.createBuffer(
        'reduce-partials',
        MAX_PARTIALS * 8,
        GPUBufferUsage.STORAGE,
      );
      this.generation = this.runtime.generation;
    }
    return { params: this.params, partials: this.partials };
  }

  /** A new 1-element f32 buffer that can hold a result and be read back. */
  createOutput(label = 'reduce-output'): GPUBuffer {
    return this.runtime.createBuffer(
      label,
      4,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    );
  }

  /**
   * Reduces input[0 … n − 1] with `op` into output[0] (a new buffer unless one is given) and
   * returns the output buffer once the work is submitted.
   */
  async reduce(
    input: GPUBuffer,
    n: number,
    op: ReduceOp,
    output: GPUBuffer = this.createOutput(),
  ): Promise<GPUBuffer> {
    checkReduceArguments(input, n, op, output);
    const constants = { OP: OP_CODE[op] };
    const [partialsPipeline, finishPipeline] = await Promise.all([
      this.runtime.pipeline(SHADER, 'reduce_partials', constants),
      this.runtime.pipeline(SHADER, 'reduce_finish', constants),
    ]);
    const { params, partials } = this.scratch();
    const groups = partialCount(n);
    this.runtime.device.queue.writeBuffer(
      params,
      0,
      REDUCE_PARAMS.pack({ n, partial_count: groups }),
    );
    const first = this.runtime.bindGroup('reduce-partials', partialsPipeline, {
      0: params,
      1: input,
      2: partials,
    });
    const second = this.runtime.bindGroup('reduce-finish', finishPipeline, {
      0: params,
      2: partials,
      3: output,
    });
    this.runtime.submit(`reduce-${op}`, (dispatch) => {
      dispatch(partialsPipeline, first, groups);
      dispatch(finishPipeline, second, 1);
    });
    return output;
  }

  dispose(): void {
    this.params?.destroy();
    this.partials?.destroy();
    this.params = undefined;
    this.partials = undefined;
  }
}

function checkReduceArguments(input: GPUBuffer, n: number, op: ReduceOp, output: GPUBuffer) {
  if (!(op in OP_CODE)) {
    throw new RangeError(`unknown reduction ${JSON.stringify(op)}: use sum, max or logsumexp`);
  }
  const capacity = Math.floor(input.size / 4);
  if (!Number.isInteger(n) || n < 1 || n > capacity) {
    throw new RangeError(
      `reduction length must be an integer in [1, ${capacity}] (buffer ${input.label} holds ` +
        `${capacity} floats), got ${n}`,
    );
  }
  if (!(input.usage & GPUBufferUsage.STORAGE) || !(output.usage & GPUBufferUsage.STORAGE)) {
    throw new RangeError('reduction input and output buffers need GPUBufferUsage.STORAGE');
  }
}

/**
 * One-shot reduction: a 1-element buffer holding the result, without readback. Prefer a
 * GpuReducer when reducing repeatedly (it keeps its scratch buffers).
 */
export async function gpuReduce(
  runtime: GpuRuntime,
  input: GPUBuffer,
  n: number,
  op: ReduceOp,
): Promise<GPUBuffer> {
  const reducer = new GpuReducer(runtime);
  try {
    return await reducer.reduce(input, n, op);
  } finally {
    // Safe right after submit: work already queued keeps the buffers alive until it completes.
    reducer.dispose();
  }
}
