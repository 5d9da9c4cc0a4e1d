/**
 * What the W1-vs-W2 scene exports (src/app/lecture/sceneExports.ts): the sorted samples (the
 * empirical quantile functions, and the CDFs' jump points), the sample and population values, the
 * convergence sweep so far, and the `otlab wasserstein-1d` input that draws the same samples from
 * the same seed and recomputes everything. Pure: no DOM.
 */
import type { PopulationValues, SweepPoint } from '../../../ot/wassersteinLine';
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import { valuesTable } from '../../lecture/tables';
import { POPULATION_TOLERANCE, type LineLaws, type SamplePictures } from './model';

export function lineTables(
  pictures: SamplePictures,
  population: PopulationValues,
  sweep: readonly SweepPoint[],
): Record<string, DataTable> {
  const n = pictures.x.length;
  return {
    // Sample k (0-based, sorted) is F⁻¹ on levels (k/n, (k+1)/n] and where the CDF jumps to (k+1)/n.
    samples: {
      columns: ['k', 'level', 'mu_sample', 'nu_sample'],
      rows: Array.from(pictures.x, (x, k) => [k, (k + 1) / n, x, pictures.y[k]!]),
    },
    values: valuesTable({
      samples_w1_cdf_area: pictures.w1ByCdf,
      samples_w1_quantiles: pictures.w1,
      samples_w2: pictures.w2,
      samples_wp: pictures.wp,
      laws_w1: population.w1,
      laws_w2: population.w2,
      laws_wp: population.wp,
      gaussian_formula: population.formula,
      gaussian_formula_mean_term: population.meanTerm,
      gaussian_formula_spread_term: population.spreadTerm,
    }),
    sweep: {
      columns: ['n', 'empirical_w2_squared', 'plug_in_fid'],
      rows: sweep.map((s) => [s.n, s.empirical, s.plugIn]),
    },
  };
}

/** `otlab wasserstein-1d` on the same laws, order, seed, sample size and sweep sizes. */
export function lineOtlabRun(
  laws: LineLaws,
  values: { n: number; p: number; seed: number },
  sweep: readonly SweepPoint[],
): OtlabRun {
  return {
    solver: 'wasserstein-1d',
    input: {
      mu: laws.mu,
      nu: laws.nu,
      p: values.p,
      n: values.n,
      seed: values.seed,
      sweep: sweep.map((s) => s.n),
      tolerance: POPULATION_TOLERANCE,
    },
  };
}
