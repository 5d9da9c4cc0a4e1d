/**
 * Gaussian mixtures in float64 (MATH.md §4; seed 001 "Application to GMMs", seed 000 for the
 * marginal-preserving variant): the MW2 distance (discrete OT between components with ground cost
 * W2²), its plan and interpolation, barycenters of several mixtures (multi-marginal OT over
 * component tuples with the Gaussian barycenter as ground barycenter), densities and EM fitting.
 */
import {
  MAX_GAUSSIAN_DIMENSION,
  closestWithMarginals,
  gaussianBarycenter,
  gaussianLogDensity,
  gaussianW2,
  marginalPreservingBarycenter,
  mccannInterpolation,
  validateGaussian,
  validateGaussians,
  validateSimplexWeights,
  type BarycenterOptions,
  type Gaussian,
  type GaussianMixture,
} from './gaussian';
import {
  cholesky,
  identity,
  scale,
  add,
  squaredDistance,
  symmetrize,
  zeros,
  type Matrix,
} from './linalg';
import { blockCounter, philox4x32, philoxKey, philoxUniform } from './philox';
import { logSumExp } from './sinkhorn';
import {
  solveMultiMarginal,
  solveTransport,
  MAX_MULTI_MARGINAL_TUPLES,
  type TransportResult,
} from './transport-lp';
import { InputError, requireObject, requirePoints } from './validate';

export type { GaussianMixture } from './gaussian';

/** Most components per mixture the exact solvers take (the transport LP is dense). */
export const MAX_MIXTURE_COMPONENTS = 50;

/** Plan entries below this are dropped from interpolations and barycenters (LP rounding). */
const MASS_EPSILON = 1e-14;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** `{ "weights": [...], "components": [{ "mean", "cov" }, ...] }`; weights default to uniform. */
export function validateMixture(
  value: unknown,
  field: string,
  dimension?: number,
): GaussianMixture {
  const object = requireObject(value, field);
  const raw = object.components;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new InputError(
      `${field}.components`,
      'expected a non-empty array of {"mean": [...], "cov": [[...]]}',
    );
  }
  if (raw.length > MAX_MIXTURE_COMPONENTS) {
    throw new InputError(
      `${field}.components`,
      `at most ${MAX_MIXTURE_COMPONENTS} components, got ${raw.length}`,
    );
  }
  const first = validateGaussian(raw[0], `${field}.components[0]`, dimension);
  const components = [
    first,
    ...raw
      .slice(1)
      .map((g, k) => validateGaussian(g, `${field}.components[${k + 1}]`, first.mean.length)),
  ];
  const weights = validateSimplexWeights(object.weights, `${field}.weights`, components.length);
  return { weights, components };
}

export function validateMixtures(value: unknown, field: string): GaussianMixture[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(field, 'expected a non-empty array of mixtures {"weights", "components"}');
  }
  const first = validateMixture(value[0], `${field}[0]`);
  const dimension = first.components[0]!.mean.length;
  return [
    first,
    ...value.slice(1).map((m, k) => validateMixture(m, `${field}[${k + 1}]`, dimension)),
  ];
}

// ---------------------------------------------------------------------------------------------
// MW2 distance, plan, interpolation (MATH.md §4)
// ---------------------------------------------------------------------------------------------

export interface MixtureTransport {
  /** MW2² = min_π Σ π_kl W2²(N_k, N_l). */
  w2Squared: number;
  /** K × L plan between the components. */
  plan: number[][];
  /** K × L ground costs W2²(N_k, N_l). */
  cost: number[][];
  /** Dual potentials of the component-level LP (an optimality certificate). */
  u: number[];
  v: number[];
}

export function componentCosts(a: GaussianMixture, b: GaussianMixture): number[][] {
  return a.components.map((ga) => b.components.map((gb) => gaussianW2(ga, gb).w2Squared));
}

