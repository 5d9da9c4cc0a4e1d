/**
 * Heatmaps of mixture densities: the GPU kernel (src/gpu/density.ts) when WebGPU runs, else the
 * float64 CPU reference on the same grid; evaluations are coalesced (latest request wins) and the
 * result is painted once per change, never per animation frame.
 */
import { interpolateRgbBasis } from 'd3';
import { GpuDensity, densityGridReference, type DensityGrid } from '../../../gpu/density';
import type { GpuRuntime } from '../../../gpu/runtime';
import type { GaussianMixture } from '../../../ot/gaussian';

export type DensityBackend = 'gpu' | 'cpu';

export interface DensityResult {
  values: ArrayLike<number>;
  backend: DensityBackend;
  /** performance.now() when the request that this result answers was made. */
  requestedAt: number;
}

/** Background paper to deep indigo; sqrt scaling shows the tails. */
const RAMP = interpolateRgbBasis([
  '#fbfaf7',
  '#dfe6f3',
  '#9fb6e0',
  '#5b6fc4',
  '#3b2f8f',
  '#1b0f45',
]);
const LUT_SIZE = 256;
const LUT: Uint8ClampedArray = (() => {
  const table = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let k = 0; k < LUT_SIZE; k += 1) {
    const match = /rgb\((\d+), (\d+), (\d+)\)/.exec(RAMP(k / (LUT_SIZE - 1)));
    table.set([Number(match?.[1]), Number(match?.[2]), Number(match?.[3])], 3 * k);
  }
  return table;
})();

/** Paints values[offset … offset + W·H) into the canvas, scaled to its own maximum; returns it. */
export function paintHeatmap(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  offset: number,
  grid: DensityGrid,
): number {
  const pixels = grid.width * grid.height;
  let peak = 0;
  for (let k = 0; k < pixels; k += 1) peak = Math.max(peak, values[offset + k]!);
  if (canvas.width !== grid.width) canvas.width = grid.width;
  if (canvas.height !== grid.height) canvas.height = grid.height;
  const context = canvas.getContext('2d');
  if (!context) return peak;
  const image = context.createImageData(grid.width, grid.height);
  const scale = peak > 0 ? 1 / peak : 0;
  for (let k = 0; k < pixels; k += 1) {
    const level = Math.sqrt(Math.max(values[offset + k]! * scale, 0));
    const at = 3 * Math.min(LUT_SIZE - 1, Math.round(level * (LUT_SIZE - 1)));
    image.data[4 * k] = LUT[at]!;
    image.data[4 * k + 1] = LUT[at + 1]!;
    image.data[4 * k + 2] = LUT[at + 2]!;
    image.data[4 * k + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return peak;
}

/**
 * Evaluates batches of mixtures, at most one at a time: a request made while one runs replaces
 * any waiting one, so a fast drag never queues stale work.
 */
export class DensityScheduler {
  private gpu: GpuDensity | undefined;
  private waiting: { mixtures: readonly GaussianMixture[]; at: number; tag: number } | undefined;
  private running = false;
  private disposed = false;

  constructor(
    runtime: GpuRuntime | undefined,
    private readonly grid: DensityGrid,
    /** Called with each result and the tag of the request it answers. */
    private readonly onResult: (result: DensityResult, tag: number) => void,
    private readonly onError: (message: string) => void,
  ) {
    this.gpu = runtime ? new GpuDensity(runtime) : undefined;
  }

  /** Evaluates `mixtures`; `tag` identifies the request (the view passes its frame number). */
  request(mixtures: readonly GaussianMixture[], tag: number): void {
    this.waiting = { mixtures, at: performance.now(), tag };
    if (!this.running) void this.pump();
  }

  private async pump(): Promise<void> {
    this.running = true;
    while (this.waiting && !this.disposed) {
      const { mixtures, at, tag } = this.waiting;
      this.waiting = undefined;
      const result = await this.evaluate(mixtures, at);
      if (this.alive()) this.onResult(result, tag);
    }
    this.running = false;
  }

  private async evaluate(
    mixtures: readonly GaussianMixture[],
    requestedAt: number,
  ): Promise<DensityResult> {
    if (this.gpu) {
      try {
        const values = await this.gpu.evaluate(mixtures, this.grid);
        return { values, backend: 'gpu', requestedAt };
      } catch (error) {
        // Drawn on the CPU from now on; the message says why.
        this.onError(
          `GPU heatmap failed, using the CPU: ${error instanceof Error ? error.message : String(error)}`,
        );
        this.gpu.dispose();
        this.gpu = undefined;
      }
    }
    return { values: densityGridReference(mixtures, this.grid), backend: 'cpu', requestedAt };
  }

  /** A method, so that the check after an await is not narrowed away. */
  private alive(): boolean {
    return !this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    this.gpu?.dispose();
    this.gpu = undefined;
  }
}
