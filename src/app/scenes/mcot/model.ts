/**
 * The MCOT lab's pure model: scene parameters → validated MCOT run (src/ot/mcot/params.ts), the
 * presets of seed 003 §5, the exact references the charts compare with (SCE costs, MATH.md §6),
 * and the summaries the views draw (decimated histories, pairs, radial histograms). No DOM.
 */
import { interpolateSinebow, interpolateTurbo, rgb } from 'd3';
import {
  MCOT_PRESETS,
  buildMcotSetup,
  parseMcotParams,
  sceReference,
  type McotParams,
  type McotSetup,
} from '../../../ot/mcot/params';
import type { Density1D, Marginal } from '../../../ot/mcot/marginals';
import { coMotionLevel, sampleCoMotions } from '../../../ot/mcot/sce';
import { radialDensity } from '../../../ot/radialDensity';
import { InputError } from '../../../ot/validate';
import type { McotHistory, ParticleSnapshot } from '../../../solvers/mcot/types';
import type { ErrorSample } from '../../../solvers/sinkhorn';
import { defaultValues, type ParamValues } from '../../params';
import {
  LANGEVIN_KEYS,
  PROBLEM_KEYS,
  WEIGHT_KEYS,
  mcotLabParams,
  type McotLabParams,
} from './params';

export type LabValues = ParamValues<McotLabParams>;

/** The 1D laws on [0, 1] (the specs of MCOT_PRESETS, so presets reproduce exactly). */
export const LAWS_1D: Record<string, Record<string, unknown>> = {
  uniform: { kind: 'uniform', a: 0, b: 1 },
  bump: { kind: 'bump', a: 0, b: 1, power: 2 },
  twoBumps: { kind: 'twoBumps', a: 0, b: 1, power: 2, gap: 0.4 },
};

/** The fixed 3D laws; 'mixture' comes from the text field. */
export const LAWS_3D: Record<string, Record<string, unknown>> = {
  normal: { kind: 'normal', mean: [0, 0, 0], sd: 1 },
  anisotropic: { kind: 'normal', mean: [0, 0, 0], sd: [1, 0.7, 0.5] },
  sumOfNormals: {
    kind: 'gaussianMixture',
    components: [
      { weight: 0.5, mean: [-1.5, 0, 0], sd: 0.7 },
      { weight: 0.5, mean: [1.5, 0, 0], sd: 0.7 },
    ],
  },
  ball: { kind: 'ball', center: [0, 0, 0], radius: 1 },
};

const LAW_LABELS: Record<string, string> = {
  uniform: 'uniform on [0, 1]',
  bump: 'bump ∝ (1 − u²)² on [0, 1]',
  twoBumps: 'two bumps on [0, 1] with a zero at x = 0.4',
  normal: 'standard normal N(0, I₃)',
  anisotropic: 'anisotropic normal, sd (1, 0.7, 0.5)',
  sumOfNormals: 'sum of two normals at (±1.5, 0, 0), sd 0.7',
  ball: 'uniform on the unit ball',
};

/** The marginal's name for the page. */
export function lawLabel(values: LabValues): string {
  if (values.d === '1') return LAW_LABELS[values.law1] ?? values.law1;
  if (values.law3 === 'mixture') return `Gaussian mixture ${values.mixture}`;
  return LAW_LABELS[values.law3] ?? values.law3;
}

const NUMBER_LIST = /[\s,]+/;

function numbers(text: string, field: string, counts: readonly number[]): number[] {
  const parts = text.trim() === '' ? [] : text.trim().split(NUMBER_LIST);
  if (!counts.includes(parts.length)) {
    throw new InputError(field, `expected ${counts.join(' or ')} numbers, got ${parts.length}`);
  }
  return parts.map((part) => {
    const value = Number(part);
    if (!Number.isFinite(value) || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(part)) {
      throw new InputError(field, `${JSON.stringify(part.slice(0, 20))} is not a number`);
    }
    return value;
  });
}

/**
 * "weight: mean x y z: sd" components separated by ";" (sd one number, or three per axis) →
 * the JSON spec of parseMarginal3D, which checks the values (weights ≥ 0, sd > 0).
 */
