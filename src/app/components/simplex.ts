/**
 * Geometry of the barycentric-weight pickers: the triangle picker for three weights (points of a
 * triangle ↔ weights on the 2-simplex) and the renormalisation behind per-weight sliders.
 * Pure functions, unit-tested in test/unit/gaussianBarycenterScene.test.ts. Shared by the
 * barycenter labs.
 */

export interface Point {
  x: number;
  y: number;
}

export type Triangle = readonly [Point, Point, Point];

/** An upward equilateral-looking triangle inscribed in a width × height box with `pad` margins. */
export function pickerTriangle(width: number, height: number, pad: number): Triangle {
  return [
    { x: width / 2, y: pad },
    { x: pad, y: height - pad },
    { x: width - pad, y: height - pad },
  ];
}

/** The point Σ λ_k V_k. */
export function weightsToPoint(triangle: Triangle, weights: readonly number[]): Point {
  return triangle.reduce(
    (p, v, k) => ({ x: p.x + (weights[k] ?? 0) * v.x, y: p.y + (weights[k] ?? 0) * v.y }),
    { x: 0, y: 0 },
  );
}

/** Barycentric coordinates of p (may be negative outside the triangle). */
export function barycentricCoordinates(triangle: Triangle, p: Point): [number, number, number] {
  const [a, b, c] = triangle;
  const det = (b.y - c.y) * (a.x - c.x) + (c.x - b.x) * (a.y - c.y);
  if (det === 0) throw new Error('degenerate picker triangle');
  const l1 = ((b.y - c.y) * (p.x - c.x) + (c.x - b.x) * (p.y - c.y)) / det;
  const l2 = ((c.y - a.y) * (p.x - c.x) + (a.x - c.x) * (p.y - c.y)) / det;
  return [l1, l2, 1 - l1 - l2];
}

/**
 * Euclidean projection of a vector onto the probability simplex (sort-based algorithm of Held,
 * Wolfe & Crowder 1974 / Duchi et al. 2008): the closest weights to the requested ones.
 */
export function projectToSimplex(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => b - a);
  let cumulative = 0;
  let theta = 0;
  sorted.forEach((u, i) => {
    cumulative += u;
    const candidate = (cumulative - 1) / (i + 1);
    if (u - candidate > 0) theta = candidate;
  });
  return values.map((v) => Math.max(v - theta, 0));
}

/** Weights of the triangle point nearest to p (points outside snap to the nearest edge). */
export function pointToWeights(triangle: Triangle, p: Point): number[] {
  return projectToSimplex(barycentricCoordinates(triangle, p));
}

/** Keyboard steps of the picker, in pixels per press. */
export const ARROW_STEPS: Readonly<Record<string, Point>> = {
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
};

/** The weights after moving the picker's point by `step` pixels in the arrow's direction. */
export function moveWeights(
  triangle: Triangle,
  weights: readonly number[],
  key: string,
  step: number,
): number[] | undefined {
  const direction = ARROW_STEPS[key];
  if (!direction) return undefined;
  const p = weightsToPoint(triangle, weights);
  return pointToWeights(triangle, { x: p.x + step * direction.x, y: p.y + step * direction.y });
}

/**
 * Sets weight k to `value` (clamped to [0, 1]) and rescales the others proportionally so that the
 * sum stays 1; if the others are all zero they share the rest equally.
 */
export function setWeight(weights: readonly number[], k: number, value: number): number[] {
  const v = Math.min(Math.max(value, 0), 1);
  const othersTotal = weights.reduce((s, w, i) => (i === k ? s : s + w), 0);
  const rest = 1 - v;
  const others = weights.length - 1;
  return weights.map((w, i) => {
    if (i === k) return v;
    return othersTotal > 0 ? (w / othersTotal) * rest : rest / others;
  });
}

/** URL weights are kept to 4 digits: their sum may miss 1 by rounding, not by more than this. */
export const WEIGHT_SUM_TOLERANCE = 5e-3;

/** The weights normalised, or uniform weights with a message when they are not on the simplex. */
export function checkedWeights(raw: readonly number[], issues: string[]): number[] {
  const total = raw.reduce((s, w) => s + w, 0);
  if (!(Math.abs(total - 1) <= WEIGHT_SUM_TOLERANCE)) {
    issues.push(
      `Weights ${raw.join(' + ')} = ${Number(total.toPrecision(4))} are not on the simplex (they must be ≥ 0 and sum to 1); using uniform weights.`,
    );
    return raw.map(() => 1 / raw.length);
  }
  return raw.map((w) => w / total);
}
