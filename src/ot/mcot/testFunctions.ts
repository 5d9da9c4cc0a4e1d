/**
 * MCOT test functions φ_1..φ_M (MATH.md §7; seed 003 (41), (46), (47), Table 1).
 *
 * Every set is a tensor product: φ_m(x) = Π_j p_{α_mj}(x_j) with one 1D basis per axis (scaled
 * Legendre, orthonormal Hermite or monomials) and a table of multi-indices α_m ∈ ℕ^d.
 *
 * Layout (mirrored by the WGSL kernels to come):
 * - `indices`: Uint32Array of M × d, row-major: α_m = indices[m·d .. m·d + d − 1].
 * - values: M entries, gradients: M × d row-major (∂φ_m/∂x_j at m·d + j).
 * - Multi-index order: ascending total degree |α|, ties in descending lexicographic order of
 *   (α_1, …, α_d), e.g. the mean–covariance set is x1, x2, x3, x1², x1x2, x1x3, x2², x2x3, x3².
 * - Evaluation: per axis j, all degrees 0..maxAxisDegree of p(x_j) into a table, then products.
 */
import { axisBasisAll, type AxisBasis } from './polynomials';

export interface TestFunctionSet {
  readonly dimension: number;
  /** One basis per axis (length `dimension`). */
  readonly axes: readonly AxisBasis[];
  /** M × dimension multi-indices, row-major (see the module comment for the order). */
  readonly indices: Uint32Array;
  readonly count: number;
  /** Largest single-axis degree (size of the per-axis tables minus one). */
  readonly maxAxisDegree: number;
  /** Largest total degree |α|: moment rules must be exact up to it. */
  readonly totalDegree: number;
  readonly label: string;
}

/** Graded order of two multi-indices: |α| ascending, then α_1 descending, α_2 descending, …. */
function gradedCompare(x: readonly number[], y: readonly number[]): number {
  const total = (alpha: readonly number[]) => alpha.reduce((s, v) => s + v, 0);
  const difference = total(x) - total(y);
  if (difference !== 0) return difference;
  for (let j = 0; j < x.length; j += 1) if (x[j] !== y[j]) return y[j]! - x[j]!;
  return 0;
}

/** Builds a set from explicit multi-indices (sorted into the documented order). */
export function tensorSet(
  axes: readonly AxisBasis[],
  multiIndices: readonly (readonly number[])[],
  label: string,
): TestFunctionSet {
  const d = axes.length;
  if (d < 1) throw new RangeError('a test-function set needs at least one axis');
  if (multiIndices.length === 0)
    throw new RangeError('a test-function set needs at least one function');
  for (const alpha of multiIndices) {
    if (alpha.length !== d || alpha.some((a) => !Number.isInteger(a) || a < 0)) {
      throw new RangeError(`multi-index [${alpha.join(', ')}] must have ${d} integers >= 0`);
    }
  }
  for (const axis of axes) validateAxis(axis);
  const sorted = [...multiIndices].sort(gradedCompare);
  for (let m = 1; m < sorted.length; m += 1) {
    if (gradedCompare(sorted[m - 1]!, sorted[m]!) === 0) {
      throw new RangeError(`multi-index [${sorted[m]!.join(', ')}] appears twice`);
    }
  }
  const indices = Uint32Array.from(sorted.flat());
  return {
    dimension: d,
    axes,
    indices,
    count: sorted.length,
    maxAxisDegree: Math.max(...indices),
    totalDegree: Math.max(...sorted.map((alpha) => alpha.reduce((s, v) => s + v, 0))),
    label,
  };
}

function validateAxis(axis: AxisBasis): void {
  if (axis.family === 'legendre' && !(Number.isFinite(axis.a) && axis.b > axis.a)) {
    throw new RangeError(`Legendre axis needs finite a < b, got [${axis.a}, ${axis.b}]`);
  }
  if (axis.family === 'hermite' && !(Number.isFinite(axis.center) && axis.scale > 0)) {
    throw new RangeError(`Hermite axis needs a finite center and scale > 0, got ${axis.scale}`);
  }
}

/** 1D set of seed 003 (41): φ_m = √(2m+1) P_m((2x − a − b)/(b − a)), m = 1..M. */
export function legendreSet1D(M: number, a: number, b: number): TestFunctionSet {
  if (!Number.isInteger(M) || M < 1) throw new RangeError(`M must be an integer >= 1, got ${M}`);
  const indices = Array.from({ length: M }, (_, m) => [m + 1]);
  return tensorSet([{ family: 'legendre', a, b }], indices, `Legendre m = 1..${M} on [${a}, ${b}]`);
}

/**
 * Hyperbolic cross H_D = {α ∈ ℕ³ : (α1+1)(α2+1)(α3+1) ≤ D+1} (seed 003 (47)), α = 0 included,
 * in the documented order. Convention check: |H_D| = Σ_{k ≤ D+1} d_3(k) = 28, 38, 44, 53, 56, 74
 * for D = 6..11, exactly Table 1 of seed 003, so the table counts α = 0; the paper's fixed-weight
 * runs use |H_D| − 1 functions ("values of M decreased by 1").
 */
