/**
 * What the k-means scene exports (src/app/lecture/sceneExports.ts): the points with their blob and
 * current atom, the atoms (now and at the start) with their weights, W2² after every half-step so
 * far, and the `otlab kmeans` input that runs Lloyd from the same start atoms. Pure: no DOM.
 */
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import type { KmeansStage, PointCloud } from './model';

/** `history`: the half-steps from the first assignment to the one shown. */
export function kmeansTables(
  cloud: PointCloud,
  history: readonly KmeansStage[],
): Record<string, DataTable> {
  const stage = history.at(-1)!;
  return {
    points: {
      columns: ['index', 'x', 'y', 'blob', 'atom'],
      rows: cloud.points.map((p, i) => [i, p[0]!, p[1]!, cloud.blob[i]!, stage.labels[i]!]),
    },
    atoms: {
      columns: ['atom', 'x', 'y', 'weight', 'start_x', 'start_y'],
      rows: stage.atoms.map((z, j) => [
        j,
        z[0]!,
        z[1]!,
        stage.weights[j]!,
        cloud.start[j]![0]!,
        cloud.start[j]![1]!,
      ]),
    },
    objectives: {
      columns: ['half_step', 'round', 'phase', 'w2_squared', 'exact_ot'],
      rows: history.map((s, t) => [t, s.iteration, s.phase, s.objective, s.exactOt ?? null]),
    },
  };
}

/** `otlab kmeans` on the same points from the same start atoms. */
export function kmeansOtlabRun(cloud: PointCloud): OtlabRun {
  return { solver: 'kmeans', input: { points: cloud.points, start: cloud.start } };
}
