/**
 * Ellipse geometry ↔ 2×2 covariance. The lab edits a covariance through its eigen-decomposition
 * S = R(θ) diag(a², b²) R(θ)ᵀ (a, b standard deviations along the rotated axes), so every edit
 * stays symmetric positive definite. Pure functions, no DOM.
 */
import type { Gaussian } from '../../../ot/gaussian';
import { symmetricEigen, type Matrix } from '../../../ot/linalg';
import { InputError } from '../../../ot/validate';

export interface EllipseParams {
  /** Centre (the mean). */
  cx: number;
  cy: number;
  /** Angle of the first axis, in degrees, counter-clockwise from +x. */
  angle: number;
  /** Standard deviations along the first and second axis (> 0). */
  sa: number;
  sb: number;
}

const DEG = Math.PI / 180;

/** S = R(θ) diag(sa², sb²) R(θ)ᵀ; throws an InputError for non-positive or non-finite scales. */
export function covarianceFromEllipse(e: EllipseParams, field = 'ellipse'): Matrix {
  for (const [key, value] of [
    ['sa', e.sa],
    ['sb', e.sb],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new InputError(
        `${field}.${key}`,
        `must be a positive standard deviation (the covariance must be SPD), got ${value}`,
      );
    }
  }
  if (!Number.isFinite(e.angle)) {
    throw new InputError(`${field}.angle`, `must be a finite angle in degrees, got ${e.angle}`);
  }
  const c = Math.cos(e.angle * DEG);
  const s = Math.sin(e.angle * DEG);
  const a2 = e.sa * e.sa;
  const b2 = e.sb * e.sb;
  const off = (a2 - b2) * c * s;
  return [
    [a2 * c * c + b2 * s * s, off],
    [off, a2 * s * s + b2 * c * c],
  ];
}

export function gaussianFromEllipse(e: EllipseParams, field = 'ellipse'): Gaussian {
  if (!Number.isFinite(e.cx) || !Number.isFinite(e.cy)) {
    throw new InputError(`${field}.mean`, `must be finite, got (${e.cx}, ${e.cy})`);
  }
  return { mean: [e.cx, e.cy], cov: covarianceFromEllipse(e, field) };
}

/** The inverse map: axis angle in (−90°, 90°] and standard deviations, largest first. */
export function ellipseFromGaussian(g: Gaussian): EllipseParams {
  const { values, vectors } = symmetricEigen(g.cov);
  const order = values[0]! >= values[1]! ? [0, 1] : [1, 0];
  const first = order[0]!;
  const second = order[1]!;
  // Eigenvectors are the columns of `vectors`.
  let angle = Math.atan2(vectors[1]![first]!, vectors[0]![first]!) / DEG;
  if (angle > 90) angle -= 180;
  if (angle <= -90) angle += 180;
  return {
    cx: g.mean[0]!,
    cy: g.mean[1]!,
    angle,
    sa: Math.sqrt(Math.max(values[first]!, 0)),
    sb: Math.sqrt(Math.max(values[second]!, 0)),
  };
}

/** The end of axis k (0 or 1) of the `radius`-σ ellipse: where its drag handle sits. */
export function axisHandle(e: EllipseParams, axis: 0 | 1, radius: number): [number, number] {
  const theta = (e.angle + (axis === 0 ? 0 : 90)) * DEG;
  const length = radius * (axis === 0 ? e.sa : e.sb);
  return [e.cx + length * Math.cos(theta), e.cy + length * Math.sin(theta)];
}

/**
 * Dragging the handle of one axis to point p: that axis now points at p (rotating the ellipse) and
 * its standard deviation is |p − centre| / radius, clamped to [minScale, maxScale].
 */
export function dragAxis(
  e: EllipseParams,
  axis: 0 | 1,
  p: readonly [number, number],
  radius: number,
  minScale: number,
  maxScale: number,
): EllipseParams {
  const dx = p[0] - e.cx;
  const dy = p[1] - e.cy;
  const length = Math.hypot(dx, dy) / radius;
  const scale = Math.min(Math.max(length, minScale), maxScale);
  let angle = Math.atan2(dy, dx) / DEG - (axis === 0 ? 0 : 90);
  angle = wrapDegrees(angle);
  return axis === 0 ? { ...e, angle, sa: scale } : { ...e, angle, sb: scale };
}

/** URL-friendly precision, kept by drags and fits: 2 decimals on centres, 1 on angles, 3 on σ. */
export function roundEllipse(e: EllipseParams): EllipseParams {
  const r = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
  return { cx: r(e.cx, 2), cy: r(e.cy, 2), angle: r(e.angle, 1), sa: r(e.sa, 3), sb: r(e.sb, 3) };
}

/** Angle wrapped to (−180°, 180°]. */
export function wrapDegrees(angle: number): number {
  let a = angle % 360;
  if (a > 180) a -= 360;
  if (a <= -180) a += 360;
  return a;
}

/**
 * `count` points on the boundary {x : (x − m)ᵀ S⁻¹ (x − m) = radius²}: m + radius · S^{1/2} u for u
 * on the unit circle (any square root works; the eigen one keeps the parameterisation smooth).
 */
export function ellipsePath(g: Gaussian, radius: number, count: number): [number, number][] {
  const e = ellipseFromGaussian(g);
  const c = Math.cos(e.angle * DEG);
  const s = Math.sin(e.angle * DEG);
  const points: [number, number][] = [];
  for (let k = 0; k <= count; k += 1) {
    const phi = (2 * Math.PI * k) / count;
    const u = radius * e.sa * Math.cos(phi);
    const v = radius * e.sb * Math.sin(phi);
    points.push([e.cx + c * u - s * v, e.cy + s * u + c * v]);
  }
  return points;
}
