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
  blockingPairs,
  factorial,
  galeShapley,
  galeShapleyRound,
  galeShapleyStart,
  improvingSwaps,
  invertMatching,
  matchingCost,
  permutationFromRank,
  preferencesFromCosts,
  rankTable,
  swapSides,
  type GaleShapleyState,
  type Preferences,
} from '../../../ot/matching';
import { seededRandom } from '../../../ot/random';
import type { SequenceDefinition } from '../../../solvers/sequence';
import type { ParamValues } from '../../params';
import type { Compared, StableMatchingParams } from './params';

export type Side = 'A' | 'B';
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
  return {
    n,
    proposers,
    pointsA,
    pointsB,
    cost,
    preferencesA: fromA.proposers,
    preferencesB: fromA.receivers,
    preferences: proposers === 'A' ? fromA : swapSides(fromA),
  };
}

/** A matching of the proposing side turned into A → B. */
export function toMatchingA(instance: MatchingInstance, partnerOf: Int32Array): Int32Array {
  return instance.proposers === 'A' ? partnerOf.slice() : invertMatching(partnerOf);
}

/** (proposer, receiver) of the proposing side as (a, b). */
function toPairA(instance: MatchingInstance, proposer: number, receiver: number) {
  return instance.proposers === 'A' ? { a: proposer, b: receiver } : { a: receiver, b: proposer };
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

export interface PairAB {
  a: number;
  b: number;
}

export interface RoundView {
  round: number;
  done: boolean;
  /** A → B, −1 for free. */
  matching: number[];
  proposals: (PairAB & { accepted: boolean; dropped?: number })[];
  blocking: PairAB[];
}

/** The current round in A → B terms. */
export function roundView(instance: MatchingInstance, state: GaleShapleyState): RoundView {
  return {
    round: state.round,
    done: state.done,
    matching: [...toMatchingA(instance, state.partnerOf)],
    proposals: state.proposals.map((p) => ({
      ...toPairA(instance, p.proposer, p.receiver),
      accepted: p.accepted,
      ...(p.dropped !== undefined ? { dropped: p.dropped } : {}),
    })),
    blocking: blockingPairs(instance.preferences, state.partnerOf).map((p) =>
      toPairA(instance, p.proposer, p.receiver),
    ),
  };
}

export interface ComparedMatching {
  id: Compared;
  label: string;
  /** A → B. */
  matching: number[];
  cost: number;
  /** Ordinal instability: pairs who both prefer each other to their partners. */
  blocking: PairAB[];
  /** Cardinal instability: pairs of A members whose swap of partners lowers the cost. */
  improvingSwaps: number;
}

export interface Comparison {
  rows: ComparedMatching[];
  /** Set when the URL's custom rank does not fit n (then the assignment is used). */
  customIssue: string | undefined;
}

/** Blocking pairs of an A → B matching under the instance's preferences. */
export function blockingPairsA(instance: MatchingInstance, matchingA: ArrayLike<number>): PairAB[] {
  const fromA = { proposers: instance.preferencesA, receivers: instance.preferencesB };
  return blockingPairs(fromA, matchingA).map((p) => ({ a: p.proposer, b: p.receiver }));
}

export function compareMatchings(instance: MatchingInstance, customRank: number): Comparison {
  const { n, cost } = instance;
  const fromA = { proposers: instance.preferencesA, receivers: instance.preferencesB };
  const aProposing = [...galeShapley(fromA)];
  const bProposing = [...invertMatching(galeShapley(swapSides(fromA)))];
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
    matching,
    cost: matchingCost(cost, matching),
    blocking: blockingPairsA(instance, matching),
    improvingSwaps: improvingSwaps(cost, matching).length,
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
