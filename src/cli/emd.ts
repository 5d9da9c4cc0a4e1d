/** `otlab emd`: exact (unregularised) discrete OT between point clouds or for a given cost matrix. */
import { convexProfile, transport1D, type CostProfile } from '../ot/exact/oneDimensional';
import { hungarian } from '../ot/exact/assignment';
import { defaultMaxPivots, solveValidated } from '../ot/exact/networkSimplex';
import { complementarySlackness, dualFeasibility, marginalErrors } from '../ot/exact/checks';
import { cConcavePair, cTransformStages } from '../ot/exact/cTransformStages';
import {
  costMatrixFromPoints,
  dualObjective,
  planCost,
  requireCostMatrix,
  requireMassVector,
  validateExactProblem,
  type CostMatrix,
  type ExactSolution,
  type ValidatedExactProblem,
} from '../ot/exact/problem';
import { parseCost } from '../ot/costs';
import {
  InputError,
  requireInteger,
  requireObject,
  requireOneOf,
  requirePoints,
  requireVector,
} from '../ot/validate';
import { cliSolver } from './registry';

const METHODS = ['auto', 'network-simplex', 'hungarian', '1d'] as const;
type Method = Exclude<(typeof METHODS)[number], 'auto'>;

interface EmdCliInput {
  problem: ValidatedExactProblem;
  /** The weights as given (b before rescaling to a's total), for the reported marginal errors. */
  given: { a: Float64Array; b: Float64Array };
  method: Method;
  maxIterations: number;
  /** For '1d': coordinates and the convex profile h of c(x, y) = h(x − y). */
  line?: { x: number[]; y: number[]; h: CostProfile };
  /** f₀ on the sources: report the c-transform stages from it to the optimal pair. */
  startPotential?: Float64Array;
}

/** Points may have any dimension ≥ 1 for exact OT. */
const MAX_DIMENSION = 1000;

function parseMatrixOrPoints(input: Record<string, unknown>) {
  if (input.C !== undefined) {
    if (input.x !== undefined || input.y !== undefined) {
      throw new InputError('C', 'give either a cost matrix C or points x and y, not both');
    }
    if (input.cost !== undefined) {
      throw new InputError('cost', 'cost applies to points x and y; leave it out with a matrix C');
    }
    return { C: requireCostMatrix(input.C, 'C') };
  }
  const x = requirePoints(input.x, 'x', MAX_DIMENSION);
  const y = requirePoints(input.y, 'y', MAX_DIMENSION);
  if (x[0]!.length !== y[0]!.length) {
    throw new InputError('y', `points have ${y[0]!.length} coordinates but x has ${x[0]!.length}`);
  }
  const cost = parseCost(input.cost, 'cost');
  const h = x[0]!.length === 1 ? convexProfile(cost) : undefined;
  const line = h && { x: x.map((p) => p[0]!), y: y.map((p) => p[0]!), h };
  return { C: costMatrixFromPoints(cost, x, y), line };
}

function isUniform(weights: Float64Array): boolean {
  const first = weights[0]!;
  return weights.every((w) => Math.abs(w - first) <= 1e-12 * first);
}

function resolveMethod(
  requested: (typeof METHODS)[number],
  C: CostMatrix,
  given: { a: Float64Array; b: Float64Array },
  line: EmdCliInput['line'],
): Method {
  if (requested === 'auto') return line ? '1d' : 'network-simplex';
  if (requested === '1d' && !line) {
    throw new InputError(
      'method',
      '"1d" needs points x, y with one coordinate and a convex cost (sqeuclidean, euclidean, or p/q with q >= 1)',
    );
  }
  if (requested === 'hungarian' && (C.n !== C.m || !isUniform(given.a) || !isUniform(given.b))) {
    throw new InputError(
      'method',
      `"hungarian" needs n = m and uniform weights (got ${C.n} x ${C.m}); use "network-simplex"`,
    );
  }
  return requested;
}

export const emdCli = cliSolver<EmdCliInput>({
  name: 'emd',
  summary: 'exact OT (network simplex, Hungarian assignment, or 1D sorting) with dual certificate',
  parse(json) {
    const input = requireObject(json, 'input');
    const { C, line } = parseMatrixOrPoints(input);
    const uniform = (count: number) => new Array<number>(count).fill(1 / count);
    const given = {
      a: requireMassVector(input.a ?? uniform(C.n), 'a', C.n),
      b: requireMassVector(input.b ?? uniform(C.m), 'b', C.m),
    };
    const problem = validateExactProblem({ a: Array.from(given.a), b: Array.from(given.b), C });
    const requested =
      input.method === undefined ? 'auto' : requireOneOf(input.method, 'method', METHODS);
    const method = resolveMethod(requested, C, given, line);
    const maxIterations =
      input.maxIterations === undefined
        ? defaultMaxPivots(C.n, C.m)
        : requireInteger(input.maxIterations, 'maxIterations', 1);
    const startPotential =
      input.startPotential === undefined
        ? undefined
        : Float64Array.from(requireVector(input.startPotential, 'startPotential', C.n));
    return {
      problem,
      given,
      method,
      maxIterations,
      ...(method === '1d' ? { line } : {}),
      ...(startPotential ? { startPotential } : {}),
    };
  },
  run(input) {
    const solution = solve(input);
    const { problem, given } = input;
    return Promise.resolve({
      solver: 'emd',
      method: input.method,
      n: problem.C.n,
      m: problem.C.m,
      cost: solution.cost,
      dualObjective: dualObjective(problem.a, problem.b, solution.u, solution.v),
      iterations: solution.iterations,
      plan: solution.plan.map(({ i, j, mass }) => [i, j, mass]),
      u: Array.from(solution.u),
      v: Array.from(solution.v),
      marginalError: marginalErrors(solution.plan, given.a, given.b),
      dualFeasibilityViolation: dualFeasibility(problem.C, solution.u, solution.v).worst,
      complementarySlacknessGap: complementarySlackness(
        solution.plan,
        problem.C,
        solution.u,
        solution.v,
      ).worst,
      ...(input.startPotential
        ? { cTransforms: stagesFrom(input.startPotential, problem, solution) }
        : {}),
    });
  },
});

/** The c-transform stages from f₀ to the optimal duals made c-concave (cTransformStages.ts). */
function stagesFrom(f0: Float64Array, problem: ValidatedExactProblem, solution: ExactSolution) {
  const { C } = problem;
  const stages = cTransformStages(
    { a: problem.a, b: problem.b, C, plan: solution.plan },
    f0,
    cConcavePair(C, solution.u),
  );
  return stages.map(({ kind, label, f, g, dual, violation, slackness }) => ({
    kind,
    label,
    f: Array.from(f),
    g: Array.from(g),
    dual,
    violation,
    slackness,
  }));
}

function solve(input: EmdCliInput): ExactSolution {
  const { problem, method } = input;
  if (method === '1d' && input.line) {
    const { x, y, h } = input.line;
    return transport1D({ x, y, a: Array.from(problem.a), b: Array.from(problem.b) }, h);
  }
  if (method === 'hungarian') {
    const { permutation, u, v } = hungarian(problem.C);
    const mass = problem.mass / problem.C.n;
    const plan = Array.from(permutation, (j, i) => ({ i, j, mass }));
    // Hungarian "iterations": one shortest augmenting path per row.
    const cost = planCost(problem.C, plan);
    return { n: problem.C.n, m: problem.C.m, plan, cost, u, v, iterations: problem.C.n };
  }
  return solveValidated(problem, input.maxIterations);
}
