/**
 * Exact strictly-correlated-electrons (SCE) references for the MCOT lab (MATH.md §6, seed 002):
 * 1D co-motion functions and costs, the N = 2 radial map in 3D, the mean-field value, the two-state
 * toy model and the N-representability inequality.
 *
 * Cost: c_η(r) = 1/√(r² + η²) (MATH.md §7; η = 0 is Coulomb). Co-motion maps are indexed from 0:
 * T_0 = Id, T_i = T^i with T(x) = F^{-1}(F(x) + 1/N mod 1) (Seidl; Colombo–De Pascale–Di Marino).
 */
import { gaussLegendre, integrateAdaptive } from './quadrature';
import type { Density1D, RadialLaw } from './marginals';

/** c_η(r) = 1/√(r² + η²). */
export function regularizedCoulomb(r: number, eta: number): number {
  return 1 / Math.sqrt(r * r + eta * eta);
}

function checkN(N: number): void {
  if (!Number.isInteger(N) || N < 2) throw new RangeError(`N must be an integer >= 2, got ${N}`);
}

function checkEta(eta: number): void {
  if (!(eta >= 0 && Number.isFinite(eta))) throw new RangeError(`eta must be >= 0, got ${eta}`);
}

/** s + i/N mod 1, in [0, 1). */
export function coMotionLevel(s: number, i: number, N: number): number {
  const level = s + i / N;
  return level >= 1 ? level - 1 : level;
}

/** T_i(x) = F^{-1}(F(x) + i/N mod 1), i = 0..N−1 (seed 002, 1D exact solution). */
export function coMotion(density: Density1D, N: number, i: number, x: number): number {
  checkN(N);
  if (!Number.isInteger(i) || i < 0 || i >= N) {
    throw new RangeError(`co-motion index must be an integer in [0, ${N - 1}], got ${i}`);
  }
  return density.quantile(coMotionLevel(density.cdf(x), i, N));
}

export interface CoMotionSamples {
  /** Levels s_j = (j + ½)/samples. */
  s: Float64Array;
  /** x_j = F^{-1}(s_j). */
  x: Float64Array;
  /** maps[i][j] = T_i(x_j) = F^{-1}(s_j + i/N mod 1), i = 0..N−1 (maps[0] = x). */
  maps: Float64Array[];
}

/** The co-motion functions on a grid of levels s ∈ [0, 1) (the support of the optimal plan). */
export function sampleCoMotions(density: Density1D, N: number, samples: number): CoMotionSamples {
  checkN(N);
  if (!Number.isInteger(samples) || samples < 1) {
    throw new RangeError(`samples must be an integer >= 1, got ${samples}`);
  }
  const s = Float64Array.from({ length: samples }, (_, j) => (j + 0.5) / samples);
  const maps = Array.from({ length: N }, (_, i) =>
    s.map((level) => density.quantile(coMotionLevel(level, i, N))),
  );
  return { s, x: maps[0]!, maps };
}

export interface IntegralResult {
  value: number;
  errorEstimate: number;
  evaluations: number;
}

export interface SceOptions {
  /** Relative tolerance of the adaptive quadrature (default 1e-12). */
  tolerance?: number;
}

/** ∫ f over [lo, hi] to a relative tolerance (scale from one 20-node panel). */
function integrateRelative(
  f: (x: number) => number,
  lo: number,
  hi: number,
  tolerance: number,
): IntegralResult {
  const rough = integrateAdaptive(f, lo, hi, { maxDepth: 0 });
  const scale = Math.max(Math.abs(rough.value), Number.MIN_VALUE);
  const result = integrateAdaptive(f, lo, hi, { tolerance: tolerance * scale });
  return { ...result, evaluations: result.evaluations + rough.evaluations };
}

/**
 * Exact 1D SCE cost Σ_{i<j} ∫₀¹ c(F^{-1}(s_i), F^{-1}(s_j)) ds, s_i = s + i/N mod 1 (seed 002).
 * The integrand is 1/N-periodic (a shift by 1/N permutes the particles), so the cost is N times
 * the integral over the first piece [0, 1/N), where no level wraps: the breakpoints s = k/N are
 * piece ends and the remaining singularities (F^{-1} at 0 and 1, zeros of ρ) are handled by the
 * adaptive Gauss–Legendre bisection. η = 0 is fine: distinct levels give distinct positions.
 */
