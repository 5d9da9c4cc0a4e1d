/**
 * 1D polynomial bases for MCOT test functions (MATH.md §7, seed 003 (41) and (46)), all degrees at
 * once by their three-term recurrences, with first derivatives (the Langevin gradient needs them).
 * Every routine writes degrees 0..n into caller-owned arrays at an offset: no allocation, so the
 * solver can call them per particle, and a WGSL kernel can mirror them line by line.
 */

/**
 * Legendre P_0..P_n at u and dP_k/du: (k+1)P_{k+1} = (2k+1)u P_k − k P_{k−1},
 * P'_{k+1} = P'_{k−1} + (2k+1)P_k (valid at u = ±1 too).
 */
export function legendreAll(
  u: number,
  n: number,
  values: Float64Array,
  offset = 0,
  derivatives?: Float64Array,
  derivativeOffset = 0,
): void {
  let previous = 0;
  let current = 1;
  let dPrevious = 0;
  let dCurrent = 0;
  for (let k = 0; k <= n; k += 1) {
    values[offset + k] = current;
    if (derivatives) derivatives[derivativeOffset + k] = dCurrent;
    const next = ((2 * k + 1) * u * current - k * previous) / (k + 1);
    const dNext = dPrevious + (2 * k + 1) * current;
    previous = current;
    current = next;
    dPrevious = dCurrent;
    dCurrent = dNext;
  }
}

/**
 * Orthonormal scaled Legendre on [a, b] (seed 003 (41)): φ_m(x) = √(2m+1) P_m((2x − a − b)/(b − a)),
 * m = 0..n, and dφ_m/dx. ∫_a^b φ_j φ_k dx/(b − a) = δ_jk.
 */
export function scaledLegendreAll(
  x: number,
  a: number,
  b: number,
  n: number,
  values: Float64Array,
  offset = 0,
  derivatives?: Float64Array,
  derivativeOffset = 0,
): void {
  const u = (2 * x - a - b) / (b - a);
  legendreAll(u, n, values, offset, derivatives, derivativeOffset);
  const chain = 2 / (b - a);
  for (let k = 0; k <= n; k += 1) {
    const norm = Math.sqrt(2 * k + 1);
    values[offset + k] = values[offset + k]! * norm;
    if (derivatives)
      derivatives[derivativeOffset + k] = derivatives[derivativeOffset + k]! * norm * chain;
  }
}

/**
 * Orthonormal probabilists' Hermite h_k = He_k/√(k!) at t = (x − center)/scale, k = 0..n, and
 * dh_k/dx: h_{k+1} = (t h_k − √k h_{k−1})/√(k+1), h'_k = √k h_{k−1}/scale (He'_k = k He_{k−1}).
 * E h_j(Z) h_k(Z) = δ_jk for Z standard normal.
 */
export function hermiteAll(
  x: number,
  center: number,
  scale: number,
  n: number,
  values: Float64Array,
  offset = 0,
  derivatives?: Float64Array,
  derivativeOffset = 0,
): void {
  const t = (x - center) / scale;
  let previous = 0;
  let current = 1;
  for (let k = 0; k <= n; k += 1) {
    values[offset + k] = current;
    if (derivatives) derivatives[derivativeOffset + k] = (Math.sqrt(k) * previous) / scale;
    const next = (t * current - Math.sqrt(k) * previous) / Math.sqrt(k + 1);
    previous = current;
    current = next;
  }
}

/** Monomials x^k, k = 0..n, and k x^{k−1} (the mean–covariance constraint set). */
export function monomialAll(
  x: number,
  n: number,
  values: Float64Array,
  offset = 0,
  derivatives?: Float64Array,
  derivativeOffset = 0,
): void {
  let previous = 0;
  let current = 1;
  for (let k = 0; k <= n; k += 1) {
    values[offset + k] = current;
    if (derivatives) derivatives[derivativeOffset + k] = k * previous;
    previous = current;
    current *= x;
  }
}

/** One axis of a tensor-product basis. Codes are shared with a future WGSL mirror. */
export type AxisBasis =
  | { family: 'legendre'; a: number; b: number }
  | { family: 'hermite'; center: number; scale: number }
  | { family: 'monomial' };

export const AXIS_FAMILY_CODE: Record<AxisBasis['family'], number> = {
  legendre: 0,
  hermite: 1,
  monomial: 2,
};

/** All degrees 0..n of one axis basis at x (values and d/dx). */
export function axisBasisAll(
  basis: AxisBasis,
  x: number,
  n: number,
  values: Float64Array,
  offset = 0,
  derivatives?: Float64Array,
  derivativeOffset = 0,
): void {
  switch (basis.family) {
    case 'legendre':
      scaledLegendreAll(x, basis.a, basis.b, n, values, offset, derivatives, derivativeOffset);
      return;
    case 'hermite':
      hermiteAll(x, basis.center, basis.scale, n, values, offset, derivatives, derivativeOffset);
      return;
    case 'monomial':
      monomialAll(x, n, values, offset, derivatives, derivativeOffset);
      return;
  }
}
