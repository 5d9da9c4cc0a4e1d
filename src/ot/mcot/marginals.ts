/**
 * Marginal laws μ of the MCOT problems, with moments μ(φ_m) exact to machine precision
 * (MATH.md §7; seed 003 Remark 4: inexact moments can make the constraint set empty at machine
 * precision and hide the convergence of the MCOT value), density functions and seeded sampling.
 *
 * How each law gets exact moments (our choices, documented):
 * - 1D laws on [a, b] are polynomial densities ρ(x) ∝ q(u), u = (2x − a − b)/(b − a): uniform,
 *   a bump (1 − u²)^p (a compactly supported, normal-like Beta(p+1, p+1) law), two bumps
 *   (u − u_g)²(1 − u²)^p (zero at the gap x_g), or any user polynomial. q is stored by its Legendre
 *   coefficients (found by a Gauss–Legendre projection, exact for polynomials); moments of the
 *   scaled Legendre test functions on the same [a, b] are then c_m/(c_0 √(2m+1)) in closed form,
 *   and any other polynomial is integrated by Gauss–Legendre with deg q + deg φ exactness. The CDF
 *   is the exact antiderivative ∫P_n = (P_{n+1} − P_{n−1})/(2n+1); the quantile inverts it.
 * - Gaussian mixtures (any dimension, full covariances): E He_n(m + sZ) closed form per axis for
 *   axis-aligned components and Hermite test functions, otherwise a tensor Gauss–Hermite rule
 *   mapped by x = m + L z (L the Cholesky factor), exact for the total degree.
 * - Uniform law on a ball: a product rule (radial Gauss–Legendre with weight r², Gauss–Legendre in
 *   cos θ, trapezoid in φ), exact for the total degree; the Gamma-function monomial moments
 *   (`ballMonomialMoment`) are the independent check.
 *
 * Sampling is reproducible: uniforms from the Philox stream 1 of the seed (53-bit doubles, see
 * `uniformStream`), normals from `fillNormals` (Philox stream 0) of src/ot/philox.ts.
 */
import { fillNormals, philox4x32, philoxKey, type Philox4 } from '../philox';
import {
  InputError,
  requireFiniteNumber,
  requireInteger,
  requireObject,
  requireOneOf,
  requirePositive,
  requireVector,
} from '../validate';
import { gaussHermite, gaussLegendre, gaussNodesForDegree } from './quadrature';
import { legendreAll } from './polynomials';
import { createEvaluator, type TestFunctionSet } from './testFunctions';

// ---------------------------------------------------------------------------------------------
// Random numbers

const TWO_32 = 2 ** 32;
const TWO_53 = 2 ** 53;

/**
 * Uniforms in (0, 1) with 53 random bits: two Philox words per draw, counter
 * [block low, block high, stream, 0], key = seed. Stream 0 is the normal stream of philox.ts, so
 * the default stream 1 is independent of `fillNormals` with the same seed.
 */
export function uniformStream(seed: number, stream = 1): () => number {
  const key = philoxKey(seed);
  let block = 0;
  let lane = 4;
  let words: Philox4 = [0, 0, 0, 0];
  return () => {
    if (lane === 4) {
      words = philox4x32([block % TWO_32, Math.floor(block / TWO_32), stream, 0], key);
      block += 1;
      lane = 0;
    }
    const high = words[lane]! >>> 5;
    const low = words[lane + 1]! >>> 6;
    lane += 2;
    return (high * 67108864 + low + 0.5) / TWO_53;
  };
}

// ---------------------------------------------------------------------------------------------
// Special functions and root finding

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * Σ_k t_k with t_0 = leading, t_k = t_{k−1} · x2/(firstOdd + 2k): the Kummer-form series of erf
 * and of the χ₃ CDF. All terms are positive, so the sum has full relative accuracy (unlike the
 * alternating Taylor series).
 */
function positiveSeries(x2: number, leading: number, firstOdd: number): number {
  let term = leading;
  let sum = term;
  for (let k = 1; k < 500; k += 1) {
    term *= x2 / (firstOdd + 2 * k);
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return sum;
}

/** erf(x) = (2/√π) e^{−x²} Σ_k 2^k x^{2k+1}/(2k+1)!! for |x| < 2; 1 − erfc(x) beyond. */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x >= 2) return 1 - erfc(x);
  return TWO_OVER_SQRT_PI * Math.exp(-x * x) * positiveSeries(2 * x * x, x, 1);
}

