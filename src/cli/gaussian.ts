/**
 * `otlab gaussian`: closed-form OT between Gaussians (MATH.md §2–§3), one operation per call
 * selected by `op`. Float64 on the CPU only: `--backend gpu` is accepted and reported as
 * "backend": "cpu" (these are d × d matrix computations, d ≤ 16).
 */
import {
  DEFAULT_BARYCENTER_OPTIONS,
  MAX_GAUSSIAN_DIMENSION,
  fokkerPlanckReducedOrder,
  gaussianBarycenter,
  gaussianMarginals,
  gaussianW2,
  geometricMean,
  l2Interpolation,
  marginalConstrainedBarycenter,
  marginalPreservingBarycenter,
  mccannPath,
  mongeMap,
  splitCovariance,
  validateFokkerPlanckModel,
  validateGaussian,
  validateGaussians,
  validateSimplexWeights,
  validateSplit,
  type BarycenterOptions,
  type ConstrainedBarycenter,
  type FokkerPlanckModel,
  type Gaussian,
  type GaussianBarycenter,
} from '../ot/gaussian';
import {
  inverseSpd,
  matmulAll,
  maxAbsDiff,
  requireMatrix,
  requireSpd,
  type Matrix,
} from '../ot/linalg';
import {
  InputError,
  requireFiniteNumber,
  requireInteger,
  requireObject,
  requireOneOf,
  requirePoints,
  requirePositive,
  requireVector,
  orDefault,
} from '../ot/validate';
import type { CliContext } from './registry';
import { cliSolver } from './registry';

export const GAUSSIAN_OPS = [
  'w2',
  'map',
  'interpolate',
  'barycenter',
  'geomean',
  'constrained-barycenter',
  'preserving-barycenter',
  'fokker-planck',
] as const;

type GaussianCliInput =
  | { op: 'w2'; a: Gaussian; b: Gaussian }
  | { op: 'map'; a: Gaussian; b: Gaussian; points: number[][] }
  | { op: 'interpolate'; a: Gaussian; b: Gaussian; t: number[] }
  | { op: 'barycenter'; gaussians: Gaussian[]; weights: number[]; options: BarycenterOptions }
  | { op: 'geomean'; s: Matrix; t: Matrix }
  | {
      op: 'constrained-barycenter';
      gaussians: Gaussian[];
      weights: number[];
      nx: number;
      marginals: { x: Gaussian; y: Gaussian };
      options: BarycenterOptions;
    }
  | {
      op: 'preserving-barycenter';
      gaussians: Gaussian[];
      weights: number[];
      nx: number;
      options: BarycenterOptions;
    }
  | {
      op: 'fokker-planck';
      model: FokkerPlanckModel;
      initial: Gaussian;
      snapshotTimes: number[];
      targetTime: number;
      weights: number[] | undefined;
      options: BarycenterOptions;
    };

/** Interpolation times: one number or a non-empty list, each in [0, 1]. */
export function parseTimes(value: unknown, field: string): number[] {
  const times = Array.isArray(value)
    ? requireVector(value, field)
    : [requireFiniteNumber(value, field)];
  if (times.length === 0) throw new InputError(field, 'give at least one t in [0, 1]');
  times.forEach((t, k) => {
    if (t < 0 || t > 1) {
      throw new InputError(
        Array.isArray(value) ? `${field}[${k}]` : field,
        `must be in [0, 1], got ${t}`,
      );
    }
  });
  return times;
}

export function parseBarycenterOptions(input: Record<string, unknown>): BarycenterOptions {
  const d = DEFAULT_BARYCENTER_OPTIONS;
  return {
    tolerance: orDefault(input.tolerance, d.tolerance, (v) => requirePositive(v, 'tolerance')),
    maxIterations: orDefault(input.maxIterations, d.maxIterations, (v) =>
      requireInteger(v, 'maxIterations', 1, 1e6),
    ),
  };
}

function parsePair(input: Record<string, unknown>): { a: Gaussian; b: Gaussian } {
  const a = validateGaussian(input.a, 'a');
  return { a, b: validateGaussian(input.b, 'b', a.mean.length) };
}

function parseBarycenterInputs(input: Record<string, unknown>) {
  const gaussians = validateGaussians(input.gaussians, 'gaussians');
  return {
    gaussians,
    weights: validateSimplexWeights(input.weights, 'weights', gaussians.length),
    options: parseBarycenterOptions(input),
  };
}

function parseSorted(value: unknown, field: string): number[] {
  const times = requireVector(value, field);
  if (times.length === 0) throw new InputError(field, 'give at least one snapshot time');
  times.forEach((t, k) => {
    if (k > 0 && t <= times[k - 1]!) {
      throw new InputError(
        `${field}[${k}]`,
        `times must increase strictly, got ${t} after ${times[k - 1]!}`,
      );
    }
  });
  return times;
}

