/**
 * The otlab solvers and ops behind the first-principles scenes, in process: `matching`, `kmeans`,
 * `wasserstein-1d`, `sce` op two-state and `emd` with a start potential. Results against brute
 * force and closed forms, every example in examples/ runs, and bad input names its field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliSolvers } from '../../src/cli/solvers';
import { factorial, permutationFromRank } from '../../src/ot/matching';
import { twoStateOptimal } from '../../src/ot/mcot/sce';
import { InputError } from '../../src/ot/validate';
import { cpuContext } from './exportedRun';

function solver(name: string) {
  const found = cliSolvers.find((s) => s.name === name);
  if (!found) throw new Error(`no solver ${name}`);
  return found;
}

async function run(name: string, json: unknown) {
  const s = solver(name);
  return (await s.run(s.parse(json), cpuContext)) as Record<string, unknown>;
}

function fieldOf(name: string, json: unknown): string {
  try {
    solver(name).parse(json);
  } catch (error) {
    if (error instanceof InputError) return error.field;
    throw error;
  }
  throw new Error('expected an InputError');
}

const example = (file: string) => JSON.parse(readFileSync(`examples/${file}`, 'utf8')) as object;

interface Report {
  matching: number[];
  blocking: { a: number; b: number }[];
  cost: number;
  improvingSwaps: number;
}

describe('otlab matching', () => {
  it('runs the example: stable from both sides, an assignment no permutation beats', async () => {
    const output = await run('matching', example('matching.json'));
    const stable = output.stable as Report;
    const other = output.otherSide as Report;
    const assignment = output.assignment as Report;
    expect(stable.blocking).toEqual([]);
    expect(other.blocking).toEqual([]);
    expect(stable.matching).not.toEqual(other.matching); // this instance has two stable matchings
    const rounds = output.rounds as { matching: number[] }[];
    expect(rounds).toHaveLength((output.roundCount as number) + 1);
    expect(rounds.at(-1)!.matching).toEqual(stable.matching);
    const cost = (example('matching.json') as { cost: number[][] }).cost;
    const costs = Array.from({ length: factorial(4) }, (_, r) =>
      [...permutationFromRank(r, 4)].reduce((s, b, a) => s + cost[a]![b]!, 0),
    );
    expect(assignment.cost).toBeCloseTo(Math.min(...costs), 14);
    expect(assignment.improvingSwaps).toBe(0);
  });

  it('ranks by the cost when no lists are given: then the stable matching is unique', async () => {
    const cost = [
      [0.3, 0.1, 0.8],
      [0.2, 0.9, 0.4],
      [0.7, 0.6, 0.5],
    ];
    const output = await run('matching', { cost, proposers: 'B', rounds: false });
    expect(output.rounds).toBeUndefined();
    expect(output.preferencesA).toEqual([
      [1, 0, 2],
      [0, 2, 1],
      [2, 1, 0],
    ]);
    expect((output.stable as Report).matching).toEqual((output.otherSide as Report).matching);
  });

  it('names the bad field', () => {
    const lists = {
      preferencesA: [
        [0, 1],
        [1, 0],
      ],
      preferencesB: [
        [0, 1],
        [0, 1],
      ],
    };
    expect(fieldOf('matching', {})).toBe('cost');
    expect(
      fieldOf('matching', {
        ...lists,
        preferencesB: [
          [0, 1],
          [0, 0],
        ],
      }),
    ).toBe('preferencesB[1]');
    expect(fieldOf('matching', { preferencesA: lists.preferencesA })).toBe('preferencesB');
    expect(fieldOf('matching', { ...lists, proposers: 'C' })).toBe('proposers');
    expect(fieldOf('matching', { ...lists, matching: [1, 1] })).toBe('matching');
    expect(fieldOf('matching', { cost: [[1, 2]] })).toBe('cost');
    expect(fieldOf('matching', { ...lists, cost: [[1]] })).toBe('cost');
  });
});

describe('otlab kmeans', () => {
  it('runs the example: W2² never rises, and the plan is the exact OT to the atoms', async () => {
    const output = await run('kmeans', example('kmeans.json'));
    expect(output.converged).toBe(true);
    const history = (output.history as { objective: number }[]).map((h) => h.objective);
    history.slice(1).forEach((value, t) => {
      expect(value).toBeLessThanOrEqual(history[t]! + 1e-15);
    });
    expect(output.exactTransportCost as number).toBeCloseTo(output.objective as number, 14);
    expect((output.weights as number[]).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
  });

  it('two far clusters from a start inside one of them: two rounds to the cluster means', async () => {
    const points = [[0], [1], [10], [11]];
    const output = await run('kmeans', { points, start: [[0], [1]] });
    // Round 1 moves atom 2 to (1 + 10 + 11)/3 and takes point 1 from it; round 2 settles.
    expect(output.atoms).toEqual([[0.5], [10.5]]);
    expect(output.labels).toEqual([0, 0, 1, 1]);
    expect(output.iterations).toBe(2);
    const history = output.history as { phase: string; objective: number }[];
    expect(history.map((h) => h.phase)).toEqual(['assign', 'update', 'assign', 'update', 'assign']);
    const mean = 22 / 3; // of 1, 10 and 11, still labelled 1 during the update
    const afterUpdate = ((1 - mean) ** 2 + (10 - mean) ** 2 + (11 - mean) ** 2) / 4;
    expect(history[1]!.objective).toBeCloseTo(afterUpdate, 14);
    expect(output.objective).toBe(0.25);
  });

  it('names the bad field', () => {
    const points = [
      [0, 0],
      [1, 1],
    ];
    expect(fieldOf('kmeans', { points })).toBe('k');
    expect(fieldOf('kmeans', { points, k: 3 })).toBe('k');
    expect(fieldOf('kmeans', { points, start: [[0, 0]], k: 1 })).toBe('start');
    expect(fieldOf('kmeans', { points, start: [[0]] })).toBe('start');
    expect(fieldOf('kmeans', { points, k: 1, init: 'best' })).toBe('init');
    expect(fieldOf('kmeans', { points: [[0, Number.NaN]], k: 1 })).toBe('points[0][1]');
  });
});

describe('otlab wasserstein-1d', () => {
  it('samples: W1 both ways, W2 and W_p by sorting', async () => {
    const output = await run('wasserstein-1d', { x: [1, 0], y: [3, 1], p: 3 });
    const samples = output.samples as Record<string, number>;
    expect(samples.w1ByCdf).toBeCloseTo(1.5, 14);
    expect(samples.w1).toBeCloseTo(1.5, 14);
    expect(samples.w2).toBeCloseTo(Math.sqrt(2.5), 14);
    expect(samples.wp).toBeCloseTo(4.5 ** (1 / 3), 14);
    // Plug-in formula: means 0.5 and 2, standard deviations 0.5 and 1.
    expect(samples.plugIn).toBeCloseTo(1.5 ** 2 + 0.5 ** 2, 14);
  });

  it('two normals: the law values equal the Gaussian formula; the example runs', async () => {
    const output = await run('wasserstein-1d', {
      mu: [{ weight: 1, mean: 0, sd: 1 }],
      nu: [{ weight: 1, mean: 2, sd: 0.5 }],
    });
    const laws = output.laws as Record<string, number>;
    expect(laws.w2! ** 2).toBeCloseTo(4.25, 9);
    expect(laws.formula).toBeCloseTo(4.25, 12);
    const full = await run('wasserstein-1d', example('wasserstein-1d.json'));
    expect((full.samples as { x: number[] }).x).toHaveLength(60);
    expect(full.sweep).toHaveLength(4);
  });

  it('names the bad field', () => {
    const mu = [{ weight: 1, mean: 0, sd: 1 }];
    expect(fieldOf('wasserstein-1d', {})).toBe('x');
    expect(fieldOf('wasserstein-1d', { x: [0], y: [1], mu, nu: mu })).toBe('mu');
    expect(fieldOf('wasserstein-1d', { x: [0], y: [1], p: 0.5 })).toBe('p');
    expect(fieldOf('wasserstein-1d', { x: [], y: [1] })).toBe('x');
    expect(fieldOf('wasserstein-1d', { mu, nu: [{ weight: 1, mean: 0, sd: 0 }] })).toBe('nu[0].sd');
    expect(fieldOf('wasserstein-1d', { mu, nu: mu, sweep: [10, 0] })).toBe('sweep[1]');
  });
});

describe('otlab sce, op two-state', () => {
  it('gives the optimal cost per pair for every k, and checks a pair density', async () => {
    const output = await run('sce', example('sce-two-state.json'));
    const model = { uDiag: 1, uAB: 0.2, t: 0.3 };
    const curve = output.curve as { k: number; costPerPair: number }[];
    expect(curve.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    curve.forEach((c) => {
      expect(c.costPerPair).toBe(twoStateOptimal(model, c.k).costPerPair);
    });
    // U_diag((1 − t)² + t²) + 2 U_AB t(1 − t) = 0.58 + 0.084.
    expect(output.meanField as number).toBeCloseTo(0.664, 14);
    const check = output.pairCheck as { largestK: number | null; everyK: boolean };
    expect(check).toMatchObject({ largestK: 2, everyK: false });
    const product = await run('sce', {
      op: 'two-state',
      model,
      kmax: 5,
      pair: { AA: 0.49, AB: 0.21, BA: 0.21, BB: 0.09 },
    });
    expect(product.pairCheck).toMatchObject({ largestK: null, everyK: true });
  });

  it('names the bad field', () => {
    const model = { uDiag: 1, uAB: 0.2, t: 0.3 };
    expect(fieldOf('sce', { op: 'nope' })).toBe('op');
    expect(fieldOf('sce', { op: 'two-state', model: { ...model, uAB: 1 }, kmax: 4 })).toBe(
      'model.uAB',
    );
    expect(fieldOf('sce', { op: 'two-state', model: { ...model, t: 2 }, kmax: 4 })).toBe('model.t');
    expect(fieldOf('sce', { op: 'two-state', model, kmax: 1 })).toBe('kmax');
    const pair = { AA: 0, AB: -1, BA: 0, BB: 0 };
    expect(fieldOf('sce', { op: 'two-state', model, kmax: 4, pair })).toBe('pair.AB');
  });
});

describe('otlab emd with a start potential', () => {
  it('reports the c-transform stages: f^ccc = f^c, and the optimal pair closes the gap', async () => {
    const output = await run('emd', example('emd-c-transforms.json'));
    const stages = output.cTransforms as { kind: string; g: number[]; dual: number }[];
    expect(stages.map((s) => s.kind)).toEqual([
      'start',
      'g-from-f',
      'f-from-g',
      'g-again',
      'optimal',
    ]);
    stages[3]!.g.forEach((v, j) => {
      expect(v).toBeCloseTo(stages[1]!.g[j]!, 15);
    });
    expect(stages[2]!.dual).toBeGreaterThanOrEqual(stages[1]!.dual - 1e-15);
    expect(stages[4]!.dual).toBeCloseTo(output.cost as number, 14);
    expect(fieldOf('emd', { ...example('emd-c-transforms.json'), startPotential: [0] })).toBe(
      'startPotential',
    );
  });
});
