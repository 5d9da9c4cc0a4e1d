/**
 * Exports of the six first-principles scenes: each scene's otlab input, run through the CLI solver
 * after a JSON round trip (as a downloaded file would be), gives the numbers the scene shows, and
 * the tables hold what they claim. Scene states come from the scenes' own model and sequence code.
 */
import { describe, expect, it } from 'vitest';
import { defaultValues, type ParamValues } from '../../src/app/params';
import { dualityOtlabRun, dualityTables } from '../../src/app/scenes/duality/exports';
import {
  dualityProblem,
  stagesDefinition,
  startPotential,
} from '../../src/app/scenes/duality/model';
import { dualityParams } from '../../src/app/scenes/duality/params';
import { kmeansOtlabRun, kmeansTables } from '../../src/app/scenes/kmeans/exports';
import { lloydDefinition, pointCloud } from '../../src/app/scenes/kmeans/model';
import { kmeansParams } from '../../src/app/scenes/kmeans/params';
import { mongeOtlabRun, mongeTables } from '../../src/app/scenes/mongeKantorovich/exports';
import {
  cancellingDefinition,
  presetValues,
  sceneModel,
} from '../../src/app/scenes/mongeKantorovich/model';
import {
  mongeKantorovichParams,
  type MongeKantorovichParams,
} from '../../src/app/scenes/mongeKantorovich/params';
import {
  representabilityOtlabRun,
  representabilityTables,
} from '../../src/app/scenes/representability/exports';
import {
  checkUserPair,
  kSweepDefinition,
  toyModel,
  type ToyModel,
} from '../../src/app/scenes/representability/model';
import { representabilityParams } from '../../src/app/scenes/representability/params';
import {
  stableMatchingOtlabRun,
  stableMatchingTables,
} from '../../src/app/scenes/stableMatching/exports';
import {
  compareMatchings,
  matchingInstance,
  roundsDefinition,
  roundView,
} from '../../src/app/scenes/stableMatching/model';
import { stableMatchingParams } from '../../src/app/scenes/stableMatching/params';
import { lineOtlabRun, lineTables } from '../../src/app/scenes/wassersteinLine/exports';
import {
  lineLaws,
  populationValues,
  samplePictures,
  sweepDefinition,
} from '../../src/app/scenes/wassersteinLine/model';
import { wassersteinLineParams } from '../../src/app/scenes/wassersteinLine/params';
import { densePlan } from '../../src/ot/exact/problem';
import { SequenceSolver, type SequenceDefinition } from '../../src/solvers/sequence';
import { runExported } from './exportedRun';

/** Every state of a scene's sequence (or the first `steps` + 1 of them). */
async function states<State>(definition: SequenceDefinition<State>, steps = Infinity) {
  const solver = new SequenceSolver(definition);
  if (steps === Infinity) await solver.run();
  else await solver.step(steps);
  return solver.history();
}

const closeArrays = (actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 12) => {
  expect(actual.length).toBe(expected.length);
  Array.from(actual).forEach((v, k) => {
    expect(v).toBeCloseTo(expected[k]!, digits);
  });
};

describe('stable matching exports', () => {
  it.each(['A', 'B'])(
    'otlab matching replays every round and the comparison (%s proposing)',
    async (proposers) => {
      const values = { ...defaultValues(stableMatchingParams), n: 6, proposers, cost: 'squared' };
      const instance = matchingInstance(values);
      const comparison = compareMatchings(instance, 123);
      const rounds = (await states(roundsDefinition(instance))).map((s) => roundView(instance, s));
      const output = await runExported(stableMatchingOtlabRun(instance, comparison));
      expect(output.rounds).toEqual(rounds);
      const [stable, other, assignment, custom] = comparison.rows;
      const report = (key: string) => output[key] as { matching: number[]; cost: number };
      expect(report('stable')).toEqual({
        matching: stable!.matching,
        blocking: stable!.blocking,
        cost: stable!.cost,
        improvingSwaps: stable!.improvingSwaps,
      });
      expect(report('otherSide').matching).toEqual(other!.matching);
      expect(report('assignment').cost).toBeCloseTo(assignment!.cost, 14);
      expect(report('matching').matching).toEqual(custom!.matching);

      const tables = stableMatchingTables(instance, rounds, comparison);
      const proposals = rounds.reduce((s, r) => s + r.proposals.length, 0);
      expect(tables.proposals!.rows).toHaveLength(proposals);
      expect(tables.preferences!.rows).toHaveLength(2 * 6 * 6);
      expect(tables.comparison!.rows.map((r) => r[0])).toEqual([
        'stable',
        'other-side',
        'assignment',
        'custom',
      ]);
    },
  );
});

describe('Monge vs Kantorovich exports', () => {
  const values = (preset: 'three-to-two' | 'random') =>
    ({
      ...defaultValues(mongeKantorovichParams),
      ...presetValues(preset, 4),
      preset,
    }) as ParamValues<MongeKantorovichParams>;

  it('otlab emd gives the optimal plan and cost that cycle cancelling reaches', async () => {
    const model = sceneModel(values('random'));
    const history = await states(cancellingDefinition(model));
    const output = await runExported(mongeOtlabRun(model, 'squared'));
    const { n, m } = model.problem.C;
    const plan = (output.plan as [number, number, number][]).map(([i, j, mass]) => ({
      i,
      j,
      mass,
    }));
    closeArrays(densePlan(plan, n, m), model.optimal.plan);
    expect(output.cost as number).toBeCloseTo(model.optimal.cost, 12);
    expect(history.at(-1)!.cost).toBeCloseTo(output.cost as number, 12);
    expect(output.dualObjective as number).toBeCloseTo(model.optimal.cost, 12);

    const tables = mongeTables(model, history);
    expect(tables.plans!.rows).toHaveLength(3 * n * m);
    expect(tables.cancelling!.rows).toHaveLength(history.length);
    expect(tables.violating_cycle!.rows).toEqual([]); // the last plan is monotone
  });

  it('the three-to-two example: no map, and emd splits an atom', async () => {
    const model = sceneModel(values('three-to-two'));
    const output = await runExported(mongeOtlabRun(model, 'squared'));
    expect(model.monge.count).toBe(0);
    expect(output.cost as number).toBeCloseTo(model.optimal.cost, 12);
    expect((output.plan as unknown[]).length).toBeGreaterThan(model.problem.C.n);
  });
});

