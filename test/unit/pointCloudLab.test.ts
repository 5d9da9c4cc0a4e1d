/**
 * The Point-cloud lab's pure parts: presets, the URL text of drawn points, loading JSON, the
 * problem from the parameters, the comparison with the exact plan, the refresh scheduling; and the
 * text parameters and SolverController.use it relies on.
 */
import { describe, expect, it, vi } from 'vitest';
import { defaultValues, parseParams } from '../../src/app/params';
import {
  compareWithExact,
  exactPlan,
  iterationsPerFrame,
  labBatch,
  labProblem,
  pointsOf,
} from '../../src/app/scenes/pointCloudLab/model';
import { pointCloudLabParams } from '../../src/app/scenes/pointCloudLab/params';
import {
  MAX_DRAWN_POINTS,
  decodePoints,
  encodePoints,
  pointsFromJson,
  presetPoints,
} from '../../src/app/scenes/pointCloudLab/pointSets';
import { RefreshScheduler } from '../../src/app/scenes/pointCloudLab/refresh';
import { SolverController } from '../../src/app/solverController';
import { createSinkhornSolver } from '../../src/solvers/sinkhorn';

const defaults = defaultValues(pointCloudLabParams);
const values = (query: string) =>
  parseParams(pointCloudLabParams, new URLSearchParams(query)).values;

describe('point sets', () => {
  it.each(['moons', 'blobs', 'letters'] as const)(
    'preset %s: seeded, sized, in the unit square',
    (preset) => {
      const points = presetPoints(preset, 70, 50, 4);
      expect(points.x).toHaveLength(70);
      expect(points.y).toHaveLength(50);
      expect(presetPoints(preset, 70, 50, 4)).toEqual(points);
      expect(presetPoints(preset, 70, 50, 5)).not.toEqual(points);
      for (const [u, v] of [...points.x, ...points.y]) {
        expect(u).toBeGreaterThan(-0.3);
        expect(u).toBeLessThan(1.3);
        expect(v).toBeGreaterThan(-0.3);
        expect(v).toBeLessThan(1.3);
      }
    },
  );

  it('round-trips drawn points through the URL text (3 decimals) and the pts parameter', () => {
    const points = {
      x: [
        [0.1234, -2],
        [3, 4.5],
      ],
      y: [[1e-4, 0.5]],
    };
    const text = encodePoints(points);
    expect(text).toBe('0.123,-2;3,4.5|0,0.5');
    expect(decodePoints(text)).toEqual({
      x: [
        [0.123, -2],
        [3, 4.5],
      ],
      y: [[0, 0.5]],
    });
    expect(decodePoints('|')).toEqual({ x: [], y: [] });
    expect(values(`preset=custom&pts=${encodeURIComponent(text)}`).pts).toBe(text);
    const { issues } = parseParams(pointCloudLabParams, new URLSearchParams('pts=1,2;3|4,NaN'));
    expect(issues[0]).toMatch(/^Rejected URL parameter pts: expected points as x,y;x,y\|x,y;…/);
    expect(() => decodePoints('1,2')).toThrow(/^pts: expected points/);
  });

  it('loads {x, y} JSON and names what is wrong with it', () => {
    expect(
      pointsFromJson({
        x: [[0, 1]],
        y: [
          [2, 3],
          [4, 5],
        ],
      }),
    ).toEqual({
      x: [[0, 1]],
      y: [
        [2, 3],
        [4, 5],
      ],
    });
    expect(() => pointsFromJson([1, 2])).toThrow(/^x: expected a non-empty array/);
    expect(() => pointsFromJson('text')).toThrow(/^file: expected a JSON object/);
    expect(() => pointsFromJson({ x: [[0]], y: [[1]] })).toThrow(/^x\[0\]: the lab draws 2D/);
    expect(() => pointsFromJson({ x: [[0, 1]], y: [[1, 'a']] })).toThrow(/^y\[0\]\[1\]/);
    expect(() => pointsFromJson({ x: [[0, 1]], y: [[1, 1e5]] })).toThrow(/^y\[0\]: coordinates/);
    const many = Array.from({ length: MAX_DRAWN_POINTS + 1 }, () => [0, 0]);
    expect(() => pointsFromJson({ x: many, y: [[0, 0]] })).toThrow(/^x: at most 500 points/);
  });
});

