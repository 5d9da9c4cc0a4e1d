/**
 * MCOT run parameters as plain JSON-able data (CLI input, URL state, presets) and the problem they
 * define: marginal μ, test functions φ_m with exact targets μ(φ_m), particle problem and settings.
 *
 * Test functions (seed 003 §5): 1D — scaled Legendre on the support [a, b] of the density, m = 1..M;
 * 3D — the hyperbolic cross H_D of tensor products of orthonormal 1D polynomials per axis
 * (Hermite h_n((x_j − m_j)/s_j) with the marginal's mean and standard deviation per axis for
 * normals and mixtures, Legendre on [c_j − R, c_j + R] for the ball), or the mean–covariance set.
 * With fixed weights the constant is left out (M = |H_D| − 1, seed 003 after Table 1); with
 * adaptive weights it is kept, as the normalisation constraint Σ_k ω(z_k) = 1.
 */
import {
  InputError,
  requireFiniteNumber,
  requireInteger,
  requireObject,
  requireOneOf,
  requirePositive,
} from '../validate';
import {
  momentTargets,
  parseDensity1D,
  parseMarginal3D,
  type Density1D,
  type Marginal,
} from './marginals';
import type { AxisBasis } from './polynomials';
import { radialSceCostN2, sceCost1D } from './sce';
import {
  hyperbolicCross,
  meanCovarianceSet,
  tensorSet,
  type TestFunctionSet,
} from './testFunctions';
import type { LangevinSettings } from './langevin';
import type { FlowSettings } from './initialisation';
import type { ParticleProblem, WeightFunction, WeightMode } from './particles';

export type TestFunctionKind = 'legendre' | 'hyperbolicCross' | 'meanCovariance';
export type InitMethod = 'rk3' | 'tchakaloff';

/**
 * Everything that defines a run; reproducible from these values alone. The Langevin fields
 * (timeStep … fastNewtonIterations, noise, sigma0, seed) are documented in LangevinSettings.
 */
export interface McotParams extends Omit<LangevinSettings, 'descentSlack'> {
  dimension: 1 | 3;
  /** Electrons (marginals). */
  N: number;
  /** JSON spec of μ: see parseDensity1D (1D) and parseMarginal3D (3D) in marginals.ts. */
  marginal: Record<string, unknown>;
  testFunctions: TestFunctionKind;
  /** Legendre functions m = 1..M (1D). */
  M: number;
  /** Hyperbolic-cross degree (3D). */
  D: number;
  /** Particles. */
  K: number;
  weights: WeightMode;
  omega: WeightFunction;
  /** c_η(r) = 1/√(r² + η²). */
  eta: number;
  init: InitMethod;
  /** Q of Carathéodory–Tchakaloff (0: 20·(M' + 1)). */
  tchakaloffSamples: number;
  tchakaloffPerturbation: number;
  /** RK3 local error bound and step cap of the initialisation flow. */
  initErrorTolerance: number;
  maxInitSteps: number;
  /** Langevin step budget. */
  steps: number;
  /** Steps per summary (and per GPU submit in `run()`). */
  stepsPerSummary: number;
}

export const DEFAULT_MCOT_PARAMS: McotParams = {
  dimension: 1,
  N: 2,
  marginal: { kind: 'uniform', a: 0, b: 1 },
  testFunctions: 'legendre',
  M: 8,
  D: 6,
  K: 40,
  weights: 'fixed',
  omega: 'square',
  eta: 0.1,
  noise: 'zero',
  sigma0: 0,
  timeStep: 0.01,
  minTimeStep: 1e-12,
  maxTimeStep: 1e6,
  timeStepGrowth: 1.2,
  tolerance: 1e-5,
  minTolerance: 1e-10,
  toleranceFactor: 0.9,
  maxNewtonIterations: 10,
  fastNewtonIterations: 4,
  init: 'rk3',
  tchakaloffSamples: 0,
  tchakaloffPerturbation: 0.01,
  initErrorTolerance: 1e-3,
  maxInitSteps: 2000,
  seed: 1,
  steps: 500,
  stepsPerSummary: 10,
};

/** Relative cost slack of the noiseless descent check (langevin.ts): far above the rounding of f and the
 * O(tol) wander of converged projections at a stationary point, far below the jumps of an
 * unstable Δt. */
export const DESCENT_SLACK_FLOAT64 = 1e-6;

const NORMAL_3D = { kind: 'normal', mean: [0, 0, 0], sd: 1 };

