/**
 * Generic-cost barycenters (src/ot/barycenter): the ground barycenter B against closed forms and a
 * brute-force minimiser, the north-west gluing's marginals, and the H and G fixed points against
 * closed forms (translates under W2, the 1D quantile barycenter), the decrease of V (seed 001,
 * "Decrease Property") and seed 001's two examples.
 */
import { describe, expect, it } from 'vitest';
import {
  groundBarycenter,
  groundObjective,
  minimisePowerSum,
  weightedMedian,
} from '../../src/ot/barycenter/groundBarycenter';
import { projectOntoCircle, type GroundSpec } from '../../src/ot/barycenter/groundCost';
import { lexicographicRanks, northWestGluing } from '../../src/ot/barycenter/gluing';
import {
  DEFAULT_FIXED_POINT_OPTIONS,
  FixedPointState,
  exactPlans,
  iterateReference,
  solveGenericBarycenter,
  type DiscreteMeasure,
  type GenericBarycenterProblem,
} from '../../src/ot/barycenter/fixedPoint';
import { parseGenericBarycenterInput } from '../../src/ot/barycenter/problem';
import {
  CIRCLES_SOURCE,
  circlesExample,
  pqExample,
  SEED_CIRCLES,
  uniformMeasure,
} from '../../src/ot/barycenter/seedExamples';
import { wasserstein1D } from '../../src/ot/exact/oneDimensional';
import { seededRandom } from '../../src/ot/random';
import { InputError } from '../../src/ot/validate';

const random = seededRandom(20250104);

function simplexWeights(K: number): number[] {
  const raw = Array.from({ length: K }, () => 0.1 + random());
  const total = raw.reduce((s, w) => s + w, 0);
  return raw.map((w) => w / total);
}

function randomMeasure(n: number, d: number, uniform = true): DiscreteMeasure {
  const points = Array.from({ length: n }, () => Array.from({ length: d }, () => random()));
  if (uniform) return uniformMeasure(points);
  const w = simplexWeights(n);
  return { points, weights: Float64Array.from(w) };
}

/** Grid search over [lo, hi]² then pattern search down to 1e-13: an independent minimiser. */
function bruteForce2D(f: (x: number[]) => number, lo: number, hi: number): number {
  const N = 60;
  let best = [lo, lo];
  let value = Infinity;
  for (let i = 0; i <= N; i += 1) {
    for (let j = 0; j <= N; j += 1) {
      const x = [lo + ((hi - lo) * i) / N, lo + ((hi - lo) * j) / N];
      const v = f(x);
      if (v < value) [best, value] = [x, v];
    }
  }
  for (let h = (hi - lo) / N; h > 1e-13;) {
    let improved = false;
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
      [1, 1],
      [1, -1],
      [-1, 1],
      [-1, -1],
    ] as const) {
      const x = [best[0]! + h * dx, best[1]! + h * dy];
      const v = f(x);
      if (v < value) [best, value, improved] = [x, v, true];
    }
    if (!improved) h /= 2;
  }
  return value;
}

