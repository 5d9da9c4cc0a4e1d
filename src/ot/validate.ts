/**
 * Input validation shared by the UI, the CLI and the solvers. Every failure names the offending
 * field (a JSON path such as `x[3][1]`) and says how to fix it.
 */

export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

export function requireFiniteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(field, `expected a finite number, got ${describe(value)}`);
  }
  return value;
}

export function requirePositive(value: unknown, field: string): number {
  const number = requireFiniteNumber(value, field);
  if (number <= 0) throw new InputError(field, `must be > 0, got ${number}`);
  return number;
}

export function requireInteger(value: unknown, field: string, min: number, max = Infinity): number {
  const number = requireFiniteNumber(value, field);
  if (!Number.isInteger(number) || number < min || number > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new InputError(field, `must be an integer ${range}, got ${number}`);
  }
  return number;
}

export function requireVector(value: unknown, field: string, length?: number): number[] {
  if (!Array.isArray(value))
    throw new InputError(field, `expected an array of numbers, got ${describe(value)}`);
  if (length !== undefined && value.length !== length) {
    throw new InputError(field, `expected ${length} entries, got ${value.length}`);
  }
  return value.map((entry, i) => requireFiniteNumber(entry, `${field}[${i}]`));
}

/** A non-empty list of points of a common dimension within [1, maxDimension]. */
export function requirePoints(value: unknown, field: string, maxDimension = 3): number[][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(field, 'expected a non-empty array of points like [[0, 1], [2, 3]]');
  }
  const points = value.map((point, i) => requireVector(point, `${field}[${i}]`));
  const dimension = points[0]!.length;
  if (dimension < 1 || dimension > maxDimension) {
    throw new InputError(
      `${field}[0]`,
      `points must have 1 to ${maxDimension} coordinates, got ${dimension}`,
    );
  }
  points.forEach((point, i) => {
    if (point.length !== dimension) {
      throw new InputError(
        `${field}[${i}]`,
        `has ${point.length} coordinates, expected ${dimension} like ${field}[0]`,
      );
    }
  });
  return points;
}

/**
 * Probability weights of the given length: non-negative, finite, summing to 1 within `tolerance`
 * (relative). Missing weights mean uniform.
 */
export function requireWeights(
  value: unknown,
  field: string,
  length: number,
  tolerance = 1e-6,
): number[] {
  if (value === undefined) return new Array<number>(length).fill(1 / length);
  const weights = requireVector(value, field, length);
  weights.forEach((w, i) => {
    if (w < 0) throw new InputError(`${field}[${i}]`, `weights must be >= 0, got ${w}`);
  });
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0)
    throw new InputError(field, 'weights sum to 0: give at least one positive weight');
  if (Math.abs(total - 1) > tolerance) {
    throw new InputError(field, `weights must sum to 1, they sum to ${total} (normalise them)`);
  }
  return weights;
}

export function requireOneOf<T extends string>(
  value: unknown,
  field: string,
  options: readonly T[],
): T {
  if (typeof value !== 'string' || !options.includes(value as T)) {
    throw new InputError(field, `expected one of ${options.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') {
    throw new InputError(field, `expected true or false, got ${describe(value)}`);
  }
  return value;
}

export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(field, `expected a JSON object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** `parse(value)` when the field is present, else `fallback`: optional JSON fields with defaults. */
export function orDefault<T>(value: unknown, fallback: T, parse: (value: unknown) => T): T {
  return value === undefined ? fallback : parse(value);
}
