/** `otlab mcot`: input validation naming the field, the output schema, presets, the executable. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mcotCli } from '../../src/cli/mcot';
import type { CliContext } from '../../src/cli/registry';
import { cliSolvers } from '../../src/cli/solvers';
import { MCOT_PRESETS, parseMcotParams } from '../../src/ot/mcot/params';
import { uniformSceCost } from '../../src/ot/mcot/sce';
import { InputError } from '../../src/ot/validate';

const cpu: CliContext = { backend: 'cpu', gpu: () => Promise.reject(new Error('CPU only')) };

async function run(json: unknown) {
  return (await mcotCli.run(mcotCli.parse(json), cpu)) as Record<string, unknown>;
}

function fieldOf(json: unknown): string {
  try {
    mcotCli.parse(json);
  } catch (error) {
    if (error instanceof InputError) return error.field;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('otlab mcot', () => {
  it('is registered', () => {
    expect(cliSolvers.map((s) => s.name)).toContain('mcot');
  });

  it('1D run: particles, weights, float64 cost below the exact SCE cost, history', async () => {
    const output = await run({ N: 2, K: 12, M: 4, steps: 30 });
    expect(output.solver).toBe('mcot');
    expect(output.backend).toBe('cpu');
    expect(output.stopReason).toMatch(/step budget of 30/);
    expect(output.failure).toBeNull();
    const particles = output.particles as number[][];
    expect(particles).toHaveLength(12);
    expect(particles[0]).toHaveLength(2);
    expect(output.weights).toEqual(new Array(12).fill(1 / 12));
    expect(output.sceCost).toBeCloseTo(uniformSceCost(2, 0.1), 10);
    expect(output.cost).toBeLessThan(output.sceCost as number);
    expect(output.residual).toBeLessThan(1e-5);
    const history = output.history as Record<string, number[]>;
    for (const key of ['iteration', 'cost', 'residual', 'timeStep', 'sigma', 'newtonIterations'])
      expect(history[key]).toHaveLength(31);
    expect(JSON.parse(JSON.stringify(output))).toEqual(output);
  });

  it('3D N = 2 from a preset with overrides: [x, y, z] electrons, below the radial SCE cost', async () => {
    const output = await run({ preset: '3d-normal-n2', K: 30, D: 4, steps: 80 });
    const particles = output.particles as number[][][];
    expect(particles).toHaveLength(30);
    expect(particles[0]![0]).toHaveLength(3);
    expect((output.params as { N: number }).N).toBe(2);
    // Exact N = 2 radial map (seed 002): 0.31391 for the standard normal with η = 0.1.
    expect(output.sceCost).toBeCloseTo(0.3139069, 6);
    expect(output.cost).toBeLessThan(output.sceCost as number);
    expect((await run({ preset: '3d-normal-n10', K: 3, D: 2, steps: 1 })).sceCost).toBeUndefined();
  });

  it('a failed initialisation still reports its last particles, with the failure', async () => {
    const output = await run({ N: 2, K: 10, M: 8, maxInitSteps: 2, tolerance: 1e-12 });
    expect((output.failure as { code: string }).code).toBe('unattainable');
    expect(output.stopReason).toMatch(/^failed: unattainable moment set/);
    expect(output.particles as number[][]).toHaveLength(10);
    expect(output.residual).toBeGreaterThan(1e-12);
    expect(output.steps).toBe(0);
  });

  it('every preset and example parses', () => {
    for (const name of Object.keys(MCOT_PRESETS))
      expect(() => mcotCli.parse({ preset: name })).not.toThrow();
    for (const file of ['mcot', 'mcot-1d-two-bumps', 'mcot-3d-n2', 'mcot-3d-n10']) {
      const json: unknown = JSON.parse(readFileSync(`examples/${file}.json`, 'utf8'));
      expect(() => mcotCli.parse(json), file).not.toThrow();
    }
  });

  it.each([
    [{ N: 1 }, 'N'],
    [{ dimension: 2 }, 'dimension'],
    [{ marginal: { kind: 'ball' } }, 'marginal.kind'],
    [{ dimension: 3, marginal: { kind: 'normal', sd: -1 } }, 'marginal.sd'],
    [{ weights: 'free' }, 'weights'],
    [{ init: 'tchakaloff' }, 'init'],
    [{ eta: -0.1 }, 'eta'],
    [{ timeStep: 0 }, 'timeStep'],
    [{ tolerance: 1e-6, minTolerance: 1e-4 }, 'minTolerance'],
    [{ K: 2, M: 8 }, 'K'],
    [{ preset: 'nope' }, 'preset'],
    [{ sigmaZero: 1 }, 'sigmaZero'],
    [{ dimension: 3, testFunctions: 'legendre' }, 'testFunctions'],
  ])('rejects %j naming the field %s', (json, field) => {
    expect(fieldOf(json)).toBe(field);
  });

  it('the executable: JSON on stdout; bad input is one line on stderr with exit code 2', () => {
    const ok = spawnSync(process.execPath, ['bin/otlab.mjs', 'mcot', '--input', '-'], {
      input: JSON.stringify({ N: 2, K: 6, M: 2, steps: 3 }),
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as { steps: number }).steps).toBe(3);
    const bad = spawnSync(process.execPath, ['bin/otlab.mjs', 'mcot', '--input', '-'], {
      input: JSON.stringify({ N: 2, weights: 'adaptive', omega: 'cube' }),
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^otlab: invalid input: omega: expected one of square, exp/);
  }, 60_000);

  it('defaults: 1D uniform, Legendre, fixed weights, tolerance 1e-5', () => {
    const params = parseMcotParams({});
    expect(params).toMatchObject({ dimension: 1, testFunctions: 'legendre', weights: 'fixed' });
    expect(params.tolerance).toBe(1e-5);
  });
});
