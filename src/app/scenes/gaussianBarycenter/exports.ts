/**
 * What the Gaussian barycenter lab exports (src/app/lecture/sceneExports.ts), per view: inputs,
 * weights and results as tables, and the otlab input that recomputes the view headless
 * (`otlab gaussian` barycenter / constrained-barycenter / fokker-planck, or `otlab gmm` barycenter
 * for mixture inputs). Pure: no DOM.
 */
import type { Gaussian } from '../../../ot/gaussian';
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import { mixtureTable, valuesTable } from '../../lecture/tables';
import {
  ROM_INITIAL,
  single,
  type BarycenterResults,
  type MarginalResults,
  type RomResults,
  type SceneInputs,
} from './model';

export type View = 'barycenter' | 'marginals' | 'rom';

export interface ViewResults {
  view: View;
  inputs: SceneInputs;
  barycenter: BarycenterResults;
  marginals: MarginalResults;
  rom: RomResults;
  /** The Fokker–Planck model of the reduced-order view. */
  model: { omega: number; diffusion: number };
}

const gaussians = (entries: readonly [string, Gaussian][]) =>
  entries.map(([name, g]) => ({ name, mixture: single(g) }));

const VARIANTS = ['plain', 'preserving', 'constrained'] as const;

/** The three barycenter variants of a view's results, named, in the order the view shows them. */
function variants<T>(results: Record<(typeof VARIANTS)[number], T>): (readonly [string, T])[] {
  return VARIANTS.map((name) => [name, results[name]] as const);
}

function inputTables(inputs: SceneInputs): Record<string, DataTable> {
  return {
    weights: valuesTable(Object.fromEntries(inputs.weights.map((w, k) => [`lambda_${k + 1}`, w]))),
    inputs: mixtureTable(
      (inputs.mixtures ?? inputs.gaussians.map(single)).map((mixture, k) => ({
        name: `input_${k + 1}`,
        mixture,
      })),
    ),
  };
}

function barycenterTables({ inputs, barycenter }: ViewResults): Record<string, DataTable> {
  const { w2, l2, mw2 } = barycenter;
  return {
    ...inputTables(inputs),
    results: mixtureTable([
      { name: 'w2_barycenter', mixture: single(w2.gaussian) },
      { name: 'l2_barycenter', mixture: l2 },
      ...(mw2 ? [{ name: 'mw2_barycenter', mixture: mw2.mixture }] : []),
    ]),
    numbers: valuesTable({
      fixed_point_iterations: w2.iterations,
      fixed_point_residual: w2.residual,
      ...(mw2 ? { mw2_objective: mw2.objective, mw2_tuples: mw2.tuples } : {}),
    }),
  };
}

function marginalTables({ inputs, marginals }: ViewResults): Record<string, DataTable> {
  const results = variants(marginals);
  return {
    ...inputTables(inputs),
    prescribed_marginals: mixtureTable(
      gaussians([
        ['x', inputs.prescribed.x],
        ['y', inputs.prescribed.y],
      ]),
    ),
    results: mixtureTable(results.map(([name, r]) => ({ name, mixture: r.mixture }))),
    // W2 for Gaussian inputs, MW2 for mixtures (model.ts mixtureMarginalMismatch).
    marginal_errors: {
      columns: [
        'result',
        inputs.mixtures ? 'mw2_x_marginal' : 'w2_x_marginal',
        inputs.mixtures ? 'mw2_y_marginal' : 'w2_y_marginal',
      ],
      rows: results.map(([name, r]) => [name, r.error.x, r.error.y]),
    },
  };
}

function romTables({ rom }: ViewResults): Record<string, DataTable> {
  const predictions = variants(rom);
  return {
    snapshots: {
      columns: ['snapshot', 'time', 'weight'],
      rows: rom.times.map((time, i) => [i, time, rom.weights[i] ?? null]),
    },
    densities: mixtureTable(
      gaussians([
        ...rom.snapshots.map((g, i): [string, Gaussian] => [`snapshot_${i}`, g]),
        ['truth', rom.truth],
        ...predictions.map(([name, p]): [string, Gaussian] => [name, p.gaussian]),
      ]),
    ),
    errors: {
      columns: ['prediction', 'w2_full', 'w2_x_marginal', 'w2_y_marginal'],
      rows: predictions.map(([name, p]) => [name, p.errors.full, p.errors.x, p.errors.y]),
    },
  };
}

export function barycenterSceneTables(results: ViewResults): Record<string, DataTable> {
  if (results.view === 'marginals') return marginalTables(results);
  if (results.view === 'rom') return romTables(results);
  return barycenterTables(results);
}

/** The otlab operation that computes the view's main result. */
export function barycenterSceneOtlabRun({ view, inputs, rom, model }: ViewResults): OtlabRun {
  if (view === 'marginals' && inputs.mixtures) {
    const { x, y } = inputs.prescribed;
    return {
      solver: 'gmm',
      input: {
        op: 'constrained-barycenter',
        mixtures: inputs.mixtures,
        weights: inputs.weights,
        marginals: { weights: [1], x: [x], y: [y] },
      },
    };
  }
  if (view === 'marginals') {
    return {
      solver: 'gaussian',
      input: {
        op: 'constrained-barycenter',
        gaussians: inputs.gaussians,
        weights: inputs.weights,
        nx: 1,
        marginals: inputs.prescribed,
      },
    };
  }
  if (view === 'rom') {
    return {
      solver: 'gaussian',
      input: {
        op: 'fokker-planck',
        model: { ...model, blockDimension: 1 },
        initial: ROM_INITIAL,
        snapshotTimes: rom.times,
        targetTime: inputs.targetTime,
      },
    };
  }
  if (inputs.mixtures) {
    return {
      solver: 'gmm',
      input: { op: 'barycenter', mixtures: inputs.mixtures, weights: inputs.weights },
    };
  }
  return {
    solver: 'gaussian',
    input: { op: 'barycenter', gaussians: inputs.gaussians, weights: inputs.weights },
  };
}