describe('the lab problem', () => {
  it('uses uniform weights, the chosen cost and ε, and the batch of the divergence', () => {
    const v = values('preset=letters&n=9&m=7&cost=pq&p=2&q=1&eps=0.3&divergence=on');
    const problem = labProblem(pointsOf(v), v);
    expect(problem.a).toEqual(new Array(9).fill(1 / 9));
    expect(problem.b).toEqual(new Array(7).fill(1 / 7));
    expect(problem.cost).toEqual({ kind: 'pq', p: 2, q: 1 });
    expect(problem.epsilon).toBe(0.3);
    const batch = labBatch(problem, v);
    expect(batch.map((p) => [p.x.length, p.y.length, p.symmetric ?? false])).toEqual([
      [9, 7, false],
      [9, 9, true],
      [7, 7, true],
    ]);
    expect(labBatch(problem, defaults)).toEqual([problem]);
  });

  it('names an empty drawn set', () => {
    const v = values('preset=custom&pts=0.1,0.1|');
    expect(() => labProblem(pointsOf(v), v)).toThrow(/^y: expected a non-empty array of points/);
  });

  it('sizes the iterations per frame to a budget of cost entries', () => {
    const problem = labProblem(presetPoints('moons', 100, 50, 1), defaults);
    expect(iterationsPerFrame([problem], 10, 1e9)).toBe(10);
    expect(iterationsPerFrame([problem], 10, 30_000)).toBe(3);
    expect(iterationsPerFrame([problem], 10, 1)).toBe(1);
  });

  it('measures how far the entropic plan is from the exact one, shrinking with ε', async () => {
    const gaps: number[] = [];
    for (const eps of [0.1, 0.01, 0.001]) {
      const v = values(`preset=blobs&n=30&m=25&eps=${eps}`);
      const problem = labProblem(pointsOf(v), v);
      const exact = exactPlan(problem)!;
      const solver = createSinkhornSolver([problem], 'cpu', {
        tolerance: 1e-9,
        maxIterations: 100_000,
        epsilonScaling: { factor: 0.5 },
      });
      const { f, g } = (await solver.run()).batches[0]!;
      const comparison = compareWithExact(problem, f, g, eps, exact);
      expect(comparison.exactCost).toBe(exact.cost);
      expect(comparison.costGap).toBeGreaterThan(-1e-12);
      expect(comparison.planL1).toBeLessThanOrEqual(2 + 1e-12);
      gaps.push(comparison.costGap);
    }
    expect(gaps[1]).toBeLessThan(gaps[0]!);
    expect(gaps[2]).toBeLessThan(gaps[1]!);
    expect(exactPlan(labProblem(presetPoints('moons', 201, 3, 1), defaults))).toBeUndefined();
  });
});

describe('RefreshScheduler', () => {
  it('coalesces requests and spaces refreshes by twice their duration', async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const runs: number[] = [];
      const scheduler = new RefreshScheduler(
        () => {
          runs.push(clock);
          clock += 300; // each refresh "takes" 300 ms
          return Promise.resolve();
        },
        200,
        () => clock,
      );
      scheduler.request();
      await vi.runAllTimersAsync();
      scheduler.request();
      scheduler.request();
      expect(runs).toEqual([0]);
      clock += 100;
      await vi.advanceTimersByTimeAsync(600);
      expect(runs).toEqual([0, 400]);
      scheduler.dispose();
      scheduler.request();
      await vi.runAllTimersAsync();
      expect(runs).toEqual([0, 400]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('SolverController.use', () => {
  it('runs work on a lane after its queued steps, and not on a replaced solver', async () => {
    const problem = labProblem(presetPoints('blobs', 8, 6, 1), defaults);
    const controller = new SolverController({
      iterationsPerFrame: 5,
      scheduler: { request: () => 0, cancel: () => undefined },
    });
    const solver = createSinkhornSolver([problem], 'cpu', { tolerance: 0, maxIterations: 50 });
    controller.load([{ id: 'main', label: 'CPU', solver }]);
    const step = controller.step(7);
    const seen = await controller.use('main', (s) => Promise.resolve(s.potentials(0).f.length));
    await step;
    expect(seen).toBe(8);
    expect(await controller.use('nope', () => Promise.resolve(1))).toBeUndefined();
    const iterations = await controller.use('main', async (s) => (await s.result()).iterations);
    expect(iterations).toBe(7);
    controller.unload();
    expect(await controller.use('main', () => Promise.resolve(1))).toBeUndefined();
  });
});