describe('duality exports', () => {
  it.each(['squared', 'distance'] as const)(
    'otlab emd with the start potential gives the plan, the primal and every stage (%s)',
    async (cost) => {
      const params = { ...defaultValues(dualityParams), k: 24, cost, start: 'random', seed: 8 };
      const problem = dualityProblem(params);
      const f0 = startPotential(params, problem.grid);
      const stages = await states(stagesDefinition(problem, f0));
      const output = await runExported(dualityOtlabRun(problem, f0, cost));
      expect(output.cost as number).toBeCloseTo(problem.primal, 12);
      const headless = output.cTransforms as {
        kind: string;
        f: number[];
        g: number[];
        dual: number;
      }[];
      expect(headless.map((s) => s.kind)).toEqual(stages.map((s) => s.kind));
      headless.forEach((s, k) => {
        closeArrays(s.f, stages[k]!.f);
        closeArrays(s.g, stages[k]!.g);
        expect(s.dual).toBeCloseTo(stages[k]!.dual, 12);
      });
      const tables = dualityTables(problem, stages);
      expect(tables.potentials!.rows).toHaveLength(5 * 24);
      expect(tables.stages!.rows.at(-1)![2]).toBeCloseTo(problem.primal, 12);
    },
  );
});

describe('W1 vs W2 exports', () => {
  it('otlab wasserstein-1d draws the same samples and gives the same values and sweep', async () => {
    const values = { ...defaultValues(wassersteinLineParams), w: 0.1, n: 80, p: 3, seed: 5 };
    const laws = lineLaws(values);
    const pictures = samplePictures(laws, values);
    const population = populationValues(laws, values.p);
    const sweep = (await states(sweepDefinition(laws, values.seed), 4)).at(-1)!.points;
    const output = await runExported(lineOtlabRun(laws, values, sweep));
    const samples = output.samples as Record<string, number | number[]>;
    expect(samples.x).toEqual([...pictures.x]);
    expect(samples.y).toEqual([...pictures.y]);
    for (const key of ['w1ByCdf', 'w1', 'w2', 'wp'] as const) {
      expect(samples[key]).toBe(pictures[key]);
    }
    expect(output.laws).toMatchObject(population);
    expect(output.sweep).toEqual(sweep);
    const tables = lineTables(pictures, population, sweep);
    expect(tables.samples!.rows).toHaveLength(80);
    expect(tables.sweep!.rows).toHaveLength(5);
  });
});

describe('k-means exports', () => {
  it.each(['kmeans++', 'random'])(
    'otlab kmeans from the start atoms replays W2² per half-step (%s start)',
    async (init) => {
      const cloud = pointCloud({ ...defaultValues(kmeansParams), n: 150, k: 5, init });
      const history = await states(lloydDefinition(cloud));
      const output = await runExported(kmeansOtlabRun(cloud));
      const headless = output.history as { phase: string; objective: number }[];
      expect(headless.map((h) => h.phase)).toEqual(history.map((s) => s.phase));
      expect(headless.map((h) => h.objective)).toEqual(history.map((s) => s.objective));
      const last = history.at(-1)!;
      expect(output.atoms).toEqual(last.atoms);
      expect(output.labels).toEqual([...last.labels]);
      expect(output.exactTransportCost as number).toBeCloseTo(last.exactOt!, 12);
      const tables = kmeansTables(cloud, history);
      expect(tables.objectives!.rows).toHaveLength(history.length);
      expect(tables.atoms!.rows).toHaveLength(5);
    },
  );
});

describe('N-representability exports', () => {
  it('otlab sce two-state gives the cost curve, the optimal pair and the check of yours', async () => {
    const values = { ...defaultValues(representabilityParams), t: 0.35, kmax: 12 };
    const toy = toyModel(values) as ToyModel;
    const user = checkUserPair(values);
    const stages = await states(kSweepDefinition(toy.model, values.kmax), 5);
    const stage = stages.at(-1)!;
    const output = await runExported(representabilityOtlabRun(toy, values.kmax, user));
    const curve = output.curve as { k: number; costPerPair: number; pair: unknown }[];
    expect(curve.map(({ k, costPerPair }) => ({ k, costPerPair }))).toEqual(toy.curve);
    expect(curve[stage.k - 2]!.pair).toEqual(stage.solution.pair);
    expect(output.meanField).toBe(toy.meanField);
    const check = output.pairCheck as { largestK: number; everyK: boolean };
    if ('error' in user) throw new Error(user.error);
    expect(check.everyK ? Infinity : check.largestK).toBe(user.check.largestK);
    const tables = representabilityTables(toy, stage, user);
    expect(tables.cost_per_pair!.rows).toHaveLength(values.kmax - 1);
    expect(tables.optimal_pair!.rows[0]).toEqual(['k', 7]);
  });
});
