import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gaussianCli } from '../../src/cli/gaussian';
import { gmmCli } from '../../src/cli/gmm';
import type { CliContext, CliSolver } from '../../src/cli/registry';
import { cliSolvers } from '../../src/cli/solvers';
import { gaussianW2 } from '../../src/ot/gaussian';
import { InputError } from '../../src/ot/validate';

const cpu: CliContext = {
  backend: 'cpu',
  gpu: () => Promise.reject(new Error('no GPU for closed forms')),
};
const gpu: CliContext = { ...cpu, backend: 'gpu' };

const examples = readdirSync(new URL('../../examples', import.meta.url)).filter((f) =>
  /^(gaussian|gmm)-.*\.json$/.test(f),
);

function load(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
}

async function runCli(solver: CliSolver, json: unknown, context = cpu) {
  return (await solver.run(solver.parse(json), context)) as Record<string, unknown>;
}

/** The InputError a parse raises. */
function parseError(solver: CliSolver, json: unknown): InputError {
  try {
    solver.parse(json);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('otlab gaussian / gmm CLI', () => {
  it('are registered', () => {
    expect(cliSolvers.map((s) => s.name)).toEqual(expect.arrayContaining(['gaussian', 'gmm']));
  });

  it('runs every example file, one per op', async () => {
    expect(examples.length).toBe(14);
    for (const file of examples) {
      const solver = file.startsWith('gmm') ? gmmCli : gaussianCli;
      const output = await runCli(solver, load(file));
      expect(output).toMatchObject({ solver: solver.name, backend: 'cpu' });
      expect(JSON.parse(JSON.stringify(output))).toEqual(output); // JSON-able, no NaN
    }
  });

  it('w2 reports the closed form', async () => {
    const input = load('gaussian-w2.json') as { a: never; b: never };
    const output = await runCli(gaussianCli, input);
    expect(output.w2Squared).toBe(gaussianW2(input.a, input.b).w2Squared);
    expect(output.w2).toBeCloseTo(Math.sqrt(output.w2Squared as number), 15);
  });

  it('says the closed forms run on the CPU with --backend gpu instead of failing', async () => {
    const output = await runCli(gaussianCli, load('gaussian-w2.json'), gpu);
    expect(output.backend).toBe('cpu');
    expect(output.note).toMatch(/CPU/);
    expect((await runCli(gmmCli, load('gmm-distance.json'), gpu)).backend).toBe('cpu');
  });

  it('rejects invalid input naming the field', () => {
    const spd = {
      mean: [0, 0],
      cov: [
        [1, 0],
        [0, 1],
      ],
    };
    expect(parseError(gaussianCli, { op: 'w2', a: spd }).field).toBe('b');
    expect(parseError(gaussianCli, { op: 'nope' }).field).toBe('op');
    expect(
      parseError(gaussianCli, {
        op: 'w2',
        a: spd,
        b: {
          mean: [0, 0],
          cov: [
            [1, 2],
            [2, 1],
          ],
        },
      }).message,
    ).toMatch(/^b\.cov: is not positive definite: smallest eigenvalue -1/);
    expect(parseError(gaussianCli, { op: 'interpolate', a: spd, b: spd, t: [0.5, 2] }).field).toBe(
      't[1]',
    );
    expect(
      parseError(gaussianCli, { op: 'preserving-barycenter', gaussians: [spd], nx: 2 }).field,
    ).toBe('nx');
    expect(
      parseError(gaussianCli, {
        op: 'fokker-planck',
        model: { omega: 1, diffusion: 0.1 },
        initial: spd,
        snapshotTimes: [0, 1, 1],
        targetTime: 0.5,
      }).field,
    ).toBe('snapshotTimes[2]');
    expect(parseError(gmmCli, { op: 'fit', points: [[0], [1]], k: 3 }).field).toBe('k');
    expect(
      parseError(gmmCli, {
        op: 'density',
        mixture: { components: [spd] },
        points: [[0, 0, 0]],
      }).field,
    ).toBe('points[0]');
  });
});