export function parseMixtureText(text: string): Record<string, unknown> {
  const parts = text.split(';').filter((part) => part.trim() !== '');
  if (parts.length === 0 || parts.length > 8) {
    throw new InputError('mixture', 'give 1 to 8 components "weight: x y z: sd" separated by ";"');
  }
  const components = parts.map((part, k) => {
    const field = `mixture component ${k + 1}`;
    const fields = part.split(':');
    if (fields.length !== 3) {
      throw new InputError(
        field,
        `expected "weight: x y z: sd", got ${JSON.stringify(part.trim().slice(0, 40))}`,
      );
    }
    const [weight] = numbers(fields[0]!, `${field} weight`, [1]);
    const mean = numbers(fields[1]!, `${field} mean`, [3]);
    const sd = numbers(fields[2]!, `${field} sd`, [1, 3]);
    return { weight, mean, sd: sd.length === 1 ? sd[0] : sd };
  });
  return { kind: 'gaussianMixture', components };
}

/** The MCOT parameters (JSON, as the CLI takes them) that the scene values describe. */
export function mcotInput(values: LabValues): Record<string, unknown> {
  const oneD = values.d === '1';
  const law3 = values.law3;
  return {
    dimension: oneD ? 1 : 3,
    N: values.N,
    marginal: oneD
      ? LAWS_1D[values.law1]
      : law3 === 'mixture'
        ? parseMixtureText(values.mixture)
        : LAWS_3D[law3],
    testFunctions: oneD ? 'legendre' : values.tests,
    // Only the count of this dimension, so a preset's parameters are exactly the CLI's.
    ...(oneD ? { M: values.M } : { D: values.D }),
    K: values.K,
    weights: values.weights,
    omega: values.omega,
    init: values.init,
    eta: values.eta,
    noise: values.noise,
    sigma0: values.noise === 'zero' ? 0 : values.sigma0,
    timeStep: values.dt,
    minTimeStep: values.dtMin,
    maxTimeStep: values.dtMax,
    timeStepGrowth: values.growth,
    tolerance: values.tol,
    minTolerance: values.minTol,
    toleranceFactor: values.tolFactor,
    steps: values.steps,
    seed: values.seed,
  };
}

/** McotParams field → the panel's label, so messages name the control to change. */
const FIELD_LABELS: Record<string, string> = {
  N: mcotLabParams.N.label,
  M: mcotLabParams.M.label,
  D: mcotLabParams.D.label,
  K: mcotLabParams.K.label,
  init: mcotLabParams.init.label,
  eta: mcotLabParams.eta.label,
  sigma0: mcotLabParams.sigma0.label,
  timeStep: mcotLabParams.dt.label,
  minTimeStep: mcotLabParams.dtMin.label,
  maxTimeStep: mcotLabParams.dtMax.label,
  timeStepGrowth: mcotLabParams.growth.label,
  toleranceFactor: mcotLabParams.tolFactor.label,
  tolerance: mcotLabParams.tol.label,
  minTolerance: mcotLabParams.minTol.label,
};

