/**
 * Optimal transport between Gaussians N(m, S), float64 closed forms (MATH.md §2–§3; seeds 000,
 * 001, 004): Bures–Wasserstein distance, Monge map, McCann and L2 interpolation, geometric mean,
 * W2 barycenter by fixed point, marginal-constrained and marginal-preserving barycenters (seed 000,
 * Theorem of Dalery–Dusson–Ehrlacher) and the Fokker–Planck toy model of seed 000.
 *
 * Inputs are validated once (validateGaussian); the math functions then assume SPD covariances.
 */
import {
  add,
  block,
  cholesky,
  forwardSubstitute,
  fromBlocks,
  frobeniusNorm,
  identity,
  inverseSpd,
  invsqrtm,
  logDetFromCholesky,
  matmulAll,
  matvec,
  requireMatrix,
  requireSpd,
  scale,
  spectralNorm,
  sqrtAndInvSqrt,
  sqrtm,
  squaredDistance,
  sub,
  symmetrize,
  trace,
  transpose,
  weightedSum,
  type Matrix,
  type Vector,
} from './linalg';
import {
  InputError,
  requireFiniteNumber,
  requireInteger,
  requireObject,
  requirePositive,
  requireVector,
  requireWeights,
} from './validate';

export interface Gaussian {
  mean: Vector;
  cov: Matrix;
}

/** Largest dimension the lab accepts (Jacobi eigendecompositions stay exact and fast). */
export const MAX_GAUSSIAN_DIMENSION = 16;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** `{ "mean": [...], "cov": [[...]] }` with an SPD, well-conditioned covariance. */
export function validateGaussian(value: unknown, field: string, dimension?: number): Gaussian {
  const object = requireObject(value, field);
  const mean = requireVector(object.mean, `${field}.mean`, dimension);
  const n = mean.length;
  if (n < 1 || n > MAX_GAUSSIAN_DIMENSION) {
    throw new InputError(
      `${field}.mean`,
      `dimension must be 1 to ${MAX_GAUSSIAN_DIMENSION}, got ${n}`,
    );
  }
  const cov = requireSpd(requireMatrix(object.cov, `${field}.cov`, n, n), `${field}.cov`);
  return { mean, cov };
}

/** A non-empty list of Gaussians of one dimension. */
export function validateGaussians(value: unknown, field: string): Gaussian[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(field, 'expected a non-empty array of {"mean": [...], "cov": [[...]]}');
  }
  const first = validateGaussian(value[0], `${field}[0]`);
  return [
    first,
    ...value.slice(1).map((g, k) => validateGaussian(g, `${field}[${k + 1}]`, first.mean.length)),
  ];
}

/** Barycentric weights in the simplex (default uniform), renormalised to sum exactly to 1. */
export function validateSimplexWeights(value: unknown, field: string, length: number): number[] {
  const weights = requireWeights(value, field, length);
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / total);
}

/** Split index nx with 1 ≤ nx < n (x = first nx coordinates, y = the rest). */
export function validateSplit(value: unknown, field: string, n: number): number {
  if (n < 2)
    throw new InputError(field, `a marginal split needs dimension ≥ 2, the Gaussians have ${n}`);
  return requireInteger(value, field, 1, n - 1);
}

// ---------------------------------------------------------------------------------------------
// Distance, map, interpolation (MATH.md §2)
// ---------------------------------------------------------------------------------------------

export interface W2Terms {
  /** W2² = meanTerm + covarianceTerm. */
  w2Squared: number;
  /** ‖m1 − m2‖². */
  meanTerm: number;
  /** Bures–Wasserstein tr(S1 + S2 − 2 (S1^{1/2} S2 S1^{1/2})^{1/2}). */
  covarianceTerm: number;
}

/** Squared Bures–Wasserstein distance between covariances (seed 001, "Bures–Wasserstein"). */
export function buresWassersteinSquared(s1: Matrix, s2: Matrix): number {
  const root = sqrtm(s1);
  const cross = sqrtm(matmulAll(root, s2, root));
  // ≥ 0 in exact arithmetic; clamp the rounding of nearly equal inputs.
  return Math.max(trace(s1) + trace(s2) - 2 * trace(cross), 0);
}

