/**
 * Pure helpers of the Gaussian barycenter lab (src/app/scenes/gaussianBarycenter): the simplex
 * picker's geometry and slider renormalisation, URL-parameter checks with their fallbacks, the
 * marginal errors and the drawing helpers, against closed forms and independent characterisations.
 */
import { describe, expect, it } from 'vitest';
import { gaussianW2 } from '../../src/ot/gaussian';
import { inverseSpd, matvec } from '../../src/ot/linalg';
import { defaultValues } from '../../src/app/params';
import {
  barycenterResults,
  l2Barycenter,
  twoBumps,
  covarianceEllipse,
  densityGrid,
  gridCoordinates,
  marginalDensity,
  marginal1d,
  marginalResults,
  romResults,
  sceneInputs,
  snapshotTimes,
  w2Gaussian1d,
} from '../../src/app/scenes/gaussianBarycenter/model';
import { gaussianBarycenterParams } from '../../src/app/scenes/gaussianBarycenter/params';
import {
  barycentricCoordinates,
  checkedWeights,
  moveWeights,
  pickerTriangle,
  pointToWeights,
  projectToSimplex,
  setWeight,
  weightsToPoint,
} from '../../src/app/components/simplex';
import { seededRandom } from '../../src/ot/random';

const triangle = pickerTriangle(230, 200, 22);
const defaults = defaultValues(gaussianBarycenterParams);

function randomSimplex(random: () => number, n: number): number[] {
  const e = Array.from({ length: n }, () => -Math.log(1 - random()));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}

describe('simplex picker geometry', () => {
  it('maps weights to points and back (random weights, 1e-12)', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 200; trial += 1) {
      const weights = randomSimplex(random, 3);
      const back = pointToWeights(triangle, weightsToPoint(triangle, weights));
      back.forEach((w, k) => {
        expect(w).toBeCloseTo(weights[k]!, 12);
      });
    }
  });

  it('puts the unit weights on the vertices', () => {
    triangle.forEach((v, k) => {
      const coordinates = barycentricCoordinates(triangle, v);
      coordinates.forEach((c, i) => {
        expect(c).toBeCloseTo(i === k ? 1 : 0, 12);
      });
    });
  });

  it('snaps points outside the triangle onto it', () => {
    expect(pointToWeights(triangle, { x: 115, y: -500 })).toEqual([1, 0, 0]);
    const below = pointToWeights(triangle, { x: 115, y: 400 });
    expect(below[0]).toBe(0);
    expect(below[1]! + below[2]!).toBeCloseTo(1, 12);
  });

  it('projects onto the simplex (KKT conditions of the Euclidean projection)', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 200; trial += 1) {
      const v = Array.from({ length: 4 }, () => 4 * random() - 2);
      const p = projectToSimplex(v);
      expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
      // p = max(v − θ, 0): v − p equals θ on the support and v ≤ θ off it.
      const support = p.flatMap((x, i) => (x > 0 ? [i] : []));
      const theta = v[support[0]!]! - p[support[0]!]!;
      p.forEach((x, i) => {
        if (x > 0) expect(v[i]! - x).toBeCloseTo(theta, 12);
        else expect(v[i]!).toBeLessThanOrEqual(theta + 1e-12);
      });
    }
  });

  it('moves the point with the arrow keys and ignores other keys', () => {
    const centre = [1 / 3, 1 / 3, 1 / 3];
    const right = moveWeights(triangle, centre, 'ArrowRight', 4)!;
    expect(right[2]).toBeGreaterThan(1 / 3);
    expect(right[1]).toBeLessThan(1 / 3);
    const up = moveWeights(triangle, centre, 'ArrowUp', 4)!;
    expect(up[0]).toBeGreaterThan(1 / 3);
    expect(moveWeights(triangle, centre, 'Enter', 4)).toBeUndefined();
    // Moving right and back left returns to the start.
    const back = moveWeights(triangle, right, 'ArrowLeft', 4)!;
    back.forEach((w) => {
      expect(w).toBeCloseTo(1 / 3, 12);
    });
  });

  it('renormalises the other weights when one slider moves', () => {
    const next = setWeight([0.2, 0.3, 0.5], 0, 0.6);
    expect(next[0]).toBe(0.6);
    expect(next[1]! / next[2]!).toBeCloseTo(0.3 / 0.5, 12);
    expect(next.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    expect(setWeight([1, 0, 0], 0, 0.4)).toEqual([0.4, 0.3, 0.3]);
    expect(setWeight([0.2, 0.3, 0.5], 2, 7)).toEqual([0, 0, 1]);
  });
});