/** One sentence for an invalid combination, naming the control. */
export function describeSetupError(error: unknown): string {
  if (error instanceof InputError) {
    const component = /^marginal\.components\[(\d+)\]\.?(.*)$/.exec(error.field);
    const label = component
      ? `mixture component ${Number(component[1]) + 1} ${component[2]}`.trim()
      : error.field.startsWith('marginal')
        ? `Marginal μ (${error.field})`
        : (FIELD_LABELS[error.field] ?? error.field);
    return `${label}: ${error.problem}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The values that define the run (not the backend or the views): a key for memoising it. */
export const SETUP_KEYS = [...PROBLEM_KEYS, ...WEIGHT_KEYS, ...LANGEVIN_KEYS] as const;

export function setupKey(values: LabValues): string {
  return JSON.stringify(Object.fromEntries(SETUP_KEYS.map((key) => [key, values[key]])));
}

export type LabSetup =
  { setup: McotSetup; error?: undefined } | { setup?: undefined; error: string };

/** The validated run of the scene values, or the message saying what to change. */
export function labSetup(values: LabValues): LabSetup {
  try {
    const params: McotParams = parseMcotParams(mcotInput(values));
    return { setup: buildMcotSetup(params) };
  } catch (error) {
    if (!(error instanceof InputError || error instanceof RangeError)) throw error;
    return { error: describeSetupError(error) };
  }
}

// ------------------------------------------------------------------------------------ presets

export interface LabPreset {
  id: string;
  label: string;
  values: LabValues;
}

const PRESET_LABELS: Record<string, string> = {
  '1d-uniform-n3': '1D uniform, N = 3',
  '1d-bump-n3': '1D bump, N = 3',
  '1d-two-bumps-n3': '1D two bumps, N = 3',
  '3d-normal-n2': '3D normal, N = 2',
  '3d-normal-n10': '3D normal, N = 10',
  '3d-normal-n30': '3D normal, N = 30',
  '3d-ball-n100': '3D ball, N = 100',
};

function lawKey(laws: Record<string, Record<string, unknown>>, spec: unknown): string {
  const json = JSON.stringify(spec);
  const key = Object.keys(laws).find((k) => JSON.stringify(laws[k]) === json);
  if (!key) throw new Error(`preset marginal ${json} is not one of the lab's laws`);
  return key;
}

/** The scene values of an MCOT_PRESETS entry (the other values at their defaults). */
export function presetValues(name: string): LabValues {
  const preset = MCOT_PRESETS[name];
  if (!preset) throw new Error(`unknown MCOT preset ${name}`);
  const values: Record<string, number | string> = { ...defaultValues(mcotLabParams) };
  const oneD = preset.dimension !== 3;
  values.d = oneD ? '1' : '3';
  if (preset.marginal) {
    if (oneD) values.law1 = lawKey(LAWS_1D, preset.marginal);
    else values.law3 = lawKey(LAWS_3D, preset.marginal);
  }
  for (const key of ['N', 'M', 'D', 'K'] as const) {
    if (preset[key] !== undefined) values[key] = preset[key];
  }
  if (preset.testFunctions && !oneD) values.tests = preset.testFunctions;
  return values as LabValues;
}

export const LAB_PRESETS: readonly LabPreset[] = Object.keys(MCOT_PRESETS).map((id) => ({
  id,
  label: PRESET_LABELS[id] ?? id,
  values: presetValues(id),
}));

/** The preset whose problem the values describe (view options and backend aside). */
export function activePreset(values: LabValues): string | undefined {
  const problemKeys = ['d', 'N', 'law1', 'law3', 'M', 'tests', 'D', 'K', 'weights', 'eta'] as const;
  return LAB_PRESETS.find((preset) =>
    problemKeys.every((key) => {
      if (key === 'law1' && preset.values.d === '3') return true;
      if ((key === 'law3' || key === 'tests' || key === 'D') && preset.values.d === '1')
        return true;
      if (key === 'M' && preset.values.d === '3') return true;
      return preset.values[key] === values[key];
    }),
  )?.id;
}

// --------------------------------------------------------------------------------- references

export interface ExactReference {
  value: number;
  label: string;
}

/**
 * The exact OT (SCE) cost the MCOT cost is compared with, when one is known (sceReference: 1D
 * for any N, 3D radial laws with N = 2). MCOT relaxes the marginal constraint, so its minimum
 * lies below (MATH.md §7).
 */
export function exactReference(setup: McotSetup): ExactReference | undefined {
  const value = sceReference(setup);
  if (value === undefined) return undefined;
  const which = setup.params.dimension === 1 ? '' : ' (radial N = 2)';
  return { value, label: `exact SCE cost${which} ${value.toPrecision(6)}` };
}

// ------------------------------------------------------------------------------------ history

export type HistoryColumn = 'cost' | 'residual' | 'timeStep' | 'sigma';

/**
 * Chart points of a history column, at most `maxPoints` (every stride-th entry and the last):
 * charts redraw a few times a second however long the run.
 */
export function historyPoints(
  history: McotHistory,
  column: HistoryColumn,
  maxPoints = 1500,
): ErrorSample[] {
  const values = history[column];
  const count = values.length;
  const stride = Math.max(1, Math.ceil(count / maxPoints));
  const points: ErrorSample[] = [];
  for (let n = 0; n < count; n += stride) {
    points.push({ iteration: history.iteration[n]!, error: values[n]! });
  }
  if (count > 0 && (count - 1) % stride !== 0) {
    points.push({ iteration: history.iteration[count - 1]!, error: values[count - 1]! });
  }
  return points;
}

// ------------------------------------------------------------------------------------- pairs

/** Segments of the graph of T_m, cut where the level s + m/N wraps past 1 (a jump of T_m). */
export function coMotionSegments(density: Density1D, N: number, samples = 600) {
  const { s, x, maps } = sampleCoMotions(density, N, samples);
  const segments: [number, number][][] = [];
  for (let m = 1; m < N; m += 1) {
    let current: [number, number][] = [];
    for (let j = 0; j < s.length; j += 1) {
      if (j > 0 && coMotionLevel(s[j]!, m, N) < coMotionLevel(s[j - 1]!, m, N)) {
        segments.push(current);
        current = [];
      }
      current.push([x[j]!, maps[m]![j]!]);
    }
    segments.push(current);
  }
  return segments;
}

export type PairChoice = { pairs: [number, number][]; label: string } | { error: string };

/**
 * The electron pairs (0-based) of the 1D pair plot: every ordered pair (i, j), i ≠ j, when `pi` is
 * 0 (the symmetrised coupling), else the one pair (pi, pj) in 1-based electron numbers.
 */
export function pairChoice(N: number, pi: number, pj: number): PairChoice {
  if (pi === 0) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < N; i += 1) for (let j = 0; j < N; j += 1) if (i !== j) pairs.push([i, j]);
    return { pairs, label: 'all ordered pairs (x_i, x_j), i ≠ j' };
  }
  if (pi > N || pj > N) {
    return { error: `Electron ${Math.max(pi, pj)} does not exist: choose electrons 1 … N = ${N}.` };
  }
  if (pi === pj) return { error: 'Choose two different electrons for the pair plot.' };
  return { pairs: [[pi - 1, pj - 1]], label: `(x${pi}, x${pj})` };
}

