import { describe, expect, it } from 'vitest';
import {
  boxMuller,
  fillNormals,
  mulhilo32,
  normalAt,
  normalsAt,
  philox4x32,
  philoxUniform,
} from '../../src/ot/philox';
import { seededRandom } from '../../src/ot/random';

/**
 * Known-answer vectors from Random123 (DEShawResearch/random123, tests/kat_vectors): the three
 * "philox4x32 10" lines and the matching "philox4x32 7" lines. Columns: counter, key, output.
 */
const KAT: { rounds: number; counter: number[]; key: number[]; expected: number[] }[] = [
  {
    rounds: 10,
    counter: [0, 0, 0, 0],
    key: [0, 0],
    expected: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  },
  {
    rounds: 10,
    counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    key: [0xffffffff, 0xffffffff],
    expected: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  },
  {
    rounds: 10,
    counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    key: [0xa4093822, 0x299f31d0],
    expected: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  },
  {
    rounds: 7,
    counter: [0, 0, 0, 0],
    key: [0, 0],
    expected: [0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48],
  },
  {
    rounds: 7,
    counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    key: [0xffffffff, 0xffffffff],
    expected: [0x5207ddc2, 0x45165e59, 0x4d8ee751, 0x8c52f662],
  },
  {
    rounds: 7,
    counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    key: [0xa4093822, 0x299f31d0],
    expected: [0x4dfccaba, 0x190a87f0, 0xc47362ba, 0xb6b5242a],
  },
];

const hex = (words: readonly number[]) => words.map((w) => w.toString(16).padStart(8, '0'));

/** Standard normal CDF (Abramowitz & Stegun 26.2.17, absolute error < 7.5e-8). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly =
    t *
    (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return x >= 0 ? 1 - tail : tail;
}

describe('Philox4x32 (CPU reference)', () => {
  it.each(KAT.map((v) => [v.rounds, hex(v.counter).join(' '), v] as const))(
    'matches the Random123 known answer for %i rounds, counter %s',
    (rounds, _counter, { counter, key, expected }) => {
      const out = philox4x32(
        counter as [number, number, number, number],
        key as [number, number],
        rounds,
      );
      expect(hex(out)).toEqual(hex(expected));
    },
  );

  it('mulhilo32 equals the exact 64-bit product (BigInt) on random and extreme words', () => {
    const random = seededRandom(20110101);
    const words = [0, 1, 0xffff, 0x10000, 0xffffffff, 0xd2511f53, 0xcd9e8d57];
    for (let k = 0; k < 2000; k += 1) words.push(Math.floor(random() * 2 ** 32));
    for (let k = 0; k + 1 < words.length; k += 1) {
      const a = words[k]!;
      const b = words[words.length - 1 - k]!;
      const product = BigInt(a) * BigInt(b);
      expect(mulhilo32(a, b)).toEqual([Number(product >> 32n), Number(product & 0xffffffffn)]);
    }
  });

  it('maps u32 to uniforms in (0, 1] on the 2^-24 grid', () => {
    expect(philoxUniform(0)).toBe(2 ** -24);
    expect(philoxUniform(0xff)).toBe(2 ** -24);
    expect(philoxUniform(0x100)).toBe(2 ** -23);
    expect(philoxUniform(0xffffffff)).toBe(1);
    // u1 = 1 gives r = 0; the largest radius comes from u1 = 2^-24.
    expect(boxMuller(0xffffffff, 0).map(Math.abs)).toEqual([0, 0]);
    expect(Math.hypot(...boxMuller(0, 0x12345678))).toBeCloseTo(Math.sqrt(48 * Math.LN2), 12);
  });
});

describe('normal stream', () => {
  const N = 100_000;
  const samples = new Float64Array(N);
  fillNormals(samples, 12345, 0);

  it('has mean 0, variance 1, fourth moment 3 within 4.5 standard errors on 1e5 samples', () => {
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (const z of samples) {
      m1 += z;
      m2 += z * z;
      m4 += z ** 4;
    }
    m1 /= N;
    m2 /= N;
    m4 /= N;
    // Standard errors of the sample moments of N(0, 1): √(1/N), √(2/N), √(96/N) (Var z⁴ = 105 − 9).
    expect(Math.abs(m1)).toBeLessThan(4.5 * Math.sqrt(1 / N));
    expect(Math.abs(m2 - 1)).toBeLessThan(4.5 * Math.sqrt(2 / N));
    expect(Math.abs(m4 - 3)).toBeLessThan(4.5 * Math.sqrt(96 / N));
  });

  it('passes a Kolmogorov–Smirnov test against N(0, 1) at level 0.001', () => {
    const sorted = Float64Array.from(samples).sort();
    let d = 0;
    sorted.forEach((z, k) => {
      const cdf = normalCdf(z);
      d = Math.max(d, Math.abs(cdf - k / N), Math.abs((k + 1) / N - cdf));
    });
    expect(d).toBeLessThan(1.949 / Math.sqrt(N)); // asymptotic critical value, α = 0.001
  });

  it('has uncorrelated lanes and neighbouring blocks (|r| < 4.5/√N)', () => {
    for (const lag of [1, 2, 3, 4, 5]) {
      let sum = 0;
      for (let k = 0; k + lag < N; k += 1) sum += samples[k]! * samples[k + lag]!;
      expect(Math.abs(sum / (N - lag)), `lag ${lag}`).toBeLessThan(4.5 / Math.sqrt(N));
    }
  });

  it('indexes elements consistently: fills at any offset equal normalAt, across 2^32 blocks', () => {
    const seed = 2 ** 40 + 17; // key with a non-zero high word
    for (const offset of [0, 3, 4 * (2 ** 32 - 2) + 1, 2 ** 52]) {
      const out = new Float64Array(13);
      fillNormals(out, seed, offset);
      out.forEach((z, k) => {
        expect(z).toBe(normalAt(seed, offset + k));
      });
    }
    expect(normalsAt(seed, 5)[2]).toBe(normalAt(seed, 22));
  });

  it('gives different streams for different seeds', () => {
    expect(normalsAt(1, 0)).not.toEqual(normalsAt(2, 0));
    expect(normalsAt(1, 0)).not.toEqual(normalsAt(2 ** 32 + 1, 0));
  });

  it('rejects seeds and offsets that are not safe non-negative integers', () => {
    expect(() => normalAt(-1, 0)).toThrow('seed must be an integer in [0, 2^53 - 1], got -1');
    expect(() => normalAt(1.5, 0)).toThrow('seed must be an integer');
    expect(() => normalAt(1, -4)).toThrow('offset must be an integer in [0, 2^53 - 1], got -4');
    expect(() => {
      fillNormals(new Float64Array(4), 1, 2 ** 53 - 2);
    }).toThrow('offset + count < 2^53');
  });
});
