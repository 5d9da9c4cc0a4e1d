/**
 * Gaussian-mixture densities (d = 2) on a pixel grid, several mixtures in one dispatch
 * (shaders/density.wgsl). Per-component constants (inverse covariance, log w − log 2π − ½ log det S)
 * are computed here in float64; the kernel only evaluates Σ_k exp(c_k − ½ qᵀ P_k q) in float32.
 * The float64 reference on the same grid is `densityGridReference` (mixtureDensity of src/ot/gmm.ts
 * at `gridPoints`).
 */
import type { GaussianMixture } from '../ot/gaussian';
import { mixtureDensity } from '../ot/gmm';
import { cholesky, inverseSpd, logDetFromCholesky } from '../ot/linalg';
import { InputError } from '../ot/validate';
import { defineStruct } from './layout';
import { WORKGROUP_SIZE, type GpuRuntime } from './runtime';

export const DENSITY_PARAMS = defineStruct('DensityParams', [
  ['width', 'u32'],
  ['height', 'u32'],
  ['components', 'u32'],
  ['mixtures', 'u32'],
  ['origin', 'vec2<f32>'],
  ['step', 'vec2<f32>'],
] as const);

/** The plotted window [x0, x1] × [y0, y1] sampled at pixel centres, row 0 at the top (y1). */
export interface DensityGrid {
  width: number;
  height: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const SHADER = 'density.wgsl';
/** Coefficient of an unused component slot: exp of it is exactly 0 in float32. */
const EMPTY_SLOT = -1e30;
/** vec4<f32> per component: (mean, log coefficient, 0), (P00, P01, P11, 0). */
const VEC4_PER_COMPONENT = 2;

/** Pixel centres in the kernel's order: index j·width + i ↦ (x_i, y_j). */
export function gridPoints(grid: DensityGrid): [number, number][] {
  const dx = (grid.x1 - grid.x0) / grid.width;
  const dy = (grid.y1 - grid.y0) / grid.height;
  const points: [number, number][] = [];
  for (let j = 0; j < grid.height; j += 1) {
    for (let i = 0; i < grid.width; i += 1) {
      points.push([grid.x0 + (i + 0.5) * dx, grid.y1 - (j + 0.5) * dy]);
    }
  }
  return points;
}

/** Float64 densities of each mixture on the grid, concatenated as the kernel writes them. */
export function densityGridReference(
  mixtures: readonly GaussianMixture[],
  grid: DensityGrid,
): Float64Array {
  const points = gridPoints(grid);
  const out = new Float64Array(mixtures.length * points.length);
  mixtures.forEach((mixture, m) => {
    out.set(mixtureDensity(mixture, points), m * points.length);
  });
  return out;
}

export function validateDensityGrid(grid: DensityGrid): void {
  for (const key of ['width', 'height'] as const) {
    const value = grid[key];
    if (!Number.isInteger(value) || value < 1 || value > 4096) {
      throw new InputError(`grid.${key}`, `must be an integer in [1, 4096], got ${value}`);
    }
  }
  if (!(grid.x1 > grid.x0) || !(grid.y1 > grid.y0)) {
    throw new InputError('grid', 'needs finite x0 < x1 and y0 < y1');
  }
}

/** The packed component table (vec4 pairs) of mixtures padded to `slots` components each. */
export function packComponents(mixtures: readonly GaussianMixture[], slots: number): Float32Array {
  const table = new Float32Array(mixtures.length * slots * VEC4_PER_COMPONENT * 4);
  mixtures.forEach((mixture, m) => {
    for (let k = 0; k < slots; k += 1) {
      const at = (m * slots + k) * VEC4_PER_COMPONENT * 4;
      const g = mixture.components[k];
      const w = mixture.weights[k] ?? 0;
      if (!g || w <= 0) {
        table[at + 2] = EMPTY_SLOT;
        continue;
      }
      if (g.mean.length !== 2) {
        throw new InputError(`mixtures[${m}].components[${k}].mean`, 'must have 2 entries (d = 2)');
      }
      const field = `mixtures[${m}].components[${k}].cov`;
      const l = cholesky(g.cov, field);
      const p = inverseSpd(g.cov);
      // Normal density in d = 2: (2π)^{-1} det(S)^{-1/2} (MATH.md §2).
      const logCoefficient = Math.log(w) - Math.log(2 * Math.PI) - 0.5 * logDetFromCholesky(l);
      table.set(
        [g.mean[0]!, g.mean[1]!, logCoefficient, 0, p[0]![0]!, p[0]![1]!, p[1]![1]!, 0],
        at,
      );
    }
  });
  return table;
}

/**
 * Evaluates batches of mixtures on a grid; its buffers grow as needed and are reused between
 * calls (and recreated after a device loss).
 */
export class GpuDensity {
  private params: GPUBuffer | undefined;
  private table: GPUBuffer | undefined;
  private output: GPUBuffer | undefined;
  private generation = -1;

