/**
 * What the image barycenter lab exports (src/app/lecture/sceneExports.ts): every density on the
 * grid (inputs, L2 and entropic W2 barycenters, the strip), their mass, centre and spread, the
 * marginal error per check of every solver, the weights and ε, and the `otlab grid-barycenter`
 * input that computes the W2 barycenter headless with the lab's stopping rule (MATH.md §5).
 * Pure: no DOM.
 */
import { gridRows, type GridBarycenterProblem } from '../../../ot/gridSinkhorn';
import type { SinkhornOptions } from '../../../ot/sinkhorn';
import type { ErrorSample } from '../../../solvers/sinkhorn';
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import { valuesTable } from '../../lecture/tables';
import { texNumber, texTuple } from '../../lecture/tex';
import type { LaneNumbers } from './hook';
import { moments, type LabProblems } from './model';

/** One density the lab shows, by name (undefined while its solver has no result). */
export interface NamedDensity {
  name: string;
  density: ArrayLike<number> | undefined;
}

/** A solver lane's checked marginal errors. */
export interface LaneHistory {
  lane: string;
  history: readonly ErrorSample[];
}

/** The lab's densities in the order of the page: inputs, L2, W2, then the strip (if any). */
export function labDensities(
  problems: LabProblems,
  l2: ArrayLike<number> | undefined,
  w2: ArrayLike<number> | undefined,
  strip: readonly { t: number; density: ArrayLike<number> | undefined }[],
): NamedDensity[] {
  return [
    ...problems.inputs.map((density, k) => ({ name: `input_${k + 1}`, density })),
    { name: 'l2_barycenter', density: l2 },
    { name: 'w2_barycenter', density: w2 },
    ...strip.map(({ t, density }) => ({ name: `strip_t${t}`, density })),
  ];
}

export function imageBarycenterTables(
  problems: LabProblems,
  densities: readonly NamedDensity[],
  lanes: readonly LaneHistory[],
): Record<string, DataTable> {
  const { size } = problems;
  const cells = size * size;
  const shown = densities.map(({ name, density }) => ({
    name,
    density: density?.length === cells ? density : undefined,
  }));
  return {
    // Pixel (r, c) sits at ((c + ½)/size, (r + ½)/size), y down, as in `otlab grid-barycenter`.
    densities: {
      columns: ['row', 'col', 'x', 'y', ...shown.map((d) => d.name)],
      rows: Array.from({ length: cells }, (_, i) => {
        const [r, c] = [Math.floor(i / size), i % size];
        return [
          r,
          c,
          (c + 0.5) / size,
          (r + 0.5) / size,
          ...shown.map((d) => d.density?.[i] ?? null),
        ];
      }),
    },
    summary: {
      columns: ['density', 'mass', 'mean_x', 'mean_y', 'second_moment'],
      rows: shown.flatMap(({ name, density }) => {
        if (!density) return [];
        const m = moments(density, size);
        return [[name, m.mass, m.mean[0], m.mean[1], m.secondMoment]];
      }),
    },
    history: {
      columns: ['lane', 'iteration', 'marginal_error'],
      rows: lanes.flatMap(({ lane, history }) => history.map((s) => [lane, s.iteration, s.error])),
    },
    weights: valuesTable({
      ...Object.fromEntries(problems.weights.map((w, k) => [`lambda_${k + 1}`, w])),
      grid_side: size,
    }),
  };
}

/** `otlab grid-barycenter` on the lab's normalised images, weights, ε and stopping rule. */
export function imageBarycenterOtlabRun(
  problem: GridBarycenterProblem,
  options: Pick<SinkhornOptions, 'maxIterations' | 'tolerance' | 'checkEvery'>,
): OtlabRun {
  const { height, width } = problem;
  return {
    solver: 'grid-barycenter',
    input: {
      images: problem.images.map((image) => gridRows(image, height, width)),
      weights: problem.weights,
      epsilon: problem.epsilon,
      debiased: problem.debiased,
      maxIterations: options.maxIterations,
      tolerance: options.tolerance,
      checkEvery: options.checkEvery,
    },
  };
}

/** The weights, ε and where the W2 barycenter's iteration stands (MATH.md §5). */
export function liveImageTex(weights: readonly number[], epsilon: number, w2?: LaneNumbers) {
  const centre = w2?.mean ? texTuple(w2.mean) : String.raw`\text{–}`;
  return String.raw`\begin{aligned}
\lambda &= ${texTuple(weights)},\quad \varepsilon = ${texNumber(epsilon)} \\
\max_k \lVert u_k \odot K v_k - a_k \rVert_1 &= ${texNumber(w2?.marginalError ?? Number.NaN, 3)}\ \ \text{after ${w2?.iteration ?? 0} iterations} \\
\text{centre of } b &= ${centre},\quad \textstyle\sum b = ${texNumber(w2?.mass ?? Number.NaN, 6)}
\end{aligned}`;
}