/** Runs in the spirit of seed 003 §5: 1D laws with N = 3; 3D with N = 2, 10, 30, 100. */
export const MCOT_PRESETS: Record<string, Partial<McotParams>> = {
  '1d-uniform-n3': { dimension: 1, N: 3, marginal: { kind: 'uniform', a: 0, b: 1 }, M: 10, K: 60 },
  '1d-bump-n3': {
    dimension: 1,
    N: 3,
    marginal: { kind: 'bump', a: 0, b: 1, power: 2 },
    M: 10,
    K: 60,
  },
  '1d-two-bumps-n3': {
    dimension: 1,
    N: 3,
    marginal: { kind: 'twoBumps', a: 0, b: 1, power: 2, gap: 0.4 },
    M: 10,
    K: 60,
  },
  '3d-normal-n2': {
    dimension: 3,
    N: 2,
    marginal: NORMAL_3D,
    testFunctions: 'hyperbolicCross',
    D: 6,
    K: 100,
  },
  '3d-normal-n10': {
    dimension: 3,
    N: 10,
    marginal: NORMAL_3D,
    testFunctions: 'hyperbolicCross',
    D: 9,
    K: 100,
  },
  '3d-normal-n30': {
    dimension: 3,
    N: 30,
    marginal: NORMAL_3D,
    testFunctions: 'hyperbolicCross',
    D: 6,
    K: 300,
  },
  '3d-ball-n100': {
    dimension: 3,
    N: 100,
    marginal: { kind: 'ball', center: [0, 0, 0], radius: 1 },
    testFunctions: 'hyperbolicCross',
    D: 6,
    K: 1000,
  },
};

/** The fully defined problem of a parameter set. */
export interface McotSetup {
  params: McotParams;
  marginal: Marginal;
  set: TestFunctionSet;
  problem: ParticleProblem;
  langevin: LangevinSettings;
  flow: FlowSettings;
}

/** Mean and standard deviation per axis, exactly (a degree-2 rule of the law). */
export function axisMoments(marginal: Marginal): { mean: number[]; sd: number[] } {
  const rule = marginal.exactRule(2);
  const d = marginal.dimension;
  const mean = new Array<number>(d).fill(0);
  const second = new Array<number>(d).fill(0);
  rule.weights.forEach((w, q) => {
    for (let j = 0; j < d; j += 1) {
      const x = rule.points[q * d + j]!;
      mean[j]! += w * x;
      second[j]! += w * x * x;
    }
  });
  return { mean, sd: second.map((s, j) => Math.sqrt(Math.max(s - mean[j]! ** 2, 0))) };
}

/** Per-axis bases adapted to a 3D law (see the module comment). */
export function axesFor(marginal: Marginal, spec: Record<string, unknown>): AxisBasis[] {
  if (spec.kind === 'ball') {
    const center = (spec.center as number[] | undefined) ?? [0, 0, 0];
    const radius = (spec.radius as number | undefined) ?? 1;
    return center.map((c) => ({ family: 'legendre' as const, a: c - radius, b: c + radius }));
  }
  const { mean, sd } = axisMoments(marginal);
  return mean.map((center, j) => ({ family: 'hermite' as const, center, scale: sd[j]! }));
}

/** φ_m = √(2m+1) P_m on [a, b] for m = 1..M, and m = 0 (the constant) too when asked. */
function legendreSet(M: number, a: number, b: number, withConstant: boolean): TestFunctionSet {
  const indices = Array.from({ length: M + (withConstant ? 1 : 0) }, (_, m) => [
    withConstant ? m : m + 1,
  ]);
  return tensorSet([{ family: 'legendre', a, b }], indices, `Legendre m = 1..${M} on [${a}, ${b}]`);
}

function crossOrCovarianceSet(params: McotParams, marginal: Marginal): TestFunctionSet {
  const withConstant = params.weights === 'adaptive';
  if (params.testFunctions === 'meanCovariance') {
    const base = meanCovarianceSet(3);
    const rows = Array.from({ length: base.count }, (_, m) =>
      Array.from(base.indices.subarray(3 * m, 3 * m + 3)),
    );
    return tensorSet(base.axes, withConstant ? [[0, 0, 0], ...rows] : rows, base.label);
  }
  const all = hyperbolicCross(params.D, 3);
  const kept = withConstant ? all : all.filter((alpha) => alpha.some((a) => a > 0));
  return tensorSet(axesFor(marginal, params.marginal), kept, `hyperbolic cross D = ${params.D}`);
}

/** The Langevin fields of a parameter set. */
function pickLangevinSettings(params: McotParams): Omit<LangevinSettings, 'descentSlack'> {
  const { timeStep, minTimeStep, maxTimeStep, timeStepGrowth, tolerance, minTolerance } = params;
  const { toleranceFactor, maxNewtonIterations, fastNewtonIterations, noise, sigma0, seed } =
    params;
  return {
    ...{ timeStep, minTimeStep, maxTimeStep, timeStepGrowth, tolerance, minTolerance },
    ...{ toleranceFactor, maxNewtonIterations, fastNewtonIterations, noise, sigma0, seed },
  };
}