/** W2²(N(m1,S1), N(m2,S2)) with its two terms (MATH.md §2; the FID formula). */
export function gaussianW2(a: Gaussian, b: Gaussian): W2Terms {
  const meanTerm = squaredDistance(a.mean, b.mean);
  const covarianceTerm = buresWassersteinSquared(a.cov, b.cov);
  return { w2Squared: meanTerm + covarianceTerm, meanTerm, covarianceTerm };
}

/** Monge map matrix A = S1^{-1/2} (S1^{1/2} S2 S1^{1/2})^{1/2} S1^{-1/2}, SPD with A S1 A = S2. */
export function mongeMatrix(s1: Matrix, s2: Matrix): Matrix {
  const { sqrt, invSqrt } = sqrtAndInvSqrt(s1);
  const middle = sqrtm(matmulAll(sqrt, s2, sqrt));
  return symmetrize(matmulAll(invSqrt, middle, invSqrt));
}

/** The optimal map T(x) = m2 + A (x − m1) pushing N(m1,S1) to N(m2,S2) (MATH.md §2). */
export function mongeMap(
  a: Gaussian,
  b: Gaussian,
): { matrix: Matrix; apply: (x: readonly number[]) => Vector } {
  const matrix = mongeMatrix(a.cov, b.cov);
  const apply = (x: readonly number[]) => {
    const shifted = matvec(
      matrix,
      x.map((v, i) => v - a.mean[i]!),
    );
    return shifted.map((v, i) => v + b.mean[i]!);
  };
  return { matrix, apply };
}

/**
 * McCann (displacement) interpolation at t ∈ [0, 1]: m_t = (1−t)m1 + t m2,
 * S_t = ((1−t)I + tA) S1 ((1−t)I + tA) — the W2 geodesic (MATH.md §2).
 */
export function mccannInterpolation(a: Gaussian, b: Gaussian, t: number): Gaussian {
  return mccannWithMatrix(a, b, mongeMatrix(a.cov, b.cov), t);
}

/** McCann interpolation at several times sharing one Monge matrix. */
export function mccannPath(a: Gaussian, b: Gaussian, times: readonly number[]): Gaussian[] {
  const matrix = mongeMatrix(a.cov, b.cov);
  return times.map((t) => mccannWithMatrix(a, b, matrix, t));
}

function mccannWithMatrix(a: Gaussian, b: Gaussian, matrix: Matrix, t: number): Gaussian {
  const n = a.mean.length;
  const step = add(scale(identity(n), 1 - t), scale(matrix, t));
  return {
    mean: a.mean.map((v, i) => (1 - t) * v + t * b.mean[i]!),
    cov: symmetrize(matmulAll(step, a.cov, step)),
  };
}

/** A Gaussian mixture Σ w_k N(m_k, S_k), weights in the simplex. */
export interface GaussianMixture {
  weights: number[];
  components: Gaussian[];
}

/** L2 interpolation: the mixture (1−t)ρ1 + tρ2, two bumps (MATH.md §2, translation example). */
export function l2Interpolation(a: Gaussian, b: Gaussian, t: number): GaussianMixture {
  return { weights: [1 - t, t], components: [a, b] };
}

/**
 * Geometric mean S # T = S^{1/2} (S^{-1/2} T S^{-1/2})^{1/2} S^{1/2}: the unique SPD C with
 * C S^{-1} C = T (seed 000, Lemma of Bhatia 2009).
 */
export function geometricMean(s: Matrix, t: Matrix): Matrix {
  const { sqrt, invSqrt } = sqrtAndInvSqrt(s);
  const middle = sqrtm(matmulAll(invSqrt, t, invSqrt));
  return symmetrize(matmulAll(sqrt, middle, sqrt));
}

// ---------------------------------------------------------------------------------------------
// Barycenter (MATH.md §2, fixed point of Álvarez-Esteban et al. 2016; seed 001)
// ---------------------------------------------------------------------------------------------

export interface BarycenterOptions {
  /**
   * Stop when ‖S_{k+1} − S_k‖_F / ‖S_k‖_F falls below this. It is floored at the rounding level
   * ROUNDING_FLOOR_FACTOR · 2⁻⁵² · cond(S): below that the change is noise (an error δ in the
   * square roots is amplified by S^{-1/2}… S^{-1/2} into δ·cond(S)).
   */
  tolerance: number;
  /** Give up (ConvergenceError) after this many fixed-point iterations. */
  maxIterations: number;
}

