/**
 * Pure helpers of the Gaussian interpolation lab: ellipse parameters ↔ covariance, handle drags,
 * and the lab model's W2 numbers against closed forms (tolerance 1e-9, float64).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/ot/validate';
import { seededRandom } from '../../src/ot/random';
import {
  axisHandle,
  covarianceFromEllipse,
  dragAxis,
  ellipseFromGaussian,
  ellipsePath,
  gaussianFromEllipse,
  type EllipseParams,
} from '../../src/app/scenes/gaussianInterpolation/geometry';
import { DensityScheduler } from '../../src/app/scenes/gaussianInterpolation/heatmap';
import { computeLab } from '../../src/app/scenes/gaussianInterpolation/model';
import { ellipsoidMatrix, spacePath } from '../../src/app/scenes/gaussianInterpolation/space';
import { densityGridReference } from '../../src/gpu/density';
import {
  PRESET_ENDPOINTS,
  endpointValues,
  readEndpoints,
} from '../../src/app/scenes/gaussianInterpolation/endpoints';
import { defaultValues, formatParams, parseParams, type ParamValues } from '../../src/app/params';
import { gaussianInterpolationParams } from '../../src/app/scenes/gaussianInterpolation/params';
import { gaussianW2 } from '../../src/ot/gaussian';
import { mixtureTransport } from '../../src/ot/gmm';

const TOL = 1e-9;
const seed = Date.now() % 2 ** 31;

function randomEllipse(random: () => number): EllipseParams {
  return {
    cx: 6 * random() - 3,
    cy: 6 * random() - 3,
    angle: 178 * random() - 89,
    sa: 0.2 + 2 * random(),
    sb: 0.2 + 2 * random(),
  };
}

describe(`ellipse geometry (seed ${seed})`, () => {
  it('covariance has eigenvalues sa², sb² and eigenvector (cos θ, sin θ)', () => {
    const random = seededRandom(seed);
    for (let k = 0; k < 50; k += 1) {
      const e = randomEllipse(random);
      const s = covarianceFromEllipse(e);
      const v = [Math.cos((e.angle * Math.PI) / 180), Math.sin((e.angle * Math.PI) / 180)];
      const sv = [s[0]![0]! * v[0]! + s[0]![1]! * v[1]!, s[1]![0]! * v[0]! + s[1]![1]! * v[1]!];
      expect(sv[0]! - e.sa ** 2 * v[0]!).toBeCloseTo(0, 9);
      expect(sv[1]! - e.sa ** 2 * v[1]!).toBeCloseTo(0, 9);
      expect(s[0]![0]! * s[1]![1]! - s[0]![1]! ** 2).toBeCloseTo(e.sa ** 2 * e.sb ** 2, 9);
      expect(s[0]![1]).toBe(s[1]![0]);
    }
  });

  it('ellipseFromGaussian inverts gaussianFromEllipse (up to axis order and sign)', () => {
    const random = seededRandom(seed + 1);
    for (let k = 0; k < 50; k += 1) {
      const e = randomEllipse(random);
      const g = gaussianFromEllipse(e);
      const back = ellipseFromGaussian(g);
      const again = gaussianFromEllipse(back);
      for (let i = 0; i < 2; i += 1) {
        for (let j = 0; j < 2; j += 1) {
          expect(Math.abs(again.cov[i]![j]! - g.cov[i]![j]!)).toBeLessThan(TOL);
        }
      }
      expect(back.sa).toBeGreaterThanOrEqual(back.sb);
      expect([back.cx, back.cy]).toEqual([e.cx, e.cy]);
    }
  });

  it('boundary points satisfy (x − m)ᵀ S⁻¹ (x − m) = r²', () => {
    const g = gaussianFromEllipse({ cx: 1, cy: -2, angle: 33, sa: 1.7, sb: 0.4 });
    const [[a, b], [, d]] = g.cov as [[number, number], [number, number]];
    const det = a * d - b * b;
    for (const [x, y] of ellipsePath(g, 2, 40)) {
      const u = x - 1;
      const v = y + 2;
      expect((d * u * u - 2 * b * u * v + a * v * v) / det).toBeCloseTo(4, 9);
    }
  });

  it('dragging a handle to its own position changes nothing; elsewhere it rotates and scales', () => {
    const e: EllipseParams = { cx: 0.5, cy: 1, angle: 30, sa: 1.2, sb: 0.5 };
    for (const axis of [0, 1] as const) {
      const same = dragAxis(e, axis, axisHandle(e, axis, 2), 2, 0.1, 3);
      expect(same.sa).toBeCloseTo(e.sa, 12);
      expect(same.sb).toBeCloseTo(e.sb, 12);
      expect(same.angle).toBeCloseTo(e.angle, 10);
    }
    const moved = dragAxis(e, 1, [0.5, 3], 2, 0.1, 3);
    expect(moved.sb).toBeCloseTo(1, 12);
    expect(moved.angle).toBeCloseTo(0, 10);
    expect(dragAxis(e, 0, [0.5, 1], 2, 0.1, 3).sa).toBe(0.1);
  });

  it('rejects non-SPD or non-finite parameters with the field name', () => {
    expect(() => covarianceFromEllipse({ cx: 0, cy: 0, angle: 0, sa: 0, sb: 1 }, 'rho0')).toThrow(
      /rho0\.sa/,
    );
    expect(() => gaussianFromEllipse({ cx: NaN, cy: 0, angle: 0, sa: 1, sb: 1 }, 'rho1')).toThrow(
      InputError,
    );
    expect(() => covarianceFromEllipse({ cx: 0, cy: 0, angle: NaN, sa: 1, sb: 1 })).toThrow(
      /angle/,
    );
  });
});

describe('lab model', () => {
  it('translation preset: covariance term 0, W2² = |Δm|², W2(ρ0, ρt) = t W2(ρ0, ρ1)', () => {
    const lab = computeLab({
      preset: 'translation',
      t: 0.3,
      endpoints: PRESET_ENDPOINTS.translation,
    });
    expect(lab.covarianceTerm).toBeLessThan(1e-12);
    expect(lab.meanTerm).toBeCloseTo(25, 10);
    expect(lab.w2FromStart).toBeCloseTo(0.3 * 5, 9);
    const mean = lab.w2Interpolant.components[0]!.mean;
    expect(mean[0]).toBeCloseTo(-1, 12);
    expect(lab.l2Interpolant.weights).toEqual([0.7, 0.3]);
    for (const arrow of lab.arrows) expect(arrow.to[0] - arrow.from[0]).toBeCloseTo(5, 9);
  });

  it('mixture endpoints of 1 to 4 components: MW2 terms, geodesic, zero weights', () => {
    const random = seededRandom(seed + 3);
    for (let trial = 0; trial < 6; trial += 1) {
      const endpoint = (n: number) => {
        const raw = Array.from({ length: n }, () => (trial === 5 && n > 1 ? 0 : 0.2 + random()));
        if (trial === 5) raw[0] = 1; // one weight, the others zero
        const total = raw.reduce((s, w) => s + w, 0);
        return {
          weights: raw.map((w) => w / total),
          ellipses: Array.from({ length: n }, () => randomEllipse(random)),
        };
      };
      const [n0, n1] = [1 + Math.floor(4 * random()), 1 + Math.floor(4 * random())];
      const t = random();
      const lab = computeLab({ preset: 'mixtures', t, endpoints: [endpoint(n0), endpoint(n1)] });
      expect(lab.mode).toBe(n0 === 1 && n1 === 1 ? 'gaussians' : 'mixtures');
      expect(lab.rho0.components).toHaveLength(n0);
      const w2 = Math.sqrt(lab.w2Squared);
      expect(Math.abs(lab.w2FromStart - t * w2)).toBeLessThan(1e-6 * Math.max(w2, 1));
      // MW2² from an independent evaluation of the plan's cost.
      const plan = mixtureTransport(lab.rho0, lab.rho1).plan;
      const cost = plan.reduce(
        (s, row, k) =>
          s +
          row.reduce(
            (r, mass, l) =>
              r + mass * gaussianW2(lab.rho0.components[k]!, lab.rho1.components[l]!).w2Squared,
            0,
          ),
        0,
      );
      expect(lab.w2Squared).toBeCloseTo(cost, 9);
      expect(lab.meanTerm + lab.covarianceTerm).toBeCloseTo(lab.w2Squared, 9);
      expect(lab.l2Interpolant.components).toHaveLength(n0 + n1);
      // Arrows only for transported (positive-mass) pairs.
      const pairs = new Set(lab.arrows.map((a) => a.pair));
      const positive = plan.flatMap((row, k) =>
        row.flatMap((m, l) => (m > 1e-12 ? [k * n1 + l] : [])),
      );
      expect([...pairs].sort()).toEqual(positive.sort());
    }
  });

  it('names the bad component when an endpoint cannot be shown', () => {
    const bad = { cx: 0, cy: 0, angle: 0, sa: 1, sb: 0 };
    const [a, b] = PRESET_ENDPOINTS.mixtures;
    expect(() =>
      computeLab({
        preset: 'mixtures',
        t: 0.5,
        endpoints: [a, { ...b, ellipses: [b.ellipses[0]!, bad] }],
      }),
    ).toThrow(/^ρ₁\[2\]\.sb: must be a positive standard deviation/);
  });

  it('geodesic property for every preset at random t', () => {
    const random = seededRandom(seed + 2);
    for (const preset of ['rotation-stretch', 'mixtures'] as const) {
      const t = random();
      const lab = computeLab({ preset, t, endpoints: PRESET_ENDPOINTS[preset] });
      const w2 = Math.sqrt(lab.w2Squared);
      expect(Math.abs(lab.w2FromStart - t * w2)).toBeLessThan(1e-6 * w2);
      expect(lab.meanTerm + lab.covarianceTerm).toBeCloseTo(lab.w2Squared, 9);
      const total = lab.w2Interpolant.weights.reduce((s, w) => s + w, 0);
      expect(total).toBeCloseTo(1, 12);
    }
  });
});

describe('endpoints in the URL', () => {
  type Values = ParamValues<typeof gaussianInterpolationParams>;
  const parse = (query: string) =>
    parseParams(gaussianInterpolationParams, new URLSearchParams(query));

  it('defaults are the translation preset; presets round-trip through the URL', () => {
    const defaults = readEndpoints(defaultValues(gaussianInterpolationParams));
    expect(defaults.issues).toEqual([]);
    expect(defaults.endpoints).toEqual(PRESET_ENDPOINTS.translation);
    for (const preset of ['rotation-stretch', 'mixtures'] as const) {
      const values: Values = {
        ...defaultValues(gaussianInterpolationParams),
        ...endpointValues(0, PRESET_ENDPOINTS[preset][0]),
        ...endpointValues(1, PRESET_ENDPOINTS[preset][1]),
      };
      const back = parse(formatParams(gaussianInterpolationParams, values));
      expect(back.issues).toEqual([]);
      const read = readEndpoints(back.values);
      expect(read.issues).toEqual([]);
      expect(read.endpoints).toEqual(PRESET_ENDPOINTS[preset]);
    }
  });

  it('old single-Gaussian links keep working; weights off the simplex give a message', () => {
    const old = readEndpoints(parse('x0=-1&y0=2&a0=30&sa0=1.5&sb0=0.5&t=0.2').values);
    expect(old.endpoints[0]).toEqual({
      weights: [1],
      ellipses: [{ cx: -1, cy: 2, angle: 30, sa: 1.5, sb: 0.5 }],
    });
    const off = readEndpoints(parse('n1=3&w1_1=0.5&w1_2=0.2&w1_3=0.1').values);
    expect(off.issues).toEqual([
      'ρ₁: Weights 0.5 + 0.2 + 0.1 = 0.8 are not on the simplex (they must be ≥ 0 and sum to 1); using uniform weights.',
    ]);
    expect(off.endpoints[1].weights).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(off.endpoints[1].ellipses).toHaveLength(3);
    expect(parse('n0=5').issues[0]).toMatch(/n0: must be an integer in \[1, 4\]/);
  });
});

describe('3D ellipsoids and the heatmap scheduler', () => {
  it('ellipsoid matrix M satisfies M Mᵀ = r² S, det M > 0, translation = mean', () => {
    const path = spacePath(PRESET_ENDPOINTS['rotation-stretch']);
    for (const g of [path.a, path.b, path.at(0.35)].map((m) => m.components[0]!)) {
      const m = ellipsoidMatrix(g, 1.5);
      const col = (k: number) => [m[4 * k]!, m[4 * k + 1]!, m[4 * k + 2]!];
      const cols = [col(0), col(1), col(2)];
      for (let i = 0; i < 3; i += 1) {
        for (let j = 0; j < 3; j += 1) {
          const mmT = cols.reduce((s, c) => s + c[i]! * c[j]!, 0);
          expect(Math.abs(mmT - 2.25 * g.cov[i]![j]!)).toBeLessThan(1e-9);
        }
      }
      const [c0, c1, c2] = cols as [number[], number[], number[]];
      const det =
        c0[0]! * (c1[1]! * c2[2]! - c1[2]! * c2[1]!) -
        c1[0]! * (c0[1]! * c2[2]! - c0[2]! * c2[1]!) +
        c2[0]! * (c0[1]! * c1[2]! - c0[2]! * c1[1]!);
      expect(det).toBeGreaterThan(0);
      expect(m.slice(12, 15)).toEqual(g.mean);
    }
  });

  it('3D mixtures: the interpolant has one component per transported pair and its endpoints', () => {
    const path = spacePath(PRESET_ENDPOINTS.mixtures);
    expect(path.a.components.map((g) => g.mean.length)).toEqual([3, 3]);
    const start = path.at(0);
    const end = path.at(1);
    expect(Math.sqrt(mixtureTransport(start, path.a).w2Squared)).toBeLessThan(1e-6);
    expect(Math.sqrt(mixtureTransport(end, path.b).w2Squared)).toBeLessThan(1e-6);
    const w2 = Math.sqrt(mixtureTransport(path.a, path.b).w2Squared);
    expect(Math.sqrt(mixtureTransport(path.a, path.at(0.3)).w2Squared)).toBeCloseTo(0.3 * w2, 6);
  });

  it('a request made while one runs replaces any waiting one (latest wins)', async () => {
    const grid = { width: 4, height: 3, x0: -1, x1: 1, y0: -1, y1: 1 };
    const seen: number[] = [];
    const tags: number[] = [];
    const scheduler = new DensityScheduler(
      undefined,
      grid,
      (result, tag) => {
        seen.push(result.values[0]!);
        tags.push(tag);
      },
      () => undefined,
    );
    const mixture = (x: number) => ({
      weights: [1],
      components: [
        { mean: [x, 0], cov: covarianceFromEllipse({ cx: 0, cy: 0, angle: 0, sa: 1, sb: 1 }) },
      ],
    });
    const expected = [1, 2, 3].map((x) => densityGridReference([mixture(x)], grid)[0]!);
    scheduler.request([mixture(1)], 1);
    scheduler.request([mixture(2)], 2);
    scheduler.request([mixture(3)], 3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([expected[0], expected[2]]);
    // Each result carries the tag of the request it answers (the frame it was drawn for).
    expect(tags).toEqual([1, 3]);
    scheduler.dispose();
  });
});