/** Builds marginal, test functions, exact targets and settings (parameters already validated). */
export function buildMcotSetup(params: McotParams): McotSetup {
  const density = params.dimension === 1 ? parseDensity1D(params.marginal, 'marginal') : undefined;
  const marginal = density ?? parseMarginal3D(params.marginal, 'marginal');
  const set = density
    ? legendreSet(params.M, density.a, density.b, params.weights === 'adaptive')
    : crossOrCovarianceSet(params, marginal);
  const problem: ParticleProblem = {
    dimension: params.dimension,
    electrons: params.N,
    particles: params.K,
    set,
    targets: momentTargets(set, marginal),
    weights: params.weights,
    omega: params.omega,
    eta: params.eta,
  };
  const coordinates =
    params.K * params.N * params.dimension + (params.weights === 'adaptive' ? params.K : 0);
  if (coordinates <= set.count) {
    throw new InputError(
      'K',
      `${set.count} constraints need more than K·N·d${params.weights === 'adaptive' ? ' + K' : ''} = ${coordinates} coordinates; increase K`,
    );
  }
  return {
    params,
    marginal,
    set,
    problem,
    langevin: {
      ...pickLangevinSettings(params),
      descentSlack: DESCENT_SLACK_FLOAT64,
    },
    flow: {
      tolerance: params.tolerance,
      errorTolerance: params.initErrorTolerance,
      initialStep: 0.1,
      maxStep: 1.5,
      maxSteps: params.maxInitSteps,
    },
  };
}

/**
 * The exact SCE cost of the run's OT problem when it is known (MATH.md §6): 1D for any N
 * (quantile construction), 3D for N = 2 and a law radial about the origin. MCOT relaxes the
 * marginal constraint, so its value lies below; undefined otherwise.
 */
export function sceReference(setup: McotSetup): number | undefined {
  const { params, marginal } = setup;
  if (params.dimension === 1) return sceCost1D(marginal as Density1D, params.N, params.eta).value;
  const radial = marginal.radialLaw?.();
  return params.N === 2 && radial ? radialSceCostN2(radial, params.eta).value : undefined;
}

// --------------------------------------------------------------------------------- validation

const number = (value: unknown, field: string, fallback: number) =>
  value === undefined ? fallback : requireFiniteNumber(value, field);
const positive = (value: unknown, field: string, fallback: number) =>
  value === undefined ? fallback : requirePositive(value, field);
const integer = (value: unknown, field: string, fallback: number, min: number, max: number) =>
  value === undefined ? fallback : requireInteger(value, field, min, max);
const oneOf = <T extends string>(
  value: unknown,
  field: string,
  fallback: T,
  options: readonly T[],
) => (value === undefined ? fallback : requireOneOf(value, field, options));

function inRange(value: number, field: string, lo: number, hi: number, hint: string): number {
  if (!(value >= lo && value <= hi))
    throw new InputError(field, `must be in [${lo}, ${hi}], got ${value}; ${hint}`);
  return value;
}

/** Limits that keep one run within what a browser tab and the CLI can hold. */
export const MCOT_LIMITS = { maxN: 200, maxK: 20000, maxM: 40, maxD: 11, maxSteps: 10_000_000 };

/**
 * Validates JSON into McotParams: `{"preset": name}` starts from a preset, every other field
 * overrides it; missing fields take DEFAULT_MCOT_PARAMS (3D defaults: standard normal, hyperbolic
 * cross). Throws InputError naming the field.
 */