function parse(json: unknown): GaussianCliInput {
  const input = requireObject(json, 'input');
  const op = requireOneOf(input.op, 'op', GAUSSIAN_OPS);
  switch (op) {
    case 'w2':
      return { op, ...parsePair(input) };
    case 'map': {
      const pair = parsePair(input);
      const points =
        input.points === undefined
          ? []
          : requirePoints(input.points, 'points', MAX_GAUSSIAN_DIMENSION);
      points.forEach((p, i) => {
        if (p.length !== pair.a.mean.length) {
          throw new InputError(
            `points[${i}]`,
            `has ${p.length} coordinates, the Gaussians have ${pair.a.mean.length}`,
          );
        }
      });
      return { op, ...pair, points };
    }
    case 'interpolate':
      return { op, ...parsePair(input), t: parseTimes(input.t, 't') };
    case 'barycenter':
      return { op, ...parseBarycenterInputs(input) };
    case 'geomean': {
      const raw = requireMatrix(input.S, 'S');
      if (raw.length > MAX_GAUSSIAN_DIMENSION) {
        throw new InputError('S', `at most ${MAX_GAUSSIAN_DIMENSION} rows, got ${raw.length}`);
      }
      const s = requireSpd(raw, 'S');
      const t = requireSpd(requireMatrix(input.T, 'T', s.length, s.length), 'T');
      return { op, s, t };
    }
    case 'constrained-barycenter': {
      const base = parseBarycenterInputs(input);
      const n = base.gaussians[0]!.mean.length;
      const nx = validateSplit(input.nx, 'nx', n);
      const marginals = requireObject(input.marginals, 'marginals');
      return {
        op,
        ...base,
        nx,
        marginals: {
          x: validateGaussian(marginals.x, 'marginals.x', nx),
          y: validateGaussian(marginals.y, 'marginals.y', n - nx),
        },
      };
    }
    case 'preserving-barycenter': {
      const base = parseBarycenterInputs(input);
      return { op, ...base, nx: validateSplit(input.nx, 'nx', base.gaussians[0]!.mean.length) };
    }
    case 'fokker-planck': {
      const model = validateFokkerPlanckModel(input.model, 'model');
      const initial = validateGaussian(input.initial, 'initial', 2 * model.blockDimension);
      const snapshotTimes = parseSorted(input.snapshotTimes, 'snapshotTimes');
      const targetTime = requireFiniteNumber(input.targetTime, 'targetTime');
      const weights =
        input.weights === undefined
          ? undefined
          : validateSimplexWeights(input.weights, 'weights', snapshotTimes.length);
      if (
        !weights &&
        (targetTime < snapshotTimes[0]! || targetTime > snapshotTimes[snapshotTimes.length - 1]!)
      ) {
        throw new InputError(
          'targetTime',
          `must lie within the snapshot times unless weights are given, got ${targetTime}`,
        );
      }
      return {
        op,
        model,
        initial,
        snapshotTimes,
        targetTime,
        weights,
        options: parseBarycenterOptions(input),
      };
    }
  }
}

function barycenterReport(result: GaussianBarycenter) {
  return {
    gaussian: result.gaussian,
    iterations: result.iterations,
    residual: result.residual,
    effectiveTolerance: result.effectiveTolerance,
  };
}

function constrainedReport(out: ConstrainedBarycenter, nx: number) {
  return {
    result: out.result,
    crossCovariance: splitCovariance(out.result.cov, nx).xy,
    barycenter: barycenterReport(out.barycenter),
    w2ToBarycenter: Math.sqrt(out.w2SquaredToBarycenter),
  };
}

function run(input: GaussianCliInput): unknown {
  switch (input.op) {
    case 'w2': {
      const terms = gaussianW2(input.a, input.b);
      return { w2: Math.sqrt(terms.w2Squared), ...terms };
    }
    case 'map': {
      const { matrix, apply } = mongeMap(input.a, input.b);
      return {
        A: matrix,
        /** T(x) = A x + offset. */
        offset: apply(input.a.mean.map(() => 0)),
        mapped: input.points.map(apply),
      };
    }
    case 'interpolate': {
      const mccann = mccannPath(input.a, input.b, input.t);
      return {
        path: input.t.map((t, k) => ({
          t,
          mccann: mccann[k]!,
          l2: l2Interpolation(input.a, input.b, t),
          w2FromA: Math.sqrt(gaussianW2(input.a, mccann[k]!).w2Squared),
        })),
        w2: Math.sqrt(gaussianW2(input.a, input.b).w2Squared),
      };
    }
    case 'barycenter':
      return {
        weights: input.weights,
        ...barycenterReport(gaussianBarycenter(input.gaussians, input.weights, input.options)),
      };
    case 'geomean': {
      const c = geometricMean(input.s, input.t);
      /** max |C S⁻¹ C − T|: how well the defining equation holds. */
      const residual = maxAbsDiff(matmulAll(c, inverseSpd(input.s), c), input.t);
      return { C: c, residual };
    }
    case 'constrained-barycenter':
      return {
        weights: input.weights,
        ...constrainedReport(
          marginalConstrainedBarycenter(
            input.gaussians,
            input.weights,
            input.marginals,
            input.options,
          ),
          input.nx,
        ),
      };
    case 'preserving-barycenter': {
      const out = marginalPreservingBarycenter(
        input.gaussians,
        input.weights,
        input.nx,
        input.options,
      );
      return {
        weights: input.weights,
        ...constrainedReport(out, input.nx),
        marginals: out.marginals,
        plainBarycenterMarginals: gaussianMarginals(out.barycenter.gaussian, input.nx),
      };
    }
    case 'fokker-planck':
      return fokkerPlanckReducedOrder(
        input.model,
        input.initial,
        input.snapshotTimes,
        input.targetTime,
        input.weights,
        input.options,
      );
  }
}

/** Common output header; these closed forms always run on the CPU. */
export function cpuHeader(solver: string, op: string, context: CliContext) {
  return {
    solver,
    op,
    backend: 'cpu' as const,
    ...(context.backend === 'gpu'
      ? { note: 'these closed forms run on the CPU in float64; --backend gpu is ignored' }
      : {}),
  };
}

export const gaussianCli = cliSolver<GaussianCliInput>({
  name: 'gaussian',
  summary: `Gaussian OT closed forms (CPU float64), op: ${GAUSSIAN_OPS.join(', ')}`,
  parse,
  run(input, context) {
    return Promise.resolve({
      ...cpuHeader('gaussian', input.op, context),
      ...(run(input) as object),
    });
  },
});
