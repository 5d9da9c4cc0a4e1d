/** `otlab sinkhorn`: entropic OT between two point clouds, with an optional batch of ε values. */
import { parseCost } from '../ot/costs';
import {
  DEFAULT_SINKHORN_OPTIONS,
  debiasedBatch,
  parseEpsilonScaling,
  planFromPotentials,
  planTopPerRow,
  validateSinkhornProblem,
  type PlanTopK,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../ot/sinkhorn';
import {
  InputError,
  requireBoolean,
  requireInteger,
  requireObject,
  requireOneOf,
  requirePositive,
  orDefault,
} from '../ot/validate';
import { createSinkhornSolver, divergenceFrom } from '../solvers/sinkhorn';
import { MAX_TOP_K } from '../solvers/sinkhorn/plan';
import { cliSolver } from './registry';

type PlanOutput = 'summary' | 'dense' | 'none';

interface SinkhornCliInput {
  problems: SinkhornProblem[];
  options: SinkhornOptions;
  plan: PlanOutput;
  debiased: boolean;
  topK: number | undefined;
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
    const scaling = parseEpsilonScaling(input.epsilonScaling, 'epsilonScaling');
    if (scaling) options.epsilonScaling = scaling;
    const plan =
      input.plan === undefined
        ? 'summary'
        : requireOneOf(input.plan, 'plan', ['summary', 'dense', 'none'] as const);
    const debiased = orDefault(input.debiased, false, (v) => requireBoolean(v, 'debiased'));
    const topK = orDefault<number | undefined>(input.topK, undefined, (v) =>
      requireInteger(v, 'topK', 1, MAX_TOP_K),
    );
    const problems = epsilons.map((epsilon) => ({ ...base, epsilon }));
    return { problems, options, plan, debiased, topK };
  },
  async run({ problems, options, plan, debiased, topK }, context) {
    const runtime = context.backend === 'gpu' ? await context.gpu() : undefined;
    // Debiased: one batch of 3 problems per ε, (a, b), (a, a), (b, b); results report (a, b).
    const solved = debiased ? debiasedBatch(problems) : problems;
    const stride = debiased ? 3 : 1;
    const solver = createSinkhornSolver(solved, context.backend, options, runtime);
    try {
      const result = await solver.run();
      const divergence = debiased ? divergenceFrom(result) : undefined;
      const top = topK
        ? await Promise.all(problems.map((_, k) => solver.planTopK(k * stride, topK)))
        : undefined;
      return {
        solver: 'sinkhorn',
        backend: result.backend,
        ...(runtime ? { adapter: runtime.adapter } : {}),
        results: problems.map((problem, k) => {
          const batch = result.batches[k * stride]!;
          const n = problem.x.length;
          const m = problem.y.length;
          const part = divergence?.parts[k];
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
            ...(top ? { planTopK: topKOutput(top[k]!) } : {}),
            // S_ε and OT_ε(a, a), OT_ε(b, b); converged only when all three are.
            ...(part
              ? {
                  divergence: divergence.divergences[k],
                  selfCosts: { xx: part.xx.dualObjective, yy: part.yy.dualObjective },
                  converged: [part.xy, part.xx, part.yy].every((p) => p.converged),
                }
              : {}),
          };
        }),
      };
    } finally {
      solver.dispose();
    }
  },
});

/** Per row, the columns and masses of its heaviest entries. */
function topKOutput(top: PlanTopK) {
  const rows = top.index.length / top.k;
  const row = (values: Int32Array | Float64Array, i: number) =>
    Array.from(values.subarray(i * top.k, (i + 1) * top.k));
  return {
    k: top.k,
    index: Array.from({ length: rows }, (_, i) => row(top.index, i)),
    mass: Array.from({ length: rows }, (_, i) => row(top.mass, i)),
  };
}

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
