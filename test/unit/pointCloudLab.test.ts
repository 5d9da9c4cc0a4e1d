/**
 * The Point-cloud lab's pure parts (src/app/scenes/pointCloudLab): seeded presets, the URL text of
 * drawn points, JSON files, URL validation of the parameters, the problem they describe, the exact
 * plan, the plan lines drawn, and the exports: the otlab input, run through the CLI solver after a
 * JSON round trip, gives the numbers the scene's solver shows.
 */
import { describe, expect, it } from 'vitest';
import { defaultValues, formatParams, parseParams } from '../../src/app/params';
import { pointCloudLabTables } from '../../src/app/scenes/pointCloudLab/exports';
import {
  DENSE_DRAW_ENTRIES,
  EXACT_MAX_ENTRIES,
  costOf,
  exactPlan,
  labProblem,
  linesPerRow,
  planLines,
  pointsOf,
} from '../../src/app/scenes/pointCloudLab/model';
import { pointCloudLabParams } from '../../src/app/scenes/pointCloudLab/params';
import {
  MAX_DRAWN_POINTS,
  PRESETS,
  decodePoints,
  encodePoints,
  pointsFromJson,
  presetPoints,
} from '../../src/app/scenes/pointCloudLab/pointSets';
import { sinkhornOtlabRun } from '../../src/app/scenes/sinkhornToy/exports';
import { findScene, SCENE_GROUPS } from '../../src/app/scenes';
import { networkSimplex } from '../../src/ot/exact/networkSimplex';
import { costMatrixFromPoints } from '../../src/ot/exact/problem';
import {
  DEFAULT_SINKHORN_OPTIONS,
  cTransformGap,
  planFromPotentials,
  type SinkhornProblem,
} from '../../src/ot/sinkhorn';
import { createSinkhornSolver } from '../../src/solvers/sinkhorn';
import { runExported } from './exportedRun';

const schema = pointCloudLabParams;
const values = (query: string) => parseParams(schema, new URLSearchParams(query));

async function solveOnCpu(problem: SinkhornProblem, tolerance: number, maxIterations: number) {
  const solver = createSinkhornSolver([problem], 'cpu', { tolerance, maxIterations });
  try {
    return (await solver.run()).batches[0]!;
  } finally {
    solver.dispose();
  }
}

describe('point sets', () => {
  it.each(PRESETS)('preset %s: seeded, sized, in the unit square', (preset) => {
    const points = presetPoints(preset, 70, 50, 4);
    expect(points.x).toHaveLength(70);
    expect(points.y).toHaveLength(50);
    expect(presetPoints(preset, 70, 50, 4)).toEqual(points);
    expect(presetPoints(preset, 70, 50, 5)).not.toEqual(points);
    for (const point of [...points.x, ...points.y]) {
      expect(point).toHaveLength(2);
      for (const v of point) {
        expect(v).toBeGreaterThan(-0.1);
        expect(v).toBeLessThan(1.1);
      }
    }
  });

  it('presets put the source and target apart (the plan has somewhere to go)', () => {
    const mean = (points: number[][], c: number) =>
      points.reduce((s, p) => s + p[c]!, 0) / points.length;
    const moons = presetPoints('moons', 200, 200, 1);
    expect(mean(moons.x, 1) - mean(moons.y, 1)).toBeGreaterThan(0.1);
    const letters = presetPoints('letters', 200, 200, 1);
    expect(mean(letters.y, 0) - mean(letters.x, 0)).toBeGreaterThan(0.3);
  });

  it('round-trips drawn points through the URL text (3 decimals)', () => {
    const points = {
      x: [
        [0.1234, -0.2],
        [1.3, 0.5],
      ],
      y: [[1e-4, 0.5]],
    };
    const text = encodePoints(points);
    expect(text).toBe('0.123,-0.2;1.3,0.5|0,0.5');
    expect(decodePoints(text)).toEqual({
      x: [
        [0.123, -0.2],
        [1.3, 0.5],
      ],
      y: [[0, 0.5]],
    });
    expect(decodePoints('|')).toEqual({ x: [], y: [] });
    expect(decodePoints('0.5,0.5|')).toEqual({ x: [[0.5, 0.5]], y: [] });
  });

  it('rejects malformed, hostile or oversized point text, naming the field', () => {
    expect(() => decodePoints('1,2')).toThrow(/^pts: expected points as x,y;x,y\|x,y/);
    expect(() => decodePoints('0.1,0.2|0.3,NaN')).toThrow(/^pts: expected points/);
    expect(() => decodePoints('<script>|')).toThrow(/^pts: expected points/);
    expect(() => decodePoints('0.1,0.2,0.3|')).toThrow(/^pts: expected points/);
    expect(() => decodePoints('9,0|')).toThrow(/^x\[0\]: coordinates must lie in \[-0.5, 1.5\]/);
    const many = Array.from({ length: MAX_DRAWN_POINTS + 1 }, () => [0.5, 0.5]);
    expect(() => decodePoints(encodePoints({ x: many, y: [] }))).toThrow(/^x: at most 300 points/);
    // The longest legal text fits the parameter.
    const full = Array.from({ length: MAX_DRAWN_POINTS }, () => [-0.499, -0.499]);
    const longest = encodePoints({ x: full, y: full });
    expect(values(`preset=custom&pts=${encodeURIComponent(longest)}`).issues).toEqual([]);
  });

  it('loads {x, y} JSON and names what is wrong with it', () => {
    const sets = {
      x: [[0, 1]],
      y: [
        [0.2, 0.3],
        [0.4, 0.5],
      ],
    };
    expect(pointsFromJson(sets)).toEqual(sets);
    expect(() => pointsFromJson([1, 2])).toThrow(/^file: expected a JSON object/);
    expect(() => pointsFromJson({ x: [], y: [[0, 0]] })).toThrow(/^x: expected a non-empty array/);
    expect(() => pointsFromJson({ x: [[0]], y: [[1, 1]] })).toThrow(/^x\[0\]: the lab draws 2D/);
    expect(() => pointsFromJson({ x: [[0, 1]], y: [[1, 'a']] })).toThrow(/^y\[0\]\[1\]/);
    expect(() => pointsFromJson({ x: [[0, 1]], y: [[1, 1e5]] })).toThrow(/^y\[0\]: coordinates/);
  });
});

