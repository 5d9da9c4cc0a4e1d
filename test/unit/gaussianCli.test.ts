import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gaussianCli } from '../../src/cli/gaussian';
import { gmmCli } from '../../src/cli/gmm';
import type { CliContext, CliSolver } from '../../src/cli/registry';
import { cliSolvers } from '../../src/cli/solvers';
import { gaussianMarginals, gaussianW2, type Gaussian } from '../../src/ot/gaussian';
import { maxAbsDiff } from '../../src/ot/linalg';
import { InputError } from '../../src/ot/validate';
import { random, randomGaussian } from './gaussianFixtures';

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
    expect(examples.length).toBe(15);
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

  it('works in dimension 6: barycenter, geometric mean, constrained barycenters of mixtures', async () => {
    const rng = random(61);
    const gaussians = Array.from({ length: 4 }, () => randomGaussian(rng, 6));
    const bary = await runCli(gaussianCli, { op: 'barycenter', gaussians });
    expect(bary.iterations).toBeGreaterThan(1);
    expect(bary.residual).toBeLessThan(1e-10);
    const geomean = await runCli(gaussianCli, {
      op: 'geomean',
      S: gaussians[0]!.cov,
      T: gaussians[1]!.cov,
    });
    expect(geomean.residual).toBeLessThan(1e-10);
    const [x, y] = [randomGaussian(rng, 2), randomGaussian(rng, 4)];
    const mixtures = [0, 2].map((k) => ({ components: gaussians.slice(k, k + 2) }));
    const out = (await runCli(gmmCli, {
      op: 'constrained-barycenter',
      mixtures,
      marginals: { x: [x], y: [y] },
    })) as { mixture: { components: Gaussian[] } };
    for (const g of out.mixture.components) {
      const m = gaussianMarginals(g, 2);
      expect(maxAbsDiff(m.x.cov, x.cov)).toBeLessThan(1e-12);
      expect(maxAbsDiff(m.y.cov, y.cov)).toBeLessThan(1e-12);
    }
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
    const w2WithCovariance = (cov: number[][]) =>
      parseError(gaussianCli, { op: 'w2', a: spd, b: { mean: [0, 0], cov } }).message;
    expect(
      w2WithCovariance([
        [1, 2],
        [2, 1],
      ]),
    ).toMatch(/^b\.cov: is not positive definite: smallest eigenvalue -1/);
    expect(
      w2WithCovariance([
        [1, 0.5],
        [0.2, 1],
      ]),
    ).toMatch(/^b\.cov: is not symmetric/);
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
    expect(
      parseError(gaussianCli, { op: 'w2', a: { mean: [0, 'NaN'], cov: spd.cov }, b: spd }).field,
    ).toBe('a.mean[1]');
    expect(
      parseError(gaussianCli, { op: 'barycenter', gaussians: [spd, spd], weights: [0.7, 0.7] })
        .message,
    ).toMatch(/^weights: weights must sum to 1/);
    expect(
      parseError(gmmCli, {
        op: 'constrained-barycenter',
        mixtures: [{ components: [spd] }],
        marginals: { x: [{ mean: [0], cov: [[1]] }], y: [{ mean: [0], cov: [[-1]] }] },
      }).field,
    ).toBe('marginals.y[0].cov');
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
