/**
 * GPU Philox4x32-10 and normals (shaders/random.wgsl) against the CPU reference src/ot/philox.ts:
 * raw u32 outputs bit-exact; normals within NORMAL_TOLERANCE of the float64 values.
 */
import { describe, expect, it } from 'vitest';
import { gpuFillNormals, gpuPhiloxRaw } from '../../src/gpu/random';
import { fillNormals, philox4x32 } from '../../src/ot/philox';
import { gpuRuntime, poisonedBuffer } from './runtime';
import { seededRandom } from '../../src/ot/random';

/**
 * Box–Muller in float32 vs float64, per factor of z = r (cos θ, sin θ). The uniforms are identical
 * on both sides. −ln u: WGSL allows an absolute 2^-21 from log() on [0.5, 2] (the series takes
 * over for u > 1 − 2^-6), so r = √(−2 ln u) is off by at most ≈ 2.7e-6 (worst at u = 1 − 2^-6,
 * r = 0.18), a few ulps elsewhere. (cos πt, sin πt) is our own exactly reduced polynomial, ≈ 1e-7,
 * times r ≤ 5.77. Bound ≈ 2.7e-6 + 5.77 · 3e-7 < 5e-6; the tolerance leaves a factor 2.
 * Measured on SwiftShader: ≈ 5e-7.
 */
const NORMAL_TOLERANCE = 1e-5;

const seed = Date.now() % 2 ** 31;

const hexWords = (words: Uint32Array) => Array.from(words, (w) => w.toString(16)).join(' ');

function randomPairs(count: number): Uint32Array {
  const random = seededRandom(seed);
  const pairs = new Uint32Array(8 * count);
  for (let k = 0; k < pairs.length; k += 1) pairs[k] = Math.floor(random() * 2 ** 32);
  // The Random123 known-answer inputs first: zeros, all ones, digits of pi.
  pairs.set([0, 0, 0, 0, 0, 0, 0, 0], 0);
  pairs.set([~0, ~0, ~0, ~0, ~0, ~0, 0, 0], 8);
  pairs.set([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0, 0], 16);
  return pairs;
}

async function gpuNormals(
  count: number,
  normalSeed: number,
  offset: number,
  maxWorkgroups?: number,
) {
  const runtime = await gpuRuntime();
  const extra = 7; // poisoned elements after the fill must stay NaN
  const buffer = poisonedBuffer(runtime, 'normals', count + extra);
  await gpuFillNormals(runtime, buffer, count, normalSeed, offset, maxWorkgroups);
  const values = await runtime.readFloat32(buffer, count + extra);
  buffer.destroy();
  expect(Array.from(values.subarray(count)).every(Number.isNaN), 'wrote past count').toBe(true);
  return values.subarray(0, count);
}

describe(`GPU Philox (seed ${seed})`, () => {
  it('raw u32 outputs equal the CPU ones bit for bit (known answers + 4096 random pairs)', async () => {
    const runtime = await gpuRuntime();
    const pairs = randomPairs(4096);
    const gpu = await gpuPhiloxRaw(runtime, pairs);
    expect(Array.from(gpu.subarray(0, 4))).toEqual([
      0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8,
    ]);
    for (let k = 0; k < 4096; k += 1) {
      const p = pairs.subarray(8 * k, 8 * k + 6);
      const cpu = philox4x32([p[0]!, p[1]!, p[2]!, p[3]!], [p[4]!, p[5]!]);
      const got = Array.from(gpu.subarray(4 * k, 4 * k + 4));
      if (got.some((word, lane) => word !== cpu[lane])) {
        expect(
          got,
          `pair ${k}: counter ${hexWords(p.subarray(0, 4))}, key ${hexWords(p.subarray(4))}`,
        ).toEqual(cpu);
      }
    }
  });

  it(`normals agree with float64 within ${NORMAL_TOLERANCE}, offsets crossing a 2^32 block boundary`, async () => {
    // Offset 4 (2^32 − 100) + 1: the first block is unaligned and the block counter carries into
    // its high word during the fill; the key has a non-zero high word too.
    const normalSeed = 2 ** 33 + seed;
    const cases = [
      { count: 20_001, offset: 0 },
      { count: 1001, offset: 4 * (2 ** 32 - 100) + 1 },
      { count: 3, offset: 6 },
    ];
    for (const { count, offset } of cases) {
      const gpu = await gpuNormals(count, normalSeed, offset);
      const cpu = new Float64Array(count);
      fillNormals(cpu, normalSeed, offset);
      let worst = 0;
      gpu.forEach((z, k) => {
        worst = Math.max(worst, Math.abs(z - cpu[k]!));
      });
      console.info(
        `normals count ${count} offset ${offset}: max |gpu - cpu| = ${worst.toExponential(2)}`,
      );
      expect(Number.isNaN(worst), 'NaN in output').toBe(false);
      expect(worst, `count ${count}, offset ${offset}`).toBeLessThan(NORMAL_TOLERANCE);
    }
  });

  it('gives identical bits whatever the dispatch shape and however the range is split', async () => {
    const whole = await gpuNormals(5000, seed, 13);
    const oneWorkgroup = await gpuNormals(5000, seed, 13, 1);
    const head = await gpuNormals(1234, seed, 13);
    const tail = await gpuNormals(5000 - 1234, seed, 13 + 1234, 3);
    expect(oneWorkgroup).toEqual(whole);
    expect(Float32Array.from([...head, ...tail])).toEqual(whole);
  });

  it('rejects fills that do not fit their buffer', async () => {
    const runtime = await gpuRuntime();
    const buffer = poisonedBuffer(runtime, 'small', 4);
    await expect(gpuFillNormals(runtime, buffer, 5, 1, 0)).rejects.toThrow(
      '5 normals do not fit in buffer small (16 bytes)',
    );
    await expect(gpuFillNormals(runtime, buffer, 4, -1, 0)).rejects.toThrow('seed must be');
    buffer.destroy();
  });
});
