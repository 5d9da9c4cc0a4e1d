/**
 * Exports of the barycenter and MCOT labs: each lab's otlab input, run through the CLI solver after
 * a JSON round trip (as a downloaded file would be), reproduces the numbers of the solver the lab
 * runs, and every table is rectangular with finite numbers. Lab states come from the labs' own
 * model code and the solvers their workers run.
 */
import { describe, expect, it } from 'vitest';
import type { DataTable } from '../../src/app/lecture/sceneExports';
import { defaultValues } from '../../src/app/params';
import {
  genericBarycenterOtlabRun,
  genericBarycenterTables,
  liveEnergyTex,
} from '../../src/app/scenes/genericBarycenter/exports';
import { labProblem } from '../../src/app/scenes/genericBarycenter/model';
import { genericBarycenterParams } from '../../src/app/scenes/genericBarycenter/params';
import {
  imageBarycenterOtlabRun,
  imageBarycenterTables,
  labDensities,
  liveImageTex,
} from '../../src/app/scenes/imageBarycenter/exports';
import {
  labProblems,
  slotImage,
  slotSpec,
  type Values as ImageValues,
} from '../../src/app/scenes/imageBarycenter/model';
import { imageBarycenterParams } from '../../src/app/scenes/imageBarycenter/params';
import {
  liveMcotTex,
  mcotOtlabRun,
  mcotTables,
  momentErrors,
} from '../../src/app/scenes/mcot/exports';
import { labSetup, presetValues } from '../../src/app/scenes/mcot/model';
import { gridRows } from '../../src/ot/gridSinkhorn';
import { createGenericBarycenterSolver } from '../../src/solvers/genericBarycenter';
import { createGridBarycenterSolver } from '../../src/solvers/gridSinkhorn';
import { CpuMcotSolver } from '../../src/solvers/mcot/cpu';
import { runExported } from './exportedRun';

/** Same columns in every row; numbers finite (null marks an absent value, never NaN). */
function expectWellFormed(tables: Readonly<Record<string, DataTable>>): void {
  for (const [name, table] of Object.entries(tables)) {
    expect(table.rows.length, `${name} is empty`).toBeGreaterThan(0);
    for (const row of table.rows) {
      expect(row, `${name}: ragged row`).toHaveLength(table.columns.length);
      for (const cell of row) {
        if (typeof cell === 'number') expect(Number.isFinite(cell), `${name}: ${cell}`).toBe(true);
      }
    }
  }
}

describe('generic-cost barycenter lab exports', () => {
  const base = { ...defaultValues(genericBarycenterParams), n: 24, m: 20, maxIter: 6, seed: 3 };
  it.each([
    ['pq', 'H', 'exact'],
    ['pq', 'H', 'entropic'],
    ['circles', 'G', 'exact'],
  ] as const)(
    'otlab barycenter reproduces the %s example (%s, %s plans)',
    async (preset, algorithm, plans) => {
      const lab = labProblem({ ...base, preset, algorithm, plans, w1: 0.5, w2: 0.3, w3: 0.2 });
      expect(lab.issues).toEqual([]);
      const solver = createGenericBarycenterSolver(lab.problem, lab.options);
      const page = await solver.run();
      const output = await runExported(genericBarycenterOtlabRun(lab.problem, lab.options));
      // The same float64 computation on the same numbers: equal, not merely close.
      expect(output.iterations).toBe(page.iteration);
      expect(output.history).toEqual(page.history);
      expect(output.support).toEqual(page.points);
      expect(output.supportWeights).toEqual(page.weights);

      const tables = genericBarycenterTables(lab.problem, page.history, page);
      expectWellFormed(tables);
      expect(tables.measures!.rows).toHaveLength(lab.problem.measures.length * 20);
      expect(tables.barycenter!.rows).toHaveLength(page.points.length);
      expect(tables.history!.rows.map((r) => r[1])).toEqual(page.history.map((r) => r.V));
      const mass = tables.barycenter!.rows.reduce((s, r) => s + Number(r[3]), 0);
      expect(mass).toBeCloseTo(1, 12);
      // Each point's "from" is a point of the previous iterate.
      const previous = page.previous!.points.map((p) => p.join(','));
      for (const row of tables.barycenter!.rows) expect(previous).toContain(`${row[4]},${row[5]}`);
    },
  );

  it('tabulate μ_0 before the first step and show V in the live formula', () => {
    const lab = labProblem(base);
    const tables = genericBarycenterTables(lab.problem, [], undefined);
    expect(tables.barycenter!.rows[0]!.slice(4)).toEqual([null, null]);
    expect(tables.barycenter!.rows).toHaveLength(24);
    expect(tables.history!.rows).toEqual([]);
    const tex = liveEnergyTex(
      [0.5, 0.5],
      [
        { iteration: 0, V: 2, supportSize: 5, marginalError: 0 },
        { iteration: 3, V: 1.25, supportSize: 5, marginalError: 0 },
      ],
    );
    expect(tex).toContain('V(\\mu_0) &= 2');
    expect(tex).toContain('V(\\mu_{3}) &= 1.25');
  });
});

