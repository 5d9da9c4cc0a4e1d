/**
 * Exports of the lecture features (src/app/lecture/): CSV and JSON writing, TeX numbers, the tables
 * helpers, and each scene's otlab input, run through the very CLI solvers `otlab` uses (after a
 * JSON round trip, as a downloaded file would be) and compared with the numbers the scene shows.
 */
import { describe, expect, it } from 'vitest';
import { toCsv, toJson, slug } from '../../src/app/lecture/files';
import { mixtureTable, valuesTable } from '../../src/app/lecture/tables';
import { texNumber, texMatrix } from '../../src/app/lecture/tex';
import { defaultValues } from '../../src/app/params';
import {
  barycenterSceneOtlabRun,
  barycenterSceneTables,
  type View,
  type ViewResults,
} from '../../src/app/scenes/gaussianBarycenter/exports';
import {
  barycenterResults,
  marginalResults,
  romResults,
  sceneInputs,
} from '../../src/app/scenes/gaussianBarycenter/model';
import { gaussianBarycenterParams } from '../../src/app/scenes/gaussianBarycenter/params';
import {
  interpolationOtlabRun,
  interpolationTables,
} from '../../src/app/scenes/gaussianInterpolation/exports';
import { PRESET_ENDPOINTS } from '../../src/app/scenes/gaussianInterpolation/endpoints';
import { computeLab } from '../../src/app/scenes/gaussianInterpolation/model';
import { PRESETS } from '../../src/app/scenes/gaussianInterpolation/params';
import { sinkhornOtlabRun, sinkhornTables } from '../../src/app/scenes/sinkhornToy/exports';
import { toyProblem } from '../../src/app/scenes/sinkhornToy/problem';
import { DEFAULT_SINKHORN_OPTIONS } from '../../src/ot/sinkhorn';
import { createSinkhornSolver } from '../../src/solvers/sinkhorn';
import { runExported } from './exportedRun';

describe('files', () => {
  it('writes RFC 4180 CSV with full-precision numbers and empty cells for non-finite ones', () => {
    const csv = toCsv({
      columns: ['name', 'value'],
      rows: [
        ['a, "b"', 0.1 + 0.2],
        ['nan', Number.NaN],
        ['none', null],
      ],
    });
    expect(csv).toBe('name,value\r\n"a, ""b""",0.30000000000000004\r\nnan,\r\nnone,\r\n');
  });

  it('writes JSON without NaN and with typed arrays as arrays', () => {
    const text = toJson({ f: new Float64Array([1.5, -2]), bad: Number.POSITIVE_INFINITY });
    expect(JSON.parse(text)).toEqual({ f: [1.5, -2], bad: null });
  });

  it('makes file-name slugs from any label', () => {
    expect(slug('W2: displacement interpolation')).toBe('w2-displacement-interpolation');
    expect(slug('<script>alert(1)</script>')).toBe('script-alert-1-script');
    expect(slug('ρ₀ ρ₁')).toBe('0-1');
    expect(slug('ρ')).toBe('view');
    expect(slug('x'.repeat(100))).toHaveLength(48);
  });
});

describe('TeX numbers', () => {
  it('never prints NaN and uses a × 10^k for tiny or huge values', () => {
    expect(texNumber(Number.NaN)).toBe('\\text{–}');
    expect(texNumber(0.123456)).toBe('0.1235');
    expect(texNumber(3.2e-6, 2)).toBe('3.2 \\times 10^{-6}');
    expect(texNumber(0)).toBe('0');
    expect(texMatrix([[1, 2e-9]])).toBe('\\begin{pmatrix} 1 & 2 \\times 10^{-9} \\end{pmatrix}');
  });
});

describe('tables', () => {
  it('lists mixture components with the upper triangle of each covariance', () => {
    const table = mixtureTable([
      {
        name: 'rho',
        mixture: {
          weights: [0.25, 0.75],
          components: [
            {
              mean: [1, 2],
              cov: [
                [3, 4],
                [4, 5],
              ],
            },
            {
              mean: [6, 7],
              cov: [
                [8, 9],
                [9, 10],
              ],
            },
          ],
        },
      },
    ]);
    expect(table.columns).toEqual([
      'distribution',
      'component',
      'weight',
      'mean_0',
      'mean_1',
      'cov_00',
      'cov_01',
      'cov_11',
    ]);
    expect(table.rows).toEqual([
      ['rho', 0, 0.25, 1, 2, 3, 4, 5],
      ['rho', 1, 0.75, 6, 7, 8, 9, 10],
    ]);
    expect(valuesTable({ a: 1 }).rows).toEqual([['a', 1]]);
  });
});