describe('parameters', () => {
  it('defaults round-trip through the URL', () => {
    const defaults = defaultValues(schema);
    const { values: parsed, issues } = values(formatParams(schema, defaults));
    expect(issues).toEqual([]);
    expect(parsed).toEqual(defaults);
  });

  it('rejects bad values with a message and keeps the defaults', () => {
    const { values: parsed, issues } = values(
      'eps=0&cost=<img>&backend=tpu&n=1e9&p=NaN&exact=maybe',
    );
    expect(parsed).toEqual(defaultValues(schema));
    expect(issues).toHaveLength(6);
    expect(issues.join(' ')).toMatch(/eps: must be in \[0.001, 10\]/);
    expect(issues.join(' ')).toMatch(/backend: expected one of gpu, cpu/);
  });

  it('is registered in the Sinkhorn lab group, listed right after Foundations', () => {
    expect(findScene('point-cloud-lab')?.group).toBe('Sinkhorn lab');
    expect(SCENE_GROUPS.indexOf('Sinkhorn lab')).toBe(SCENE_GROUPS.indexOf('Foundations') + 1);
  });
});

describe('the lab problem', () => {
  it('uses uniform weights, the chosen cost and ε', () => {
    const v = values('preset=letters&n=9&m=7&cost=pq&p=2&q=1&eps=0.3').values;
    const problem = labProblem(pointsOf(v), v);
    expect(problem.a).toEqual(new Array(9).fill(1 / 9));
    expect(problem.b).toEqual(new Array(7).fill(1 / 7));
    expect(problem.cost).toEqual({ kind: 'pq', p: 2, q: 1 });
    expect(problem.epsilon).toBe(0.3);
    expect(costOf({ ...v, cost: 'coulomb', eta: 0.2 })).toEqual({ kind: 'coulomb', eta: 0.2 });
    expect(costOf({ ...v, cost: 'euclidean' })).toEqual({ kind: 'euclidean' });
  });

  it('custom sets come from pts; an empty set is named', () => {
    const v = values(`preset=custom&pts=${encodeURIComponent('0.1,0.1;0.2,0.2|0.9,0.9')}`).values;
    expect(pointsOf(v)).toEqual({
      x: [
        [0.1, 0.1],
        [0.2, 0.2],
      ],
      y: [[0.9, 0.9]],
    });
    const empty = values('preset=custom&pts=0.1,0.1|').values;
    expect(() => labProblem(pointsOf(empty), empty)).toThrow(/^y: expected a non-empty array/);
  });

  it('exact plan: the assignment for n = m, the network simplex otherwise, both optimal', () => {
    for (const [n, m] of [
      [12, 12],
      [12, 9],
    ] as const) {
      const v = values(`preset=blobs&n=${n}&m=${m}&seed=7`).values;
      const problem = labProblem(pointsOf(v), v);
      const exact = exactPlan(problem)!;
      expect(exact.method).toBe(n === m ? 'assignment' : 'network simplex');
      const C = costMatrixFromPoints(problem.cost, problem.x, problem.y);
      const reference = networkSimplex({ a: problem.a, b: problem.b, C });
      expect(exact.cost).toBeCloseTo(reference.cost, 12);
      const mass = exact.plan.reduce((s, e) => s + e.mass, 0);
      expect(mass).toBeCloseTo(1, 12);
      const cost = exact.plan.reduce((s, e) => s + e.mass * C.values[e.i * m + e.j]!, 0);
      expect(cost).toBeCloseTo(exact.cost, 12);
    }
    const big = values('preset=moons&n=200&m=200').values;
    expect(200 * 200).toBeGreaterThan(EXACT_MAX_ENTRIES);
    expect(exactPlan(labProblem(pointsOf(big), big))).toBeUndefined();
  });

  it('the entropic cost approaches the exact one as ε → 0', async () => {
    const gaps: number[] = [];
    for (const eps of [0.1, 0.03, 0.01]) {
      const v = values(`preset=blobs&n=20&m=16&seed=3&eps=${eps}`).values;
      const problem = labProblem(pointsOf(v), v);
      const exact = exactPlan(problem)!;
      const batch = await solveOnCpu(problem, 1e-9, 100_000);
      expect(batch.converged).toBe(true);
      gaps.push(batch.transportCost - exact.cost);
    }
    expect(gaps[0]).toBeGreaterThan(0);
    expect(gaps[1]).toBeLessThan(gaps[0]!);
    expect(gaps[2]).toBeLessThan(gaps[1]!);
  });
});