describe('image barycenter lab exports', () => {
  /** The lab's problems for these values, with the shapes its slots draw. */
  const lab = (values: ImageValues) => {
    const images = Array.from({ length: values.k }, (_, k) =>
      slotImage({ kind: 'shape', spec: slotSpec(values, k + 1) }, values.size),
    );
    return labProblems(values, images);
  };
  const base = { ...defaultValues(imageBarycenterParams), size: 20, eps: 0.004, tol: 1e-6 };
  const options = { tolerance: 1e-6, maxIterations: 400, checkEvery: 10 };

  it.each([
    ['plain, 2 images', { ...base, k: 2, debiased: 'off' }],
    ['debiased, 3 images', { ...base, k: 3, debiased: 'on', w1: 0.2, w2: 0.3, w3: 0.5 }],
  ])('otlab grid-barycenter reproduces the CPU solver (%s)', async (_, values) => {
    const problems = lab(values);
    const problem = problems.barycenter!;
    expect(problems.issues).toEqual([]);
    const solver = createGridBarycenterSolver(problem, 'cpu', options);
    const page = await solver.run();
    const output = await runExported(imageBarycenterOtlabRun(problem, options));
    // Same float64 iteration on the same (already normalised) images: equal, not merely close.
    expect(output.iterations).toBe(page.iterations);
    expect(output.converged).toBe(true);
    expect(output.errorHistory).toEqual(page.history);
    expect(output.barycenter).toEqual(gridRows(page.barycenter, 20, 20));
    expect(output.weights).toEqual(problems.weights);

    const strip = [0, 0.5, 1].map((t) => ({ t, density: t === 0.5 ? page.barycenter : undefined }));
    const densities = labDensities(problems, undefined, page.barycenter, strip);
    const tables = imageBarycenterTables(problems, densities, [
      { lane: 'w2', history: page.history },
    ]);
    expectWellFormed(tables);
    const K = problems.inputs.length;
    expect(tables.densities!.columns).toEqual([
      'row',
      'col',
      'x',
      'y',
      ...Array.from({ length: K }, (_, k) => `input_${k + 1}`),
      'l2_barycenter',
      'w2_barycenter',
      'strip_t0',
      'strip_t0.5',
      'strip_t1',
    ]);
    expect(tables.densities!.rows).toHaveLength(400);
    const w2 = tables.densities!.rows.map((row) => row[5 + K]);
    expect(w2).toEqual(Array.from(page.barycenter));
    // Absent densities are empty cells, not NaN, and are left out of the summary.
    expect(tables.densities!.rows[0]![4 + K]).toBeNull();
    expect(tables.summary!.rows.map((r) => r[0])).toEqual([
      ...Array.from({ length: K }, (_, k) => `input_${k + 1}`),
      'w2_barycenter',
      'strip_t0.5',
    ]);
    for (const row of tables.summary!.rows) expect(Number(row[1])).toBeCloseTo(1, 4);
    expect(tables.history!.rows).toHaveLength(page.history.length);
    expect(
      liveImageTex(problems.weights, 0.004, {
        iteration: page.iterations,
        marginalError: page.marginalError,
        converged: true,
        stopReason: undefined,
        error: undefined,
        mass: 1,
        mean: [0.5, 0.25],
        secondMoment: 0.1,
      }),
    ).toContain(`after ${page.iterations} iterations`);
  });
});

