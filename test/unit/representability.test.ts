/**
 * The k-representable pair densities of the two-state model (seed 002): the region against the
 * exact LP (twoStateOptimal), nesting in k, the mean-field limit, and the seed's inequality, which
 * for two states is exactly 3-representability.
 */
import { describe, expect, it } from 'vitest';
import {
  checkRepresentability,
  fixedCountPair,
  pairMatrix,
  twoStateMaxMixed,
  twoStateMeanField,
  twoStateOptimal,
  twoStateRegionVertices,
  twoStateRepresentability,
  type TwoStateModel,
} from '../../src/ot/mcot/sce';
import { seededRandom } from '../../src/ot/random';

const model: TwoStateModel = { uDiag: 1, uAB: 0.2, t: 0.3 };

describe('k-representable two-state pair densities', () => {
  it('the optimal cost per pair is attained on the upper boundary of the k-region', () => {
    for (const t of [0, 0.1, 0.3, 0.5, 0.77, 1]) {
      for (let k = 2; k <= 30; k += 1) {
        const alpha = twoStateMaxMixed(t, k);
        const cost = model.uDiag * (1 - 2 * alpha) + model.uAB * 2 * alpha;
        expect(twoStateOptimal({ ...model, t }, k).costPerPair).toBeCloseTo(cost, 12);
      }
    }
  });

  it('the regions are nested and shrink to the mean-field bound t(1 − t)', () => {
    const random = seededRandom(1);
    for (let trial = 0; trial < 200; trial += 1) {
      const t = random();
      let previous = Infinity;
      for (let k = 2; k <= 40; k += 1) {
        const alpha = twoStateMaxMixed(t, k);
        expect(alpha).toBeLessThanOrEqual(previous + 1e-15);
        expect(alpha).toBeGreaterThanOrEqual(t * (1 - t) - 1e-15);
        previous = alpha;
      }
      expect(twoStateMaxMixed(t, 4000) - t * (1 - t)).toBeLessThan(1e-3);
    }
    const costs = Array.from({ length: 60 }, (_, k) => twoStateOptimal(model, k + 2).costPerPair);
    costs.slice(1).forEach((c, k) => {
      expect(c).toBeGreaterThanOrEqual(costs[k]! - 1e-14);
    });
    expect(twoStateMeanField(model) - costs.at(-1)!).toBeGreaterThanOrEqual(0);
    expect(twoStateMeanField(model) - costs.at(-1)!).toBeLessThan(1e-2);
  });

  it('mixtures of the fixed-count components are inside; the vertices are the components', () => {
    const random = seededRandom(2);
    for (const k of [2, 3, 5, 9]) {
      twoStateRegionVertices(k).forEach(([t, alpha], j) => {
        const pair = fixedCountPair(k, j);
        expect(t).toBeCloseTo(j / k, 15);
        expect(alpha).toBeCloseTo(pair.AB, 15);
        expect(twoStateRepresentability(pair, k).largestK).toBeGreaterThanOrEqual(k);
      });
      for (let trial = 0; trial < 50; trial += 1) {
        const w = Array.from({ length: k + 1 }, () => random() ** 3);
        const total = w.reduce((s, v) => s + v, 0);
        const pair = { AA: 0, AB: 0, BA: 0, BB: 0 };
        w.forEach((wj, j) => {
          const c = fixedCountPair(k, j);
          pair.AA += (wj / total) * c.AA;
          pair.AB += (wj / total) * c.AB;
          pair.BA += (wj / total) * c.BA;
          pair.BB += (wj / total) * c.BB;
        });
        expect(twoStateRepresentability(pair, k, 1e-12).largestK).toBeGreaterThanOrEqual(k);
      }
    }
  });

  it('the inequality of seed 002 is exactly 3-representability for symmetric densities', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 500; trial += 1) {
      const [AA, mixed, BB] = [random(), random(), random()];
      const pair = { AA, AB: mixed, BA: mixed, BB };
      const result = twoStateRepresentability(pair, 3, 1e-12);
      const direct = checkRepresentability(pairMatrix(pair));
      expect(result.inequality.satisfied).toBe(direct.satisfied);
      expect(result.inequality.satisfied).toBe(result.largestK >= 3);
    }
  });

  it('asymmetric densities are not representable; normalisation is reported', () => {
    const result = twoStateRepresentability({ AA: 2, AB: 1, BA: 0.5, BB: 0.5 }, 10);
    expect(result.total).toBe(4);
    expect(result.asymmetry).toBeCloseTo(0.125, 15);
    expect(result.largestK).toBe(0);
    expect(twoStateRepresentability({ AA: 0.25, AB: 0.25, BA: 0.25, BB: 0.25 }, 10).largestK).toBe(
      Infinity,
    );
    // Only mixed pairs: 2-representable (two particles, one in each state) but no more.
    expect(twoStateRepresentability({ AA: 0, AB: 0.5, BA: 0.5, BB: 0 }, 10).largestK).toBe(2);
    expect(() => twoStateRepresentability({ AA: 0, AB: 0, BA: 0, BB: 0 }, 3)).toThrow(/no mass/);
    expect(() => twoStateMaxMixed(1.5, 3)).toThrow(RangeError);
  });
});