describe('Sinkhorn toy exports', () => {
  const problem = toyProblem({ n: 12, m: 9, seed: 5, epsilon: 0.08 });
  const options = { ...DEFAULT_SINKHORN_OPTIONS, tolerance: 1e-7, maxIterations: 4000 };

  it('give otlab an input that reproduces the CPU run exactly', async () => {
    const solver = createSinkhornSolver([problem], 'cpu', options);
    const page = (await solver.run()).batches[0]!;
    const output = await runExported(sinkhornOtlabRun(problem, options));
    const [headless] = output.results as { iterations: number; transportCost: number }[];
    expect(headless!.iterations).toBe(page.iterations);
    expect(headless!.transportCost).toBe(page.transportCost);
  });

  it('tabulate the clouds, potentials, the dense plan and the error history', async () => {
    const solver = createSinkhornSolver([problem], 'cpu', options);
    const summary = await solver.step(200);
    const tables = sinkhornTables(problem, [
      { lane: 'cpu', potentials: solver.potentials(0), history: summary.batches[0]!.history },
    ]);
    expect(tables.points.rows).toHaveLength(12 + 9);
    expect(tables.potentials.rows).toHaveLength(12 + 9);
    expect(tables.plan.rows).toHaveLength(12 * 9);
    const mass = tables.plan.rows.reduce((s, row) => s + Number(row[3]), 0);
    expect(mass).toBeCloseTo(1, 6);
    expect(tables.history.rows).toHaveLength(
      summary.iteration / DEFAULT_SINKHORN_OPTIONS.checkEvery,
    );
  });
});

describe('Gaussian interpolation exports', () => {
  it.each(PRESETS)('give otlab an input that reproduces W2² for the %s preset', async (preset) => {
    const input = { preset, t: 0.3, endpoints: PRESET_ENDPOINTS[preset] };
    const model = computeLab(input);
    const output = await runExported(interpolationOtlabRun(input.t, model));
    const w2 = (preset === 'mixtures' ? output.mw2 : output.w2) as number;
    expect(w2 ** 2).toBeCloseTo(model.w2Squared, 12);
    const tables = interpolationTables(input.t, model);
    expect(tables.numbers!.rows).toContainEqual(['w2_squared', model.w2Squared]);
  });
});

describe('Gaussian barycenter exports', () => {
  const values = { ...defaultValues(gaussianBarycenterParams), w1: 0.5, w2: 0.2, w3: 0.3 };
  const results = (view: View, kind = 'gaussians'): ViewResults => {
    const inputs = sceneInputs({ ...values, view, kind });
    return {
      view,
      inputs,
      barycenter: barycenterResults(inputs),
      marginals: marginalResults(inputs),
      rom: romResults(values, inputs.targetTime),
      model: { omega: values.omega, diffusion: values.diff },
    };
  };

  it('reproduce the W2 barycenter', async () => {
    const view = results('barycenter');
    const output = await runExported(barycenterSceneOtlabRun(view));
    const { gaussian } = output as { gaussian: { cov: number[][] } };
    gaussian.cov.flat().forEach((v, k) => {
      expect(v).toBeCloseTo(view.barycenter.w2.gaussian.cov.flat()[k]!, 12);
    });
    expect(Object.keys(barycenterSceneTables(view))).toEqual([
      'weights',
      'inputs',
      'results',
      'numbers',
    ]);
  });

  it('reproduce the marginal-constrained barycenter', async () => {
    const view = results('marginals');
    const output = await runExported(barycenterSceneOtlabRun(view));
    const { result } = output as { result: { cov: number[][] } };
    result.cov.flat().forEach((v, k) => {
      expect(v).toBeCloseTo(view.marginals.constrained.mixture.components[0]!.cov.flat()[k]!, 12);
    });
  });

  it('reproduce the component-wise constrained barycenter of mixtures', async () => {
    const view = results('marginals', 'mixtures');
    const output = await runExported(barycenterSceneOtlabRun(view));
    const { mixture } = output as {
      mixture: { weights: number[]; components: { cov: number[][] }[] };
    };
    const shown = view.marginals.constrained.mixture;
    expect(mixture.weights).toHaveLength(shown.weights.length);
    mixture.components.forEach((component, c) => {
      component.cov.flat().forEach((v, k) => {
        expect(v).toBeCloseTo(shown.components[c]!.cov.flat()[k]!, 12);
      });
    });
  });

  it('reproduce the reduced-order model errors', async () => {
    const view = results('rom');
    const output = await runExported(barycenterSceneOtlabRun(view));
    const plain = output.plain as { errors: { full: number } };
    expect(plain.errors.full).toBeCloseTo(view.rom.plain.errors.full, 12);
    expect(barycenterSceneTables(view).errors!.rows).toHaveLength(3);
  });
});
