/**
 * Philox4x32-10 counter-based random numbers (Salmon, Moraes, Dror, Shaw, "Parallel random numbers:
 * as easy as 1, 2, 3", SC 2011; Random123) and Box–Muller normals, exactly as shaders/lib/philox.wgsl
 * computes them: the u32 outputs are bit-identical, the uniforms exact, the normals float64.
 *
 * Stream convention (shared with shaders/random.wgsl): element e of the stream of `seed` is lane
 * e mod 4 of block ⌊e/4⌋, drawn with counter [block low word, block high word, 0, 0] and key
 * [seed low word, seed high word]. CPU and GPU solvers therefore draw the same noise sequence.
 */

export type Philox4 = [number, number, number, number];
export type PhiloxKey = [number, number];

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9; // golden ratio
const W1 = 0xbb67ae85; // sqrt(3) - 1
const TWO_32 = 2 ** 32;
const TWO_M24 = 2 ** -24;

/** [high, low] words of the 64-bit product of two u32, via 16-bit halves as the WGSL does. */
export function mulhilo32(a: number, b: number): [number, number] {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const ll = aLo * bLo;
  const lh = aLo * bHi;
  const hl = aHi * bLo;
  const hh = aHi * bHi; // each < 2^32: exact in doubles
  const middle = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  const high = (hh + (lh >>> 16) + (hl >>> 16) + (middle >>> 16)) >>> 0;
  return [high, Math.imul(a, b) >>> 0];
}

function philoxRound(c: Philox4, k0: number, k1: number): Philox4 {
  const [hi0, lo0] = mulhilo32(M0, c[0]);
  const [hi1, lo1] = mulhilo32(M1, c[2]);
  return [(hi1 ^ c[1] ^ k0) >>> 0, lo1, (hi0 ^ c[3] ^ k1) >>> 0, lo0];
}

/** Philox4x32 with `rounds` rounds (10 is the standard, crush-resistant choice). */
export function philox4x32(
  counter: readonly [number, number, number, number],
  key: readonly [number, number],
  rounds = 10,
): Philox4 {
  let c: Philox4 = [counter[0] >>> 0, counter[1] >>> 0, counter[2] >>> 0, counter[3] >>> 0];
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  for (let round = 0; round < rounds; round += 1) {
    c = philoxRound(c, k0, k1);
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return c;
}

/** Uniform in (0, 1]: ((x >> 8) + 1) 2^-24, exact in float32 and float64 alike. */
export function philoxUniform(x: number): number {
  return ((x >>> 8) + 1) * TWO_M24;
}

/** Box–Muller: r = √(−2 ln u1), θ = π (2 u2 − 1); returns [r cos θ, r sin θ]. */
export function boxMuller(x1: number, x2: number): [number, number] {
  const r = Math.sqrt(-2 * Math.log(philoxUniform(x1)));
  const theta = Math.PI * (2 * philoxUniform(x2) - 1);
  return [r * Math.cos(theta), r * Math.sin(theta)];
}

/** Splits a seed (a safe integer ≥ 0) into the Philox key [low word, high word]. */
export function philoxKey(seed: number): PhiloxKey {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be an integer in [0, 2^53 - 1], got ${seed}`);
  }
  return [seed % TWO_32, Math.floor(seed / TWO_32)];
}

/** Counter of Philox block `block` (a safe integer ≥ 0) of a stream. */
export function blockCounter(block: number): Philox4 {
  return [block % TWO_32, Math.floor(block / TWO_32), 0, 0];
}

/** Checks that elements offset … offset + count − 1 exist in a stream (indices below 2^53). */
export function checkStreamRange(offset: number, count: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`offset must be an integer in [0, 2^53 - 1], got ${offset}`);
  }
  if (!Number.isSafeInteger(count) || count < 0 || !Number.isSafeInteger(offset + count)) {
    throw new RangeError(
      `count must be an integer >= 0 with offset + count < 2^53, got count ${count}`,
    );
  }
}

/** The four standard normals of block `block` of the stream of `seed`. */
export function normalsAt(seed: number, block: number): [number, number, number, number] {
  checkStreamRange(block, 0);
  const bits = philox4x32(blockCounter(block), philoxKey(seed));
  return [...boxMuller(bits[0], bits[1]), ...boxMuller(bits[2], bits[3])];
}

/** Element `index` of the normal stream of `seed`. */
export function normalAt(seed: number, index: number): number {
  checkStreamRange(index, 1);
  return normalsAt(seed, Math.floor(index / 4))[index % 4]!;
}

/** Writes elements offset … offset + out.length − 1 of the stream of `seed` into `out`. */
export function fillNormals(
  out: { length: number; [k: number]: number },
  seed: number,
  offset: number,
): void {
  checkStreamRange(offset, out.length);
  philoxKey(seed);
  const end = offset + out.length;
  for (let block = Math.floor(offset / 4); 4 * block < end; block += 1) {
    const z = normalsAt(seed, block);
    for (let lane = 0; lane < 4; lane += 1) {
      const e = 4 * block + lane;
      if (e >= offset && e < end) out[e - offset] = z[lane]!;
    }
  }
}