/**
 * erfc(x): 1 − erf(x) for x < 1.5 (erfc ≥ 0.03 there, so ≤ 1e-14 relative error); beyond, the
 * continued fraction e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) by modified Lentz.
 */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 1.5) return 1 - erf(x);
  if (x > 27.3) return 0; // below the smallest double
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k += 1) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Standard normal CDF Φ. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Solves f(x) = target for f non-decreasing on [lo, hi] by Newton safeguarded with bisection
 * (rtsafe). `derivative` may vanish (zeros of a density): bisection takes over. Returns lo or hi
 * when the target is outside [f(lo), f(hi)].
 */
export function invertIncreasing(
  f: (x: number) => number,
  derivative: (x: number) => number,
  target: number,
  lo: number,
  hi: number,
  initial = (lo + hi) / 2,
): number {
  if (target <= f(lo)) return lo;
  if (target >= f(hi)) return hi;
  let x = Math.min(Math.max(initial, lo), hi);
  for (let iteration = 0; iteration < 300; iteration += 1) {
    const residual = f(x) - target;
    if (residual === 0) return x;
    if (residual < 0) lo = x;
    else hi = x;
    const slope = derivative(x);
    let next = x - residual / slope;
    if (!(slope > 0) || !(next > lo && next < hi)) next = lo + (hi - lo) / 2;
    const width = 2 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi));
    if (Math.abs(next - x) <= 2 * Number.EPSILON * Math.abs(next) || hi - lo <= width) return next;
    x = next;
  }
  return x;
}

// ---------------------------------------------------------------------------------------------
// Marginals

/** Points (count × dimension, row-major) and probability weights. */
export interface CubatureRule {
  readonly dimension: number;
  readonly points: Float64Array;
  readonly weights: Float64Array;
}

export interface Marginal {
  readonly dimension: number;
  readonly label: string;
  /** A rule exact for every polynomial of total degree ≤ degree. */
  exactRule(degree: number): CubatureRule;
  /** Closed-form moments of a set when this law has them (else undefined: use the rule). */
  closedFormMoments?(set: TestFunctionSet): Float64Array | undefined;
  /** `count` iid samples, count × dimension row-major, reproducible from `seed`. */
  sample(count: number, seed: number): Float64Array;
  /** Probability density at x[offset .. offset + dimension − 1]. */
  density(x: ArrayLike<number>, offset?: number): number;
  /** The law of |x| when the law is radial about the origin. */
  radialLaw?(): RadialLaw;
}

/** μ(φ_m) for every test function, exact to rounding: closed form when known, else exact rule. */
export function momentTargets(set: TestFunctionSet, marginal: Marginal): Float64Array {
  if (set.dimension !== marginal.dimension) {
    throw new RangeError(
      `test functions are ${set.dimension}D but the marginal is ${marginal.dimension}D`,
    );
  }
  return marginal.closedFormMoments?.(set) ?? ruleMoments(set, marginal.exactRule(set.totalDegree));
}

/** Σ_q w_q φ_m(x_q) for every m. */
export function ruleMoments(set: TestFunctionSet, rule: CubatureRule): Float64Array {
  const evaluate = createEvaluator(set);
  const values = new Float64Array(set.count);
  const moments = new Float64Array(set.count);
  // Neumaier-compensated sums: rules have hundreds of points of mixed sign values.
  const compensation = new Float64Array(set.count);
  for (let q = 0; q < rule.weights.length; q += 1) {
    evaluate(rule.points, q * rule.dimension, values, 0);
    const w = rule.weights[q]!;
    for (let m = 0; m < set.count; m += 1) {
      const term = w * values[m]!;
      const sum = moments[m]! + term;
      compensation[m]! +=
        Math.abs(moments[m]!) >= Math.abs(term)
          ? moments[m]! - sum + term
          : term - sum + moments[m]!;
      moments[m] = sum;
    }
  }
  return moments.map((s, m) => s + compensation[m]!);
}

// ------------------------------------------------------------------------------ 1D densities

/** A law on [a, b] with density, CDF and quantile (the SCE co-motion maps need all three). */
export interface Density1D extends Marginal {
  readonly a: number;
  readonly b: number;
  pdf(x: number): number;
  cdf(x: number): number;
  /** F^{-1}(s) = inf{x : F(x) ≥ s}, s ∈ [0, 1]. */
  quantile(s: number): number;
}

/**
 * ρ(x) = q(u)/(c_0 (b − a)), u = (2x − a − b)/(b − a), with q(u) = Σ_n c_n P_n(u) ≥ 0 on [−1, 1].
 * `q` is evaluated only at Gauss–Legendre nodes to find the c_n (exact for degree ≤ `degree`).
 */
