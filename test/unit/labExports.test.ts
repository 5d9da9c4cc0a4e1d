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
import { createGenericBarycenterSolver } from '../../src/solvers/genericBarycenter';
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