export function sceCost1D(
  density: Density1D,
  N: number,
  eta: number,
  options: SceOptions = {},
): IntegralResult & { costPerPair: number } {
  checkN(N);
  checkEta(eta);
  const positions = new Float64Array(N);
  const integrand = (s: number) => {
    for (let i = 0; i < N; i += 1) positions[i] = density.quantile(s + i / N);
    let sum = 0;
    for (let i = 0; i < N; i += 1)
      for (let j = i + 1; j < N; j += 1)
        sum += regularizedCoulomb(positions[j]! - positions[i]!, eta);
    return sum;
  };
  const piece = integrateRelative(integrand, 0, 1 / N, options.tolerance ?? 1e-12);
  const value = N * piece.value;
  return {
    value,
    errorEstimate: N * piece.errorEstimate,
    evaluations: piece.evaluations,
    costPerPair: value / ((N * (N - 1)) / 2),
  };
}

/** Uniform law on [a, b]: the SCE cost in closed form, Σ_{k=1}^{N−1} (N − k) c_η(k(b − a)/N). */
export function uniformSceCost(N: number, eta: number, length = 1): number {
  checkN(N);
  let sum = 0;
  for (let k = 1; k < N; k += 1) sum += (N - k) * regularizedCoulomb((k * length) / N, eta);
  return sum;
}

/**
 * Mean-field value ∫∫ c_η(x − y) ρ(x)ρ(y) dx dy (the large-N limit of the cost per pair, seed 002,
 * Cotar–Friesecke–Pass). Outer integral adaptive; inner one on fixed panels graded towards y = x
 * (see `coulombPotential`), so that it is a smooth function of x to rounding and the outer
 * adaptive rule is not fooled by the noise of a nested adaptive one. In 1D the Coulomb kernel is
 * not integrable on the diagonal: η = 0 gives +∞.
 */
export function meanField1D(
  density: Density1D,
  eta: number,
  options: SceOptions = {},
): IntegralResult {
  checkEta(eta);
  if (eta === 0) return { value: Infinity, errorEstimate: 0, evaluations: 0 };
  const outer = integrateRelative(
    (x) => density.pdf(x) * coulombPotential(density, x, eta),
    density.a,
    density.b,
    options.tolerance ?? 1e-12,
  );
  return outer;
}

/** Nodes per panel of the graded inner rule (c_η is analytic with poles at r = ±iη). */
const POTENTIAL_NODES = 30;

/**
 * ∫ c_η(x − y) ρ(y) dy = Σ_± ∫_0^L c_η(r) ρ(x ± r) dr on panels [0, η], [η, 2η], [2η, 4η], …: each
 * panel is as long as its distance to the pole ±iη allows, so 30 Gauss–Legendre nodes give
 * rounding accuracy (ρ is a polynomial of moderate degree on the support).
 */
export function coulombPotential(density: Density1D, x: number, eta: number): number {
  const rule = gaussLegendre(POTENTIAL_NODES);
  let sum = 0;
  for (const [direction, length] of [
    [-1, x - density.a],
    [1, density.b - x],
  ] as const) {
    let lo = 0;
    let hi = Math.min(eta, length);
    while (lo < length) {
      const half = (hi - lo) / 2;
      const mid = (hi + lo) / 2;
      for (let i = 0; i < POTENTIAL_NODES; i += 1) {
        const r = mid + half * rule.nodes[i]!;
        sum +=
          half * rule.weights[i]! * regularizedCoulomb(r, eta) * density.pdf(x + direction * r);
      }
      lo = hi;
      hi = Math.min(2 * hi, length);
    }
  }
  return sum;
}

/** Uniform law on [0, 1]: ∫∫ c_η = 2∫₀¹ (1 − r)/√(r² + η²) dr = 2(asinh(1/η) − √(1 + η²) + η). */
export function uniformMeanField(eta: number): number {
  return 2 * (Math.asinh(1 / eta) - Math.sqrt(1 + eta * eta) + eta);
}

// ---------------------------------------------------------------------- N = 2, radial in 3D

