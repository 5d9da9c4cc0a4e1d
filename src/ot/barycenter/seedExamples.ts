/**
 * The two examples of seed 001 as seeded problem generators (used by the generic-cost lab, the
 * tests and `examples/barycenter*.json`):
 * - "Barycentre for the cost ‖x − y‖_{3/2}^{3/2}" (ot_bar examples/2d_p_norm_q): three shapes as
 *   point clouds. The original uses pixel sets of a duck, a red cross and a heart; we sample a heart,
 *   a cross and a ring, placed at the corners of a triangle so the barycenter morphs between them.
 * - "Non-linear Generalised Wasserstein Barycentre" (POT plot_free_support_barycenter_generic_cost):
 *   c_k(x, y) = ¼‖P_k(x) − y‖², P_k the projection onto the circle of radius √2 centred at
 *   (−1, −1), (−1, 2), (2, 2), (2, −1); ν_k is P_k pushed through random points of the circle of
 *   radius ½ centred at (½, ½), so that circle is (nearly) a barycenter with V ≈ 0.
 */
import { seededRandom } from '../random';
import type { DiscreteMeasure, GenericBarycenterProblem } from './fixedPoint';
import { projectOntoCircle, type Circle } from './groundCost';

export type ShapeName = 'heart' | 'cross' | 'ring' | 'disk' | 'square';
export const SHAPE_NAMES: readonly ShapeName[] = ['heart', 'cross', 'ring', 'disk', 'square'];

/** Membership of the shape in the unit box [−½, ½]². */
function inside(shape: ShapeName, x: number, y: number): boolean {
  switch (shape) {
    case 'heart': {
      // (u² + v² − 1)³ − u²v³ ≤ 0, scaled to the box.
      const u = 2.6 * x;
      const v = 2.6 * y + 0.25;
      return (u * u + v * v - 1) ** 3 - u * u * v ** 3 <= 0;
    }
    case 'cross':
      return (
        Math.max(Math.abs(x), Math.abs(y)) <= 0.42 && Math.min(Math.abs(x), Math.abs(y)) <= 0.13
      );
    case 'ring': {
      const r = Math.hypot(x, y);
      return r >= 0.26 && r <= 0.42;
    }
    case 'disk':
      return Math.hypot(x, y) <= 0.4;
    case 'square':
      return Math.max(Math.abs(x), Math.abs(y)) <= 0.35;
  }
}

/** m points drawn uniformly in the shape (rejection sampling), scaled by `size`, centred at `at`. */
export function sampleShape(
  shape: ShapeName,
  m: number,
  at: readonly [number, number],
  size: number,
  random: () => number,
): number[][] {
  const points: number[][] = [];
  while (points.length < m) {
    const x = random() - 0.5;
    const y = random() - 0.5;
    // y grows upwards in the shape's frame.
    if (inside(shape, x, y)) points.push([at[0] + size * x, at[1] + size * y]);
  }
  return points;
}

export function uniformMeasure(points: number[][]): DiscreteMeasure {
  return { points, weights: new Float64Array(points.length).fill(1 / points.length) };
}

/** n points uniform in the bounding box of the measures' supports, uniform weights. */
export function boxInit(
  measures: readonly DiscreteMeasure[],
  n: number,
  random: () => number,
): DiscreteMeasure {
  const all = measures.flatMap((measure) => measure.points);
  const d = all[0]!.length;
  const lo = Array.from({ length: d }, (_, c) => Math.min(...all.map((p) => p[c]!)));
  const hi = Array.from({ length: d }, (_, c) => Math.max(...all.map((p) => p[c]!)));
  return uniformMeasure(
    Array.from({ length: n }, () => lo.map((l, c) => l + random() * (hi[c]! - l))),
  );
}

export interface PqExampleOptions {
  p: number;
  q: number;
  /** Barycenter support size n. */
  n: number;
  /** Points per measure. */
  m: number;
  lambdas: number[];
  seed: number;
  shapes?: readonly ShapeName[];
}

export const PQ_EXAMPLE_CENTRES: readonly [number, number][] = [
  [0, 0],
  [2, 0],
  [1, 1.6],
];

/** Seed 001's ‖x − y‖_p^q example (p = q = 1.5 there): shapes at the corners of a triangle. */
export function pqExample(options: PqExampleOptions): GenericBarycenterProblem {
  const random = seededRandom(options.seed);
  const shapes = options.shapes ?? ['heart', 'cross', 'ring'];
  const measures = shapes.map((shape, k) =>
    uniformMeasure(sampleShape(shape, options.m, PQ_EXAMPLE_CENTRES[k % 3]!, 1.2, random)),
  );
  return {
    measures,
    lambdas: options.lambdas,
    ground: { kind: 'pq', p: options.p, q: options.q },
    init: boxInit(measures, options.n, random),
  };
}

export const SEED_CIRCLES: readonly Circle[] = [
  { center: [-1, -1], radius: Math.SQRT2 },
  { center: [-1, 2], radius: Math.SQRT2 },
  { center: [2, 2], radius: Math.SQRT2 },
  { center: [2, -1], radius: Math.SQRT2 },
];

/** The hidden shape whose projections the circle example observes: radius ½ around (½, ½). */
export const CIRCLES_SOURCE = { center: [0.5, 0.5] as [number, number], radius: 0.5 };

/** Seed 001's non-linear generalised barycenter: 4 circles, λ = ¼, init uniform in [0, 1]². */
export function circlesExample(options: {
  n: number;
  m: number;
  seed: number;
}): GenericBarycenterProblem {
  const random = seededRandom(options.seed);
  const measures = SEED_CIRCLES.map((circle) => {
    const points = Array.from({ length: options.m }, () => {
      const t = 2 * Math.PI * random();
      const source = [
        CIRCLES_SOURCE.center[0] + CIRCLES_SOURCE.radius * Math.cos(t),
        CIRCLES_SOURCE.center[1] + CIRCLES_SOURCE.radius * Math.sin(t),
      ];
      return projectOntoCircle(circle, source);
    });
    return uniformMeasure(points);
  });
  return {
    measures,
    lambdas: SEED_CIRCLES.map(() => 1 / SEED_CIRCLES.length),
    ground: { kind: 'circles', circles: SEED_CIRCLES.map((c) => ({ ...c })) },
    init: uniformMeasure(Array.from({ length: options.n }, () => [random(), random()])),
  };
}