export const DEFAULT_BARYCENTER_OPTIONS: BarycenterOptions = {
  tolerance: 1e-12,
  maxIterations: 500,
};

/** See BarycenterOptions.tolerance. */
export const ROUNDING_FLOOR_FACTOR = 100;

export interface GaussianBarycenter {
  gaussian: Gaussian;
  iterations: number;
  /** Relative residual ‖Σ λ_k (S^{1/2} S_k S^{1/2})^{1/2} − S‖_F / ‖S‖_F of the final S. */
  residual: number;
  /** Relative change of S at each iteration. */
  changes: number[];
  /** The tolerance actually used: max(tolerance, rounding floor) at the last iteration. */
  effectiveTolerance: number;
}

/** The fixed point did not reach its tolerance within the iteration cap. */
export class ConvergenceError extends Error {
  override name = 'ConvergenceError';
}

/**
 * W2 barycenter of N(m_k, S_k) with weights λ (simplex): N(Σ λ_k m_k, S*), S* the SPD solution of
 * S = Σ λ_k (S^{1/2} S_k S^{1/2})^{1/2}. Iterates
 *   S ← S^{-1/2} (Σ λ_k (S^{1/2} S_k S^{1/2})^{1/2})² S^{-1/2}
 * from S_0 = Σ λ_k S_k (our choice: exact after one step for K = 1 and in 1D).
 */
export function gaussianBarycenter(
  gaussians: readonly Gaussian[],
  weights: readonly number[],
  options: Partial<BarycenterOptions> = {},
): GaussianBarycenter {
  const { tolerance, maxIterations } = { ...DEFAULT_BARYCENTER_OPTIONS, ...options };
  const covs = gaussians.map((g) => g.cov);
  const mean = gaussians[0]!.mean.map((_, i) =>
    gaussians.reduce((s, g, k) => s + weights[k]! * g.mean[i]!, 0),
  );
  let s = symmetrize(weightedSum(weights, covs));
  const changes: number[] = [];
  let effectiveTolerance = tolerance;
  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    const { sqrt, invSqrt, condition } = sqrtAndInvSqrt(s);
    const m = barycenterMap(sqrt, covs, weights);
    const next = symmetrize(matmulAll(invSqrt, m, m, invSqrt));
    const change = frobeniusNorm(sub(next, s)) / frobeniusNorm(s);
    changes.push(change);
    s = next;
    effectiveTolerance = Math.max(tolerance, ROUNDING_FLOOR_FACTOR * Number.EPSILON * condition);
    if (change <= effectiveTolerance) {
      return {
        gaussian: { mean, cov: s },
        iterations: iteration,
        residual: barycenterResidual(s, covs, weights),
        changes,
        effectiveTolerance,
      };
    }
  }
  throw new ConvergenceError(
    `Gaussian barycenter: relative change ${changes[changes.length - 1]!.toExponential(2)} still above tolerance ${effectiveTolerance.toExponential(2)} after ${maxIterations} iterations; raise maxIterations or tolerance`,
  );
}

/** Σ λ_k (R S_k R)^{1/2} with R = S^{1/2}. */
function barycenterMap(root: Matrix, covs: readonly Matrix[], weights: readonly number[]): Matrix {
  const terms = covs.map((c, k) =>
    weights[k]! === 0 ? c.map((row) => row.map(() => 0)) : sqrtm(matmulAll(root, c, root)),
  );
  return symmetrize(weightedSum(weights, terms));
}

/** Relative residual of the barycenter equation at S (0 at the exact barycenter). */
export function barycenterResidual(
  s: Matrix,
  covs: readonly Matrix[],
  weights: readonly number[],
): number {
  return frobeniusNorm(sub(barycenterMap(sqrtm(s), covs, weights), s)) / frobeniusNorm(s);
}

// ---------------------------------------------------------------------------------------------
// Marginals and the marginal-constrained barycenter (MATH.md §3; seed 000)
// ---------------------------------------------------------------------------------------------

export interface CovarianceBlocks {
  x: Matrix;
  xy: Matrix;
  y: Matrix;
}

