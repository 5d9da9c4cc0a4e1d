/**
 * Validation of generic-cost barycenter problems from JSON (the CLI, the lab's presets): every
 * failure is an InputError naming the field and saying how to fix it.
 */
import { seededRandom } from '../random';
import {
  InputError,
  orDefault,
  requireFiniteNumber,
  requireInteger,
  requireObject,
  requireOneOf,
  requirePoints,
  requirePositive,
  requireWeights,
} from '../validate';
import {
  DEFAULT_FIXED_POINT_OPTIONS,
  type DiscreteMeasure,
  type FixedPointOptions,
  type GenericBarycenterProblem,
  type PlanMethod,
} from './fixedPoint';
import { parseGround, requiredDimension } from './groundCost';
import { boxInit } from './seedExamples';

export const MAX_MEASURES = 16;
/** Largest n · m_k an exact plan may have (network simplex on the main thread: ~0.5 s). */
export const MAX_EXACT_ENTRIES = 2_000_000;
export const MAX_SUPPORT = 20_000;

export interface GenericBarycenterInput {
  problem: GenericBarycenterProblem;
  options: FixedPointOptions;
}

/**
 * Weights divided by their sum; weights that already sum to 1 up to rounding are kept as given, so
 * that a problem written out and read back (a lab's exported run) is the same bit for bit.
 */
function normalised(weights: number[]): Float64Array {
  const total = weights.reduce((s, w) => s + w, 0);
  if (Math.abs(total - 1) <= 1e-12) return Float64Array.from(weights);
  return Float64Array.from(weights, (w) => w / total);
}

function parseMeasure(value: unknown, field: string, dimension?: number): DiscreteMeasure {
  const spec = requireObject(value, field);
  const points = requirePoints(spec.points, `${field}.points`);
  if (dimension !== undefined && points[0]!.length !== dimension) {
    throw new InputError(
      `${field}.points`,
      `points have ${points[0]!.length} coordinates, expected ${dimension} like the other measures`,
    );
  }
  const weights = requireWeights(spec.weights, `${field}.weights`, points.length);
  return { points, weights: normalised(weights) };
}

function parseInit(
  value: unknown,
  measures: readonly DiscreteMeasure[],
  dimension: number,
): DiscreteMeasure {
  const spec = requireObject(value, 'init');
  if (spec.points !== undefined) return parseMeasure(spec, 'init', dimension);
  const size = requireInteger(spec.size, 'init.size', 1, MAX_SUPPORT);
  const seed = orDefault(spec.seed, 1, (v) => requireInteger(v, 'init.seed', 0, 2 ** 32 - 1));
  return boxInit(measures, size, seededRandom(seed));
}

function parsePlans(value: unknown, algorithm: 'H' | 'G'): PlanMethod {
  if (value === undefined || value === 'exact') return { kind: 'exact' };
  if (typeof value === 'string') {
    throw new InputError(
      'plans',
      `expected "exact" or {"epsilon": ε}, got "${value.slice(0, 40)}"`,
    );
  }
  const spec = requireObject(value, 'plans');
  const epsilon = requirePositive(spec.epsilon, 'plans.epsilon');
  if (algorithm === 'G') {
    throw new InputError(
      'plans',
      'the G algorithm glues exact plans (entropic plans would multiply the support each iteration); use "exact" or algorithm "H"',
    );
  }
  return { kind: 'entropic', epsilon };
}

function parseSinkhorn(value: unknown): FixedPointOptions['sinkhorn'] {
  const d = DEFAULT_FIXED_POINT_OPTIONS.sinkhorn;
  if (value === undefined) return d;
  const spec = requireObject(value, 'sinkhorn');
  return {
    maxIterations: orDefault(spec.maxIterations, d.maxIterations, (v) =>
      requireInteger(v, 'sinkhorn.maxIterations', 1, 1e6),
    ),
    tolerance: orDefault(spec.tolerance, d.tolerance, (v) =>
      requirePositive(v, 'sinkhorn.tolerance'),
    ),
    checkEvery: orDefault(spec.checkEvery, d.checkEvery, (v) =>
      requireInteger(v, 'sinkhorn.checkEvery', 1, 1e6),
    ),
  };
}

/** Parses `otlab barycenter` input (see docs/cli.md). */
export function parseGenericBarycenterInput(json: unknown): GenericBarycenterInput {
  const input = requireObject(json, 'input');
  if (!Array.isArray(input.measures) || input.measures.length === 0) {
    throw new InputError(
      'measures',
      'expected a non-empty array of {"points": [[..]], "weights": [..]}',
    );
  }
  if (input.measures.length > MAX_MEASURES) {
    throw new InputError(
      'measures',
      `at most ${MAX_MEASURES} measures, got ${input.measures.length}`,
    );
  }
  const K = input.measures.length;
  const ground = parseGround(input.cost, 'cost', K);
  const first = parseMeasure(input.measures[0], 'measures[0]', requiredDimension(ground));
  const dimension = first.points[0]!.length;
  const measures = [
    first,
    ...input.measures
      .slice(1)
      .map((m: unknown, k) => parseMeasure(m, `measures[${k + 1}]`, dimension)),
  ];
  const lambdas = requireWeights(input.weights, 'weights', K);
  if (input.init === undefined)
    throw new InputError('init', 'give {"points": [[..]]} or {"size": n}');
  const init = parseInit(input.init, measures, dimension);
  const d = DEFAULT_FIXED_POINT_OPTIONS;
  const algorithm =
    input.algorithm === undefined
      ? d.algorithm
      : requireOneOf(input.algorithm, 'algorithm', ['H', 'G'] as const);
  const plans = parsePlans(input.plans, algorithm);
  const options: FixedPointOptions = {
    algorithm,
    plans,
    maxIterations: orDefault(input.maxIterations, d.maxIterations, (v) =>
      requireInteger(v, 'maxIterations', 0, 10_000),
    ),
    tolerance: orDefault(input.tolerance, d.tolerance, (v) => {
      const t = requireFiniteNumber(v, 'tolerance');
      if (t < 0) throw new InputError('tolerance', `must be >= 0, got ${t}`);
      return t;
    }),
    groundTolerance: orDefault(input.groundTolerance, d.groundTolerance, (v) =>
      requirePositive(v, 'groundTolerance'),
    ),
    maxSupport: orDefault(input.maxSupport, d.maxSupport, (v) =>
      requireInteger(v, 'maxSupport', 1, MAX_SUPPORT),
    ),
    sinkhorn: parseSinkhorn(input.sinkhorn),
  };
  const problem = { measures, lambdas, ground, init };
  requireExactSizes(problem, options);
  return { problem, options };
}

/** Exact plans are dense network-simplex problems: refuse sizes that would freeze for minutes. */
export function requireExactSizes(
  problem: GenericBarycenterProblem,
  options: FixedPointOptions,
): void {
  if (options.plans.kind !== 'exact') return;
  const largest = Math.max(...problem.measures.map((m) => m.points.length));
  const rows = options.algorithm === 'G' ? options.maxSupport : problem.init.points.length;
  if (rows * largest > MAX_EXACT_ENTRIES) {
    throw new InputError(
      options.algorithm === 'G' ? 'maxSupport' : 'init',
      `exact plans of ${rows} × ${largest} points exceed ${MAX_EXACT_ENTRIES} entries; use fewer points${options.algorithm === 'G' ? ' (lower maxSupport)' : ' or entropic plans'}`,
    );
  }
}