export function parseMcotParams(json: unknown): McotParams {
  const input = requireObject(json, 'input');
  const presetName = input.preset;
  let preset: Partial<McotParams> = {};
  if (presetName !== undefined) {
    const names = Object.keys(MCOT_PRESETS);
    preset = MCOT_PRESETS[requireOneOf(presetName, 'preset', names)]!;
  }
  const raw = { ...preset, ...input } as Record<string, unknown>;
  const base = DEFAULT_MCOT_PARAMS;
  if (raw.dimension !== undefined && raw.dimension !== 1 && raw.dimension !== 3) {
    throw new InputError('dimension', `must be 1 or 3, got ${JSON.stringify(raw.dimension)}`);
  }
  const dimension = raw.dimension === 3 ? 3 : 1;
  const marginal = requireObject(
    raw.marginal ?? (dimension === 1 ? base.marginal : NORMAL_3D),
    'marginal',
  );
  const testFunctions = oneOf(
    raw.testFunctions,
    'testFunctions',
    dimension === 1 ? 'legendre' : 'hyperbolicCross',
    dimension === 1 ? ['legendre'] : ['hyperbolicCross', 'meanCovariance'],
  );
  const weights = oneOf(raw.weights, 'weights', base.weights, ['fixed', 'adaptive']);
  const init = oneOf(raw.init, 'init', base.init, ['rk3', 'tchakaloff']);
  if (init === 'tchakaloff' && weights !== 'adaptive') {
    throw new InputError(
      'init',
      'Carathéodory–Tchakaloff initialisation needs weights = "adaptive"',
    );
  }
  const noise = oneOf(raw.noise, 'noise', base.noise, ['constant', 'sqrt', 'zero']);
  const sigma0 = number(raw.sigma0, 'sigma0', noise === 'zero' ? 0 : 0.01);
  if (sigma0 < 0) throw new InputError('sigma0', `must be >= 0, got ${sigma0}`);
  const eta = number(raw.eta, 'eta', base.eta);
  if (eta < 0) throw new InputError('eta', `must be >= 0 (0 is Coulomb), got ${eta}`);
  const timeStep = positive(raw.timeStep, 'timeStep', base.timeStep);
  const minTimeStep = positive(raw.minTimeStep, 'minTimeStep', base.minTimeStep);
  const maxTimeStep = positive(raw.maxTimeStep, 'maxTimeStep', base.maxTimeStep);
  if (!(minTimeStep <= timeStep && timeStep <= maxTimeStep)) {
    throw new InputError(
      'timeStep',
      `must lie in [minTimeStep, maxTimeStep] = [${minTimeStep}, ${maxTimeStep}], got ${timeStep}`,
    );
  }
  const tolerance = positive(raw.tolerance, 'tolerance', base.tolerance);
  const minTolerance = positive(
    raw.minTolerance,
    'minTolerance',
    Math.min(base.minTolerance, tolerance),
  );
  if (minTolerance > tolerance) {
    throw new InputError(
      'minTolerance',
      `must be <= tolerance = ${tolerance}, got ${minTolerance}`,
    );
  }
  const maxNewtonIterations = integer(
    raw.maxNewtonIterations,
    'maxNewtonIterations',
    base.maxNewtonIterations,
    1,
    100,
  );
  const params: McotParams = {
    dimension,
    N: integer(raw.N, 'N', base.N, 2, MCOT_LIMITS.maxN),
    marginal,
    testFunctions,
    M: integer(raw.M, 'M', base.M, 1, MCOT_LIMITS.maxM),
    D: integer(raw.D, 'D', base.D, 1, MCOT_LIMITS.maxD),
    K: integer(raw.K, 'K', base.K, 1, MCOT_LIMITS.maxK),
    weights,
    omega: oneOf(raw.omega, 'omega', base.omega, ['square', 'exp']),
    eta,
    noise,
    sigma0,
    timeStep,
    minTimeStep,
    maxTimeStep,
    timeStepGrowth: inRange(
      number(raw.timeStepGrowth, 'timeStepGrowth', base.timeStepGrowth),
      'timeStepGrowth',
      1,
      10,
      '1 keeps Δt fixed',
    ),
    tolerance,
    minTolerance,
    toleranceFactor: inRange(
      number(raw.toleranceFactor, 'toleranceFactor', base.toleranceFactor),
      'toleranceFactor',
      0.01,
      1,
      '1 keeps the tolerance fixed',
    ),
    maxNewtonIterations,
    fastNewtonIterations: integer(
      raw.fastNewtonIterations,
      'fastNewtonIterations',
      Math.min(base.fastNewtonIterations, maxNewtonIterations),
      0,
      maxNewtonIterations,
    ),
    init,
    tchakaloffSamples: integer(
      raw.tchakaloffSamples,
      'tchakaloffSamples',
      base.tchakaloffSamples,
      0,
      1_000_000,
    ),
    tchakaloffPerturbation: number(
      raw.tchakaloffPerturbation,
      'tchakaloffPerturbation',
      base.tchakaloffPerturbation,
    ),
    initErrorTolerance: positive(
      raw.initErrorTolerance,
      'initErrorTolerance',
      base.initErrorTolerance,
    ),
    maxInitSteps: integer(raw.maxInitSteps, 'maxInitSteps', base.maxInitSteps, 1, 1_000_000),
    seed: integer(raw.seed, 'seed', base.seed, 0, Number.MAX_SAFE_INTEGER),
    steps: integer(raw.steps, 'steps', base.steps, 0, MCOT_LIMITS.maxSteps),
    stepsPerSummary: integer(
      raw.stepsPerSummary,
      'stepsPerSummary',
      base.stepsPerSummary,
      1,
      100_000,
    ),
  };
  if (params.tchakaloffPerturbation < 0) {
    throw new InputError(
      'tchakaloffPerturbation',
      `must be >= 0, got ${params.tchakaloffPerturbation}`,
    );
  }
  const known = new Set([...Object.keys(base), 'preset']);
  for (const key of Object.keys(input)) {
    if (!known.has(key))
      throw new InputError(key, `unknown field; known fields: ${[...known].join(', ')}`);
  }
  return params;
}