describe('scene inputs', () => {
  it('normalises weights on the simplex and rejects others with a message', () => {
    const issues: string[] = [];
    expect(checkedWeights([0.3333, 0.3333, 0.3334], issues)).toEqual([0.3333, 0.3333, 0.3334]);
    expect(issues).toEqual([]);
    expect(checkedWeights([0.9, 0.9, 0.1], issues)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(issues[0]).toMatch(/not on the simplex/);
  });

  it('falls back to the default Gaussian when a covariance is not SPD', () => {
    const inputs = sceneInputs({ ...defaults, v2x: 1, v2y: 1, c2: 1.5 });
    expect(inputs.issues).toHaveLength(1);
    expect(inputs.issues[0]).toMatch(/Gaussian 2\.cov.*not positive definite/);
    expect(inputs.gaussians[1]!.cov).toEqual([
      [defaults.v2x, defaults.c2],
      [defaults.c2, defaults.v2y],
    ]);
  });

  it('clamps a target time after the last snapshot, with a message', () => {
    const inputs = sceneInputs({ ...defaults, t: 5, horizon: 2 });
    expect(inputs.targetTime).toBe(2);
    expect(inputs.issues[0]).toMatch(/after the last snapshot/);
  });
});

describe('barycenters and marginal errors', () => {
  it('1D W2 in closed form agrees with the Bures–Wasserstein formula', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 50; trial += 1) {
      const a = { mean: [4 * random() - 2], cov: [[0.1 + 3 * random()]] };
      const b = { mean: [4 * random() - 2], cov: [[0.1 + 3 * random()]] };
      expect(w2Gaussian1d(a, b)).toBeCloseTo(Math.sqrt(gaussianW2(a, b).w2Squared), 10);
    }
  });

  it('gives the closed-form barycenter for diagonal covariances', () => {
    const values = { ...defaults, c1: 0, c2: 0, c3: 0, w1: 0.5, w2: 0.2, w3: 0.3 };
    const inputs = sceneInputs(values);
    const { w2 } = barycenterResults(inputs);
    const root = (i: number) =>
      inputs.gaussians.reduce((s, g, k) => s + inputs.weights[k]! * Math.sqrt(g.cov[i]![i]!), 0);
    expect(w2.gaussian.cov[0]![0]).toBeCloseTo(root(0) ** 2, 12);
    expect(w2.gaussian.cov[1]![1]).toBeCloseTo(root(1) ** 2, 12);
    expect(w2.gaussian.cov[0]![1]).toBeCloseTo(0, 12);
  });

  it('the constrained barycenter has marginal error exactly 0, the plain one does not', () => {
    const results = marginalResults(sceneInputs(defaults));
    expect(results.constrained.error).toEqual({ x: 0, y: 0 });
    expect(results.plain.error.x + results.plain.error.y).toBeGreaterThan(0.1);
  });

  it('mixture inputs: component-wise constrained barycenter with exactly the prescribed marginals', () => {
    const values = { ...defaults, kind: 'mixtures' };
    const inputs = sceneInputs(values);
    const results = marginalResults(inputs);
    const plain = barycenterResults(inputs).mw2!.mixture;
    expect(results.plain.mixture).toEqual(plain);
    expect(results.constrained.mixture.components.length).toBe(plain.components.length);
    expect(results.constrained.error).toEqual({ x: 0, y: 0 });
    for (const g of results.constrained.mixture.components) {
      expect(marginal1d(g, 0)).toEqual(inputs.prescribed.x);
      expect(marginal1d(g, 1)).toEqual(inputs.prescribed.y);
    }
    // MW2 against one Gaussian from its definition: Σ_i w_i W2²(marginal of N_i, prescribed).
    const mw2 = (axis: 0 | 1) =>
      Math.sqrt(
        plain.components.reduce(
          (s, g, i) =>
            s +
            plain.weights[i]! *
              gaussianW2(
                marginal1d(g, axis),
                axis === 0 ? inputs.prescribed.x : inputs.prescribed.y,
              ).w2Squared,
          0,
        ),
      );
    expect(results.plain.error.x).toBeCloseTo(mw2(0), 10);
    expect(results.plain.error.y).toBeCloseTo(mw2(1), 10);
    expect(results.plain.error.x + results.plain.error.y).toBeGreaterThan(0.1);
    // Preserving keeps the barycenters of the matched components' marginals, not the prescribed.
    expect(results.preserving.error.x + results.preserving.error.y).toBeGreaterThan(0.1);
  });

  it('the constrained ROM prediction has the true marginals', () => {
    const inputs = sceneInputs(defaults);
    const rom = romResults(defaults, inputs.targetTime);
    expect(rom.times).toEqual(snapshotTimes(defaults.snaps, defaults.horizon));
    expect(rom.constrained.errors.x).toBeLessThan(1e-7);
    expect(rom.constrained.errors.y).toBeLessThan(1e-7);
    expect(rom.plain.errors.x + rom.plain.errors.y).toBeGreaterThan(1e-3);
  });
});

