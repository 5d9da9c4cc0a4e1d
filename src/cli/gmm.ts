/**
 * `otlab gmm`: Gaussian mixtures (MATH.md §4): MW2 distance and plan, MW2 interpolation,
 * barycenter of several mixtures (exact multi-marginal LP), density evaluation and EM fitting.
 * CPU float64 only; `--backend gpu` is reported as "backend": "cpu".
 */
import { validateSplit, type BarycenterOptions } from '../ot/gaussian';
import {
  DEFAULT_EM_OPTIONS,
  fitGaussianMixture,
  mixtureBarycenter,
  mixtureInterpolation,
  mixtureLogDensity,
  mixtureMarginalConstrainedBarycenter,
  mixtureMarginalPreservingBarycenter,
  mixtureTransport,
  validateFitPoints,
  validateMarginalPairs,
  validateMixture,
  validateMixtures,
  type EmOptions,
  type GaussianMixture,
  type MarginalPairs,
} from '../ot/gmm';
import { validateSimplexWeights } from '../ot/gaussian';
import {
  InputError,
  requireInteger,
  requireObject,
  requireOneOf,
  requirePositive,
  orDefault,
} from '../ot/validate';
import { cpuHeader, parseBarycenterOptions, parseTimes } from './gaussian';
import { cliSolver } from './registry';

export const GMM_OPS = [
  'distance',
  'plan',
  'interpolate',
  'barycenter',
  'constrained-barycenter',
  'density',
  'fit',
] as const;

type GmmCliInput =
  | { op: 'distance' | 'plan'; a: GaussianMixture; b: GaussianMixture }
  | { op: 'interpolate'; a: GaussianMixture; b: GaussianMixture; t: number[] }
  | {
      op: 'barycenter';
      mixtures: GaussianMixture[];
      weights: number[];
      nx: number | undefined;
      options: BarycenterOptions;
    }
  | {
      op: 'constrained-barycenter';
      mixtures: GaussianMixture[];
      weights: number[];
      marginals: MarginalPairs;
      options: BarycenterOptions;
    }
  | { op: 'density'; mixture: GaussianMixture; points: number[][] }
  | { op: 'fit'; points: number[][]; k: number; options: EmOptions };

function parsePair(input: Record<string, unknown>) {
  const a = validateMixture(input.a, 'a');
  return { a, b: validateMixture(input.b, 'b', a.components[0]!.mean.length) };
}

/** `mixtures`, `weights` and the barycenter options, with the mixtures' dimension n. */
function parseBarycenterInputs(input: Record<string, unknown>) {
  const mixtures = validateMixtures(input.mixtures, 'mixtures');
  return {
    mixtures,
    weights: validateSimplexWeights(input.weights, 'weights', mixtures.length),
    options: parseBarycenterOptions(input),
    n: mixtures[0]!.components[0]!.mean.length,
  };
}

