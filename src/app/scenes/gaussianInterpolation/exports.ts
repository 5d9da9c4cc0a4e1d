/**
 * What the Gaussian interpolation lab exports (src/app/lecture/sceneExports.ts): the endpoints and
 * both interpolants component by component, W2² with its terms, the map arrows, and the otlab
 * input that recomputes them headless (`otlab gaussian` op interpolate for two Gaussians, `otlab
 * gmm` op interpolate for mixtures). Pure: no DOM.
 */
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import { mixtureTable, valuesTable } from '../../lecture/tables';
import type { LabModel } from './model';

export function interpolationTables(t: number, model: LabModel): Record<string, DataTable> {
  return {
    distributions: mixtureTable([
      { name: 'rho0', mixture: model.rho0 },
      { name: 'rho1', mixture: model.rho1 },
      { name: 'w2_interpolant', mixture: model.w2Interpolant },
      { name: 'l2_interpolant', mixture: model.l2Interpolant },
    ]),
    numbers: valuesTable({
      t,
      w2_squared: model.w2Squared,
      mean_term: model.meanTerm,
      covariance_term: model.covarianceTerm,
      w2_from_rho0_to_rho_t: model.w2FromStart,
    }),
    arrows: {
      columns: ['pair', 'from_x', 'from_y', 'to_x', 'to_y', 'at_t_x', 'at_t_y'],
      rows: model.arrows.map((a) => [a.pair, ...a.from, ...a.to, ...a.at]),
    },
  };
}

/** W2 (McCann) interpolation of two Gaussians, or MW2 interpolation of two mixtures. */
export function interpolationOtlabRun(t: number, model: LabModel): OtlabRun {
  const [a, b] = [model.rho0.components[0], model.rho1.components[0]];
  if (model.mode === 'gaussians' && a && b) {
    return { solver: 'gaussian', input: { op: 'interpolate', a, b, t } };
  }
  return { solver: 'gmm', input: { op: 'interpolate', a: model.rho0, b: model.rho1, t } };
}