describe('ground barycenter B, ‖x − y‖_p^q', () => {
  it('p = q = 2 is the weighted mean', () => {
    for (let trial = 0; trial < 10; trial += 1) {
      const ys = Array.from({ length: 4 }, () => [random(), random(), random()]);
      const lambdas = simplexWeights(4);
      const { x } = groundBarycenter({ kind: 'pq', p: 2, q: 2 }, lambdas, ys, [0, 0, 0]);
      x.forEach((v, c) => {
        const mean = ys.reduce((s, y, k) => s + lambdas[k]! * y[c]!, 0);
        expect(Math.abs(v - mean)).toBeLessThan(1e-14);
      });
    }
  });

  it('p = q = 1 in 1D is the weighted median (midpoint of the interval on exact ties)', () => {
    expect(weightedMedian([3, 1, 2], [0.2, 0.3, 0.5])).toBe(2);
    expect(weightedMedian([0, 1, 4], [0.5, 0.25, 0.25])).toBe(0.5);
    for (let trial = 0; trial < 20; trial += 1) {
      const values = Array.from({ length: 5 }, () => random());
      const lambdas = simplexWeights(5);
      const { x } = groundBarycenter(
        { kind: 'pq', p: 1, q: 1 },
        lambdas,
        values.map((v) => [v]),
        [0],
      );
      // The minimum of a piecewise-linear convex function is attained at a data point.
      const f = (t: number) => values.reduce((s, v, k) => s + lambdas[k]! * Math.abs(t - v), 0);
      const best = Math.min(...values.map(f));
      expect(f(x[0]!)).toBeLessThanOrEqual(best + 1e-15);
      const below = values.reduce((s, v, k) => s + (v < x[0]! ? lambdas[k]! : 0), 0);
      const above = values.reduce((s, v, k) => s + (v > x[0]! ? lambdas[k]! : 0), 0);
      expect(below).toBeLessThanOrEqual(0.5 + 1e-12);
      expect(above).toBeLessThanOrEqual(0.5 + 1e-12);
    }
  });

  it('p = q: the 1D root is found to the stated tolerance (|t − t*| ≤ tol · spread)', () => {
    for (const p of [1.2, 1.5, 3, 6]) {
      const values = Array.from({ length: 6 }, () => random());
      const lambdas = simplexWeights(6);
      const { t } = minimisePowerSum(values, lambdas, p, 1e-10);
      // Independent: bisection on the monotone derivative to machine precision.
      const slope = (s: number) =>
        values.reduce(
          (acc, v, k) => acc + lambdas[k]! * Math.sign(s - v) * Math.abs(s - v) ** (p - 1),
          0,
        );
      let [lo, hi] = [Math.min(...values), Math.max(...values)];
      for (let i = 0; i < 200; i += 1) {
        const mid = 0.5 * (lo + hi);
        if (slope(mid) < 0) lo = mid;
        else hi = mid;
      }
      const spread = Math.max(...values) - Math.min(...values);
      expect(Math.abs(t - 0.5 * (lo + hi))).toBeLessThanOrEqual(1e-10 * spread);
    }
  });

  it.each([
    [1.5, 1.5],
    [3, 3],
    [1, 2],
    [2, 1],
    [1, 1.5],
    [3, 1.5],
    [1.5, 3],
  ])('p = %d, q = %d: no worse than a brute-force minimiser (objective within 1e-12)', (p, q) => {
    const ground: GroundSpec = { kind: 'pq', p, q };
    for (let trial = 0; trial < 4; trial += 1) {
      const ys = Array.from({ length: 4 }, () => [random(), random()]);
      const lambdas = simplexWeights(4);
      const result = groundBarycenter(ground, lambdas, ys, [0.5, 0.5]);
      const brute = bruteForce2D((x) => groundObjective(ground, lambdas, ys, x), 0, 1);
      expect(result.objective).toBeLessThanOrEqual(brute + 1e-12);
    }
  });
});

describe('ground barycenter B, circles ‖P_k(x) − y_k‖²', () => {
  const ground: GroundSpec = { kind: 'circles', circles: SEED_CIRCLES.map((c) => ({ ...c })) };
  const lambdas = [0.25, 0.25, 0.25, 0.25];

  it('recovers x* when y_k = P_k(x*) (V = 0 there)', () => {
    for (let trial = 0; trial < 20; trial += 1) {
      const target = [random(), random()];
      const ys = SEED_CIRCLES.map((c) => projectOntoCircle(c, target));
      const { x, objective } = groundBarycenter(ground, lambdas, ys, [random(), random()]);
      expect(Math.hypot(x[0]! - target[0]!, x[1]! - target[1]!)).toBeLessThan(1e-9);
      expect(objective).toBeLessThan(1e-20);
    }
  });

  it('never does worse than its warm start, and matches a brute-force minimiser here', () => {
    for (let trial = 0; trial < 6; trial += 1) {
      const ys = SEED_CIRCLES.map((c) => projectOntoCircle(c, [random(), random()]));
      const start = [random(), random()];
      const result = groundBarycenter(ground, lambdas, ys, start);
      expect(result.objective).toBeLessThanOrEqual(groundObjective(ground, lambdas, ys, start));
      const brute = bruteForce2D((x) => groundObjective(ground, lambdas, ys, x), -0.5, 1.5);
      expect(result.objective).toBeLessThanOrEqual(brute + 1e-12);
    }
  });
});