// -------------------------------------------------------------------------- radial histograms

export interface RadialHistogram {
  /** Bin edges r_0 = 0 < … < r_B. */
  edges: Float64Array;
  /** Weighted density per bin: Σ_{k,i in bin} (w_k/N) / width. */
  density: Float64Array;
}

/** The pooled one-body radii |x_i^k| weighted by w_k/N, binned on [0, rMax]. */
export function radialHistogram(
  snapshot: ParticleSnapshot,
  bins: number,
  rMax: number,
  out?: RadialHistogram,
): RadialHistogram {
  const result = out ?? {
    edges: Float64Array.from({ length: bins + 1 }, (_, b) => (b * rMax) / bins),
    density: new Float64Array(bins),
  };
  const { x, weights, electrons: N, particles: K, dimension: d } = snapshot;
  const width = rMax / bins;
  result.density.fill(0);
  for (let k = 0; k < K; k += 1) {
    const mass = weights[k]! / N / width;
    for (let i = 0; i < N; i += 1) {
      const base = (k * N + i) * d;
      let r2 = 0;
      for (let c = 0; c < d; c += 1) r2 += x[base + c]! ** 2;
      const bin = Math.floor(Math.sqrt(r2) / width);
      if (bin < bins) result.density[bin]! += mass;
    }
  }
  return result;
}

/** The density of |x| under μ: closed form for radial laws, else the sphere quadrature. */
export function marginalRadialDensity(marginal: Marginal): (r: number) => number {
  const radial = marginal.radialLaw?.();
  return radial ? (r) => radial.pdf(r) : radialDensity(marginal);
}

/** A radius that holds almost all of μ (for the histogram's range), from samples. */
export function radialRange(marginal: Marginal, seed = 1): number {
  const samples = marginal.sample(2000, seed);
  const radii = Array.from({ length: 2000 }, (_, s) =>
    Math.hypot(samples[3 * s]!, samples[3 * s + 1]!, samples[3 * s + 2]!),
  ).sort((a, b) => a - b);
  return 1.15 * radii[radii.length - 1]!;
}

// ------------------------------------------------------------------------------------ formulas

const texNumber = (value: number) => {
  const text = formatNumber(value, 3);
  const [mantissa, exponent] = text.split('e');
  return exponent === undefined ? text : String.raw`${mantissa}\cdot 10^{${Number(exponent)}}`;
};

