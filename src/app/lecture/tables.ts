/** Tables of common objects for scenes' exports (sceneExports.ts): named values, Gaussian mixtures. */
import type { GaussianMixture } from '../../ot/gaussian';
import type { Cell, DataTable } from './sceneExports';

/** One row per named number: `quantity, value`. */
export function valuesTable(values: Readonly<Record<string, Cell>>): DataTable {
  return { columns: ['quantity', 'value'], rows: Object.entries(values) };
}

/**
 * One row per component: `distribution, component, weight, mean_0 … mean_{d−1}` and the upper
 * triangle `cov_ij` (i ≤ j) of its covariance. All mixtures must share the dimension d.
 */
export function mixtureTable(
  mixtures: readonly { name: string; mixture: GaussianMixture }[],
): DataTable {
  const d = mixtures[0]?.mixture.components[0]?.mean.length ?? 0;
  const pairs = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d - i }, (_, k) => [i, i + k] as const),
  ).flat();
  return {
    columns: [
      'distribution',
      'component',
      'weight',
      ...Array.from({ length: d }, (_, i) => `mean_${i}`),
      ...pairs.map(([i, j]) => `cov_${i}${j}`),
    ],
    rows: mixtures.flatMap(({ name, mixture }) =>
      mixture.components.map((g, k) => [
        name,
        k,
        mixture.weights[k] ?? null,
        ...g.mean,
        ...pairs.map(([i, j]) => g.cov[i]?.[j] ?? null),
      ]),
    ),
  };
}