/**
 * Radius g(r) of the partner of a point at radius r (seed 002, "2 particles in 3D, radial
 * density"): mass balance R(g(r)) = 1 − R(r). Solved on the accurate side: for R(r) < ½ through
 * the survival function (S(g) = R(r)), else through the CDF (R(g) = S(r)).
 */
export function radialPartnerRadius(law: RadialLaw, r: number): number {
  const below = law.cdf(r);
  const above = law.survival(r);
  return below <= above ? law.survivalQuantile(below) : law.quantile(above);
}

/** T(x) = −(x/|x|) g(|x|): the opposite direction, mass-balanced radius. Undefined at 0. */
export function radialCoMotion(law: RadialLaw, x: ArrayLike<number>): [number, number, number] {
  const r = Math.hypot(x[0]!, x[1]!, x[2]!);
  if (!(r > 0))
    throw new RangeError('the radial co-motion map is undefined at the origin (a null set)');
  const g = radialPartnerRadius(law, r);
  return [(-x[0]! * g) / r, (-x[1]! * g) / r, (-x[2]! * g) / r];
}

/**
 * N = 2 SCE cost of a radial law: ∫ c(|x| + g(|x|)) dρ = ∫₀¹ c(R^{-1}(p) + R^{-1}(1 − p)) dp
 * = 2∫₀^{½} c(quantile(p) + survivalQuantile(p)) dp.
 */
export function radialSceCostN2(
  law: RadialLaw,
  eta: number,
  options: SceOptions = {},
): IntegralResult {
  checkEta(eta);
  const f = (p: number) => regularizedCoulomb(law.quantile(p) + law.survivalQuantile(p), eta);
  const half = integrateRelative(f, 0, 0.5, options.tolerance ?? 1e-12);
  return {
    value: 2 * half.value,
    errorEstimate: 2 * half.errorEstimate,
    evaluations: half.evaluations,
  };
}

// ------------------------------------------------------------------- two-state toy model

/** c(A,A) = c(B,B) = uDiag > c(A,B) = c(B,A) = uAB, ρ = (1 − t)δ_A + tδ_B (seed 002). */
export interface TwoStateModel {
  uDiag: number;
  uAB: number;
  t: number;
}

/** A pair density on {A, B}²; AB and BA are the two ordered off-diagonal entries. */
export interface TwoStatePair {
  AA: number;
  AB: number;
  BA: number;
  BB: number;
}

function checkModel(model: TwoStateModel): void {
  if (!(model.uDiag > model.uAB)) {
    throw new RangeError(`the toy model needs uDiag > uAB, got ${model.uDiag} <= ${model.uAB}`);
  }
  if (!(model.t >= 0 && model.t <= 1)) throw new RangeError(`t must be in [0, 1], got ${model.t}`);
}

/**
 * Pair density of the symmetric k-particle measure with exactly j particles in B (uniform over the
 * C(k, j) arrangements): P(B, B) = j(j−1)/(k(k−1)), P(A, B) = P(B, A) = j(k−j)/(k(k−1)).
 */
export function fixedCountPair(k: number, j: number): TwoStatePair {
  const pairs = k * (k - 1);
  const mixed = (j * (k - j)) / pairs;
  return { AA: ((k - j) * (k - j - 1)) / pairs, AB: mixed, BA: mixed, BB: (j * (j - 1)) / pairs };
}

export function pairCost(model: TwoStateModel, pair: TwoStatePair): number {
  return model.uDiag * (pair.AA + pair.BB) + model.uAB * (pair.AB + pair.BA);
}

export interface TwoStateSolution {
  k: number;
  /** weights[j]: mass of the component with j particles in B (a symmetric k-particle measure). */
  weights: Float64Array;
  pair: TwoStatePair;
  costPerPair: number;
}

/**
 * Optimal k-representable pair density with one-body marginal ρ. Symmetric k-particle measures on
 * {A, B}^k are the mixtures Σ_j w_j (uniform on arrangements with j B's); the marginal constraint
 * is Σ_j w_j j/k = t. The LP min Σ_j w_j cost_j s.t. Σ w_j = 1, Σ w_j j = kt, w ≥ 0 has two
 * equality rows, so its vertices have at most two non-zero w_j: we enumerate them all (exact).
 */