describe('MCOT lab exports', () => {
  it.each([
    ['1d-two-bumps-n3', { K: 30, steps: 60, weights: 'adaptive' }],
    ['3d-normal-n2', { K: 24, steps: 25, noise: 'sqrt', sigma0: 0.02 }],
  ] as const)(
    'otlab mcot replays the CPU lane of %s, steps in any chunks',
    async (preset, overrides) => {
      const values = { ...presetValues(preset), ...overrides };
      const { setup } = labSetup(values);
      // The lab's CPU lane: the float64 solver its worker runs, stepped a frame at a time.
      const solver = new CpuMcotSolver(setup!);
      let summary = await solver.step(7);
      while (!summary.stopReason) summary = await solver.step(7);
      const page = await solver.result();
      const output = await runExported(mcotOtlabRun(values));
      expect(output.failure).toBeNull();
      expect(output.steps).toBe(summary.iteration);
      expect(output.cost).toBe(page.cost);
      expect(output.residual).toBe(page.residual);
      expect((output.particles as unknown[]).flat(2)).toEqual(Array.from(page.x));
      expect(output.weights).toEqual(Array.from(page.weights));
      expect((output.history as { cost: number[] }).cost).toEqual(page.history.cost);

      const numbers = {
        id: 'cpu',
        label: 'CPU',
        backend: 'cpu' as const,
        phase: summary.phase,
        iteration: summary.iteration,
        initSteps: summary.initSteps,
        cost: summary.cost,
        residual: summary.residual,
        tolerance: summary.tolerance,
        timeStep: summary.timeStep,
        sigma: summary.sigma,
        accepted: summary.accepted,
        rejected: summary.rejected,
        rate: 0,
        stopReason: summary.stopReason,
        failure: undefined,
        error: undefined,
      };
      const tables = mcotTables(
        setup!,
        [{ numbers, particles: solver.particles(), history: solver.history() }],
        undefined,
      );
      expectWellFormed(tables);
      const { particles: K, electrons: N, dimension: d } = setup!.problem;
      expect(tables.particles!.rows).toHaveLength(K * N);
      expect(tables.particles!.columns).toHaveLength(4 + d);
      expect(tables.particles!.rows.flatMap((r) => r.slice(4))).toEqual(Array.from(page.x));
      expect(tables.history!.rows.map((r) => r[2])).toEqual(page.history.cost);
      // The moment errors are the constraints: their largest is the residual ‖ξ‖∞.
      const errors = tables.moment_errors!.rows.map((r) => Math.abs(Number(r[4])));
      expect(errors).toHaveLength(setup!.set.count);
      expect(Math.max(...errors)).toBeCloseTo(page.residual, 12);
      expect(Math.max(...errors)).toBeLessThan(setup!.params.tolerance);
      expect(liveMcotTex(numbers, 1.5)).toContain(`n &= ${summary.iteration}`);
    },
  );

  it('measure moment errors against the targets (unconstrained samples miss them)', () => {
    const { setup } = labSetup({ ...presetValues('1d-uniform-n3'), K: 4 });
    const { particles: K, electrons: N } = setup!.problem;
    // All electrons at the left end: φ_1(0) = −√3 for the Legendre φ_1 on [0, 1] (target 0).
    const snapshot = {
      version: 1,
      dimension: 1,
      electrons: N,
      particles: K,
      x: new Float64Array(K * N),
      weights: new Float64Array(K).fill(1 / K),
    };
    expect(momentErrors(setup!, snapshot)[0]).toBeCloseTo(-Math.sqrt(3), 12);
    // Lanes without particles yet export their state but no particle rows.
    const tables = mcotTables(setup!, [], 1);
    expect(tables.particles!.rows).toEqual([]);
  });
});