describe('north-west gluing', () => {
  it('has the plans as its two-marginals and keeps every row and column mass', () => {
    const mu = randomMeasure(6, 2, false);
    const measures = [randomMeasure(5, 2, false), randomMeasure(7, 2, false), randomMeasure(4, 2)];
    const problem: GenericBarycenterProblem = {
      measures,
      lambdas: [0.2, 0.3, 0.5],
      ground: { kind: 'pq', p: 2, q: 2 },
      init: mu,
    };
    const state = new FixedPointState(problem, DEFAULT_FIXED_POINT_OPTIONS);
    const plans = exactPlans(state);
    const tuples = northWestGluing(
      plans.map((p) => p.entries),
      measures.map((m) => lexicographicRanks(m.points)),
      mu.points.length,
    );
    const total = tuples.reduce((s, t) => s + t.mass, 0);
    expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    measures.forEach((measure, k) => {
      const columns = new Float64Array(measure.points.length);
      for (const t of tuples) columns[t.indices[k]!] = columns[t.indices[k]!]! + t.mass;
      columns.forEach((mass, j) => {
        expect(Math.abs(mass - measure.weights[j]!)).toBeLessThan(1e-12);
      });
    });
    // Support bound of the north-west rule: at most n + Σ_k (nnz_k − n) tuples.
    const bound =
      mu.points.length + plans.reduce((s, p) => s + p.entries.length - mu.points.length, 0);
    expect(tuples.length).toBeLessThanOrEqual(bound);
  });
});

function isNonIncreasing(values: readonly number[], slack = 1e-12): boolean {
  return values.every((v, t) => t === 0 || v <= values[t - 1]! * (1 + slack) + 1e-15);
}

