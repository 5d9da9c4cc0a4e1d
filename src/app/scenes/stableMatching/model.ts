/**
 * The stable-matching instance (seed 004, "The Matching Problem"): n people in group A (circles)
 * and n in group B (squares) at seeded points of the unit square. Each person ranks the other group
 * by perceived distance: the true distance plus a personal taste term (our choice: uniform noise of
 * half-width taste × 0.5, independent for every ordered pair). With taste 0 both sides rank by the
 * same numbers and the stable matching is unique. The minimum-cost assignment uses the true
 * distance (or its square): rankings ignore such monotone changes, costs do not.
 *
 * Matchings are always given from A to B: partnerOfA[a] = b (−1 when free).
 */
import { hungarian } from '../../../ot/exact/assignment';
import {
  factorial,
  galeShapleyRound,
  galeShapleyStart,
  matchingReport,
  orientPreferences,
  permutationFromRank,
  preferencesFromCosts,
  rankTable,
  roundAB,
  stableMatchingAB,
  type GaleShapleyState,
  type GroupPreferences,
  type MatchingReport,
  type PairAB,
  type Preferences,
  type RoundAB,
  type Side,
} from '../../../ot/matching';
import { seededRandom } from '../../../ot/random';
import type { SequenceDefinition } from '../../../solvers/sequence';
import type { ParamValues } from '../../params';
import type { Compared, StableMatchingParams } from './params';

export type { PairAB, Side };

export type Point = [number, number];

/** Half-width of the taste noise at taste = 1, in units of the square's side. */
const TASTE_SCALE = 0.5;

export interface MatchingInstance {
  n: number;
  proposers: Side;
  pointsA: Point[];
  pointsB: Point[];
  /** cost[a][b]: the assignment cost (distance or squared distance). */
  cost: number[][];
  /** A's lists over B and B's lists over A, best first. */
  preferencesA: number[][];
  preferencesB: number[][];
  /** Oriented for Gale–Shapley: the proposing side's lists first. */
  preferences: Preferences;
}

export function matchingInstance(
  params: Pick<ParamValues<StableMatchingParams>, 'n' | 'seed' | 'taste' | 'proposers' | 'cost'>,
): MatchingInstance {
  const { n, seed, taste } = params;
  const random = seededRandom(seed);
  const point = (): Point => [random(), random()];
  const pointsA = Array.from({ length: n }, point);
  const pointsB = Array.from({ length: n }, point);
  const distance = pointsA.map((a) => pointsB.map((b) => Math.hypot(a[0] - b[0], a[1] - b[1])));
  const perceived = () =>
    distance.map((row) => row.map((d) => d + taste * TASTE_SCALE * (2 * random() - 1)));
  const byA = perceived();
  const byB = perceived();
  const cost = params.cost === 'squared' ? distance.map((row) => row.map((d) => d * d)) : distance;
  const fromA = preferencesFromCosts(byA, byB);
  const proposers = params.proposers as Side;
  const groups = { A: fromA.proposers, B: fromA.receivers };
  return {
    n,
    proposers,
    pointsA,
    pointsB,
    cost,
    preferencesA: groups.A,
    preferencesB: groups.B,
    preferences: orientPreferences(groups, proposers),
  };
}

export function groupPreferences(instance: MatchingInstance): GroupPreferences {
  return { A: instance.preferencesA, B: instance.preferencesB };
}

/** The rounds of Gale–Shapley for the player. */
export function roundsDefinition(instance: MatchingInstance): SequenceDefinition<GaleShapleyState> {
  const receiverRank = rankTable(instance.preferences.receivers);
  return {
    first: galeShapleyStart(instance.preferences),
    next: (state) => galeShapleyRound(instance.preferences, state, receiverRank),
    finished: (last) =>
      `Round ${last.round}: every proposer is matched, so no blocking pair is left (stable)`,
  };
}

export type RoundView = RoundAB;

/** The current round in A → B terms. */
export function roundView(instance: MatchingInstance, state: GaleShapleyState): RoundView {
  return roundAB(groupPreferences(instance), state, instance.proposers);
}

export type ComparedMatching = Required<MatchingReport> & { id: Compared; label: string };

export interface Comparison {
  rows: ComparedMatching[];
  /** Set when the URL's custom rank does not fit n (then the assignment is used). */
  customIssue: string | undefined;
}

export function compareMatchings(instance: MatchingInstance, customRank: number): Comparison {
  const { n, cost } = instance;
  const groups = groupPreferences(instance);
  const aProposing = stableMatchingAB(groups, 'A');
  const bProposing = stableMatchingAB(groups, 'B');
  const assignment = [...hungarian(cost).permutation];
  let custom = assignment;
  let customIssue: string | undefined;
  if (customRank >= factorial(n)) {
    customIssue = `Your matching (rank ${customRank}) does not fit n = ${n} (ranks 0 to ${factorial(n) - 1}); the assignment is shown instead.`;
  } else if (customRank >= 0) {
    custom = [...permutationFromRank(customRank, n)];
  }
  const row = (id: Compared, label: string, matching: number[]): ComparedMatching => ({
    id,
    label,
    ...(matchingReport(groups, matching, cost) as Required<MatchingReport>),
  });
  const chosen = instance.proposers === 'A' ? aProposing : bProposing;
  const other = instance.proposers === 'A' ? bProposing : aProposing;
  const sideLabel = (side: Side) => `Gale–Shapley, ${side} proposing`;
  return {
    rows: [
      row('stable', sideLabel(instance.proposers), chosen),
      row('other-side', sideLabel(instance.proposers === 'A' ? 'B' : 'A'), other),
      row('assignment', 'Minimum-cost assignment', assignment),
      row('custom', 'Your matching', custom),
    ],
    customIssue,
  };
}