export function twoStateOptimal(model: TwoStateModel, k: number): TwoStateSolution {
  checkModel(model);
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer >= 2, got ${k}`);
  const target = k * model.t;
  const costs = Array.from({ length: k + 1 }, (_, j) => pairCost(model, fixedCountPair(k, j)));
  const exact = (j: number) => Math.abs(j - target) <= 1e-12 * k;
  let best: { cost: number; support: [number, number][] } = { cost: Infinity, support: [] };
  const consider = (support: [number, number][]) => {
    const cost = support.reduce((s, [j, w]) => s + w * costs[j]!, 0);
    if (cost < best.cost) best = { cost, support };
  };
  for (let i = 0; i <= k; i += 1) {
    if (exact(i)) consider([[i, 1]]);
    for (let l = i + 1; l <= k; l += 1) {
      if (i < target && target < l && !exact(i) && !exact(l)) {
        const wl = (target - i) / (l - i);
        consider([
          [i, 1 - wl],
          [l, wl],
        ]);
      }
    }
  }
  const weights = new Float64Array(k + 1);
  const pair: TwoStatePair = { AA: 0, AB: 0, BA: 0, BB: 0 };
  for (const [j, w] of best.support) {
    weights[j] = w;
    const component = fixedCountPair(k, j);
    pair.AA += w * component.AA;
    pair.AB += w * component.AB;
    pair.BA += w * component.BA;
    pair.BB += w * component.BB;
  }
  return { k, weights, pair, costPerPair: best.cost };
}

/** Mean-field cost per pair ∫∫ c ρ⊗ρ = uDiag((1−t)² + t²) + 2 uAB t(1−t): the k → ∞ limit. */
export function twoStateMeanField(model: TwoStateModel): number {
  checkModel(model);
  const { t } = model;
  return model.uDiag * ((1 - t) ** 2 + t * t) + 2 * model.uAB * t * (1 - t);
}

// --------------------------------------------------------------------- N-representability

export interface RepresentabilityCheck {
  /** max over partitions A ∪ B of ∫_{A×B} p₂ + ∫_{B×A} p₂ − 2(∫_{A×A} p₂ + ∫_{B×B} p₂). */
  maxViolation: number;
  /** The states in A of the worst partition. */
  worstSubset: number[];
  /** maxViolation ≤ 1e-12 (relative to the total mass). */
  satisfied: boolean;
}

/**
 * The necessary condition of seed 002 for a pair density p₂ on n discrete states (or bins) to be
 * 3-representable (hence N-representable for every N ≥ 3): for every partition A ∪ B,
 * ∫_{A×B} p₂ + ∫_{B×A} p₂ ≤ 2(∫_{A×A} p₂ + ∫_{B×B} p₂). Checks all 2^{n−1} partitions (n ≤ 20).
 */
export function checkRepresentability(pair: readonly (readonly number[])[]): RepresentabilityCheck {
  const n = pair.length;
  if (n < 1 || n > 20) throw new RangeError(`the pair density needs 1 to 20 states, got ${n}`);
  let total = 0;
  pair.forEach((row, i) => {
    if (row.length !== n) throw new RangeError(`pair density row ${i} must have ${n} entries`);
    row.forEach((v) => {
      if (!(v >= 0 && Number.isFinite(v)))
        throw new RangeError(`pair density entries must be >= 0`);
      total += v;
    });
  });
  let best = { violation: -Infinity, mask: 0 };
  // State n − 1 always in B: the inequality is symmetric in A and B.
  for (let mask = 0; mask < 2 ** (n - 1); mask += 1) {
    let mixed = 0;
    let same = 0;
    for (let i = 0; i < n; i += 1) {
      for (let j = 0; j < n; j += 1) {
        const inA = (k: number) => (mask >> k) & 1;
        if (inA(i) === inA(j)) same += pair[i]![j]!;
        else mixed += pair[i]![j]!;
      }
    }
    const violation = mixed - 2 * same;
    if (violation > best.violation) best = { violation, mask };
  }
  const worstSubset = Array.from({ length: n }, (_, i) => i).filter((i) => (best.mask >> i) & 1);
  return {
    maxViolation: best.violation,
    worstSubset,
    satisfied: best.violation <= 1e-12 * total,
  };
}

/** The two-state pair density as a 2 × 2 matrix (rows: first particle A, B). */
export function pairMatrix(pair: TwoStatePair): number[][] {
  return [
    [pair.AA, pair.AB],
    [pair.BA, pair.BB],
  ];
}

// ------------------------------------------------- k-representable two-state pair densities

/**
 * The k-representable symmetric pair densities of the two-state model in the plane (t, α) with
 * t = p₂(B, B) + p₂(A, B) the one-body weight of B and α = p₂(A, B) = p₂(B, A): the convex hull of
 * the fixed-count components (`fixedCountPair`), which sit at (j/k, j(k − j)/(k(k − 1))), j = 0..k,
 * on the parabola α = (k/(k − 1)) t(1 − t). The hull is the region between the chord α = 0 and the
 * polygon through these points (seed 002, "Infinite-dimensional geometric intuition": as k → ∞ it
 * shrinks to the hull of the mean-field measures ρ⊗ρ, α ≤ t(1 − t)).
 */
export function twoStateRegionVertices(k: number): [number, number][] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer >= 2, got ${k}`);
  return Array.from({ length: k + 1 }, (_, j) => {
    const pair = fixedCountPair(k, j);
    return [pair.BB + pair.AB, pair.AB];
  });
}

