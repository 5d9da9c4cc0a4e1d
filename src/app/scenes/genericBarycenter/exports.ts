/**
 * What the generic-cost barycenter lab exports (src/app/lecture/sceneExports.ts): the measures ν_k,
 * the barycenter's points and weights now with where each came from at the last update, V(μ_t) per
 * iteration, the weights λ, and the `otlab barycenter` input that runs the same fixed point from the
 * same μ_0 with the lab's stopping rule (seed 001, MATH.md §5). Pure: no DOM.
 */
import type {
  FixedPointOptions,
  FixedPointRecord,
  GenericBarycenterProblem,
} from '../../../ot/barycenter/fixedPoint';
import type { GenericBarycenterResult } from '../../../solvers/genericBarycenter';
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import { texNumber, texTuple } from '../../lecture/tex';
import { valuesTable } from '../../lecture/tables';

/** `otlab barycenter` JSON of a measure (its weights as a plain array). */
const measureJson = ({ points, weights }: { points: number[][]; weights: ArrayLike<number> }) => ({
  points,
  weights: Array.from(weights),
});

/** The lab's points are 2D (seed 001's examples). */
const xy = (point: readonly number[] | undefined) => [point?.[0] ?? null, point?.[1] ?? null];

export function genericBarycenterTables(
  problem: GenericBarycenterProblem,
  history: readonly FixedPointRecord[],
  result: GenericBarycenterResult | undefined,
): Record<string, DataTable> {
  const points = result?.points ?? problem.init.points;
  const weights = result?.weights ?? Array.from(problem.init.weights);
  const previous = result?.previous;
  return {
    measures: {
      columns: ['measure', 'index', 'x', 'y', 'weight'],
      rows: problem.measures.flatMap((measure, k) =>
        measure.points.map((p, j) => [k + 1, j, ...xy(p), measure.weights[j]!]),
      ),
    },
    barycenter: {
      columns: ['index', 'x', 'y', 'weight', 'from_x', 'from_y'],
      rows: points.map((p, i) => [
        i,
        ...xy(p),
        weights[i]!,
        ...xy(previous?.points[result?.parents[i] ?? -1]),
      ]),
    },
    history: {
      columns: ['iteration', 'V', 'support_size', 'marginal_error'],
      rows: history.map((r) => [r.iteration, r.V, r.supportSize, r.marginalError]),
    },
    weights: valuesTable(Object.fromEntries(problem.lambdas.map((w, k) => [`lambda_${k + 1}`, w]))),
  };
}

/** `otlab barycenter` on the lab's measures, costs and μ_0, with the lab's options. */
export function genericBarycenterOtlabRun(
  problem: GenericBarycenterProblem,
  options: FixedPointOptions,
): OtlabRun {
  const { ground } = problem;
  return {
    solver: 'barycenter',
    input: {
      measures: problem.measures.map(measureJson),
      weights: problem.lambdas,
      cost:
        ground.kind === 'pq'
          ? { p: ground.p, q: ground.q }
          : { kind: 'circles', circles: ground.circles },
      init: measureJson(problem.init),
      algorithm: options.algorithm,
      plans: options.plans.kind === 'exact' ? 'exact' : { epsilon: options.plans.epsilon },
      maxIterations: options.maxIterations,
      tolerance: options.tolerance,
      groundTolerance: options.groundTolerance,
      maxSupport: options.maxSupport,
      sinkhorn: options.sinkhorn,
    },
  };
}

/** V at the start and now (MATH.md §5, seed 001), with λ: the energy the chart plots. */
export function liveEnergyTex(lambdas: readonly number[], history: readonly FixedPointRecord[]) {
  const first = history[0];
  const last = history.at(-1);
  const now = last
    ? String.raw`V(\mu_{${last.iteration}}) &= ${texNumber(last.V)}\ \ (${last.supportSize}\ \text{points})`
    : String.raw`V(\mu_t) &= \text{–}`;
  return String.raw`\begin{aligned}
\lambda &= ${texTuple(lambdas)} \\
V(\mu_0) &= ${texNumber(first?.V ?? Number.NaN)} \\
${now}
\end{aligned}`;
}