describe('plan lines', () => {
  it('draws every entry of a small plan and the heaviest k per row of a large one', async () => {
    const small = values('preset=moons&n=40&m=30&eps=0.05').values;
    const problem = labProblem(pointsOf(small), small);
    const { f, g } = await solveOnCpu(problem, 1e-8, 5000);
    const all = planLines(problem, f, g);
    expect(all).toHaveLength(40 * 30);
    const dense = planFromPotentials(problem, f, g);
    all.forEach(({ i, j, mass }) => {
      expect(mass).toBe(dense[i * 30 + j]);
    });

    const large = values('preset=moons&n=200&m=100&eps=0.05').values;
    const big = labProblem(pointsOf(large), large);
    expect(200 * 100).toBeGreaterThan(DENSE_DRAW_ENTRIES);
    const k = linesPerRow(200, 100);
    expect(k).toBe(2);
    const run = await solveOnCpu(big, 1e-6, 5000);
    const top = planLines(big, run.f, run.g);
    expect(top).toHaveLength(200 * k);
    const plan = planFromPotentials(big, run.f, run.g);
    for (let i = 0; i < 200; i += 1) {
      const row = Array.from(plan.subarray(i * 100, (i + 1) * 100)).sort((p, q) => q - p);
      const mine = top.filter((e) => e.i === i).map((e) => e.mass);
      expect(mine[0]).toBeCloseTo(row[0]!, 14);
      expect(mine[1]).toBeCloseTo(row[1]!, 14);
    }
  });
});

describe('exports', () => {
  it('the otlab input, run through the CLI, gives the numbers the scene solver shows', async () => {
    const v = values(
      'preset=letters&n=30&m=25&seed=2&cost=pq&p=1.5&q=1.5&eps=0.05&tol=1e-7',
    ).values;
    const problem = labProblem(pointsOf(v), v);
    const options = { ...DEFAULT_SINKHORN_OPTIONS, tolerance: v.tol, maxIterations: v.maxIter };
    // The scene's solver: the CPU backend with the scene's stopping rule.
    const solver = createSinkhornSolver([problem], 'cpu', options);
    const scene = (await solver.run()).batches[0]!;
    const lane = {
      lane: 'cpu',
      potentials: solver.potentials(0),
      history: scene.history,
    };
    const tables = pointCloudLabTables(problem, lane);
    solver.dispose();

    const output = await runExported(sinkhornOtlabRun(problem, options));
    const result = (output.results as Record<string, unknown>[])[0]!;
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(scene.iterations);
    expect(result.transportCost).toBe(scene.transportCost);
    expect(result.entropicCost).toBe(scene.dualObjective);
    expect(result.marginalError).toBe(scene.marginalError);
    expect(result.f).toEqual(Array.from(scene.f));
    expect(result.g).toEqual(Array.from(scene.g));

    // Tables: the points, both potentials, the drawn plan (dense here), the error history.
    expect(tables.points!.rows).toHaveLength(55);
    expect(tables.potentials!.rows).toHaveLength(55);
    expect(tables.plan!.rows).toHaveLength(30 * 25);
    const planMass = tables.plan!.rows.reduce((s, row) => s + (row[3] as number), 0);
    expect(planMass).toBeCloseTo(1, 6);
    expect(tables.history!.rows.map((row) => row[2])).toEqual(
      (result.errorHistory as { error: number }[]).map((h) => h.error),
    );
    expect(pointCloudLabTables(problem, undefined).plan!.rows).toEqual([]);
  });

  it('c-transform checks: g is the soft transform of f after a column update; hard gap ~ ε', async () => {
    const hard: number[] = [];
    for (const eps of [0.05, 0.01]) {
      const v = values(`preset=blobs&n=25&m=25&seed=5&eps=${eps}`).values;
      const problem = labProblem(pointsOf(v), v);
      const { f, g } = await solveOnCpu(problem, 1e-9, 100_000);
      const gap = cTransformGap(problem, f, g);
      expect(gap.softY).toBeLessThan(1e-12);
      expect(gap.softX).toBeLessThan(1e-8);
      expect(gap.hardY).toBeGreaterThan(0);
      hard.push(gap.hardY);
    }
    expect(hard[1]).toBeLessThan(hard[0]!);
  });
});
