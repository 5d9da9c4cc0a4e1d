/**
 * Shared GPU test fixture: one real WebGPU runtime per test file. A missing adapter fails the
 * suite loudly (never skips): these tests exist to prove the WGSL runs.
 */
import { afterAll } from 'vitest';
import { createNodeRuntime } from '../../src/gpu/node';
import type { GpuRuntime } from '../../src/gpu/runtime';

let runtime: Promise<GpuRuntime> | undefined;

export function gpuRuntime(): Promise<GpuRuntime> {
  runtime ??= createNodeRuntime().then((created) => {
    const { vendor, architecture } = created.adapter;
    console.info(`GPU tests on adapter ${vendor}/${architecture}`);
    return created;
  });
  return runtime;
}

afterAll(async () => {
  if (runtime) (await runtime).dispose();
  runtime = undefined;
});

/** Fills a new storage buffer with NaN so that any element a kernel forgets to write fails the test. */
export function poisonedBuffer(rt: GpuRuntime, label: string, floats: number): GPUBuffer {
  return rt.createBufferWith(
    label,
    new Float32Array(floats).fill(Number.NaN),
    GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  );
}

/** Largest |gpu - reference| / scale over all entries; NaN anywhere gives Infinity. */
export function maxRelativeError(
  gpu: ArrayLike<number>,
  reference: ArrayLike<number>,
  scale?: number,
) {
  if (gpu.length !== reference.length)
    throw new Error(`length ${gpu.length} != ${reference.length}`);
  let norm = scale ?? 0;
  if (scale === undefined)
    for (let i = 0; i < reference.length; i += 1) norm = Math.max(norm, Math.abs(reference[i]!));
  let worst = 0;
  for (let i = 0; i < reference.length; i += 1) {
    const error = Math.abs(gpu[i]! - reference[i]!) / (norm || 1);
    if (!Number.isFinite(error)) return Infinity;
    worst = Math.max(worst, error);
  }
  return worst;
}
