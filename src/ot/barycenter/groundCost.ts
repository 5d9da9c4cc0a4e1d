/**
 * Ground costs of generic-cost barycenters (MATH.md §5; seed 001, "Generalising Wasserstein
 * Barycentres"): the K costs c_k(x, y) = λ_k · base(T_k(x), y), with
 * - `pq`: base = ‖x − y‖_p^q and T_k = identity (seed 001, "Barycentres for p-norms with power q");
 * - `circles`: base = ‖· − ·‖² and T_k = P_k, the projection onto circle k (seed 001, "Non-linear
 *   Generalised Wasserstein Barycentre"; Delon–Gozlan–Saint-Dizier 2021), x, y ∈ R².
 * Writing every cost as a base cost of lifted points lets the exact solvers and the (GPU) Sinkhorn
 * solvers, which take points and a CostSpec, serve every family unchanged.
 */
import { costMatrix, costValue, type CostSpec } from '../costs';
import { InputError, requireFiniteNumber, requirePositive, requireVector } from '../validate';

export interface Circle {
  center: [number, number];
  radius: number;
}

export type GroundSpec =
  /** c_k(x, y) = λ_k ‖x − y‖_p^q with p, q ≥ 1 (convex, so B is a convex problem). */
  | { kind: 'pq'; p: number; q: number }
  /** c_k(x, y) = λ_k ‖P_k(x) − y‖², one circle per measure, points in R². */
  | { kind: 'circles'; circles: Circle[] };

/** The base cost between lifted points T_k(x) and y. */
export function baseCost(ground: GroundSpec): CostSpec {
  return ground.kind === 'pq' ? { kind: 'pq', p: ground.p, q: ground.q } : { kind: 'sqeuclidean' };
}

/**
 * P(x) = c + r (x − c)/‖x − c‖. At the centre every point of the circle is nearest; we pick the
 * direction (1, 0) so that P is defined everywhere (documented choice).
 */
export function projectOntoCircle(circle: Circle, x: readonly number[]): [number, number] {
  const [cx, cy] = circle.center;
  const dx = x[0]! - cx;
  const dy = x[1]! - cy;
  const norm = Math.hypot(dx, dy);
  if (norm === 0) return [cx + circle.radius, cy];
  return [cx + (circle.radius * dx) / norm, cy + (circle.radius * dy) / norm];
}

/** T_k(x): the point the base cost of measure k sees. */
export function liftPoint(ground: GroundSpec, k: number, x: readonly number[]): number[] {
  return ground.kind === 'pq' ? [...x] : projectOntoCircle(ground.circles[k]!, x);
}

/** c_k(x, y) = λ_k base(T_k(x), y). */
export function groundCost(
  ground: GroundSpec,
  lambda: number,
  k: number,
  x: readonly number[],
  y: readonly number[],
): number {
  return lambda * costValue(baseCost(ground), liftPoint(ground, k, x), y);
}

/** The n × m_k matrix λ_k base(T_k(x_i), y_j), row-major. */
export function groundCostMatrix(
  ground: GroundSpec,
  lambda: number,
  k: number,
  x: readonly number[][],
  y: readonly number[][],
): Float64Array {
  const lifted = x.map((point) => liftPoint(ground, k, point));
  return costMatrix(baseCost(ground), lifted, y).map((c) => lambda * c);
}

/**
 * Accepts `"sqeuclidean"` (p = q = 2), `{"p": 1.5, "q": 1.5}` or
 * `{"kind": "circles", "circles": [{"center": [x, y], "radius": r}, ...]}` (one circle per measure).
 */
export function parseGround(value: unknown, field: string, measures: number): GroundSpec {
  if (value === undefined || value === 'sqeuclidean') return { kind: 'pq', p: 2, q: 2 };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      field,
      'expected "sqeuclidean", {"p": .., "q": ..} or {"kind": "circles", "circles": [...]}',
    );
  }
  const spec = value as Record<string, unknown>;
  const kind = spec.kind ?? ('p' in spec || 'q' in spec ? 'pq' : undefined);
  if (kind === 'pq') {
    const p = requirePositive(spec.p, `${field}.p`);
    const q = requirePositive(spec.q, `${field}.q`);
    if (p < 1) throw new InputError(`${field}.p`, `p must be >= 1 for a norm, got ${p}`);
    if (q < 1) {
      throw new InputError(
        `${field}.q`,
        `q must be >= 1 so that the ground barycenter is a convex problem, got ${q}`,
      );
    }
    return { kind: 'pq', p, q };
  }
  if (kind === 'circles') {
    if (!Array.isArray(spec.circles) || spec.circles.length !== measures) {
      throw new InputError(`${field}.circles`, `expected one circle per measure (${measures})`);
    }
    const circles = spec.circles.map((circle: unknown, k) => parseCircle(circle, k, field));
    return { kind: 'circles', circles };
  }
  throw new InputError(`${field}.kind`, 'expected "pq" or "circles"');
}

function parseCircle(value: unknown, k: number, field: string): Circle {
  const where = `${field}.circles[${k}]`;
  if (typeof value !== 'object' || value === null) {
    throw new InputError(where, 'expected {"center": [x, y], "radius": r}');
  }
  const circle = value as Record<string, unknown>;
  const center = requireVector(circle.center, `${where}.center`, 2);
  return {
    center: [requireFiniteNumber(center[0], `${where}.center[0]`), center[1]!],
    radius: requirePositive(circle.radius, `${where}.radius`),
  };
}

/** Dimension the ground family imposes on every point (circles live in R²). */
export function requiredDimension(ground: GroundSpec): number | undefined {
  return ground.kind === 'circles' ? 2 : undefined;
}