/** The particle problem (MATH.md §7; seed 003 (28)–(29)) with this run's numbers. */
export function problemTex(setup: McotSetup): string {
  const { params, set } = setup;
  const { K, N, eta } = params;
  const M = set.count;
  const d = params.dimension;
  const cost = String.raw`c_\eta(r) = \frac{1}{\sqrt{r^2 + \eta^2}},\ \eta = ${texNumber(eta)}`;
  const pairs = String.raw`\sum_{1\le i<j\le ${N}} c_\eta\big(\lvert x_i^k - x_j^k\rvert\big)`;
  const cross = params.weights === 'fixed' ? String.raw`\setminus\{0\}` : '';
  const tests =
    d === 1
      ? String.raw`\varphi_m = \sqrt{2m+1}\,P_m\ \text{(Legendre on the support)}`
      : params.testFunctions === 'meanCovariance'
        ? String.raw`\varphi_m:\ \text{means and covariances}`
        : String.raw`\varphi_\alpha = p_{\alpha_1}p_{\alpha_2}p_{\alpha_3},\ \alpha \in H_{${params.D}}${cross}`;
  if (params.weights === 'fixed') {
    return String.raw`\begin{aligned}
&\min_{X \in \mathbb R^{${K}\times ${N}\times ${d}}}\ f(X) = \frac{1}{${K}} \sum_{k=1}^{${K}} ${pairs}\\
&\text{s.t.}\ \ \xi_m(X) = \frac{1}{${K}\cdot ${N}} \sum_{k=1}^{${K}}\sum_{i=1}^{${N}} \varphi_m(x_i^k) - \mu(\varphi_m) = 0,\quad m = 1,\dots,${M}\\
&${cost},\quad ${tests}
\end{aligned}`;
  }
  const omega = params.omega === 'square' ? 'z^2' : 'e^{z}';
  return String.raw`\begin{aligned}
&\min_{X,\,z}\ f(X, z) = \sum_{k=1}^{${K}} \omega(z_k) ${pairs},\quad \omega(z) = ${omega}\\
&\text{s.t.}\ \ \frac{1}{${N}} \sum_{k=1}^{${K}} \omega(z_k) \sum_{i=1}^{${N}} \varphi_m(x_i^k) = \mu(\varphi_m),\ \ m = 0,\dots,${M - 1}\ \ (\varphi_0 = 1)\\
&${cost},\quad ${tests}
\end{aligned}`;
}

/** One projected Langevin step (MATH.md §7) with this run's settings. */
export function stepTex(setup: McotSetup): string {
  const { langevin } = setup;
  const sigma0 = texNumber(langevin.sigma0);
  const sigma =
    langevin.noise === 'zero'
      ? String.raw`\sigma_n = 0`
      : langevin.noise === 'constant'
        ? String.raw`\sigma_n = ${sigma0}`
        : String.raw`\sigma_n = ${sigma0}/\sqrt{n+1}`;
  return String.raw`\begin{aligned}
Y &= X^n - \Delta t\,\nabla f(X^n) + \sigma_n \sqrt{\Delta t}\,G^n,\quad ${sigma},\ \ \Delta t_0 = ${texNumber(langevin.timeStep)}\\
X^{n+1} &= Y + J(X^n)\,\lambda:\ \ \lVert \xi(X^{n+1}) \rVert_\infty < ${texNumber(langevin.tolerance)}\ \text{(Newton on } \lambda)
\end{aligned}`;
}

// ------------------------------------------------------------------------------------ colours

export type ColourMode = 'particle' | 'electron';

const PALETTE_SIZE = 256;
const palettes = new Map<ColourMode, Float32Array>();

/** 256 RGB entries in [0, 1]: cyclic hues for particles, turbo for electrons. */
function palette(mode: ColourMode): Float32Array {
  let table = palettes.get(mode);
  if (!table) {
    const interpolate = mode === 'particle' ? interpolateSinebow : interpolateTurbo;
    table = new Float32Array(PALETTE_SIZE * 3);
    for (let p = 0; p < PALETTE_SIZE; p += 1) {
      const { r, g, b } = rgb(interpolate(p / (PALETTE_SIZE - 1)));
      table.set([r / 255, g / 255, b / 255], 3 * p);
    }
    palettes.set(mode, table);
  }
  return table;
}

/** RGB in [0, 1] for each of the K·N electrons (k-major, as the positions), by particle or electron. */
export function electronColours(K: number, N: number, mode: ColourMode): Float32Array {
  const table = palette(mode);
  const colours = new Float32Array(K * N * 3);
  const count = mode === 'particle' ? K : N;
  for (let k = 0; k < K; k += 1) {
    for (let i = 0; i < N; i += 1) {
      const t = (mode === 'particle' ? k : i) / Math.max(1, count - 1);
      // Cyclic hues would give the first and last particle one colour: stop short of a full turn.
      const scaled = mode === 'particle' ? t * 0.92 : t;
      const p = Math.min(PALETTE_SIZE - 1, Math.round(scaled * (PALETTE_SIZE - 1)));
      colours.set(table.subarray(3 * p, 3 * p + 3), 3 * (k * N + i));
    }
  }
  return colours;
}

// -------------------------------------------------------------------------------- formatting

/** A number for the panel: '–' for NaN or infinities, scientific when small or large. */
export function formatNumber(value: number | undefined, digits = 4): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5)) {
    return value.toExponential(digits - 1);
  }
  return value.toPrecision(digits);
}