  constructor(private readonly runtime: GpuRuntime) {}

  private ensure(tableBytes: number, outputBytes: number) {
    const rt = this.runtime;
    if (this.generation !== rt.generation) {
      this.params = undefined;
      this.table = undefined;
      this.output = undefined;
      this.generation = rt.generation;
    }
    this.params ??= rt.createBuffer(
      'density-params',
      DENSITY_PARAMS.size,
      GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    );
    if (!this.table || this.table.size < tableBytes) {
      this.table?.destroy();
      this.table = rt.createBuffer(
        'density-components',
        tableBytes,
        GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
      );
    }
    if (!this.output || this.output.size < outputBytes) {
      this.output?.destroy();
      this.output = rt.createBuffer(
        'density-output',
        outputBytes,
        GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
      );
    }
    return { params: this.params, table: this.table, output: this.output };
  }

  /**
   * Dispatches once for all mixtures and returns the output buffer (mixture m at offset m·W·H);
   * `target` replaces the internal output (tests pass a NaN-poisoned one).
   */
  async dispatch(
    mixtures: readonly GaussianMixture[],
    grid: DensityGrid,
    target?: GPUBuffer,
  ): Promise<GPUBuffer> {
    validateDensityGrid(grid);
    if (mixtures.length === 0) throw new InputError('mixtures', 'needs at least one mixture');
    const slots = Math.max(1, ...mixtures.map((m) => m.components.length));
    const data = packComponents(mixtures, slots);
    const pixels = grid.width * grid.height;
    const buffers = this.ensure(data.byteLength, target ? 4 : 4 * pixels * mixtures.length);
    const output = target ?? buffers.output;
    const queue = this.runtime.device.queue;
    queue.writeBuffer(buffers.table, 0, data);
    queue.writeBuffer(
      buffers.params,
      0,
      DENSITY_PARAMS.pack({
        width: grid.width,
        height: grid.height,
        components: slots,
        mixtures: mixtures.length,
        origin: [grid.x0, grid.y1],
        step: [(grid.x1 - grid.x0) / grid.width, -(grid.y1 - grid.y0) / grid.height],
      }),
    );
    const pipeline = await this.runtime.pipeline(SHADER, 'evaluate', { WORKGROUP_SIZE });
    const group = this.runtime.bindGroup('density', pipeline, [
      buffers.params,
      buffers.table,
      output,
    ]);
    this.runtime.submit('density', (dispatch) => {
      dispatch(pipeline, group, Math.ceil(pixels / WORKGROUP_SIZE), mixtures.length);
    });
    return output;
  }

  /** Densities of every mixture on the grid: one dispatch, one readback. */
  async evaluate(mixtures: readonly GaussianMixture[], grid: DensityGrid): Promise<Float32Array> {
    const output = await this.dispatch(mixtures, grid);
    return this.runtime.readFloat32(output, grid.width * grid.height * mixtures.length);
  }

  dispose(): void {
    this.params?.destroy();
    this.table?.destroy();
    this.output?.destroy();
    this.params = this.table = this.output = undefined;
  }
}
