/**
 * Ground costs c(x, y) between points (MATH.md §1, §5, §6). The GPU kernels mirror `costValue`
 * exactly (same kinds, same parameter meaning): see shaders/sinkhorn.wgsl, `cost()`.
 */
import { InputError, requireObject, requirePositive } from './validate';

export type CostSpec =
  | { kind: 'sqeuclidean' }
  | { kind: 'euclidean' }
  /** ‖x − y‖_p^q (seed 001, e.g. p = q = 1.5). */
  | { kind: 'pq'; p: number; q: number }
  /** Regularised Coulomb 1/√(‖x−y‖² + η²) (MATH.md §6; η → 0 is Coulomb). */
  | { kind: 'coulomb'; eta: number };

export const COST_KINDS = ['sqeuclidean', 'euclidean', 'pq', 'coulomb'] as const;

/** Numeric code of each kind, shared with the WGSL `cost()` switch. */
export const COST_CODE: Record<CostSpec['kind'], number> = {
  sqeuclidean: 0,
  euclidean: 1,
  pq: 2,
  coulomb: 3,
};

export function costValue(cost: CostSpec, x: readonly number[], y: readonly number[]): number {
  switch (cost.kind) {
    case 'sqeuclidean': {
      let s = 0;
      for (let k = 0; k < x.length; k += 1) s += (x[k]! - y[k]!) ** 2;
      return s;
    }
    case 'euclidean':
      return Math.sqrt(costValue({ kind: 'sqeuclidean' }, x, y));
    case 'pq': {
      let s = 0;
      for (let k = 0; k < x.length; k += 1) s += Math.abs(x[k]! - y[k]!) ** cost.p;
      return s ** (cost.q / cost.p);
    }
    case 'coulomb':
      return 1 / Math.sqrt(costValue({ kind: 'sqeuclidean' }, x, y) + cost.eta ** 2);
  }
}

/** Dense n × m cost matrix, row-major. */
export function costMatrix(
  cost: CostSpec,
  x: readonly number[][],
  y: readonly number[][],
): Float64Array {
  const matrix = new Float64Array(x.length * y.length);
  x.forEach((xi, i) => {
    y.forEach((yj, j) => {
      matrix[i * y.length + j] = costValue(cost, xi, yj);
    });
  });
  return matrix;
}

/** Accepts `"sqeuclidean"`, `"euclidean"`, `{ "p": 1.5, "q": 1.5 }` or `{ "kind": "coulomb", "eta": 0.1 }`. */
export function parseCost(value: unknown, field: string): CostSpec {
  if (value === undefined || value === 'sqeuclidean') return { kind: 'sqeuclidean' };
  if (value === 'euclidean') return { kind: 'euclidean' };
  if (typeof value === 'string') {
    throw new InputError(
      field,
      `unknown cost "${value}"; use sqeuclidean, euclidean, {"p":..,"q":..} or {"kind":"coulomb","eta":..}`,
    );
  }
  const spec = requireObject(value, field);
  const kind = spec.kind ?? ('p' in spec ? 'pq' : undefined);
  if (kind === 'pq') {
    const p = requirePositive(spec.p, `${field}.p`);
    if (p < 1) throw new InputError(`${field}.p`, `p must be >= 1 for a norm, got ${p}`);
    return { kind: 'pq', p, q: requirePositive(spec.q, `${field}.q`) };
  }
  if (kind === 'coulomb')
    return { kind: 'coulomb', eta: requirePositive(spec.eta, `${field}.eta`) };
  if (kind === 'sqeuclidean' || kind === 'euclidean') return { kind };
  throw new InputError(`${field}.kind`, `expected one of ${COST_KINDS.join(', ')}`);
}
