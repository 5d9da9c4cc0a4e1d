import { describe, expect, it } from 'vitest';
import {
  gaussHermite,
  gaussLegendre,
  gaussLegendreOn,
  gaussNodesForDegree,
  integrateAdaptive,
  symmetricTridiagonalEigen,
} from '../../src/ot/mcot/quadrature';

const relative = (value: number, exact: number) => Math.abs(value - exact) / Math.abs(exact);

/** (k − 1)!! = E Z^k for even k. */
function doubleFactorial(k: number): number {
  let product = 1;
  for (let j = k; j > 1; j -= 2) product *= j;
  return product;
}

describe('symmetric tridiagonal QL', () => {
  it('finds the eigenvalues 2 − 2cos(jπ/(n+1)) of the [−1, 2, −1] matrix', () => {
    const n = 40;
    const { values, firstComponents } = symmetricTridiagonalEigen(
      new Array<number>(n).fill(2),
      new Array<number>(n - 1).fill(-1),
    );
    const sorted = Array.from(values).sort((x, y) => x - y);
    sorted.forEach((value, j) => {
      expect(Math.abs(value - (2 - 2 * Math.cos(((j + 1) * Math.PI) / (n + 1))))).toBeLessThan(
        1e-14,
      );
    });
    // First components of an orthonormal eigenbasis: their squares sum to 1.
    expect(firstComponents.reduce((s, z) => s + z * z, 0)).toBeCloseTo(1, 14);
  });

  it('handles n = 1 and a diagonal (already split) matrix', () => {
    expect(Array.from(symmetricTridiagonalEigen([3], []).values)).toEqual([3]);
    const split = symmetricTridiagonalEigen([1, 5, 2], [0, 0]);
    expect(Array.from(split.values).sort()).toEqual([1, 2, 5]);
    expect(() => symmetricTridiagonalEigen([1, 2], [])).toThrow(/offDiagonal/);
  });
});

describe('Gauss–Legendre', () => {
  it('matches tabulated 5-point nodes and weights', () => {
    const rule = gaussLegendre(5);
    const nodes = [
      -0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664,
    ];
    const weights = [
      0.2369268850561891,
      0.4786286704993665,
      128 / 225,
      0.4786286704993665,
      0.2369268850561891,
    ];
    nodes.forEach((x, i) => {
      expect(Math.abs(rule.nodes[i]! - x)).toBeLessThan(2e-16);
    });
    weights.forEach((w, i) => {
      expect(relative(rule.weights[i]!, w)).toBeLessThan(3e-15);
    });
  });

  it('matches a 40-digit reference at the outermost node for n = 100', () => {
    // mpmath (dps 40), Newton on P_100 and w = 2/((1 − x²)P'_100(x)²).
    const rule = gaussLegendre(100);
    expect(Math.abs(rule.nodes[99]! - 0.9997137267734413)).toBeLessThan(2e-16);
    expect(relative(rule.weights[99]!, 0.0007346344905056717)).toBeLessThan(3e-13);
  });

  it('integrates x^k exactly for k ≤ 2n − 1, n = 1..100', () => {
    let worst = 0;
    for (let n = 1; n <= 100; n += 1) {
      const rule = gaussLegendre(n);
      for (let k = 0; k <= 2 * n - 1; k += 1) {
        let sum = 0;
        rule.nodes.forEach((x, i) => (sum += rule.weights[i]! * x ** k));
        const exact = k % 2 === 1 ? 0 : 2 / (k + 1);
        // Odd powers: absolute (the exact value is 0); even: relative, with the x^k conditioning.
        const error = k % 2 === 1 ? Math.abs(sum) : relative(sum, exact) / (1 + k / 10);
        worst = Math.max(worst, error);
      }
    }
    expect(worst).toBeLessThan(5e-15);
  });

  it('maps to [a, b] and fails on a degree 2n polynomial (exactness is sharp)', () => {
    const rule = gaussLegendreOn(3, 1, 4);
    const integral = (k: number) =>
      rule.nodes.reduce((s, x, i) => s + rule.weights[i]! * x ** k, 0);
    expect(relative(integral(5), (4 ** 6 - 1) / 6)).toBeLessThan(1e-14);
    expect(relative(integral(6), (4 ** 7 - 1) / 7)).toBeGreaterThan(1e-6);
    expect(gaussNodesForDegree(5)).toBe(3);
    expect(gaussNodesForDegree(6)).toBe(4);
    expect(() => gaussLegendre(0)).toThrow(RangeError);
  });
});

describe('Gauss–Hermite (probabilists’, a probability rule)', () => {
  it('has nodes 0, ±√3 and weights 2/3, 1/6 for n = 3', () => {
    const rule = gaussHermite(3);
    expect(Math.abs(rule.nodes[0]! + Math.sqrt(3))).toBeLessThan(1e-15);
    expect(Math.abs(rule.nodes[1]!)).toBeLessThan(1e-15);
    expect(relative(rule.weights[1]!, 2 / 3)).toBeLessThan(1e-15);
    expect(relative(rule.weights[2]!, 1 / 6)).toBeLessThan(1e-15);
  });

  it('matches 40-digit references, tiny outer weights included', () => {
    // mpmath (dps 40): Newton on He_n, w = n!/(n² He_{n−1}(x)²).
    const r100 = gaussHermite(100);
    expect(relative(r100.nodes[99]!, 18.959636217387708)).toBeLessThan(2e-16);
    expect(relative(r100.weights[99]!, 3.3332703483438384e-79)).toBeLessThan(1e-13);
    const r20 = gaussHermite(20);
    expect(relative(r20.nodes[19]!, 7.619048541679758)).toBeLessThan(2e-16);
    expect(relative(r20.weights[19]!, 1.257800672437927e-13)).toBeLessThan(1e-14);
  });

  it('gives E Z^k = (k − 1)!! exactly for k ≤ 2n − 1, n = 1..100', () => {
    let worst = 0;
    for (let n = 1; n <= 100; n += 1) {
      const rule = gaussHermite(n);
      for (let k = 0; k <= 2 * n - 1; k += 1) {
        let sum = 0;
        rule.nodes.forEach((x, i) => (sum += rule.weights[i]! * x ** k));
        const error =
          k % 2 === 1 ? Math.abs(sum) / doubleFactorial(k) : relative(sum, doubleFactorial(k - 1));
        worst = Math.max(worst, error);
      }
    }
    expect(worst).toBeLessThan(5e-15);
  });
});

describe('adaptive Gauss–Legendre', () => {
  it('integrates endpoint singularities and kinks to the tolerance', () => {
    const sqrt = integrateAdaptive(Math.sqrt, 0, 1, { tolerance: 1e-14 });
    expect(Math.abs(sqrt.value - 2 / 3)).toBeLessThan(1e-14);
    const cbrt = integrateAdaptive((x) => Math.cbrt(Math.abs(x - 0.3)), 0, 1, { tolerance: 1e-14 });
    const exact = 0.75 * (0.7 ** (4 / 3) + 0.3 ** (4 / 3));
    expect(Math.abs(cbrt.value - exact)).toBeLessThan(1e-13);
    expect(cbrt.evaluations).toBeLessThan(20_000);
  });

  it('resolves a narrow peak: ∫ 1/(x² + η²) = 2 atan(1/η)/η on [−1, 1]', () => {
    const eta = 1e-4;
    const result = integrateAdaptive((x) => 1 / (x * x + eta * eta), -1, 1, { tolerance: 1e-9 });
    expect(relative(result.value, (2 * Math.atan(1 / eta)) / eta)).toBeLessThan(1e-12);
  });
});
