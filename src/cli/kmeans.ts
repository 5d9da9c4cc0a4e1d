/**
 * `otlab kmeans`: Lloyd's iteration as a Wasserstein projection (MATH.md §1; seed 004, "K-means as
 * Wasserstein Projection"): from given start atoms, or k-means++ / k random points drawn from a
 * seed, until the assignment settles; W2²(ν, μ_n) after every half-step, and the final plan checked
 * against the exact OT (network simplex) to the atoms with the cluster weights.
 */
import { kMeansPlusPlus, uniformStream } from '../ot/gmm';
import { exactTransportCost, halfSteps, lloydRun, randomPoints } from '../ot/kmeans';
import {
  InputError,
  orDefault,
  requireInteger,
  requireObject,
  requireOneOf,
  requirePoints,
} from '../ot/validate';
import { cliSolver } from './registry';

/** Assignments cost n·k per round and the exact check a network simplex on n × k. */
const MAX_POINTS = 20_000;
const MAX_ATOMS = 100;
const MAX_DIMENSION = 100;
const INITS = ['kmeans++', 'random'] as const;

interface KmeansCliInput {
  points: number[][];
  start: number[][];
  /** How the start was chosen, for the output. */
  init: (typeof INITS)[number] | 'given';
  maxIterations: number;
}

function parseStart(input: Record<string, unknown>, points: number[][]) {
  if (input.start !== undefined) {
    if (input.k !== undefined || input.init !== undefined || input.seed !== undefined) {
      throw new InputError('start', 'give start atoms, or k with init and seed, not both');
    }
    const start = requirePoints(input.start, 'start', MAX_DIMENSION);
    if (start.length > MAX_ATOMS) throw new InputError('start', `at most ${MAX_ATOMS} atoms`);
    if (start[0]!.length !== points[0]!.length) {
      throw new InputError('start', `atoms need ${points[0]!.length} coordinates like the points`);
    }
    return { start, init: 'given' as const };
  }
  if (input.k === undefined) throw new InputError('k', 'give k (with init and seed) or start');
  const k = requireInteger(input.k, 'k', 1, Math.min(MAX_ATOMS, points.length));
  const init = orDefault(input.init, 'kmeans++', (v) => requireOneOf(v, 'init', INITS));
  const seed = orDefault(input.seed, 1, (v) =>
    requireInteger(v, 'seed', 0, Number.MAX_SAFE_INTEGER),
  );
  const uniform = uniformStream(seed);
  const start =
    init === 'random' ? randomPoints(points, k, uniform) : kMeansPlusPlus(points, k, uniform);
  return { start, init };
}

export const kmeansCli = cliSolver<KmeansCliInput>({
  name: 'kmeans',
  summary: "Lloyd's k-means as the W2 projection onto k atoms, W2² per half-step",
  parse(json) {
    const input = requireObject(json, 'input');
    const points = requirePoints(input.points, 'points', MAX_DIMENSION);
    if (points.length > MAX_POINTS) {
      throw new InputError('points', `at most ${MAX_POINTS} points, got ${points.length}`);
    }
    const maxIterations = orDefault(input.maxIterations, 500, (v) =>
      requireInteger(v, 'maxIterations', 1, 100_000),
    );
    return { points, ...parseStart(input, points), maxIterations };
  },
  run({ points, start, init, maxIterations }) {
    const states = lloydRun(points, start, maxIterations);
    const last = states.at(-1)!;
    const { labels, weights, objective } = last.assignment;
    return Promise.resolve({
      solver: 'kmeans',
      backend: 'cpu', // float64 reference only
      n: points.length,
      k: start.length,
      init,
      start,
      iterations: last.iteration,
      converged: last.converged,
      atoms: last.atoms,
      labels: [...labels],
      weights: [...weights],
      objective,
      exactTransportCost: exactTransportCost(points, last.atoms, weights),
      history: halfSteps(states),
    });
  },
});