/** S = [[Sx, Sxy], [Sxyᵀ, Sy]] with x the first nx coordinates. */
export function splitCovariance(s: Matrix, nx: number): CovarianceBlocks {
  const n = s.length;
  return { x: block(s, 0, nx, 0, nx), xy: block(s, 0, nx, nx, n), y: block(s, nx, n, nx, n) };
}

export function joinCovariance(x: Matrix, xy: Matrix, y: Matrix): Matrix {
  return fromBlocks(x, xy, transpose(xy), y);
}

/** Marginals N(μx, Sx), N(μy, Sy) of N(μ, S) (seed 000, "Marginals of Gaussian measures"). */
export function gaussianMarginals(g: Gaussian, nx: number): { x: Gaussian; y: Gaussian } {
  const blocks = splitCovariance(g.cov, nx);
  return {
    x: { mean: g.mean.slice(0, nx), cov: blocks.x },
    y: { mean: g.mean.slice(nx), cov: blocks.y },
  };
}

/**
 * ‖Sx^{-1/2} Z Sy^{-1/2}‖₂: [[Sx, Z], [Zᵀ, Sy]] is SPD iff this is < 1 (for SPD Sx, Sy;
 * seed 000, "Important remark").
 */
export function coherenceNorm(sx: Matrix, z: Matrix, sy: Matrix): number {
  return spectralNorm(matmulAll(invsqrtm(sx), z, invsqrtm(sy)));
}

/**
 * Z* = (Tx^{-1} # Sx) Txy (Ty^{-1} # Sy): the unique minimiser of Z ↦ W2²(T, [[Sx, Z], [Zᵀ, Sy]])
 * over the feasible Z (seed 000, Theorem of Dalery–Dusson–Ehrlacher, eq. (9)).
 */
export function optimalCrossCovariance(t: Matrix, sx: Matrix, sy: Matrix): Matrix {
  const blocks = splitCovariance(t, sx.length);
  const left = geometricMean(inverseSpd(blocks.x), sx);
  const right = geometricMean(inverseSpd(blocks.y), sy);
  return matmulAll(left, blocks.xy, right);
}

/**
 * The Gaussian closest in W2 to `reference` among those with marginals `x` and `y`:
 * N((μx, μy), [[Sx, Z*], [Z*ᵀ, Sy]]) with Z* from optimalCrossCovariance. It is always SPD: with
 * P = Tx^{-1} # Sx, Q = Ty^{-1} # Sy it equals D T D for D = diag(P, Q), since P Tx P = Sx.
 */
export function closestWithMarginals(reference: Gaussian, x: Gaussian, y: Gaussian): Gaussian {
  const z = optimalCrossCovariance(reference.cov, x.cov, y.cov);
  return { mean: [...x.mean, ...y.mean], cov: joinCovariance(x.cov, z, y.cov) };
}

export interface ConstrainedBarycenter {
  /** The marginal-constrained (or -preserving) barycenter. */
  result: Gaussian;
  /** The plain W2 barycenter used as reference. */
  barycenter: GaussianBarycenter;
  /** The prescribed marginals. */
  marginals: { x: Gaussian; y: Gaussian };
  /** W2²(result, plain barycenter): the price of the constraint. */
  w2SquaredToBarycenter: number;
}

/**
 * Marginal-constrained barycenter (MATH.md §3): the W2 barycenter's covariance as reference T,
 * prescribed marginals N(μx, Sx), N(μy, Sy); result N((μx, μy), [[Sx, Z*], [Z*ᵀ, Sy]]).
 */
export function marginalConstrainedBarycenter(
  gaussians: readonly Gaussian[],
  weights: readonly number[],
  marginals: { x: Gaussian; y: Gaussian },
  options: Partial<BarycenterOptions> = {},
): ConstrainedBarycenter {
  const barycenter = gaussianBarycenter(gaussians, weights, options);
  const result = closestWithMarginals(barycenter.gaussian, marginals.x, marginals.y);
  return {
    result,
    barycenter,
    marginals,
    w2SquaredToBarycenter: gaussianW2(result, barycenter.gaussian).w2Squared,
  };
}

