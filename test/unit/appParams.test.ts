/**
 * URL parameters of the app: parsing against a scene's schema (ranges, integers, enums, hostile
 * text), the canonical query, hash routes, and the Sinkhorn toy's seeded clouds.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultValues,
  formatParams,
  MAX_ISSUES,
  parseParams,
  type ParamSchema,
} from '../../src/app/params';
import { formatHash, parseHash } from '../../src/app/route';
import { sinkhornToyParams } from '../../src/app/scenes/sinkhornToy/params';
import { toyClouds, toyProblem } from '../../src/app/scenes/sinkhornToy/problem';
import { validateSinkhornProblem } from '../../src/ot/sinkhorn';

const schema = {
  n: { kind: 'int', label: 'n', min: 2, max: 512, default: 64 },
  eps: { kind: 'number', label: 'ε', min: 1e-3, max: 1, default: 0.05, scale: 'log', digits: 3 },
  cost: {
    kind: 'enum',
    label: 'cost',
    options: ['sqeuclidean', 'euclidean'],
    default: 'sqeuclidean',
  },
} as const satisfies ParamSchema;

const parse = (query: string) => parseParams(schema, new URLSearchParams(query));

describe('parseParams', () => {
  it('accepts valid values of every kind and keeps defaults for missing ones', () => {
    expect(parse('n=40&eps=0.1&cost=euclidean')).toEqual({
      values: { n: 40, eps: 0.1, cost: 'euclidean' },
      issues: [],
    });
    expect(parse('eps=2e-3')).toEqual({
      values: { n: 64, eps: 0.002, cost: 'sqeuclidean' },
      issues: [],
    });
    expect(parse('')).toEqual({ values: defaultValues(schema), issues: [] });
  });

  it.each([
    ['n=1e9', 'n: must be an integer in [2, 512], got 1000000000'],
    ['n=1', 'n: must be an integer in [2, 512], got 1'],
    ['n=12.5', 'n: must be an integer in [2, 512], got 12.5'],
    ['n=', 'n: expected a number, got ""'],
    ['n=%2064', 'n: expected a number, got " 64"'],
    ['n=0x20', 'n: expected a number, got "0x20"'],
    ['eps=NaN', 'eps: expected a number, got "NaN"'],
    ['eps=Infinity', 'eps: expected a number, got "Infinity"'],
    ['eps=0', 'eps: must be in [0.001, 1], got 0'],
    ['cost=manhattan', 'cost: expected one of sqeuclidean, euclidean, got "manhattan"'],
  ])('rejects %s with a message and falls back to the default', (query, message) => {
    const { values, issues } = parse(query);
    expect(values).toEqual(defaultValues(schema));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain(message);
    expect(issues[0]).toMatch(/using the default/);
  });

  it('quotes hostile text verbatim (shown as text) and cuts it short', () => {
    const script = '<script>alert(1)</script>';
    const { values, issues } = parse(`n=${encodeURIComponent(script)}`);
    expect(values.n).toBe(64);
    expect(issues[0]).toBe(
      `Rejected URL parameter n: expected a number, got "${script}"; using the default 64.`,
    );
    const long = 'x'.repeat(500);
    expect(parse(`n=${long}`).issues[0]!.length).toBeLessThan(120);
  });

  it('reports unknown and repeated parameters, never prototype keys', () => {
    const { values, issues } = parse('n=10&n=20&__proto__=1&constructor=2');
    expect(values.n).toBe(10);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(issues).toEqual([
      'URL parameter n is given twice; the first value is used.',
      'Ignored unknown URL parameter "__proto__".',
      'Ignored unknown URL parameter "constructor".',
    ]);
  });

  it('never writes through prototype keys, whatever their spelling', () => {
    const { values, issues } = parse(
      '__proto__[polluted]=1&constructor[prototype][polluted]=1&hasOwnProperty=1&toString=2',
    );
    expect(values).toEqual(defaultValues(schema));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(issues).toHaveLength(4);
  });

  it('caps the messages of a flood of bad parameters with a count of the rest', () => {
    const flood = Array.from({ length: 5000 }, (_, k) => `k${k}=1`).join('&');
    const { issues } = parse(`${flood}&n=${'9'.repeat(10_000)}`);
    expect(issues).toHaveLength(MAX_ISSUES + 1);
    expect(issues.at(-1)).toBe(`…and ${5001 - MAX_ISSUES} more rejected URL parameters.`);
  });

  it('round-trips through the canonical query', () => {
    const values = { n: 128, eps: 0.0123, cost: 'euclidean' };
    const query = formatParams(schema, values);
    expect(query).toBe('n=128&eps=0.0123&cost=euclidean');
    expect(parse(query)).toEqual({ values, issues: [] });
  });

  it('gives every scene default a valid value', () => {
    const query = formatParams(sinkhornToyParams, defaultValues(sinkhornToyParams));
    expect(parseParams(sinkhornToyParams, new URLSearchParams(query)).issues).toEqual([]);
  });
});

describe('hash routes', () => {
  it('splits the scene id from its query', () => {
    const route = parseHash('#/sinkhorn-toy?n=64&eps=0.05&seed=1');
    expect(route.sceneId).toBe('sinkhorn-toy');
    expect(Object.fromEntries(route.query)).toEqual({ n: '64', eps: '0.05', seed: '1' });
    expect(parseHash('').sceneId).toBeUndefined();
    expect(parseHash('#/').sceneId).toBeUndefined();
    expect(parseHash('#/%E0%A4%A').sceneId).toBe('%E0%A4%A'); // malformed escape kept as text
  });

  it('formats what it parses', () => {
    const hash = formatHash('sinkhorn-toy', 'n=3');
    expect(hash).toBe('#/sinkhorn-toy?n=3');
    expect(parseHash(hash).sceneId).toBe('sinkhorn-toy');
    expect(formatHash('a b', '')).toBe('#/a%20b');
  });
});

describe('Sinkhorn toy clouds', () => {
  it('are reproducible from the seed and differ between seeds', () => {
    const first = toyClouds({ n: 30, m: 20, seed: 7 });
    expect(toyClouds({ n: 30, m: 20, seed: 7 })).toEqual(first);
    expect(toyClouds({ n: 30, m: 20, seed: 8 }).x).not.toEqual(first.x);
    expect(first.x).toHaveLength(30);
    expect(first.y).toHaveLength(20);
  });

  it('lie near the unit square and make a valid problem with uniform weights', () => {
    const problem = toyProblem({ n: 512, m: 512, seed: 1, epsilon: 0.05 });
    for (const point of [...problem.x, ...problem.y]) {
      expect(point).toHaveLength(2);
      for (const v of point) expect(Math.abs(v - 0.5)).toBeLessThan(0.75);
    }
    expect(() => validateSinkhornProblem(problem)).not.toThrow();
    expect(problem.a.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });
});