/** MW2 between mixtures: exact discrete OT on the weights with cost W2² (seed 001, "OT between GMMs"). */
export function mixtureTransport(a: GaussianMixture, b: GaussianMixture): MixtureTransport {
  const cost = componentCosts(a, b);
  const lp: TransportResult = solveTransport(a.weights, b.weights, cost);
  return { w2Squared: Math.max(lp.cost, 0), plan: lp.plan, cost, u: lp.u, v: lp.v };
}

/** Σ_kl π_kl N(McCann_t(N_k, N_l)): the MW2 geodesic at t (MATH.md §4). */
export function mixtureInterpolation(
  a: GaussianMixture,
  b: GaussianMixture,
  t: number,
  transport: MixtureTransport = mixtureTransport(a, b),
): GaussianMixture {
  const weights: number[] = [];
  const components: Gaussian[] = [];
  transport.plan.forEach((row, k) => {
    row.forEach((mass, l) => {
      if (mass <= MASS_EPSILON) return;
      weights.push(mass);
      components.push(mccannInterpolation(a.components[k]!, b.components[l]!, t));
    });
  });
  return normalised({ weights, components });
}

// ---------------------------------------------------------------------------------------------
// Barycenter of several mixtures (MATH.md §4; seed 001 "GMM Barycentre")
// ---------------------------------------------------------------------------------------------

export interface MixtureBarycenter {
  mixture: GaussianMixture;
  /** Optimal multi-marginal cost Σ π(tuple) Σ_m λ_m W2²(N_{k_m}, B(tuple)). */
  objective: number;
  /** Component tuples (one index per input mixture) with their mass. */
  support: { indices: number[]; mass: number }[];
  /** Number of tuples in the LP (Π K_m ≤ MAX_MULTI_MARGINAL_TUPLES). */
  tuples: number;
}

/**
 * Barycenter of mixtures ν_1..ν_M with weights λ: the exact multi-marginal OT over component
 * tuples (k_1..k_M) with cost Σ_m λ_m W2²(N_{k_m}, B) where B is the Gaussian barycenter of the
 * tuple; the result is Σ π(tuple) B(tuple). Exact, but enumerates Π K_m tuples: limited to
 * MAX_MULTI_MARGINAL_TUPLES (4096, e.g. 4 mixtures of 8 components), each needing one Gaussian
 * barycenter. `ground` replaces B (the marginal-preserving variant uses it).
 */
export function mixtureBarycenter(
  mixtures: readonly GaussianMixture[],
  lambda: readonly number[],
  options: Partial<BarycenterOptions> = {},
  ground: (tuple: Gaussian[]) => Gaussian = (tuple) =>
    gaussianBarycenter(tuple, lambda, options).gaussian,
): MixtureBarycenter {
  const sizes = mixtures.map((m) => m.components.length);
  const count = sizes.reduce((p, s) => p * s, 1);
  if (count > MAX_MULTI_MARGINAL_TUPLES) {
    throw new InputError(
      'mixtures',
      `${sizes.join(' × ')} = ${count} component tuples exceed the exact solver's limit ${MAX_MULTI_MARGINAL_TUPLES}; use fewer mixtures or components`,
    );
  }
  const barycenters = new Map<string, Gaussian>();
  const tupleGaussians = (indices: readonly number[]) =>
    indices.map((k, m) => mixtures[m]!.components[k]!);
  const barycenterOf = (indices: readonly number[]) => {
    const key = indices.join(',');
    let g = barycenters.get(key);
    if (!g) {
      g = ground(tupleGaussians(indices));
      barycenters.set(key, g);
    }
    return g;
  };
  const lp = solveMultiMarginal(
    mixtures.map((m) => m.weights),
    (indices) => {
      const b = barycenterOf(indices);
      return tupleGaussians(indices).reduce(
        (s, g, m) => s + lambda[m]! * gaussianW2(g, b).w2Squared,
        0,
      );
    },
  );
  const support = lp.support.filter((e) => e.mass > MASS_EPSILON);
  return {
    mixture: normalised({
      weights: support.map((e) => e.mass),
      components: support.map((e) => barycenterOf(e.indices)),
    }),
    objective: Math.max(lp.cost, 0),
    support,
    tuples: lp.tuples,
  };
}