/**
 * Marginal-preserving barycenter (MATH.md §3): as the constrained one, with the prescribed
 * marginals the W2 barycenters (same λ) of the inputs' marginals.
 */
export function marginalPreservingBarycenter(
  gaussians: readonly Gaussian[],
  weights: readonly number[],
  nx: number,
  options: Partial<BarycenterOptions> = {},
): ConstrainedBarycenter & {
  marginalBarycenters: { x: GaussianBarycenter; y: GaussianBarycenter };
} {
  const split = gaussians.map((g) => gaussianMarginals(g, nx));
  const x = gaussianBarycenter(
    split.map((m) => m.x),
    weights,
    options,
  );
  const y = gaussianBarycenter(
    split.map((m) => m.y),
    weights,
    options,
  );
  const constrained = marginalConstrainedBarycenter(
    gaussians,
    weights,
    { x: x.gaussian, y: y.gaussian },
    options,
  );
  return { ...constrained, marginalBarycenters: { x, y } };
}

// ---------------------------------------------------------------------------------------------
// Densities
// ---------------------------------------------------------------------------------------------

/** log N(x; m, S) for each point, via one Cholesky factorisation. */
export function gaussianLogDensity(g: Gaussian, points: readonly (readonly number[])[]): number[] {
  const l = cholesky(g.cov, 'cov');
  const constant = -0.5 * (g.mean.length * Math.log(2 * Math.PI) + logDetFromCholesky(l));
  return points.map((x) => {
    const w = forwardSubstitute(
      l,
      x.map((v, i) => v - g.mean[i]!),
    );
    return constant - 0.5 * w.reduce((s, v) => s + v * v, 0);
  });
}

// ---------------------------------------------------------------------------------------------
// Fokker–Planck toy model (MATH.md §3; seed 000, "Toy gaussian model")
// ---------------------------------------------------------------------------------------------

/**
 * ∂ρ/∂t = −∇·(A z ρ) + D Δρ on z = (x, y), A = Ω [[0, −I], [I, 0]] (seed 000 uses x, y ∈ ℝ;
 * we allow x, y ∈ ℝ^d, d = `blockDimension`).
 */
export interface FokkerPlanckModel {
  omega: number;
  diffusion: number;
  blockDimension: number;
}

/** exp(tA) = [[cos Ωt·I, −sin Ωt·I], [sin Ωt·I, cos Ωt·I]], a rotation. */
export function fokkerPlanckPropagator(model: FokkerPlanckModel, t: number): Matrix {
  const d = model.blockDimension;
  const c = Math.cos(model.omega * t);
  const s = Math.sin(model.omega * t);
  const i = identity(d);
  return fromBlocks(scale(i, c), scale(i, -s), scale(i, s), scale(i, c));
}

/**
 * Exact Gaussian solution at time t from N(m0, S0): the moments solve m' = A m,
 * S' = A S + S Aᵀ + 2D I, so m(t) = E m0 and S(t) = E S0 Eᵀ + 2D ∫₀ᵗ e^{sA} e^{sAᵀ} ds with
 * E = e^{tA}. A is skew-symmetric, e^{sA} orthogonal, hence the integral is exactly t·I:
 * S(t) = E S0 Eᵀ + 2Dt I (closed form, no integrator).
 */
export function fokkerPlanckSolution(
  model: FokkerPlanckModel,
  initial: Gaussian,
  t: number,
): Gaussian {
  const e = fokkerPlanckPropagator(model, t);
  const n = initial.mean.length;
  return {
    mean: matvec(e, initial.mean),
    cov: symmetrize(
      add(matmulAll(e, initial.cov, transpose(e)), scale(identity(n), 2 * model.diffusion * t)),
    ),
  };
}

/** The drift matrix A = Ω [[0, −I], [I, 0]] (for reference integrators and tests). */
export function fokkerPlanckDrift(model: FokkerPlanckModel): Matrix {
  const d = model.blockDimension;
  const i = identity(d);
  const zero = scale(i, 0);
  return fromBlocks(zero, scale(i, -model.omega), scale(i, model.omega), zero);
}

export function fokkerPlanckSnapshots(
  model: FokkerPlanckModel,
  initial: Gaussian,
  times: readonly number[],
): Gaussian[] {
  return times.map((t) => fokkerPlanckSolution(model, initial, t));
}