describe('fixed-point barycenters H and G', () => {
  it('W2 barycenter of translates ν + t_k is ν + Σ λ_k t_k, V = Σ λ_k ‖t_k − t̄‖² (one step)', () => {
    const base = randomMeasure(30, 2);
    const shifts = [
      [0, 0],
      [3, 1],
      [-1, 2],
    ];
    const lambdas = [0.5, 0.3, 0.2];
    const measures = shifts.map((t) =>
      uniformMeasure(base.points.map((p) => [p[0]! + t[0]!, p[1]! + t[1]!])),
    );
    const mean = [0, 1].map((c) => shifts.reduce((s, t, k) => s + lambdas[k]! * t[c]!, 0));
    const expectedV = shifts.reduce(
      (s, t, k) => s + lambdas[k]! * ((t[0]! - mean[0]!) ** 2 + (t[1]! - mean[1]!) ** 2),
      0,
    );
    for (const algorithm of ['H', 'G'] as const) {
      const state = solveGenericBarycenter(
        { measures, lambdas, ground: { kind: 'pq', p: 2, q: 2 }, init: randomMeasure(30, 2) },
        { algorithm },
      );
      expect(state.converged).toBe(true);
      const V = state.history.at(-1)!.V;
      expect(Math.abs(V - expectedV)).toBeLessThan(1e-12 * expectedV);
      const expected = base.points.map((p) => [p[0]! + mean[0]!, p[1]! + mean[1]!]);
      const key = (p: readonly number[]) => `${p[0]!.toFixed(9)},${p[1]!.toFixed(9)}`;
      expect(new Set(state.points.map(key))).toEqual(new Set(expected.map(key)));
    }
  });

  it('G in 1D (W2) gives the quantile-average barycenter in one step', () => {
    const measures = [
      randomMeasure(5, 1, false),
      randomMeasure(8, 1, false),
      randomMeasure(3, 1, false),
    ];
    const lambdas = simplexWeights(3);
    const state = new FixedPointState(
      { measures, lambdas, ground: { kind: 'pq', p: 2, q: 2 }, init: randomMeasure(6, 1, false) },
      { ...DEFAULT_FIXED_POINT_OPTIONS, algorithm: 'G', maxIterations: 1 },
    );
    while (!state.isDone()) iterateReference(state);
    // Reference: on the merged breakpoints of the cumulative weights, Σ λ_k F_k⁻¹(s).
    const quantile = (m: DiscreteMeasure, s: number) => {
      const order = m.points.map((_, j) => j).sort((i, j) => m.points[i]![0]! - m.points[j]![0]!);
      let cumulative = 0;
      for (const j of order) {
        cumulative += m.weights[j]!;
        if (s < cumulative) return m.points[j]![0]!;
      }
      return m.points[order.at(-1)!]![0]!;
    };
    const cuts = new Set([0, 1]);
    for (const m of measures) {
      const order = m.points.map((_, j) => j).sort((i, j) => m.points[i]![0]! - m.points[j]![0]!);
      let cumulative = 0;
      for (const j of order) cuts.add(Math.min(1, (cumulative += m.weights[j]!)));
    }
    const sortedCuts = [...cuts].sort((a, b) => a - b);
    const x: number[] = [];
    const w: number[] = [];
    let expectedV = 0;
    for (let r = 0; r + 1 < sortedCuts.length; r += 1) {
      const mass = sortedCuts[r + 1]! - sortedCuts[r]!;
      if (mass <= 1e-15) continue;
      const mid = 0.5 * (sortedCuts[r]! + sortedCuts[r + 1]!);
      const ys = measures.map((m) => quantile(m, mid));
      const bar = ys.reduce((s, y, k) => s + lambdas[k]! * y, 0);
      x.push(bar);
      w.push(mass);
      expectedV += mass * ys.reduce((s, y, k) => s + lambdas[k]! * (y - bar) ** 2, 0);
    }
    const distance = wasserstein1D(
      { x: state.points.map((p) => p[0]!), y: x, a: Array.from(state.weights), b: w },
      2,
    );
    expect(distance).toBeLessThan(1e-7);
    expect(Math.abs(state.history.at(-1)!.V - expectedV)).toBeLessThan(1e-12);
  });

  it('V never increases: G for any cost, H for W2 (any sizes) and for maps (n = m)', () => {
    const runs: [string, GenericBarycenterProblem, 'H' | 'G'][] = [
      [
        'G, p = q = 1.5',
        pqExample({ p: 1.5, q: 1.5, n: 40, m: 30, lambdas: [0.5, 0.3, 0.2], seed: 2 }),
        'G',
      ],
      [
        'G, p = q = 1',
        pqExample({ p: 1, q: 1, n: 40, m: 30, lambdas: [0.2, 0.3, 0.5], seed: 4 }),
        'G',
      ],
      ['G, circles', circlesExample({ n: 30, m: 20, seed: 5 }), 'G'],
      ['H, W2', pqExample({ p: 2, q: 2, n: 45, m: 30, lambdas: [0.4, 0.4, 0.2], seed: 6 }), 'H'],
      [
        'H, p = q = 1.5, n = m',
        pqExample({ p: 1.5, q: 1.5, n: 30, m: 30, lambdas: [0.5, 0.3, 0.2], seed: 7 }),
        'H',
      ],
      ['H, circles, n = m', circlesExample({ n: 20, m: 20, seed: 8 }), 'H'],
    ];
    for (const [label, problem, algorithm] of runs) {
      const state = solveGenericBarycenter(problem, { algorithm, maxIterations: 8 });
      const V = state.history.map((r) => r.V);
      expect(V.length, label).toBeGreaterThan(2);
      expect(isNonIncreasing(V), `${label}: ${V.join(', ')}`).toBe(true);
      expect(state.increases, label).toEqual([]);
      expect(V.at(-1)!, label).toBeLessThan(V[0]!);
    }
  });

  it('H is a heuristic beyond maps: for p = q = 1 with n ≠ m, V can go up (G does not)', () => {
    // Measured on this seeded problem: H's V rises by ~1e-4 relative at a few iterations.
    const problem = pqExample({ p: 1, q: 1, n: 36, m: 50, lambdas: [0.5, 0.3, 0.2], seed: 3 });
    const h = solveGenericBarycenter(problem, { algorithm: 'H', maxIterations: 15 });
    const g = solveGenericBarycenter(problem, { algorithm: 'G', maxIterations: 15 });
    expect(g.increases).toEqual([]);
    expect(h.history.at(-1)!.V).toBeGreaterThanOrEqual(g.history.at(-1)!.V - 1e-12);
    expect(h.increases.length).toBeGreaterThan(0);
  });

  it('H = G when the plans are maps (n = m, uniform weights)', () => {
    const problem = circlesExample({ n: 24, m: 24, seed: 11 });
    const h = solveGenericBarycenter(problem, { algorithm: 'H', maxIterations: 5 });
    const g = solveGenericBarycenter(problem, { algorithm: 'G', maxIterations: 5 });
    h.history.forEach((record, t) => {
      expect(Math.abs(record.V - g.history[t]!.V)).toBeLessThan(1e-12);
    });
  });

  it('entropic H decreases V_ε for the W2 cost', () => {
    const problem = pqExample({ p: 2, q: 2, n: 30, m: 25, lambdas: [0.5, 0.3, 0.2], seed: 9 });
    const state = solveGenericBarycenter(problem, {
      algorithm: 'H',
      plans: { kind: 'entropic', epsilon: 0.02 },
      maxIterations: 6,
      sinkhorn: { maxIterations: 20_000, tolerance: 1e-12, checkEvery: 10 },
    });
    const V = state.history.map((r) => r.V);
    expect(isNonIncreasing(V, 1e-9), V.join(', ')).toBe(true);
    expect(Math.max(...state.history.map((r) => r.marginalError))).toBeLessThan(1e-12);
  });

  it('seed 001 circles: the barycenter beats the hidden circle it was observed from', () => {
    const problem = circlesExample({ n: 60, m: 40, seed: 42 });
    const state = solveGenericBarycenter(problem, { algorithm: 'H', maxIterations: 12 });
    const hidden = Array.from({ length: 60 }, (_, i) => {
      const t = (2 * Math.PI * i) / 60;
      return [0.5 + 0.5 * Math.cos(t), 0.5 + 0.5 * Math.sin(t)];
    });
    const atHidden = new FixedPointState(
      { ...problem, init: uniformMeasure(hidden) },
      { ...DEFAULT_FIXED_POINT_OPTIONS },
    );
    const hiddenV = exactPlans(atHidden).reduce((s, p) => s + p.value, 0);
    const V = state.history.at(-1)!.V;
    expect(V).toBeLessThan(hiddenV);
    // The points gather around the hidden circle: most within 0.15 of radius ½ around (½, ½).
    const near = state.points.filter(
      (p) =>
        Math.abs(
          Math.hypot(p[0]! - CIRCLES_SOURCE.center[0], p[1]! - CIRCLES_SOURCE.center[1]) - 0.5,
        ) < 0.15,
    ).length;
    expect(near / state.points.length).toBeGreaterThan(0.8);
  });

  it('of identical measures (n = m) is that measure, V = 0', () => {
    const nu = randomMeasure(12, 2);
    const state = solveGenericBarycenter(
      {
        measures: [nu, nu, nu],
        lambdas: [0.2, 0.5, 0.3],
        ground: { kind: 'pq', p: 1.5, q: 1.5 },
        init: randomMeasure(12, 2),
      },
      { algorithm: 'H' },
    );
    expect(state.history.at(-1)!.V).toBeLessThan(1e-14);
    const key = (p: readonly number[]) => `${p[0]!.toFixed(9)},${p[1]!.toFixed(9)}`;
    expect(new Set(state.points.map(key))).toEqual(new Set(nu.points.map(key)));
  });
});