/**
 * Marginal-preserving barycenter of mixtures (MATH.md §3, last bullet; our choice of the
 * component-wise rule): the tuples and masses of the plain mixture barycenter's LP, each tuple's
 * component replaced by the marginal-preserving barycenter of the tuple's Gaussians, so that its x
 * and y marginals are the W2 barycenters of the matched components' marginals.
 */
export function mixtureMarginalPreservingBarycenter(
  mixtures: readonly GaussianMixture[],
  lambda: readonly number[],
  nx: number,
  options: Partial<BarycenterOptions> = {},
): MixtureBarycenter {
  const plain = mixtureBarycenter(mixtures, lambda, options);
  const components = plain.support.map(
    (e) =>
      marginalPreservingBarycenter(
        e.indices.map((k, m) => mixtures[m]!.components[k]!),
        lambda,
        nx,
        options,
      ).result,
  );
  return { ...plain, mixture: { weights: plain.mixture.weights, components } };
}

/**
 * Prescribed marginals of a mixture as weighted pairs: the x marginal Σ_j a_j N(μx_j, Sx_j) and the
 * y marginal Σ_j a_j N(μy_j, Sy_j), pair j giving one component's two marginals (one pair: plain
 * Gaussian marginals).
 */
export interface MarginalPairs {
  weights: number[];
  x: Gaussian[];
  y: Gaussian[];
}

export interface MixtureConstrainedBarycenter {
  /** Σ_ij P_ij C_ij with C_ij the Gaussian closest to B_i with the marginals of pair j. */
  mixture: GaussianMixture;
  /** The plain MW2 barycenter Σ_i π_i B_i used as reference. */
  plain: MixtureBarycenter;
  /** Optimal plan between the plain barycenter's components (rows) and the pairs (columns). */
  plan: number[][];
  /** Σ_ij P_ij W2²(B_i, C_ij): the price of the constraint, an upper bound on MW2²(result, plain). */
  constraintCost: number;
  /** Origin of each result component: plain component i, pair j. */
  matches: { component: number; pair: number }[];
}

/**
 * Marginal-constrained barycenter of mixtures, component-wise (MATH.md §3, last bullet; seed 000
 * extends the Gaussian definition to mixtures). Our choice of the matching, documented here: with
 * B_i the components of the plain MW2 barycenter (weights π_i) and C_ij = N((μx_j, μy_j),
 * [[Sx_j, Z*], [Z*ᵀ, Sy_j]]) the W2-closest Gaussian to B_i with the marginals of pair j (the
 * Theorem of seed 000), we solve the discrete OT min Σ P_ij W2²(B_i, C_ij) over couplings P of π
 * and a, and return Σ P_ij C_ij. Its x marginal is Σ_ij P_ij N(μx_j, Sx_j) = Σ_j a_j N(μx_j, Sx_j),
 * exactly the prescribed one (likewise y); prescribing the barycenter's own component marginals
 * (a = π) returns the barycenter.
 */
export function mixtureMarginalConstrainedBarycenter(
  mixtures: readonly GaussianMixture[],
  lambda: readonly number[],
  prescribed: MarginalPairs,
  options: Partial<BarycenterOptions> = {},
): MixtureConstrainedBarycenter {
  const plain = mixtureBarycenter(mixtures, lambda, options);
  const candidates = plain.mixture.components.map((b) =>
    prescribed.x.map((x, j) => closestWithMarginals(b, x, prescribed.y[j]!)),
  );
  const cost = candidates.map((row, i) =>
    row.map((c) => gaussianW2(plain.mixture.components[i]!, c).w2Squared),
  );
  const lp = solveTransport(plain.mixture.weights, prescribed.weights, cost);
  const weights: number[] = [];
  const components: Gaussian[] = [];
  const matches: { component: number; pair: number }[] = [];
  lp.plan.forEach((row, i) => {
    row.forEach((mass, j) => {
      if (mass <= MASS_EPSILON) return;
      weights.push(mass);
      components.push(candidates[i]![j]!);
      matches.push({ component: i, pair: j });
    });
  });
  return {
    mixture: normalised({ weights, components }),
    plain,
    plan: lp.plan,
    constraintCost: Math.max(lp.cost, 0),
    matches,
  };
}

