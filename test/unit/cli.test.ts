/**
 * The otlab executable as a user runs it: exit codes, one-line errors, JSON on stdout. Every test
 * spawns Node with tsx, whose start-up alone takes seconds on a loaded machine: hence the explicit
 * SPAWN_TIMEOUT instead of vitest's default 5 s.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const SPAWN_TIMEOUT = 60_000;

function otlab(args: string[], stdin?: string) {
  const run = spawnSync(process.execPath, ['bin/otlab.mjs', ...args], {
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const twoPoints = {
  x: [
    [0, 0],
    [1, 0],
  ],
  y: [
    [0, 1],
    [1, 1],
  ],
  epsilon: 0.1,
};

describe('otlab CLI', () => {
  it(
    'solves the Sinkhorn example and prints cost, marginal errors and a plan summary',
    () => {
      const { code, stdout } = otlab(['sinkhorn', '--input', 'examples/sinkhorn.json']);
      expect(code).toBe(0);
      const output = JSON.parse(stdout) as {
        results: {
          converged: boolean;
          transportCost: number;
          marginalError: number;
          planSummary: unknown;
        }[];
      };
      const [result] = output.results;
      expect(result!.converged).toBe(true);
      expect(result!.marginalError).toBeLessThan(1e-6);
      expect(result!.transportCost).toBeGreaterThan(0);
      expect(result!.planSummary).toBeDefined();
    },
    SPAWN_TIMEOUT,
  );

  it.each([
    ['bad JSON', '{"x": [[0, 0]', /^otlab: invalid input: input: - is not valid JSON/],
    [
      'a negative weight',
      JSON.stringify({ ...twoPoints, a: [1.5, -0.5] }),
      /^otlab: invalid input: a\[1\]: weights must be >= 0/,
    ],
    [
      'mismatched sizes',
      JSON.stringify({ ...twoPoints, b: [1] }),
      /^otlab: invalid input: b: expected 2 entries, got 1/,
    ],
    [
      'NaN (as a string)',
      JSON.stringify({ ...twoPoints, epsilon: 'NaN' }),
      /^otlab: invalid input: epsilon: expected a finite number/,
    ],
    [
      'a null coordinate',
      JSON.stringify({
        ...twoPoints,
        x: [
          [0, null],
          [1, 0],
        ],
      }),
      /^otlab: invalid input: x\[0\]\[1\]/,
    ],
  ])(
    'rejects %s with exit code 2 and one line naming the field',
    (_, input, message) => {
      const { code, stderr, stdout } = otlab(['sinkhorn', '--input', '-'], input);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'lists the solvers, prints its version and rejects unknown solvers',
    () => {
      expect(otlab(['list']).stdout).toMatch(/^sinkhorn\s+entropic OT/m);
      expect(otlab(['--version']).stdout).toMatch(/^otlab \d+\.\d+\.\d+$/m);
      const unknown = otlab(['nope', '--input', 'x.json']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/unknown solver "nope"; run "otlab list"/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'runs the first-principles solvers: matching from a file, bad k-means input exits 2',
    () => {
      const listed = otlab(['list']).stdout;
      for (const name of ['matching', 'kmeans', 'wasserstein-1d']) {
        expect(listed).toMatch(new RegExp(`^${name}\\s`, 'm'));
      }
      const { code, stdout } = otlab(['matching', '--input', 'examples/matching.json']);
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as { stable: { blocking: unknown[] } }).stable.blocking).toEqual(
        [],
      );
      const bad = otlab(['kmeans', '--input', '-'], JSON.stringify({ points: [[0, 1]], k: 2 }));
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(
        /^otlab: invalid input: k: must be an integer in \[1, 1\], got 2\n$/,
      );
    },
    SPAWN_TIMEOUT,
  );
});