function parse(json: unknown): GmmCliInput {
  const input = requireObject(json, 'input');
  const op = requireOneOf(input.op, 'op', GMM_OPS);
  switch (op) {
    case 'distance':
    case 'plan':
      return { op, ...parsePair(input) };
    case 'interpolate':
      return { op, ...parsePair(input), t: parseTimes(input.t, 't') };
    case 'barycenter': {
      const { n, ...base } = parseBarycenterInputs(input);
      return {
        op,
        ...base,
        nx: input.nx === undefined ? undefined : validateSplit(input.nx, 'nx', n),
      };
    }
    case 'constrained-barycenter': {
      const { n, ...base } = parseBarycenterInputs(input);
      return { op, ...base, marginals: validateMarginalPairs(input.marginals, 'marginals', n) };
    }
    case 'density': {
      const mixture = validateMixture(input.mixture, 'mixture');
      const points = validateFitPoints(input.points, 'points');
      const d = mixture.components[0]!.mean.length;
      if (points[0]!.length !== d) {
        throw new InputError(
          'points[0]',
          `has ${points[0]!.length} coordinates, the mixture has ${d}`,
        );
      }
      return { op, mixture, points };
    }
    case 'fit': {
      const points = validateFitPoints(input.points, 'points');
      const k = requireInteger(input.k, 'k', 1, Math.min(points.length, 50));
      const d = DEFAULT_EM_OPTIONS;
      const options: EmOptions = {
        seed: orDefault(input.seed, d.seed, (v) =>
          requireInteger(v, 'seed', 0, Number.MAX_SAFE_INTEGER),
        ),
        maxIterations: orDefault(input.maxIterations, d.maxIterations, (v) =>
          requireInteger(v, 'maxIterations', 1, 1e6),
        ),
        tolerance: orDefault(input.tolerance, d.tolerance, (v) => requirePositive(v, 'tolerance')),
        ...(input.covarianceFloor === undefined
          ? {}
          : { covarianceFloor: requirePositive(input.covarianceFloor, 'covarianceFloor') }),
      };
      return { op, points, k, options };
    }
  }
}

function run(input: GmmCliInput): unknown {
  switch (input.op) {
    case 'distance': {
      const t = mixtureTransport(input.a, input.b);
      return { mw2: Math.sqrt(t.w2Squared), mw2Squared: t.w2Squared };
    }
    case 'plan': {
      const t = mixtureTransport(input.a, input.b);
      return {
        mw2: Math.sqrt(t.w2Squared),
        mw2Squared: t.w2Squared,
        plan: t.plan,
        cost: t.cost,
        u: t.u,
        v: t.v,
      };
    }
    case 'interpolate': {
      const transport = mixtureTransport(input.a, input.b);
      return {
        mw2: Math.sqrt(transport.w2Squared),
        plan: transport.plan,
        path: input.t.map((t) => ({
          t,
          mixture: mixtureInterpolation(input.a, input.b, t, transport),
        })),
      };
    }
    case 'barycenter': {
      const out =
        input.nx === undefined
          ? mixtureBarycenter(input.mixtures, input.weights, input.options)
          : mixtureMarginalPreservingBarycenter(
              input.mixtures,
              input.weights,
              input.nx,
              input.options,
            );
      return {
        variant: input.nx === undefined ? 'plain' : 'marginal-preserving',
        weights: input.weights,
        mixture: out.mixture,
        objective: out.objective,
        support: out.support,
        tuples: out.tuples,
      };
    }
    case 'constrained-barycenter': {
      const out = mixtureMarginalConstrainedBarycenter(
        input.mixtures,
        input.weights,
        input.marginals,
        input.options,
      );
      return {
        weights: input.weights,
        mixture: out.mixture,
        matches: out.matches,
        plan: out.plan,
        constraintCost: out.constraintCost,
        plain: { mixture: out.plain.mixture, objective: out.plain.objective },
      };
    }
    case 'density': {
      const logDensity = mixtureLogDensity(input.mixture, input.points);
      return { density: logDensity.map(Math.exp), logDensity };
    }
    case 'fit': {
      const fit = fitGaussianMixture(input.points, input.k, input.options);
      return {
        mixture: fit.mixture,
        logLikelihood: fit.logLikelihood,
        iterations: fit.iterations,
        converged: fit.converged,
        seed: input.options.seed,
        covarianceFloor: fit.covarianceFloor,
        reseeded: fit.reseeded,
        labels: fit.labels,
        history: fit.history,
      };
    }
  }
}

export const gmmCli = cliSolver<GmmCliInput>({
  name: 'gmm',
  summary: `Gaussian mixtures: MW2 and exact multi-marginal barycenters, EM (CPU float64), op: ${GMM_OPS.join(', ')}`,
  parse,
  run(input, context) {
    return Promise.resolve({ ...cpuHeader('gmm', input.op, context), ...(run(input) as object) });
  },
});