describe('K = 4 and mixture inputs', () => {
  it('takes K weights and K Gaussians', () => {
    const inputs = sceneInputs({ ...defaults, k: 4, w1: 0.1, w2: 0.2, w3: 0.3, w4: 0.4 });
    expect(inputs.issues).toEqual([]);
    expect(inputs.gaussians).toHaveLength(4);
    expect(inputs.weights).toEqual([0.1, 0.2, 0.3, 0.4]);
    // The default weights (w4 = 0) stay on the simplex with four inputs.
    expect(sceneInputs({ ...defaults, k: 4 }).issues).toEqual([]);
  });

  it('two bumps keep the mean and add split² u uᵀ along the major axis', () => {
    const g = {
      mean: [0.5, -1],
      cov: [
        [1.2, 0.5],
        [0.5, 0.4],
      ],
    };
    const m = twoBumps(g, 0.7);
    const mean = [0, 1].map((i) =>
      m.components.reduce((s, c, k) => s + m.weights[k]! * c.mean[i]!, 0),
    );
    expect(mean[0]).toBeCloseTo(0.5, 14);
    expect(mean[1]).toBeCloseTo(-1, 14);
    const { angle } = covarianceEllipse(g.cov, 1);
    const u = [Math.cos(angle), Math.sin(angle)];
    // Mixture covariance = S + Σ w (m_k − m)(m_k − m)ᵀ = S + split² u uᵀ.
    const cov01 = m.components.reduce(
      (s, c, k) => s + m.weights[k]! * (c.cov[0]![1]! + (c.mean[0]! - 0.5) * (c.mean[1]! + 1)),
      0,
    );
    expect(cov01).toBeCloseTo(0.5 + 0.49 * u[0]! * u[1]!, 12);
  });

  it('the MW2 barycenter of unsplit mixtures is the Gaussian barycenter', () => {
    const inputs = sceneInputs({ ...defaults, kind: 'mixtures', split: 0 });
    const { w2, mw2, l2 } = barycenterResults(inputs);
    expect(mw2).toBeDefined();
    const total = mw2!.mixture.weights.reduce((s, w) => s + w, 0);
    expect(total).toBeCloseTo(1, 12);
    for (const component of mw2!.mixture.components) {
      expect(gaussianW2(component, w2.gaussian).w2Squared).toBeLessThan(1e-18);
    }
    expect(l2.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
    expect(l2Barycenter([twoBumps(inputs.gaussians[0]!, 1)], [1]).components).toHaveLength(2);
  });
});

describe('drawing helpers', () => {
  it('2σ ellipses lie on the level set zᵀ S⁻¹ z = 4', () => {
    const cov = [
      [1.2, 0.5],
      [0.5, 0.4],
    ];
    const { rx, ry, angle } = covarianceEllipse(cov, 2);
    const inverse = inverseSpd(cov);
    for (const [a, b] of [
      [rx, 0],
      [0, ry],
    ]) {
      const z = [
        a! * Math.cos(angle) - b! * Math.sin(angle),
        a! * Math.sin(angle) + b! * Math.cos(angle),
      ];
      const q = matvec(inverse, z).reduce((s, v, i) => s + v * z[i]!, 0);
      expect(q).toBeCloseTo(4, 10);
    }
    expect(rx).toBeGreaterThanOrEqual(ry);
  });

  it('puts the first grid row at the top and integrates marginals to 1', () => {
    const mixture = {
      weights: [1],
      components: [
        {
          mean: [0, 2],
          cov: [
            [0.3, 0],
            [0, 0.3],
          ],
        },
      ],
    };
    const n = 40;
    const grid = densityGrid(mixture, { min: -4, max: 4 }, n);
    const top = grid.slice(0, n * 10).reduce((s, v) => s + v, 0);
    const bottom = grid.slice(n * 30).reduce((s, v) => s + v, 0);
    expect(top).toBeGreaterThan(100 * bottom);
    const xs = gridCoordinates({ min: -6, max: 6 }, 600);
    const mass = marginalDensity(mixture, 1, xs).reduce((s, v) => s + v * (12 / 600), 0);
    expect(mass).toBeCloseTo(1, 6);
  });
});