export function polynomialDensity(
  q: (u: number) => number,
  degree: number,
  a: number,
  b: number,
  label: string,
): Density1D {
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) {
    throw new RangeError(`polynomial density needs finite a < b, got [${a}, ${b}]`);
  }
  const coefficients = legendreCoefficients(q, degree);
  const c0 = coefficients[0]!;
  if (!(c0 > 0)) throw new RangeError('the density polynomial has zero or negative mass');
  const table = new Float64Array(degree + 2);
  const toU = (x: number) => (2 * x - a - b) / (b - a);
  const qAt = (u: number) => {
    legendreAll(u, degree, table);
    let sum = 0;
    for (let n = 0; n <= degree; n += 1) sum += coefficients[n]! * table[n]!;
    return sum;
  };
  const pdf = (x: number) => (x < a || x > b ? 0 : Math.max(0, qAt(toU(x))) / (c0 * (b - a)));
  const cdf = (x: number) => {
    if (x <= a) return 0;
    if (x >= b) return 1;
    const u = toU(x);
    legendreAll(u, degree + 1, table);
    let sum = c0 * (u + 1);
    for (let n = 1; n <= degree; n += 1)
      sum += (coefficients[n]! * (table[n + 1]! - table[n - 1]!)) / (2 * n + 1);
    return Math.min(1, Math.max(0, sum / (2 * c0)));
  };
  const quantile = (s: number) => {
    if (!(s >= 0 && s <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${s}`);
    return invertIncreasing(cdf, pdf, s, a, b, a + s * (b - a));
  };
  checkNonNegative(qAt, label);
  return {
    dimension: 1,
    label,
    a,
    b,
    pdf,
    cdf,
    quantile,
    density: (x, offset = 0) => pdf(x[offset]!),
    exactRule(ruleDegree) {
      const base = gaussLegendre(gaussNodesForDegree(ruleDegree + degree));
      const points = base.nodes.map((u) => ((b - a) * u + a + b) / 2);
      const weights = base.weights.map((w, i) => (w * qAt(base.nodes[i]!)) / (2 * c0));
      return { dimension: 1, points, weights };
    },
    closedFormMoments(set) {
      const axis = set.axes[0]!;
      if (set.dimension !== 1 || axis.family !== 'legendre' || axis.a !== a || axis.b !== b) {
        return undefined;
      }
      // E φ_m = √(2m+1) E P_m(u) = √(2m+1) c_m (2/(2m+1)) / (2 c_0).
      return Float64Array.from({ length: set.count }, (_, m) => {
        const n = set.indices[m]!;
        return n > degree ? 0 : coefficients[n]! / (c0 * Math.sqrt(2 * n + 1));
      });
    },
    sample(count, seed) {
      const uniform = uniformStream(seed);
      return Float64Array.from({ length: count }, () => quantile(uniform()));
    },
  };
}

/** c_n = (2n+1)/2 ∫_{−1}^{1} q P_n du by Gauss–Legendre (exact: the integrand has degree 2·degree). */
function legendreCoefficients(q: (u: number) => number, degree: number): Float64Array {
  const rule = gaussLegendre(degree + 1);
  const table = new Float64Array(degree + 1);
  const coefficients = new Float64Array(degree + 1);
  rule.nodes.forEach((u, i) => {
    const value = q(u) * rule.weights[i]!;
    legendreAll(u, degree, table);
    for (let n = 0; n <= degree; n += 1) coefficients[n]! += value * table[n]!;
  });
  return coefficients.map((c, n) => (c * (2 * n + 1)) / 2);
}

/** A density must be ≥ 0: checked on a fine grid (2000 points plus 10 per degree). */
function checkNonNegative(qAt: (u: number) => number, label: string): void {
  const points = 2001;
  let max = 0;
  let min = 0;
  for (let i = 0; i < points; i += 1) {
    const value = qAt(-1 + (2 * i) / (points - 1));
    max = Math.max(max, value);
    min = Math.min(min, value);
  }
  if (min < -1e-10 * max) {
    throw new RangeError(`${label}: the density polynomial is negative somewhere (min ${min})`);
  }
}

export function uniformDensity(a: number, b: number): Density1D {
  return polynomialDensity(() => 1, 0, a, b, `uniform on [${a}, ${b}]`);
}

/** ρ ∝ (1 − u²)^p: Beta(p+1, p+1) on [a, b], normal-like with variance (b − a)²/(4(2p + 3)). */
export function bumpDensity(a: number, b: number, power: number): Density1D {
  return polynomialDensity((u) => (1 - u * u) ** power, 2 * power, a, b, `bump p = ${power}`);
}

/** ρ ∝ (u − u_g)²(1 − u²)^p: two bumps separated by a zero at x = gap. */
export function twoBumpsDensity(a: number, b: number, power: number, gap: number): Density1D {
  const ug = (2 * gap - a - b) / (b - a);
  return polynomialDensity(
    (u) => (u - ug) ** 2 * (1 - u * u) ** power,
    2 * power + 2,
    a,
    b,
    `two bumps p = ${power}, gap ${gap}`,
  );
}

/** ρ(x) ∝ Σ_k coefficients[k] x^k on [a, b] (must be ≥ 0 there). */
export function monomialDensity(a: number, b: number, coefficients: readonly number[]): Density1D {
  const horner = (x: number) => coefficients.reduceRight((s, c) => s * x + c, 0);
  return polynomialDensity(
    (u) => horner(((b - a) * u + a + b) / 2),
    Math.max(0, coefficients.length - 1),
    a,
    b,
    `polynomial of degree ${coefficients.length - 1}`,
  );
}

// ------------------------------------------------------------------------- Gaussian mixtures

export interface GaussianComponent {
  weight: number;
  mean: readonly number[];
  /** d × d symmetric positive definite. */
  covariance: readonly (readonly number[])[];
}

/** Lower Cholesky factor (row-major d × d), or undefined if not positive definite. */
export function cholesky(matrix: readonly (readonly number[])[]): Float64Array | undefined {
  const d = matrix.length;
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = matrix[i]![j]!;
      for (let k = 0; k < j; k += 1) sum -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(sum > 0)) return undefined;
        L[i * d + i] = Math.sqrt(sum);
      } else L[i * d + j] = sum / L[j * d + j]!;
    }
  }
  return L;
}

/**
 * E h_n(m + sZ), h_n = He_n/√(n!), Z standard normal, by MATH.md §7:
 * E He_n(m + sZ) = Σ_k n!/(k!(n−2k)!) ((s²−1)/2)^k m^{n−2k} (from E e^{t(m+sZ) − t²/2}).
 */
export function gaussianHermiteMoment(n: number, m: number, s: number): number {
  const c = (s * s - 1) / 2;
  // n!/(k!(n−2k)!)/√(n!) = √(n!)/(k!(n−2k)!): built as a running ratio to avoid overflow.
  let coefficient = 1;
  for (let j = 2; j <= n; j += 1) coefficient /= Math.sqrt(j);
  let sum = 0;
  for (let k = 0; 2 * k <= n; k += 1) {
    if (k > 0) coefficient *= ((n - 2 * k + 2) * (n - 2 * k + 1)) / k;
    sum += coefficient * c ** k * m ** (n - 2 * k);
  }
  return sum;
}

/** Sum of Gaussians Σ_k w_k N(m_k, S_k) in any dimension (weights are normalised to sum 1). */
export function gaussianMixture(
  components: readonly GaussianComponent[],
  label?: string,
): Marginal {
  if (components.length === 0) throw new RangeError('a Gaussian mixture needs a component');
  const d = components[0]!.mean.length;
  const total = components.reduce((s, c) => s + c.weight, 0);
  const parts = components.map((component, k) => {
    if (component.mean.length !== d || component.covariance.length !== d) {
      throw new RangeError(`component ${k} must have dimension ${d}`);
    }
    if (!(component.weight >= 0)) throw new RangeError(`component ${k} has a negative weight`);
    const L = cholesky(component.covariance);
    if (!L) throw new RangeError(`component ${k}: covariance is not positive definite`);
    let logDeterminant = 0;
    for (let i = 0; i < d; i += 1) logDeterminant += 2 * Math.log(L[i * d + i]!);
    const diagonal = component.covariance.every((row, i) =>
      row.every((v, j) => i === j || v === 0),
    );
    return { weight: component.weight / total, mean: component.mean, L, logDeterminant, diagonal };
  });
  const isotropicAtOrigin =
    parts.length === 1 &&
    parts[0]!.diagonal &&
    parts[0]!.mean.every((v) => v === 0) &&
    components[0]!.covariance.every((row, i) => row[i] === components[0]!.covariance[0]![0]);
  const marginal: Marginal = {
    dimension: d,
    label: label ?? `mixture of ${parts.length} Gaussian${parts.length > 1 ? 's' : ''}`,
    density(x, offset = 0) {
      let sum = 0;
      const z = new Float64Array(d);
      for (const part of parts) {
        // Solve L z = x − m (forward substitution); quadratic form = |z|².
        let quadratic = 0;
        for (let i = 0; i < d; i += 1) {
          let v = x[offset + i]! - part.mean[i]!;
          for (let k = 0; k < i; k += 1) v -= part.L[i * d + k]! * z[k]!;
          z[i] = v / part.L[i * d + i]!;
          quadratic += z[i]! * z[i]!;
        }
        sum +=
          part.weight *
          Math.exp(-0.5 * quadratic - 0.5 * part.logDeterminant - (d / 2) * Math.log(2 * Math.PI));
      }
      return sum;
    },
    exactRule(degree) {
      // Tensor Gauss–Hermite: a polynomial of total degree D in x = m + Lz has degree ≤ D in each z_j.
      const base = gaussHermite(gaussNodesForDegree(degree));
      const n = base.nodes.length;
      const perPart = n ** d;
      const points = new Float64Array(parts.length * perPart * d);
      const weights = new Float64Array(parts.length * perPart);
      parts.forEach((part, k) => {
        for (let q = 0; q < perPart; q += 1) {
          let w = part.weight;
          const z: number[] = [];
          for (let j = 0, rest = q; j < d; j += 1, rest = Math.floor(rest / n)) {
            z.push(base.nodes[rest % n]!);
            w *= base.weights[rest % n]!;
          }
          const row = (k * perPart + q) * d;
          for (let i = 0; i < d; i += 1) {
            let v = part.mean[i]!;
            for (let j = 0; j <= i; j += 1) v += part.L[i * d + j]! * z[j]!;
            points[row + i] = v;
          }
          weights[k * perPart + q] = w;
        }
      });
      return { dimension: d, points, weights };
    },
    closedFormMoments(set) {
      if (set.dimension !== d || !parts.every((p) => p.diagonal)) return undefined;
      const axes = set.axes;
      if (!axes.every((axis) => axis.family === 'hermite')) return undefined;
      const moments = new Float64Array(set.count);
      const stride = set.maxAxisDegree + 1;
      const table = new Float64Array(d * stride);
      for (const part of parts) {
        axes.forEach((axis, j) => {
          // (X_j − c)/s ~ N((m_j − c)/s, (σ_j/s)²).
          const mean = (part.mean[j]! - axis.center) / axis.scale;
          const sd = part.L[j * d + j]! / axis.scale;
          for (let n = 0; n < stride; n += 1)
            table[j * stride + n] = gaussianHermiteMoment(n, mean, sd);
        });
        for (let m = 0; m < set.count; m += 1) {
          let product = part.weight;
          for (let j = 0; j < d; j += 1) product *= table[j * stride + set.indices[m * d + j]!]!;
          moments[m]! += product;
        }
      }
      return moments;
    },
    sample(count, seed) {
      const uniform = uniformStream(seed);
      const z = new Float64Array(count * d);
      fillNormals(z, seed, 0);
      const out = new Float64Array(count * d);
      for (let s = 0; s < count; s += 1) {
        const part = pickComponent(parts, uniform());
        for (let i = 0; i < d; i += 1) {
          let v = part.mean[i]!;
          for (let j = 0; j <= i; j += 1) v += part.L[i * d + j]! * z[s * d + j]!;
          out[s * d + i] = v;
        }
      }
      return out;
    },
  };
  if (isotropicAtOrigin && d === 3) {
    const sigma = Math.sqrt(components[0]!.covariance[0]![0]!);
    marginal.radialLaw = () => normalRadialLaw(sigma);
  }
  return marginal;
}

function pickComponent<T extends { weight: number }>(parts: readonly T[], u: number): T {
  let cumulative = 0;
  for (const part of parts) {
    cumulative += part.weight;
    if (u < cumulative) return part;
  }
  return parts[parts.length - 1]!;
}

const identity = (d: number) =>
  Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));

/** N(0, I_d). */
export function standardNormal(dimension = 3): Marginal {
  return gaussianMixture(
    [{ weight: 1, mean: new Array<number>(dimension).fill(0), covariance: identity(dimension) }],
    `standard normal in ${dimension}D`,
  );
}

/**
 * N(mean, R diag(sd²) Rᵀ): axis-aligned when `rotation` is omitted, else rotated by the
 * orthogonal matrix R (moments then come from the exact Gauss–Hermite rule).
 */
export function anisotropicNormal(
  sd: readonly number[],
  mean: readonly number[] = new Array<number>(sd.length).fill(0),
  rotation?: readonly (readonly number[])[],
): Marginal {
  const d = sd.length;
  const covariance = identity(d).map((row, i) =>
    row.map((_, j) => {
      if (!rotation) return i === j ? sd[i]! ** 2 : 0;
      let s = 0;
      for (let k = 0; k < d; k += 1) s += rotation[i]![k]! * sd[k]! ** 2 * rotation[j]![k]!;
      return s;
    }),
  );
  return gaussianMixture(
    [{ weight: 1, mean, covariance }],
    `anisotropic normal sd [${sd.join(', ')}]`,
  );
}

/** Rotation by `angle` about the unit axis (Rodrigues). */
export function rotationMatrix(axis: readonly number[], angle: number): number[][] {
  const norm = Math.hypot(...axis);
  const [x, y, z] = axis.map((v) => v / norm) as [number, number, number];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  return [
    [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
    [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
    [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
  ];
}

// ---------------------------------------------------------------------------------- the ball

/** ∫ x^α over the unit ball: 2 Π Γ((α_i+1)/2) / (Γ((|α|+3)/2)(|α|+3)) for even α_i, else 0. */
export function ballMonomialIntegral(alpha: readonly number[]): number {
  if (alpha.some((a) => a % 2 === 1)) return 0;
  const total = alpha.reduce((s, a) => s + a, 0);
  let logNumerator = Math.log(2);
  for (const a of alpha) logNumerator += logGammaHalf(a + 1);
  return Math.exp(logNumerator - logGammaHalf(total + 3)) / (total + 3);
}

/** log Γ(k/2) for an integer k ≥ 1, exactly by the recurrence from Γ(1/2) = √π, Γ(1) = 1. */
function logGammaHalf(k: number): number {
  let value = k % 2 === 1 ? 0.5 * Math.log(Math.PI) : 0;
  for (let j = k % 2 === 1 ? 1 : 2; j < k; j += 2) value += Math.log(j / 2);
  return value;
}

/** Uniform law on the ball B(center, radius) in 3D. */
export function uniformBall(center: readonly number[] = [0, 0, 0], radius = 1): Marginal {
  if (center.length !== 3 || !(radius > 0)) {
    throw new RangeError('uniform ball needs a 3D center and radius > 0');
  }
  const volume = (4 / 3) * Math.PI * radius ** 3;
  const marginal: Marginal = {
    dimension: 3,
    label: `uniform on the ball of radius ${radius}`,
    density(x, offset = 0) {
      const r2 =
        (x[offset]! - center[0]!) ** 2 +
        (x[offset + 1]! - center[1]!) ** 2 +
        (x[offset + 2]! - center[2]!) ** 2;
      return r2 <= radius * radius ? 1 / volume : 0;
    },
    exactRule(degree) {
      // p(rω) = Σ_k r^k Y_k(ω): radial r^{k+2} needs 2n_r − 1 ≥ D + 2; the sphere needs
      // Gauss–Legendre in cos θ exact to D and D + 1 azimuths (trigonometric degree ≤ D).
      const radial = gaussLegendre(gaussNodesForDegree(degree + 2));
      const polar = gaussLegendre(gaussNodesForDegree(degree));
      const azimuths = degree + 1;
      const count = radial.nodes.length * polar.nodes.length * azimuths;
      const points = new Float64Array(count * 3);
      const weights = new Float64Array(count);
      let q = 0;
      radial.nodes.forEach((t, i) => {
        const r = (t + 1) / 2; // [−1, 1] → [0, 1], weight 1/2
        const wr = (radial.weights[i]! / 2) * r * r * 3; // 3 r² dr: radial law of the unit ball
        polar.nodes.forEach((u, j) => {
          const sinTheta = Math.sqrt(Math.max(0, 1 - u * u));
          for (let k = 0; k < azimuths; k += 1) {
            const phi = (2 * Math.PI * k) / azimuths;
            points[3 * q] = center[0]! + radius * r * sinTheta * Math.cos(phi);
            points[3 * q + 1] = center[1]! + radius * r * sinTheta * Math.sin(phi);
            points[3 * q + 2] = center[2]! + radius * r * u;
            weights[q] = (wr * polar.weights[j]!) / 2 / azimuths;
            q += 1;
          }
        });
      });
      return { dimension: 3, points, weights };
    },
    sample(count, seed) {
      const uniform = uniformStream(seed);
      const z = new Float64Array(count * 3);
      fillNormals(z, seed, 0);
      const out = new Float64Array(count * 3);
      for (let s = 0; s < count; s += 1) {
        const norm = Math.hypot(z[3 * s]!, z[3 * s + 1]!, z[3 * s + 2]!);
        const r = radius * Math.cbrt(uniform());
        for (let i = 0; i < 3; i += 1) out[3 * s + i] = center[i]! + (r * z[3 * s + i]!) / norm;
      }
      return out;
    },
  };
  if (center.every((c) => c === 0)) marginal.radialLaw = () => ballRadialLaw(radius);
  return marginal;
}

// ------------------------------------------------------------------------------ radial laws

/** Law of |x| for a radial law in 3D; `survival` = 1 − cdf computed without cancellation. */
export interface RadialLaw {
  cdf(r: number): number;
  survival(r: number): number;
  pdf(r: number): number;
  /** r with cdf(r) = p. */
  quantile(p: number): number;
  /** r with survival(r) = q (accurate for small q, where quantile(1 − q) would not be). */
  survivalQuantile(q: number): number;
}

/** χ₃ CDF: √(2/π) e^{−t²/2} Σ_k t^{2k+3}/(2k+3)!! (positive series) for t < 1.5. */
function chi3Cdf(t: number): number {
  if (t <= 0) return 0;
  if (t >= 1.5) return 1 - chi3Survival(t);
  return SQRT_TWO_OVER_PI * Math.exp((-t * t) / 2) * positiveSeries(t * t, t ** 3 / 3, 3);
}

/** χ₃ survival: erfc(t/√2) + √(2/π) t e^{−t²/2} (both positive). */
function chi3Survival(t: number): number {
  if (t < 1.5) return 1 - chi3Cdf(t);
  return erfc(t / Math.SQRT2) + SQRT_TWO_OVER_PI * t * Math.exp((-t * t) / 2);
}

/** |X| for X ~ N(0, σ² I₃). */
export function normalRadialLaw(sigma = 1): RadialLaw {
  const pdf = (r: number) =>
    r <= 0 ? 0 : (SQRT_TWO_OVER_PI * (r / sigma) ** 2 * Math.exp(-((r / sigma) ** 2) / 2)) / sigma;
  const cdf = (r: number) => chi3Cdf(r / sigma);
  const survival = (r: number) => (r <= 0 ? 1 : chi3Survival(r / sigma));
  const upper = (p: number) => {
    let hi = sigma;
    while (cdf(hi) < p && survival(hi) > 1 - p && hi < 1e3 * sigma) hi *= 2;
    return hi;
  };
  return {
    cdf,
    survival,
    pdf,
    quantile: (p) => (p >= 1 ? Infinity : invertIncreasing(cdf, pdf, p, 0, upper(p))),
    survivalQuantile: (q) => {
      if (q <= 0) return Infinity;
      let hi = sigma;
      while (survival(hi) > q && hi < 1e3 * sigma) hi *= 2;
      return invertIncreasing((r) => -survival(r), pdf, -q, 0, hi);
    },
  };
}

/** |X| for X uniform on the ball of radius ρ: cdf (r/ρ)³. */
export function ballRadialLaw(radius = 1): RadialLaw {
  const clamp = (r: number) => Math.min(1, Math.max(0, r / radius));
  return {
    cdf: (r) => clamp(r) ** 3,
    survival: (r) => 1 - clamp(r) ** 3,
    pdf: (r) => (r < 0 || r > radius ? 0 : (3 * r * r) / radius ** 3),
    quantile: (p) => radius * Math.cbrt(Math.min(1, Math.max(0, p))),
    survivalQuantile: (q) => radius * Math.cbrt(Math.min(1, Math.max(0, 1 - q))),
  };
}

// ------------------------------------------------------------------------- JSON input specs

export const DENSITY_1D_KINDS = ['uniform', 'bump', 'twoBumps', 'polynomial'] as const;

/**
 * A 1D law from JSON: `{"kind": "uniform" | "bump" | "twoBumps" | "polynomial", "a": 0, "b": 1,
 * "power"?: 2, "gap"?: (a+b)/2, "coefficients"?: [c0, c1, …]}` (ρ ∝ Σ c_k x^k for "polynomial").
 */
export function parseDensity1D(value: unknown, field: string): Density1D {
  const spec = requireObject(value, field);
  const kind = requireOneOf(spec.kind, `${field}.kind`, DENSITY_1D_KINDS);
  const a = spec.a === undefined ? 0 : requireFiniteNumber(spec.a, `${field}.a`);
  const b = spec.b === undefined ? 1 : requireFiniteNumber(spec.b, `${field}.b`);
  if (!(b > a)) throw new InputError(`${field}.b`, `must be > a = ${a}, got ${b}`);
  const power = spec.power === undefined ? 2 : requireInteger(spec.power, `${field}.power`, 0, 30);
  switch (kind) {
    case 'uniform':
      return uniformDensity(a, b);
    case 'bump':
      return bumpDensity(a, b, power);
    case 'twoBumps': {
      const gap =
        spec.gap === undefined ? (a + b) / 2 : requireFiniteNumber(spec.gap, `${field}.gap`);
      if (!(gap > a && gap < b)) {
        throw new InputError(`${field}.gap`, `must lie strictly inside (${a}, ${b}), got ${gap}`);
      }
      return twoBumpsDensity(a, b, power, gap);
    }
    case 'polynomial': {
      const coefficients = requireVector(spec.coefficients, `${field}.coefficients`);
      if (coefficients.length === 0 || coefficients.length > 41) {
        throw new InputError(
          `${field}.coefficients`,
          'give 1 to 41 coefficients c0, c1, … of Σ c_k x^k',
        );
      }
      try {
        return monomialDensity(a, b, coefficients);
      } catch (error) {
        throw new InputError(
          `${field}.coefficients`,
          `${(error as Error).message}; the polynomial must be >= 0 on [a, b] with positive mass`,
        );
      }
    }
  }
}

export const MARGINAL_3D_KINDS = ['normal', 'gaussianMixture', 'ball'] as const;

/**
 * A 3D law from JSON: `{"kind": "normal", "mean"?: [0,0,0], "sd"?: 1 | [s1,s2,s3],
 * "rotation"?: 3×3 orthogonal}`, `{"kind": "gaussianMixture", "components": [{"weight", "mean",
 * "sd" | "covariance"}]}` or `{"kind": "ball", "center"?: [0,0,0], "radius"?: 1}`.
 */
export function parseMarginal3D(value: unknown, field: string): Marginal {
  const spec = requireObject(value, field);
  const kind = requireOneOf(spec.kind, `${field}.kind`, MARGINAL_3D_KINDS);
  switch (kind) {
    case 'normal': {
      const mean =
        spec.mean === undefined ? [0, 0, 0] : requireVector(spec.mean, `${field}.mean`, 3);
      const sd = parseSd(spec.sd, `${field}.sd`);
      const rotation =
        spec.rotation === undefined ? undefined : parseRotation(spec.rotation, `${field}.rotation`);
      return anisotropicNormal(sd, mean, rotation);
    }
    case 'gaussianMixture': {
      if (!Array.isArray(spec.components) || spec.components.length === 0) {
        throw new InputError(`${field}.components`, 'give a non-empty array of components');
      }
      const components = spec.components.map((entry, k) =>
        parseComponent(entry, `${field}.components[${k}]`),
      );
      if (!components.some((c) => c.weight > 0)) {
        throw new InputError(`${field}.components`, 'at least one weight must be > 0');
      }
      return gaussianMixture(components);
    }
    case 'ball': {
      const center =
        spec.center === undefined ? [0, 0, 0] : requireVector(spec.center, `${field}.center`, 3);
      const radius =
        spec.radius === undefined ? 1 : requirePositive(spec.radius, `${field}.radius`);
      return uniformBall(center, radius);
    }
  }
}

function parseSd(value: unknown, field: string): number[] {
  if (value === undefined) return [1, 1, 1];
  if (typeof value === 'number') {
    const sd = requirePositive(value, field);
    return [sd, sd, sd];
  }
  return requireVector(value, field, 3).map((s, i) => requirePositive(s, `${field}[${i}]`));
}

function parseRotation(value: unknown, field: string): number[][] {
  if (!Array.isArray(value) || value.length !== 3) {
    throw new InputError(field, 'expected a 3 × 3 orthogonal matrix');
  }
  const R = value.map((row, i) => requireVector(row, `${field}[${i}]`, 3));
  for (let i = 0; i < 3; i += 1) {
    for (let j = 0; j < 3; j += 1) {
      const dot = R[i]![0]! * R[j]![0]! + R[i]![1]! * R[j]![1]! + R[i]![2]! * R[j]![2]!;
      if (Math.abs(dot - (i === j ? 1 : 0)) > 1e-9) {
        throw new InputError(field, 'rows must be orthonormal (R Rᵀ = I within 1e-9)');
      }
    }
  }
  return R;
}

function parseComponent(value: unknown, field: string): GaussianComponent {
  const spec = requireObject(value, field);
  const weight = requireFiniteNumber(spec.weight, `${field}.weight`);
  if (weight < 0) throw new InputError(`${field}.weight`, `must be >= 0, got ${weight}`);
  const mean = requireVector(spec.mean, `${field}.mean`, 3);
  if (spec.covariance !== undefined && spec.sd !== undefined) {
    throw new InputError(field, 'give either sd or covariance, not both');
  }
  let covariance: number[][];
  if (spec.covariance !== undefined) {
    if (!Array.isArray(spec.covariance) || spec.covariance.length !== 3) {
      throw new InputError(
        `${field}.covariance`,
        'expected a 3 × 3 symmetric positive definite matrix',
      );
    }
    covariance = spec.covariance.map((row, i) =>
      requireVector(row, `${field}.covariance[${i}]`, 3),
    );
    for (let i = 0; i < 3; i += 1)
      for (let j = 0; j < i; j += 1)
        if (covariance[i]![j] !== covariance[j]![i]) {
          throw new InputError(
            `${field}.covariance[${i}][${j}]`,
            'the covariance must be symmetric',
          );
        }
    if (!cholesky(covariance)) {
      throw new InputError(`${field}.covariance`, 'is not positive definite');
    }
  } else {
    const sd = parseSd(spec.sd, `${field}.sd`);
    covariance = identity(3).map((row, i) => row.map((v) => v * sd[i]! ** 2));
  }
  return { weight, mean, covariance };
}
