/** `otlab sinkhorn`: entropic OT between two point clouds, with an optional batch of ε values. */
import { parseCost } from '../ot/costs';
import {
  DEFAULT_SINKHORN_OPTIONS,
  planFromPotentials,
  planTopPerRow,
  validateSinkhornProblem,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../ot/sinkhorn';
import {
  InputError,
  requireInteger,
  requireObject,
  requireOneOf,
  requirePositive,
  orDefault,
} from '../ot/validate';
import { createSinkhornSolver } from '../solvers/sinkhorn';
import { cliSolver } from './registry';

type PlanOutput = 'summary' | 'dense' | 'none';

interface SinkhornCliInput {
  problems: SinkhornProblem[];
  options: SinkhornOptions;
  plan: PlanOutput;
}

/** Dense plans are written only up to this many entries; beyond, the summary is given. */
const DENSE_PLAN_LIMIT = 250_000;

function parseEpsilons(value: unknown): number[] {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new InputError('epsilon', 'give at least one ε');
    return value.map((eps, k) => requirePositive(eps, `epsilon[${k}]`));
  }
  return [requirePositive(value, 'epsilon')];
}

export const sinkhornCli = cliSolver<SinkhornCliInput>({
  name: 'sinkhorn',
  summary: 'entropic OT between point clouds (log-domain Sinkhorn; ε may be a list: one batch)',
  parse(json) {
    const input = requireObject(json, 'input');
    const cost = parseCost(input.cost, 'cost');
    const epsilons = parseEpsilons(input.epsilon);
    // One validated problem; the batch shares its clouds (the GPU binds them once).
    const base = validateSinkhornProblem({
      x: input.x as number[][],
      y: input.y as number[][],
      a: input.a as number[],
      b: input.b as number[],
      epsilon: epsilons[0]!,
      cost,
    });
    const d = DEFAULT_SINKHORN_OPTIONS;
    const options: SinkhornOptions = {
      maxIterations: orDefault(input.maxIterations, d.maxIterations, (v) =>
        requireInteger(v, 'maxIterations', 1, 1e7),
      ),
      tolerance: orDefault(input.tolerance, d.tolerance, (v) => requirePositive(v, 'tolerance')),
      checkEvery: orDefault(input.checkEvery, d.checkEvery, (v) =>
        requireInteger(v, 'checkEvery', 1, 1e6),
      ),
    };
    const plan =
      input.plan === undefined
        ? 'summary'
        : requireOneOf(input.plan, 'plan', ['summary', 'dense', 'none'] as const);
    return { problems: epsilons.map((epsilon) => ({ ...base, epsilon })), options, plan };
  },
  async run({ problems, options, plan }, context) {
    const runtime = context.backend === 'gpu' ? await context.gpu() : undefined;
    const solver = createSinkhornSolver(problems, context.backend, options, runtime);
    try {
      const result = await solver.run();
      return {
        solver: 'sinkhorn',
        backend: result.backend,
        ...(runtime ? { adapter: runtime.adapter } : {}),
        results: result.batches.map((batch, b) => {
          const problem = problems[b]!;
          const n = problem.x.length;
          const m = problem.y.length;
          return {
            epsilon: problem.epsilon,
            converged: batch.converged,
            iterations: batch.iterations,
            transportCost: batch.transportCost,
            entropicCost: batch.dualObjective,
            marginalError: batch.marginalError,
            errorHistory: batch.history,
            f: Array.from(batch.f),
            g: Array.from(batch.g),
            ...planOutput(plan, problem, batch.f, batch.g, n * m),
          };
        }),
      };
    } finally {
      solver.dispose();
    }
  },
});

function planOutput(
  kind: PlanOutput,
  problem: SinkhornProblem,
  f: Float64Array,
  g: Float64Array,
  entries: number,
) {
  if (kind === 'none') return {};
  if (kind === 'dense' && entries <= DENSE_PLAN_LIMIT) {
    const plan = planFromPotentials(problem, f, g);
    const m = problem.y.length;
    return { plan: problem.x.map((_, i) => Array.from(plan.subarray(i * m, (i + 1) * m))) };
  }
  const top = planTopPerRow(problem, f, g, 1);
  return {
    planSummary: {
      /** For each source point, the target receiving most of its mass, and that share. */
      heaviestTargetPerRow: top.map((entry) => ({
        j: entry.j,
        mass: entry.mass,
        share: entry.mass / problem.a[entry.i]!,
      })),
      ...(kind === 'dense'
        ? { note: `dense plan omitted: n·m = ${entries} > ${DENSE_PLAN_LIMIT}` }
        : {}),
    },
  };
}
