/**
 * GPU mixture densities (shaders/density.wgsl) against the float64 reference mixtureDensity of
 * src/ot/gmm.ts on the same pixel grid, for fresh random mixtures batched in one dispatch.
 *
 * Tolerance: the kernel evaluates exp(c − ½ q) in float32. q ≤ ~60 where the value still matters;
 * its rounding (a few ulps of each term, ≈ 1e-6 q) changes exp by ≈ 1e-6 q relative, and WGSL's
 * exp is accurate to 3 + 2|x| ulps. Relative to the largest density of the mixture this stays
 * below ~1e-5; we allow 1e-4 (measured on SwiftShader: see the logged value).
 */
import { describe, expect, it } from 'vitest';
import { GpuDensity, densityGridReference, type DensityGrid } from '../../src/gpu/density';
import type { GaussianMixture } from '../../src/ot/gaussian';
import { seededRandom } from '../../src/ot/random';
import { gpuRuntime, maxRelativeError, poisonedBuffer } from './runtime';

const TOLERANCE = 1e-4;
const seed = Date.now() % 2 ** 31;

function randomMixture(random: () => number, k: number): GaussianMixture {
  const raw = Array.from({ length: k }, () => 0.2 + random());
  const total = raw.reduce((s, v) => s + v, 0);
  const components = raw.map(() => {
    const angle = Math.PI * random();
    const a = 0.3 + 1.2 * random();
    const b = 0.3 + 1.2 * random();
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const off = (a * a - b * b) * c * s;
    return {
      mean: [4 * random() - 2, 4 * random() - 2],
      cov: [
        [a * a * c * c + b * b * s * s, off],
        [off, a * a * s * s + b * b * c * c],
      ],
    };
  });
  return { weights: raw.map((v) => v / total), components };
}

describe(`GPU mixture density (seed ${seed})`, () => {
  it('matches the float64 reference for a batch of random mixtures with different K', async () => {
    const runtime = await gpuRuntime();
    const random = seededRandom(seed);
    const mixtures = [1, 3, 2, 5].map((k) => randomMixture(random, k));
    const grid: DensityGrid = { width: 67, height: 41, x0: -4, x1: 4.5, y0: -3.5, y1: 4 };
    const pixels = grid.width * grid.height;
    const extra = 5;
    const target = poisonedBuffer(runtime, 'density-poisoned', pixels * mixtures.length + extra);
    const density = new GpuDensity(runtime);
    runtime.resetCounters();
    await density.dispatch(mixtures, grid, target);
    expect(runtime.counters.dispatches).toBe(1);
    const all = await runtime.readFloat32(target, pixels * mixtures.length + extra);
    target.destroy();
    expect(Array.from(all.subarray(pixels * mixtures.length)).every(Number.isNaN)).toBe(true);
    const reference = densityGridReference(mixtures, grid);
    mixtures.forEach((_, m) => {
      const gpu = all.subarray(m * pixels, (m + 1) * pixels);
      const cpu = reference.subarray(m * pixels, (m + 1) * pixels);
      const error = maxRelativeError(gpu, cpu);
      console.info(`mixture ${m}: max error / max density = ${error.toExponential(2)}`);
      expect(error).toBeLessThan(TOLERANCE);
    });
    density.dispose();
  });

  it('reuses its buffers: evaluate() gives the same values twice and after a smaller grid', async () => {
    const runtime = await gpuRuntime();
    const random = seededRandom(seed + 1);
    const mixtures = [randomMixture(random, 2), randomMixture(random, 1)];
    const big: DensityGrid = { width: 32, height: 32, x0: -3, x1: 3, y0: -3, y1: 3 };
    const small: DensityGrid = { ...big, width: 9, height: 7 };
    const density = new GpuDensity(runtime);
    const first = await density.evaluate(mixtures, big);
    const second = await density.evaluate(mixtures.slice(1), small);
    const third = await density.evaluate(mixtures, big);
    expect(Array.from(third)).toEqual(Array.from(first));
    expect(maxRelativeError(second, densityGridReference(mixtures.slice(1), small))).toBeLessThan(
      TOLERANCE,
    );
    density.dispose();
  });
});