describe('otlab barycenter input validation', () => {
  const good = {
    measures: [
      {
        points: [
          [0, 0],
          [1, 0],
        ],
      },
      {
        points: [
          [0, 1],
          [1, 1],
          [2, 1],
        ],
      },
    ],
    cost: { p: 1.5, q: 1.5 },
    init: { size: 3 },
  };
  it('accepts a minimal problem with defaults', () => {
    const { problem, options } = parseGenericBarycenterInput(good);
    expect(problem.lambdas).toEqual([0.5, 0.5]);
    expect(problem.init.points).toHaveLength(3);
    expect(options.algorithm).toBe('H');
  });
  const cases: [string, unknown, RegExp][] = [
    ['measures', { ...good, measures: [] }, /^measures:/],
    [
      'measures[1].points[2]',
      { ...good, measures: [good.measures[0], { points: [[0, 1], [1, 1], [2]] }] },
      /^measures\[1\]\.points\[2\]: has 1 coordinates/,
    ],
    [
      'measures[0].weights',
      {
        ...good,
        measures: [
          {
            points: [
              [0, 0],
              [1, 0],
            ],
            weights: [1.5, -0.5],
          },
          good.measures[1],
        ],
      },
      /^measures\[0\]\.weights\[1\]: weights must be >= 0/,
    ],
    ['weights', { ...good, weights: [0.7, 0.7] }, /^weights: weights must sum to 1/],
    ['cost.q', { ...good, cost: { p: 2, q: 0.5 } }, /^cost\.q: q must be >= 1/],
    [
      'cost.circles',
      { ...good, cost: { kind: 'circles', circles: [] } },
      /^cost\.circles: expected one circle per measure/,
    ],
    ['init', { ...good, init: undefined }, /^init:/],
    ['init.size', { ...good, init: { size: 0 } }, /^init\.size:/],
    ['algorithm', { ...good, algorithm: 'K' }, /^algorithm: expected one of H, G/],
    [
      'plans',
      { ...good, algorithm: 'G', plans: { epsilon: 0.1 } },
      /^plans: the G algorithm glues exact plans/,
    ],
    ['plans.epsilon', { ...good, plans: { epsilon: 0 } }, /^plans\.epsilon: must be > 0/],
    ['NaN', { ...good, tolerance: Number.NaN }, /^tolerance: expected a finite number/],
  ];
  it.each(cases)('rejects bad %s with an InputError naming it', (_, input, message) => {
    expect(() => parseGenericBarycenterInput(input)).toThrow(InputError);
    expect(() => parseGenericBarycenterInput(input)).toThrow(message);
  });
});
