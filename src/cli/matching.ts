/**
 * `otlab matching`: stable matching and the minimum-cost assignment on one instance (MATH.md §1;
 * seed 004, "The Matching Problem", "Gale–Shapley Algorithm", "Linear Assignment"). Gale–Shapley
 * round by round from either side, blocking pairs of every matching reported, and, given a cost,
 * the Hungarian assignment and the swaps of partners that would lower each matching's cost.
 */
import { hungarian } from '../ot/exact/assignment';
import { requireCostMatrix } from '../ot/exact/problem';
import {
  galeShapleyRoundsAB,
  matchingReport,
  orientPreferences,
  permutationRank,
  preferencesFromCosts,
  stableMatchingAB,
  validatePreferences,
  type GroupPreferences,
  type Side,
} from '../ot/matching';
import { InputError, requireObject, requireOneOf, requireVector } from '../ot/validate';
import { cliSolver } from './registry';

/** Gale–Shapley can take n² rounds, each reported with its blocking pairs (O(n²) each). */
const MAX_PEOPLE = 100;

interface MatchingCliInput {
  groups: GroupPreferences;
  proposers: Side;
  /** cost[a][b], for the assignment and the matchings' costs. */
  cost: number[][] | undefined;
  /** A matching of the user's to check, A → B. */
  matching: number[] | undefined;
  rounds: boolean;
}

function parseCost(value: unknown): number[][] {
  const C = requireCostMatrix(value, 'cost');
  if (C.n !== C.m) throw new InputError('cost', `must be square (n × n), got ${C.n} × ${C.m}`);
  if (C.n > MAX_PEOPLE) throw new InputError('cost', `at most ${MAX_PEOPLE} people per side`);
  return Array.from({ length: C.n }, (_, a) =>
    Array.from(C.values.subarray(a * C.n, (a + 1) * C.n)),
  );
}

function parseLists(value: unknown, field: string): number[][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(field, 'expected one ranked list per person, like [[1, 0], [0, 1]]');
  }
  if (value.length > MAX_PEOPLE)
    throw new InputError(field, `at most ${MAX_PEOPLE} people per side`);
  return value.map((list, k) => requireVector(list, `${field}[${k}]`));
}

/** Ranked lists as given, or both sides ranking by the cost (A by its row, B by its column). */
function parseGroups(input: Record<string, unknown>, cost: number[][] | undefined) {
  const givenA = input.preferencesA !== undefined;
  const givenB = input.preferencesB !== undefined;
  if (givenA !== givenB) {
    throw new InputError(
      givenA ? 'preferencesB' : 'preferencesA',
      'give the ranked lists of both groups, or neither (then both rank by the cost)',
    );
  }
  if (!givenA) {
    if (!cost) throw new InputError('cost', 'give a cost matrix, or preferencesA and preferencesB');
    const fromCost = preferencesFromCosts(cost, cost);
    return { A: fromCost.proposers, B: fromCost.receivers };
  }
  const groups = {
    A: parseLists(input.preferencesA, 'preferencesA'),
    B: parseLists(input.preferencesB, 'preferencesB'),
  };
  try {
    validatePreferences(orientPreferences(groups, 'A'));
  } catch (error) {
    // Name the field as the user wrote it: proposers are A, receivers B here.
    if (!(error instanceof InputError)) throw error;
    const field = error.field
      .replace('preferences.proposers', 'preferencesA')
      .replace('preferences.receivers', 'preferencesB');
    throw new InputError(field, error.problem);
  }
  if (cost && cost.length !== groups.A.length) {
    throw new InputError('cost', `expected ${groups.A.length} × ${groups.A.length} like the lists`);
  }
  return groups;
}

function parseMatching(value: unknown, n: number): number[] {
  const matching = requireVector(value, 'matching', n);
  try {
    permutationRank(matching);
  } catch {
    throw new InputError('matching', `must list each B member 0..${n - 1} once (A → B)`);
  }
  return matching;
}

export const matchingCli = cliSolver<MatchingCliInput>({
  name: 'matching',
  summary:
    'stable matching (Gale–Shapley rounds, either side), blocking pairs, min-cost assignment',
  parse(json) {
    const input = requireObject(json, 'input');
    const cost = input.cost === undefined ? undefined : parseCost(input.cost);
    const groups = parseGroups(input, cost);
    const proposers =
      input.proposers === undefined ? 'A' : requireOneOf(input.proposers, 'proposers', ['A', 'B']);
    const matching =
      input.matching === undefined ? undefined : parseMatching(input.matching, groups.A.length);
    if (input.rounds !== undefined && typeof input.rounds !== 'boolean') {
      throw new InputError('rounds', 'expected true (log every round, the default) or false');
    }
    return { groups, proposers, cost, matching, rounds: input.rounds !== false };
  },
  run({ groups, proposers, cost, matching, rounds }) {
    const other: Side = proposers === 'A' ? 'B' : 'A';
    const report = (m: readonly number[]) => matchingReport(groups, m, cost);
    const log = galeShapleyRoundsAB(groups, proposers);
    return Promise.resolve({
      solver: 'matching',
      backend: 'cpu', // combinatorial, exact: no GPU path
      n: groups.A.length,
      proposers,
      preferencesA: groups.A,
      preferencesB: groups.B,
      roundCount: log.length - 1,
      ...(rounds ? { rounds: log } : {}),
      stable: report(log.at(-1)!.matching),
      otherSide: { proposers: other, ...report(stableMatchingAB(groups, other)) },
      ...(cost ? { assignment: report([...hungarian(cost).permutation]) } : {}),
      ...(matching ? { matching: report(matching) } : {}),
    });
  },
});