/**
 * The largest off-diagonal weight α of a k-representable pair density with one-body weight t of
 * B (the upper boundary of the region above, linear between j/k and (j + 1)/k); k = Infinity gives
 * the mean-field bound t(1 − t).
 */
export function twoStateMaxMixed(t: number, k: number): number {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`t must be in [0, 1], got ${t}`);
  if (k === Infinity) return t * (1 - t);
  const vertices = twoStateRegionVertices(k);
  const j = Math.min(Math.floor(t * k), k - 1);
  const [t0, a0] = vertices[j]!;
  const [t1, a1] = vertices[j + 1]!;
  return a0 + ((a1 - a0) * (t - t0)) / (t1 - t0);
}

export interface TwoStateRepresentability {
  /** Total mass of the entries as given (the checks use the normalised density). */
  total: number;
  /** |p₂(A, B) − p₂(B, A)| after normalisation: a symmetric N-body measure has 0. */
  asymmetry: number;
  /** One-body weight of B, p₂(B, B) + p₂(A, B), and of B as second particle, p₂(B, B) + p₂(B, A). */
  t: number;
  tSecond: number;
  /** α = p₂(A, B) (= p₂(B, A) when symmetric). */
  mixed: number;
  /** Largest k ≤ kMax for which the density is k-representable, 0 when not even 2-representable,
   *  Infinity when it is representable for every k (α ≤ t(1 − t)). */
  largestK: number;
  /** The seed's necessary condition for 3-representability on the partition {A}, {B}. */
  inequality: RepresentabilityCheck;
}

/**
 * Exact k-representability of a two-state pair density (normalised to mass 1): it must be
 * symmetric, and its (t, α) must lie in the k-region above. The regions are nested (k + 1
 * particles marginalise to k), so we report the largest k. Tolerance `tolerance` on every test.
 */
export function twoStateRepresentability(
  pair: TwoStatePair,
  kMax: number,
  tolerance = 1e-12,
): TwoStateRepresentability {
  const entries = [pair.AA, pair.AB, pair.BA, pair.BB];
  if (entries.some((v) => !(v >= 0 && Number.isFinite(v)))) {
    throw new RangeError('pair density entries must be finite and >= 0');
  }
  const total = entries.reduce((s, v) => s + v, 0);
  if (!(total > 0)) throw new RangeError('the pair density has no mass');
  const [AA, AB, BA, BB] = entries.map((v) => v / total) as [number, number, number, number];
  const asymmetry = Math.abs(AB - BA);
  const t = BB + AB;
  const mixed = AB;
  const inside = (k: number) => mixed <= twoStateMaxMixed(Math.min(1, t), k) + tolerance;
  let largestK = 0;
  if (asymmetry <= tolerance) {
    if (inside(Infinity)) largestK = Infinity;
    else for (let k = 2; k <= kMax && inside(k); k += 1) largestK = k;
  }
  return {
    total,
    asymmetry,
    t,
    tSecond: BB + BA,
    mixed,
    largestK,
    inequality: checkRepresentability(pairMatrix({ AA, AB, BA, BB })),
  };
}