export interface MarginalErrors {
  /** W2(approximation, truth) on the whole space. */
  full: number;
  /** W2 between x marginals. */
  x: number;
  /** W2 between y marginals. */
  y: number;
}

export function marginalErrors(
  approximation: Gaussian,
  truth: Gaussian,
  nx: number,
): MarginalErrors {
  const a = gaussianMarginals(approximation, nx);
  const b = gaussianMarginals(truth, nx);
  return {
    full: Math.sqrt(gaussianW2(approximation, truth).w2Squared),
    x: Math.sqrt(gaussianW2(a.x, b.x).w2Squared),
    y: Math.sqrt(gaussianW2(a.y, b.y).w2Squared),
  };
}

export interface ReducedOrderComparison {
  truth: Gaussian;
  weights: number[];
  /** Plain W2 barycenter of the snapshots. */
  plain: { gaussian: Gaussian; errors: MarginalErrors };
  /** Marginal-constrained: marginals prescribed as the truth's (the known one-body density). */
  constrained: { gaussian: Gaussian; errors: MarginalErrors };
  /** Marginal-preserving: marginals = barycenters of the snapshots' marginals. */
  preserving: { gaussian: Gaussian; errors: MarginalErrors };
}

/**
 * Weights of `target` on sorted `times` by linear (hat-function) interpolation between the two
 * neighbouring snapshots; our choice of λ for the toy reduced-order model.
 */
export function hatWeights(
  times: readonly number[],
  target: number,
  field = 'targetTime',
): number[] {
  const first = times[0]!;
  const last = times[times.length - 1]!;
  if (target < first || target > last) {
    throw new InputError(
      field,
      `must lie within the snapshot times [${first}, ${last}], got ${target}`,
    );
  }
  const weights = times.map(() => 0);
  if (times.length === 1) return [1];
  const k = Math.min(
    times.findIndex((t, i) => i > 0 && target <= t),
    times.length - 1,
  );
  const left = times[k - 1]!;
  const right = times[k]!;
  const s = (target - left) / (right - left);
  weights[k - 1] = 1 - s;
  weights[k] = s;
  return weights;
}

/**
 * The toy reduced-order experiment of seed 000: snapshots of the Fokker–Planck solution at
 * `snapshotTimes`, their barycenters (plain, constrained, preserving) as approximations of the
 * solution at `targetTime`, compared on the whole space and on both marginals.
 */
export function fokkerPlanckReducedOrder(
  model: FokkerPlanckModel,
  initial: Gaussian,
  snapshotTimes: readonly number[],
  targetTime: number,
  weights?: readonly number[],
  options: Partial<BarycenterOptions> = {},
): ReducedOrderComparison {
  const nx = model.blockDimension;
  const snapshots = fokkerPlanckSnapshots(model, initial, snapshotTimes);
  const truth = fokkerPlanckSolution(model, initial, targetTime);
  const lambda = weights ? [...weights] : hatWeights(snapshotTimes, targetTime);
  const truthMarginals = gaussianMarginals(truth, nx);
  const constrained = marginalConstrainedBarycenter(snapshots, lambda, truthMarginals, options);
  const preserving = marginalPreservingBarycenter(snapshots, lambda, nx, options);
  const plain = constrained.barycenter.gaussian;
  return {
    truth,
    weights: lambda,
    plain: { gaussian: plain, errors: marginalErrors(plain, truth, nx) },
    constrained: {
      gaussian: constrained.result,
      errors: marginalErrors(constrained.result, truth, nx),
    },
    preserving: {
      gaussian: preserving.result,
      errors: marginalErrors(preserving.result, truth, nx),
    },
  };
}

/** Validates a Fokker–Planck model: Ω finite, D > 0, block dimension 1..8. */
export function validateFokkerPlanckModel(value: unknown, field: string): FokkerPlanckModel {
  const object = requireObject(value, field);
  return {
    omega: requireFiniteNumber(object.omega, `${field}.omega`),
    diffusion: requirePositive(object.diffusion, `${field}.diffusion`),
    blockDimension:
      object.blockDimension === undefined
        ? 1
        : requireInteger(object.blockDimension, `${field}.blockDimension`, 1, 8),
  };
}