export function hyperbolicCross(D: number, dimension = 3): number[][] {
  if (!Number.isInteger(D) || D < 0) throw new RangeError(`D must be an integer >= 0, got ${D}`);
  const result: number[][] = [];
  const grow = (prefix: number[], product: number) => {
    if (prefix.length === dimension) {
      result.push(prefix);
      return;
    }
    for (let a = 0; product * (a + 1) <= D + 1; a += 1) grow([...prefix, a], product * (a + 1));
  };
  grow([], 1);
  return result.sort(gradedCompare);
}

export interface HyperbolicCrossOptions {
  /** Keep α = 0 (the constant, whose moment is always 1). Default false: with fixed weights
   *  the constant constraint holds trivially (seed 003, after Table 1). */
  includeConstant?: boolean;
}

/** 3D tensor set over H_D with the given axis bases (e.g. orthonormal Hermite on every axis). */
export function hyperbolicCrossSet(
  D: number,
  axes: readonly AxisBasis[],
  options: HyperbolicCrossOptions = {},
): TestFunctionSet {
  const all = hyperbolicCross(D, axes.length);
  const kept = options.includeConstant ? all : all.filter((alpha) => alpha.some((a) => a > 0));
  return tensorSet(axes, kept, `hyperbolic cross D = ${D} (${kept.length} functions)`);
}

/** Orthonormal Hermite h_k((x − c)/s) on each of the 3 axes. */
export function hermiteAxes(center: readonly number[] = [0, 0, 0], scale = 1): AxisBasis[] {
  return center.map((c) => ({ family: 'hermite' as const, center: c, scale }));
}

/**
 * Mean–covariance constraints in d dimensions (seed 003 Table 2): x_i and x_i x_j (i ≤ j):
 * d + d(d+1)/2 functions (9 in 3D).
 */
export function meanCovarianceSet(dimension = 3): TestFunctionSet {
  const indices: number[][] = [];
  for (let i = 0; i < dimension; i += 1) {
    for (let j = i; j < dimension; j += 1) {
      const alpha = new Array<number>(dimension).fill(0);
      alpha[i]! += 1;
      alpha[j]! += 1;
      indices.push(alpha);
    }
    const first = new Array<number>(dimension).fill(0);
    first[i] = 1;
    indices.push(first);
  }
  const axes = Array.from({ length: dimension }, () => ({ family: 'monomial' as const }));
  return tensorSet(axes, indices, 'mean and covariance');
}

/**
 * Evaluates all φ_m (and optionally their gradients) at one point. Reads x[xOffset .. + d − 1],
 * writes values[valuesOffset .. + M − 1] and gradients[gradientsOffset .. + M·d − 1].
 */
export type TestFunctionEvaluator = (
  x: ArrayLike<number>,
  xOffset: number,
  values: Float64Array,
  valuesOffset: number,
  gradients?: Float64Array,
  gradientsOffset?: number,
) => void;

/** An allocation-free evaluator for a set (it owns its per-axis scratch tables). */
export function createEvaluator(set: TestFunctionSet): TestFunctionEvaluator {
  const d = set.dimension;
  const stride = set.maxAxisDegree + 1;
  const table = new Float64Array(d * stride);
  const dTable = new Float64Array(d * stride);
  const { indices, count } = set;
  return (x, xOffset, values, valuesOffset, gradients, gradientsOffset = 0) => {
    for (let j = 0; j < d; j += 1) {
      axisBasisAll(
        set.axes[j]!,
        x[xOffset + j]!,
        set.maxAxisDegree,
        table,
        j * stride,
        dTable,
        j * stride,
      );
    }
    for (let m = 0; m < count; m += 1) {
      let product = 1;
      for (let j = 0; j < d; j += 1) product *= table[j * stride + indices[m * d + j]!]!;
      values[valuesOffset + m] = product;
      if (!gradients) continue;
      for (let k = 0; k < d; k += 1) {
        // Product over the other axes, not a division (a factor may vanish).
        let partial = dTable[k * stride + indices[m * d + k]!]!;
        for (let j = 0; j < d; j += 1)
          if (j !== k) partial *= table[j * stride + indices[m * d + j]!]!;
        gradients[gradientsOffset + m * d + k] = partial;
      }
    }
  };
}

/** Convenience: values (M) and gradients (M × d) at one point, freshly allocated. */
export function evaluateTestFunctions(
  set: TestFunctionSet,
  x: ArrayLike<number>,
): { values: Float64Array; gradients: Float64Array } {
  const values = new Float64Array(set.count);
  const gradients = new Float64Array(set.count * set.dimension);
  createEvaluator(set)(x, 0, values, 0, gradients, 0);
  return { values, gradients };
}
