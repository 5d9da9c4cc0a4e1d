/** `otlab barycenter`: the two examples in-process, and one bad input through the executable. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { barycenterCli } from '../../src/cli/barycenter';
import type { CliContext } from '../../src/cli/registry';
import { cliSolvers } from '../../src/cli/solvers';

const cpu: CliContext = { backend: 'cpu', gpu: () => Promise.reject(new Error('CPU only')) };

interface Output {
  converged: boolean;
  V: number;
  history: { iteration: number; V: number; supportSize: number }[];
  support: number[][];
  supportWeights: number[];
}

async function runExample(path: string): Promise<Output> {
  const json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  return JSON.parse(
    JSON.stringify(await barycenterCli.run(barycenterCli.parse(json), cpu)),
  ) as Output;
}

describe('otlab barycenter', () => {
  it('is registered', () => {
    expect(cliSolvers.map((s) => s.name)).toContain('barycenter');
  });

  it.each(['examples/barycenter.json', 'examples/barycenter-circles.json'])(
    '%s converges with V non-increasing and a probability support',
    async (path) => {
      const output = await runExample(path);
      expect(output.converged).toBe(true);
      const V = output.history.map((r) => r.V);
      V.forEach((v, t) => {
        if (t > 0) expect(v).toBeLessThanOrEqual(V[t - 1]! * (1 + 1e-12));
      });
      expect(output.V).toBe(V.at(-1));
      expect(output.support).toHaveLength(output.supportWeights.length);
      expect(Math.abs(output.supportWeights.reduce((s, w) => s + w, 0) - 1)).toBeLessThan(1e-12);
    },
  );

  it('exits with code 2 and one line naming the bad field', () => {
    const input = JSON.stringify({ measures: [{ points: [[0, 0]] }], cost: { p: 0.5, q: 1 } });
    const run = spawnSync(process.execPath, ['bin/otlab.mjs', 'barycenter', '--input', '-'], {
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^otlab: invalid input: cost\.p: p must be >= 1/);
  });
});
