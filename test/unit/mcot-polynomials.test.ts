import { describe, expect, it } from 'vitest';
import {
  axisBasisAll,
  hermiteAll,
  legendreAll,
  monomialAll,
  scaledLegendreAll,
  type AxisBasis,
} from '../../src/ot/mcot/polynomials';
import { gaussHermite, gaussLegendreOn } from '../../src/ot/mcot/quadrature';
import { seededRandom } from '../../src/ot/random';

/** Central difference of degree-k entries of an "all degrees" routine. */
function centralDifference(
  evaluate: (x: number, out: Float64Array) => void,
  n: number,
  x: number,
  h = 1e-6,
): Float64Array {
  const plus = new Float64Array(n + 1);
  const minus = new Float64Array(n + 1);
  evaluate(x + h, plus);
  evaluate(x - h, minus);
  return plus.map((p, k) => (p - minus[k]!) / (2 * h));
}

describe('Legendre recurrences', () => {
  it('match the closed forms of P_2, P_3, P_4 and their derivatives', () => {
    const random = seededRandom(5);
    const values = new Float64Array(5);
    const derivatives = new Float64Array(5);
    for (let trial = 0; trial < 20; trial += 1) {
      const u = 2 * random() - 1;
      legendreAll(u, 4, values, 0, derivatives, 0);
      expect(values[2]).toBeCloseTo((3 * u * u - 1) / 2, 15);
      expect(values[3]).toBeCloseTo((5 * u ** 3 - 3 * u) / 2, 15);
      expect(values[4]).toBeCloseTo((35 * u ** 4 - 30 * u * u + 3) / 8, 15);
      expect(derivatives[3]).toBeCloseTo((15 * u * u - 3) / 2, 14);
      expect(derivatives[4]).toBeCloseTo((140 * u ** 3 - 60 * u) / 8, 14);
    }
  });

  it('gives P_n(±1) = (±1)^n and P′_n(1) = n(n+1)/2 up to n = 60', () => {
    const values = new Float64Array(61);
    const derivatives = new Float64Array(61);
    legendreAll(1, 60, values, 0, derivatives, 0);
    values.forEach((v) => {
      expect(v).toBeCloseTo(1, 13);
    });
    derivatives.forEach((d, n) => {
      expect(Math.abs(d / ((n * (n + 1)) / 2 || 1) - (n ? 1 : 0))).toBeLessThan(1e-13);
    });
    legendreAll(-1, 60, values);
    values.forEach((v, n) => {
      expect(v).toBeCloseTo((-1) ** n, 13);
    });
  });

  it('scaled Legendre on [a, b] is orthonormal for dx/(b − a) and has the chain-rule derivative', () => {
    const [a, b, n] = [-0.5, 2.5, 20];
    const rule = gaussLegendreOn(n + 1, a, b); // exact for degree 2n + 1
    const table = new Float64Array((n + 1) * rule.nodes.length);
    rule.nodes.forEach((x, q) => {
      scaledLegendreAll(x, a, b, n, table, q * (n + 1));
    });
    for (let j = 0; j <= n; j += 1) {
      for (let k = 0; k <= n; k += 1) {
        let sum = 0;
        rule.weights.forEach(
          (w, q) => (sum += w * table[q * (n + 1) + j]! * table[q * (n + 1) + k]!),
        );
        expect(Math.abs(sum / (b - a) - (j === k ? 1 : 0))).toBeLessThan(1e-13);
      }
    }
    const derivatives = new Float64Array(n + 1);
    scaledLegendreAll(0.7, a, b, n, new Float64Array(n + 1), 0, derivatives, 0);
    const numeric = centralDifference(
      (x, out) => {
        scaledLegendreAll(x, a, b, n, out);
      },
      n,
      0.7,
    );
    derivatives.forEach((d, k) => {
      expect(Math.abs(d - numeric[k]!)).toBeLessThan(1e-6 * (1 + Math.abs(d)));
    });
  });
});

describe('orthonormal probabilists’ Hermite', () => {
  it('h_3 = (x³ − 3x)/√6 and h_4 = (x⁴ − 6x² + 3)/√24, with derivatives', () => {
    const values = new Float64Array(5);
    const derivatives = new Float64Array(5);
    const [center, scale, x] = [0.4, 1.7, 2.3];
    hermiteAll(x, center, scale, 4, values, 0, derivatives, 0);
    const t = (x - center) / scale;
    expect(values[3]).toBeCloseTo((t ** 3 - 3 * t) / Math.sqrt(6), 14);
    expect(values[4]).toBeCloseTo((t ** 4 - 6 * t * t + 3) / Math.sqrt(24), 14);
    expect(derivatives[3]).toBeCloseTo((3 * t * t - 3) / Math.sqrt(6) / scale, 14);
    expect(derivatives[0]).toBe(0);
  });

  it('is orthonormal under the standard normal (exact Gauss–Hermite) up to degree 40', () => {
    const n = 40;
    const rule = gaussHermite(n + 1);
    const table = new Float64Array(n + 1);
    const gram = new Float64Array((n + 1) * (n + 1));
    rule.nodes.forEach((x, q) => {
      hermiteAll(x, 0, 1, n, table);
      for (let j = 0; j <= n; j += 1)
        for (let k = 0; k <= n; k += 1)
          gram[j * (n + 1) + k]! += rule.weights[q]! * table[j]! * table[k]!;
    });
    gram.forEach((g, index) => {
      const diagonal = index % (n + 2) === 0;
      expect(Math.abs(g - (diagonal ? 1 : 0))).toBeLessThan(1e-12);
    });
  });

  it('derivatives agree with central differences for every family', () => {
    const bases: AxisBasis[] = [
      { family: 'legendre', a: 0, b: 1 },
      { family: 'hermite', center: -1, scale: 0.5 },
      { family: 'monomial' },
    ];
    for (const basis of bases) {
      const n = 8;
      const derivatives = new Float64Array(n + 1);
      axisBasisAll(basis, 0.3, n, new Float64Array(n + 1), 0, derivatives, 0);
      const numeric = centralDifference(
        (x, out) => {
          axisBasisAll(basis, x, n, out);
        },
        n,
        0.3,
      );
      derivatives.forEach((d, k) => {
        expect(Math.abs(d - numeric[k]!)).toBeLessThan(2e-6 * (1 + Math.abs(d)));
      });
    }
  });

  it('monomials and offsets: writes only its slice', () => {
    const out = new Float64Array(8).fill(-7);
    monomialAll(2, 3, out, 2);
    expect(Array.from(out)).toEqual([-7, -7, 1, 2, 4, 8, -7, -7]);
  });
});