/**
 * `{ "weights": [...], "x": [Gaussians], "y": [Gaussians] }` for mixtures of dimension n: the x
 * Gaussians fix the split nx (1 ≤ nx < n), the y ones must have n − nx coordinates.
 */
export function validateMarginalPairs(value: unknown, field: string, n: number): MarginalPairs {
  const object = requireObject(value, field);
  const x = validateGaussians(object.x, `${field}.x`);
  const nx = x[0]!.mean.length;
  if (nx >= n) {
    throw new InputError(
      `${field}.x[0].mean`,
      `the x marginal must have fewer coordinates than the mixtures (${n}), got ${nx}`,
    );
  }
  const y = validateGaussians(object.y, `${field}.y`);
  y.forEach((g, j) => {
    if (g.mean.length !== n - nx) {
      throw new InputError(
        `${field}.y[${j}].mean`,
        `must have ${n - nx} coordinates (the mixtures have ${n}, x has ${nx}), got ${g.mean.length}`,
      );
    }
  });
  if (y.length !== x.length) {
    throw new InputError(
      `${field}.y`,
      `expected ${x.length} Gaussians (one per x), got ${y.length}`,
    );
  }
  return { weights: validateSimplexWeights(object.weights, `${field}.weights`, x.length), x, y };
}

// ---------------------------------------------------------------------------------------------
// Densities
// ---------------------------------------------------------------------------------------------

/** log Σ_k w_k N(x; m_k, S_k) at each point (log-sum-exp over components). */
export function mixtureLogDensity(
  mixture: GaussianMixture,
  points: readonly (readonly number[])[],
): number[] {
  const perComponent = componentLogTerms(mixture, points);
  return points.map((_, i) => logSumExp(perComponent.map((c) => c[i]!)));
}

export function mixtureDensity(
  mixture: GaussianMixture,
  points: readonly (readonly number[])[],
): number[] {
  return mixtureLogDensity(mixture, points).map(Math.exp);
}

/** log w_k + log N(x_i; m_k, S_k), indexed [k][i]. */
function componentLogTerms(
  mixture: GaussianMixture,
  points: readonly (readonly number[])[],
): number[][] {
  return mixture.components.map((g, k) => {
    const logW = Math.log(mixture.weights[k]!);
    return gaussianLogDensity(g, points).map((v) => v + logW);
  });
}

// ---------------------------------------------------------------------------------------------
// EM fitting with a k-means++ start
// ---------------------------------------------------------------------------------------------

export interface EmOptions {
  /** Seed of the Philox stream driving k-means++ (same seed, same fit). */
  seed: number;
  maxIterations: number;
  /** Stop when the mean log-likelihood changes by less than tolerance · max(1, |ℓ|). */
  tolerance: number;
  /**
   * Added to every covariance's diagonal after each M-step (like scikit-learn's reg_covar), so a
   * component collapsing onto one point or a subspace keeps an SPD, well-conditioned covariance.
   * Default: 1e-6 × the data's mean per-coordinate variance (1e-6 if the data has none).
   */
  covarianceFloor?: number;
}

export const DEFAULT_EM_OPTIONS: EmOptions = { seed: 1, maxIterations: 500, tolerance: 1e-10 };

export interface EmResult {
  mixture: GaussianMixture;
  /** Mean log-likelihood (1/n) Σ_i log p(x_i) of the final mixture. */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** Mean log-likelihood of the start and after each EM iteration. */
  history: number[];
  /** Most likely component of each point. */
  labels: number[];
  covarianceFloor: number;
  /** Components re-seeded because their responsibilities vanished. */
  reseeded: number;
}

/**
 * EM for a k-component Gaussian mixture. Start: greedy k-means++ centres (kMeansPlusPlus)
 * drawn from a seeded Philox stream, hard assignment to the nearest centre, one M-step. A component
 * whose total responsibility falls below 1e-10 · n is re-seeded at the worst-explained point with
 * the data covariance (documented guard; counted in `reseeded`). Reaching maxIterations is
 * reported as converged: false, not thrown (EM only ever improves the likelihood).
 */
export function fitGaussianMixture(
  points: readonly number[][],
  k: number,
  options: Partial<EmOptions> = {},
): EmResult {
  const { seed, maxIterations, tolerance, covarianceFloor } = { ...DEFAULT_EM_OPTIONS, ...options };
  const n = points.length;
  if (k > n) throw new InputError('k', `cannot fit ${k} components to ${n} points; use k ≤ ${n}`);
  const data = dataCovariance(points);
  const meanVariance = data.reduce((s, row, i) => s + row[i]!, 0) / data.length;
  const floor = covarianceFloor ?? 1e-6 * (meanVariance > 0 ? meanVariance : 1);
  const centres = kMeansPlusPlus(points, k, uniformStream(seed));
  const hard = points.map((x) => nearest(x, centres));
  const start = points.map((_, i) => Array.from({ length: k }, (_, c) => (hard[i] === c ? 1 : 0)));
  let state = mStep(points, start, floor, data, new Array<number>(n).fill(0), 0);
  let e = eStep(state.mixture, points);
  const history = [mean(e.logDensities)];
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    state = mStep(points, e.responsibilities, floor, data, e.logDensities, state.reseeded);
    iterations += 1;
    e = eStep(state.mixture, points);
    const ll = mean(e.logDensities);
    const previous = history[history.length - 1]!;
    history.push(ll);
    if (Math.abs(ll - previous) <= tolerance * Math.max(1, Math.abs(ll))) {
      converged = true;
      break;
    }
  }
  return {
    mixture: state.mixture,
    logLikelihood: history[history.length - 1]!,
    iterations,
    converged,
    history,
    labels: e.responsibilities.map((r) => r.indexOf(Math.max(...r))),
    covarianceFloor: floor,
    reseeded: state.reseeded,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function eStep(mixture: GaussianMixture, points: readonly number[][]) {
  const terms = componentLogTerms(mixture, points);
  const logDensities = points.map((_, i) => logSumExp(terms.map((c) => c[i]!)));
  const responsibilities = points.map((_, i) =>
    terms.map((c) => Math.exp(c[i]! - logDensities[i]!)),
  );
  return { logDensities, responsibilities };
}

function mStep(
  points: readonly number[][],
  responsibilities: readonly number[][],
  floor: number,
  data: Matrix,
  logDensities: readonly number[],
  reseeded: number,
): { mixture: GaussianMixture; reseeded: number } {
  const n = points.length;
  const d = points[0]!.length;
  const k = responsibilities[0]!.length;
  const weights: number[] = [];
  const components: Gaussian[] = [];
  const floorMatrix = scale(identity(d), floor);
  for (let c = 0; c < k; c += 1) {
    const mass = responsibilities.reduce((s, r) => s + r[c]!, 0);
    if (mass < 1e-10 * n) {
      const worst = logDensities.indexOf(Math.min(...logDensities));
      weights.push(1 / n);
      components.push({ mean: points[worst]!.slice(), cov: add(data, floorMatrix) });
      reseeded += 1;
      continue;
    }
    const mean = new Array<number>(d).fill(0);
    points.forEach((x, i) => {
      x.forEach((v, j) => (mean[j]! += (responsibilities[i]![c]! * v) / mass));
    });
    const cov = zeros(d, d);
    points.forEach((x, i) => {
      const r = responsibilities[i]![c]! / mass;
      for (let p = 0; p < d; p += 1)
        for (let q = 0; q < d; q += 1) cov[p]![q]! += r * (x[p]! - mean[p]!) * (x[q]! - mean[q]!);
    });
    weights.push(mass / n);
    components.push({ mean, cov: symmetrize(add(cov, floorMatrix)) });
  }
  components.forEach((g, c) => cholesky(g.cov, `components[${c}].cov`)); // SPD by the floor
  return { mixture: normalised({ weights, components }), reseeded };
}

/** Empirical covariance (1/n normalisation) of the points. */
function dataCovariance(points: readonly number[][]): Matrix {
  const n = points.length;
  const d = points[0]!.length;
  const mean = new Array<number>(d).fill(0);
  points.forEach((x) => {
    x.forEach((v, j) => (mean[j]! += v / n));
  });
  const cov = zeros(d, d);
  points.forEach((x) => {
    for (let p = 0; p < d; p += 1)
      for (let q = 0; q < d; q += 1) cov[p]![q]! += ((x[p]! - mean[p]!) * (x[q]! - mean[q]!)) / n;
  });
  return cov;
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, §6; the variant scikit-learn uses): first centre
 * uniform; then 2 + ⌊ln k⌋ candidates are drawn with probability ∝ D(x)² (squared distance to
 * the nearest chosen centre) and the one that most lowers Σ D² is kept. Plain D² sampling puts two
 * centres in one cluster noticeably often; the greedy trials make that rare.
 */
export function kMeansPlusPlus(
  points: readonly number[][],
  k: number,
  random: () => number,
): number[][] {
  const n = points.length;
  const trials = 2 + Math.floor(Math.log(k));
  const centres = [points[Math.min(Math.floor(random() * n), n - 1)]!.slice()];
  let d2 = points.map((x) => squaredDistance(x, centres[0]!));
  while (centres.length < k) {
    const total = d2.reduce((s, v) => s + v, 0);
    let best: { index: number; d2: number[]; potential: number } | undefined;
    for (let trial = 0; trial < trials; trial += 1) {
      // All points on chosen centres: any point will do.
      const index =
        total === 0
          ? Math.min(Math.floor(random() * n), n - 1)
          : sampleProportional(d2, random() * total);
      const candidate = points[index]!;
      const next = points.map((x, i) => Math.min(d2[i]!, squaredDistance(x, candidate)));
      const potential = next.reduce((s, v) => s + v, 0);
      if (!best || potential < best.potential) best = { index, d2: next, potential };
    }
    centres.push(points[best!.index]!.slice());
    d2 = best!.d2;
  }
  return centres;
}

/** The index where the running sum of non-negative `weights` first reaches `target` (> 0). */
function sampleProportional(weights: readonly number[], target: number): number {
  let last = -1;
  let running = 0;
  for (let i = 0; i < weights.length; i += 1) {
    if (weights[i]! <= 0) continue;
    running += weights[i]!;
    last = i;
    if (running >= target) return i;
  }
  return last; // rounding: target a hair above the computed total
}

/** Uniforms in (0, 1] from the Philox4x32-10 stream of `seed` (src/ot/philox.ts). */
export function uniformStream(seed: number): () => number {
  const key = philoxKey(seed);
  let index = 0;
  let block: number[] = [];
  return () => {
    if (index % 4 === 0) block = philox4x32(blockCounter(index / 4), key);
    const u = philoxUniform(block[index % 4]!);
    index += 1;
    return u;
  };
}

function nearest(x: readonly number[], centres: readonly number[][]): number {
  let best = 0;
  centres.forEach((c, i) => {
    if (squaredDistance(x, c) < squaredDistance(x, centres[best]!)) best = i;
  });
  return best;
}

function normalised(mixture: GaussianMixture): GaussianMixture {
  const total = mixture.weights.reduce((s, w) => s + w, 0);
  return { weights: mixture.weights.map((w) => w / total), components: mixture.components };
}

/** Points for EM: 1..MAX_GAUSSIAN_DIMENSION coordinates each. */
export function validateFitPoints(value: unknown, field: string): number[][] {
  return requirePoints(value, field, MAX_GAUSSIAN_DIMENSION);
}
