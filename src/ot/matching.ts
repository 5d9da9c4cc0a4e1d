/**
 * Stable matching (MATH.md §1; seed 004, "The Matching Problem", "Gale–Shapley Algorithm"): two
 * groups of n people with complete strict preference lists; a matching is stable when no blocking
 * pair exists, i.e. no proposer p and receiver r who both prefer each other to their partners.
 *
 * Gale–Shapley in synchronous rounds, as in the lecture's slides: in each round every free
 * proposer proposes to the best receiver not yet tried; each receiver keeps the best proposal it
 * holds (its current partner included) and rejects the others. The result is stable and
 * proposer-optimal (every proposer gets its best partner over all stable matchings) and
 * receiver-pessimal (Gale & Shapley 1962; McVitie & Wilson 1971); it does not depend on the order
 * of proposals, so rounds give the same matching as one proposal at a time.
 *
 * Matchings are arrays `partnerOf[p] = r` (−1 when p is free).
 */
import { InputError } from './validate';

/** Ranked lists, best first: proposers[p] lists receivers, receivers[r] lists proposers. */
export interface Preferences {
  proposers: number[][];
  receivers: number[][];
}

/** One proposal of a round and what the receiver did with it. */
export interface Proposal {
  proposer: number;
  receiver: number;
  accepted: boolean;
  /** The proposer the receiver dropped for this one (accepted proposals only). */
  dropped?: number;
}

export interface GaleShapleyState {
  /** 0 before the first round. */
  round: number;
  /** partnerOf[p] = receiver held by proposer p, −1 when free. */
  partnerOf: Int32Array;
  /** heldBy[r] = proposer whose proposal r holds, −1 when none. */
  heldBy: Int32Array;
  /** Position in each proposer's list of the next receiver to try. */
  nextChoice: Int32Array;
  /** The proposals of this round (empty in round 0). */
  proposals: Proposal[];
  /** Every proposer is matched: the algorithm has stopped. */
  done: boolean;
}

export interface BlockingPair {
  proposer: number;
  receiver: number;
}

/**
 * Ranked lists from costs: proposer p ranks receivers by costP[p][r] ascending, receiver r ranks
 * proposers by costR[p][r] ascending (both matrices indexed [proposer][receiver]); ties go to the
 * lower index so the lists are strict and reproducible.
 */
export function preferencesFromCosts(
  costP: readonly (readonly number[])[],
  costR: readonly (readonly number[])[],
): Preferences {
  const n = costP.length;
  requireSquare(costP, 'costP', n);
  requireSquare(costR, 'costR', n);
  const order = (values: readonly number[]) =>
    values.map((_, k) => k).sort((k, l) => values[k]! - values[l]! || k - l);
  return {
    proposers: costP.map((row) => order(row)),
    receivers: Array.from({ length: n }, (_, r) => order(costP.map((_, p) => costR[p]![r]!))),
  };
}

function requireSquare(matrix: readonly (readonly number[])[], field: string, n: number): void {
  if (n < 1) throw new InputError(field, 'needs at least one row');
  matrix.forEach((row, i) => {
    if (row.length !== n) throw new InputError(`${field}[${i}]`, `expected ${n} entries`);
    row.forEach((value, j) => {
      if (!Number.isFinite(value)) {
        throw new InputError(`${field}[${i}][${j}]`, `expected a finite number, got ${value}`);
      }
    });
  });
  if (matrix.length !== n) throw new InputError(field, `expected ${n} rows`);
}

/** The same preferences with the two groups' roles swapped. */
export function swapSides(preferences: Preferences): Preferences {
  return { proposers: preferences.receivers, receivers: preferences.proposers };
}

/** rank[x][y] = position of y in x's list (0 = favourite). */
export function rankTable(lists: readonly (readonly number[])[]): Int32Array[] {
  return lists.map((list) => {
    const rank = new Int32Array(list.length);
    list.forEach((y, position) => (rank[y] = position));
    return rank;
  });
}

/** Checks that both sides hold complete strict lists over the other side. */
export function validatePreferences(preferences: Preferences): void {
  const n = preferences.proposers.length;
  if (n < 1) throw new InputError('preferences', 'needs at least one proposer');
  if (preferences.receivers.length !== n) {
    throw new InputError('preferences.receivers', `expected ${n} lists, one per receiver`);
  }
  for (const side of ['proposers', 'receivers'] as const) {
    preferences[side].forEach((list, x) => {
      const sorted = [...list].sort((a, b) => a - b);
      if (sorted.length !== n || sorted.some((y, k) => y !== k)) {
        throw new InputError(`preferences.${side}[${x}]`, `must rank each of 0..${n - 1} once`);
      }
    });
  }
}

export function galeShapleyStart(preferences: Preferences): GaleShapleyState {
  validatePreferences(preferences);
  const n = preferences.proposers.length;
  return {
    round: 0,
    partnerOf: new Int32Array(n).fill(-1),
    heldBy: new Int32Array(n).fill(-1),
    nextChoice: new Int32Array(n),
    proposals: [],
    done: false,
  };
}

/** One synchronous round; `undefined` once every proposer is matched. */
export function galeShapleyRound(
  preferences: Preferences,
  state: GaleShapleyState,
  receiverRank: readonly Int32Array[] = rankTable(preferences.receivers),
): GaleShapleyState | undefined {
  if (state.done) return undefined;
  const partnerOf = state.partnerOf.slice();
  const heldBy = state.heldBy.slice();
  const nextChoice = state.nextChoice.slice();
  // Every free proposer proposes to the best receiver it has not tried (complete lists and n
  // receivers: a free proposer always has one left).
  const byReceiver = new Map<number, number[]>();
  partnerOf.forEach((receiver, proposer) => {
    if (receiver >= 0) return;
    const target = preferences.proposers[proposer]![nextChoice[proposer]!]!;
    nextChoice[proposer] = nextChoice[proposer]! + 1;
    byReceiver.set(target, [...(byReceiver.get(target) ?? []), proposer]);
  });
  const proposals: Proposal[] = [];
  for (const [receiver, suitors] of [...byReceiver].sort(([r], [s]) => r - s)) {
    const rank = receiverRank[receiver]!;
    const holder = heldBy[receiver]!;
    let best = holder;
    for (const suitor of suitors) if (best < 0 || rank[suitor]! < rank[best]!) best = suitor;
    for (const suitor of suitors) {
      const accepted = suitor === best;
      proposals.push({
        proposer: suitor,
        receiver,
        accepted,
        ...(accepted && holder >= 0 ? { dropped: holder } : {}),
      });
    }
    if (best !== holder) {
      if (holder >= 0) partnerOf[holder] = -1;
      partnerOf[best] = receiver;
      heldBy[receiver] = best;
    }
  }
  proposals.sort((x, y) => x.proposer - y.proposer);
  return {
    round: state.round + 1,
    partnerOf,
    heldBy,
    nextChoice,
    proposals,
    done: partnerOf.every((r) => r >= 0),
  };
}

/** Every round from the start to the end (at most n² − n + 1 rounds). */
export function galeShapleyRounds(preferences: Preferences): GaleShapleyState[] {
  const receiverRank = rankTable(preferences.receivers);
  const rounds = [galeShapleyStart(preferences)];
  for (;;) {
    const next = galeShapleyRound(preferences, rounds.at(-1)!, receiverRank);
    if (!next) return rounds;
    rounds.push(next);
  }
}

/** The proposer-optimal stable matching: partnerOf[p] = r. */
export function galeShapley(preferences: Preferences): Int32Array {
  return galeShapleyRounds(preferences).at(-1)!.partnerOf;
}

/**
 * Blocking pairs of a (possibly partial) matching: p and r, not matched together, where p is free
 * or prefers r to its partner, and r is free or prefers p to its partner.
 */
export function blockingPairs(
  preferences: Preferences,
  partnerOf: ArrayLike<number>,
): BlockingPair[] {
  const n = preferences.proposers.length;
  const proposerRank = rankTable(preferences.proposers);
  const receiverRank = rankTable(preferences.receivers);
  const heldBy = new Int32Array(n).fill(-1);
  for (let p = 0; p < n; p += 1) if (partnerOf[p]! >= 0) heldBy[partnerOf[p]!] = p;
  const pairs: BlockingPair[] = [];
  for (let p = 0; p < n; p += 1) {
    const current = partnerOf[p]!;
    for (let r = 0; r < n; r += 1) {
      if (r === current) continue;
      const pWants = current < 0 || proposerRank[p]![r]! < proposerRank[p]![current]!;
      const holder = heldBy[r]!;
      const rWants = holder < 0 || receiverRank[r]![p]! < receiverRank[r]![holder]!;
      if (pWants && rWants) pairs.push({ proposer: p, receiver: r });
    }
  }
  return pairs;
}

/** Inverts a perfect matching (proposer → receiver becomes receiver → proposer). */
export function invertMatching(partnerOf: ArrayLike<number>): Int32Array {
  const inverse = new Int32Array(partnerOf.length).fill(-1);
  for (let p = 0; p < partnerOf.length; p += 1) {
    if (partnerOf[p]! >= 0) inverse[partnerOf[p]!] = p;
  }
  return inverse;
}

/** Σ_p C[p][partnerOf[p]] over matched proposers. */
export function matchingCost(
  C: readonly (readonly number[])[],
  partnerOf: ArrayLike<number>,
): number {
  let total = 0;
  for (let p = 0; p < partnerOf.length; p += 1) {
    if (partnerOf[p]! >= 0) total += C[p]![partnerOf[p]!]!;
  }
  return total;
}

export interface ImprovingSwap {
  /** Proposers p < q whose swap of partners lowers the total cost by `gain`. */
  p: number;
  q: number;
  gain: number;
}

/**
 * The cardinal counterpart of a blocking pair (seed 004: an optimal assignment satisfies
 * c(i, j) + c(i', j') ≤ c(i, j') + c(i', j)): pairs of proposers whose swap lowers the cost by more
 * than `tolerance`.
 */
export function improvingSwaps(
  C: readonly (readonly number[])[],
  partnerOf: ArrayLike<number>,
  tolerance = 1e-12,
): ImprovingSwap[] {
  const swaps: ImprovingSwap[] = [];
  for (let p = 0; p < partnerOf.length; p += 1)
    for (let q = p + 1; q < partnerOf.length; q += 1) {
      const r = partnerOf[p]!;
      const s = partnerOf[q]!;
      if (r < 0 || s < 0) continue;
      const gain = C[p]![r]! + C[q]![s]! - C[p]![s]! - C[q]![r]!;
      if (gain > tolerance) swaps.push({ p, q, gain });
    }
  return swaps;
}

// ------------------------------------------------------------ two named groups, A and B

/**
 * The scenes and `otlab matching` name the groups A and B and give every matching from A to B
 * (matchingA[a] = b, −1 when free), whichever side proposes; Gale–Shapley itself works with
 * proposers and receivers. These functions translate between the two.
 */
export type Side = 'A' | 'B';

export interface PairAB {
  a: number;
  b: number;
}

/** A's ranked lists over B and B's over A, best first. */
export interface GroupPreferences {
  A: number[][];
  B: number[][];
}

/** The lists oriented for Gale–Shapley with `proposers` proposing. */
export function orientPreferences(groups: GroupPreferences, proposers: Side): Preferences {
  return proposers === 'A'
    ? { proposers: groups.A, receivers: groups.B }
    : { proposers: groups.B, receivers: groups.A };
}

/** A matching of the proposing side (proposer → receiver) as A → B. */
export function matchingFromProposers(partnerOf: Int32Array, proposers: Side): Int32Array {
  return proposers === 'A' ? partnerOf.slice() : invertMatching(partnerOf);
}

/** (proposer, receiver) as (a, b). */
export function pairFromProposers(proposer: number, receiver: number, proposers: Side): PairAB {
  return proposers === 'A' ? { a: proposer, b: receiver } : { a: receiver, b: proposer };
}

/** Blocking pairs of an A → B matching (the definition is symmetric in the two groups). */
export function blockingPairsAB(groups: GroupPreferences, matchingA: ArrayLike<number>): PairAB[] {
  return blockingPairs(orientPreferences(groups, 'A'), matchingA).map((p) => ({
    a: p.proposer,
    b: p.receiver,
  }));
}

/** One Gale–Shapley round in A → B terms; `dropped` is an index of the proposing side. */
export interface RoundAB {
  round: number;
  done: boolean;
  matching: number[];
  proposals: (PairAB & { accepted: boolean; dropped?: number })[];
  blocking: PairAB[];
}

export function roundAB(
  groups: GroupPreferences,
  state: GaleShapleyState,
  proposers: Side,
): RoundAB {
  const matching = matchingFromProposers(state.partnerOf, proposers);
  return {
    round: state.round,
    done: state.done,
    matching: [...matching],
    proposals: state.proposals.map((p) => ({
      ...pairFromProposers(p.proposer, p.receiver, proposers),
      accepted: p.accepted,
      ...(p.dropped !== undefined ? { dropped: p.dropped } : {}),
    })),
    blocking: blockingPairsAB(groups, matching),
  };
}

/** Every round of Gale–Shapley with `proposers` proposing, in A → B terms. */
export function galeShapleyRoundsAB(groups: GroupPreferences, proposers: Side): RoundAB[] {
  return galeShapleyRounds(orientPreferences(groups, proposers)).map((state) =>
    roundAB(groups, state, proposers),
  );
}

/** The stable matching that is best for `proposers`, as A → B. */
export function stableMatchingAB(groups: GroupPreferences, proposers: Side): number[] {
  const partnerOf = galeShapley(orientPreferences(groups, proposers));
  return [...matchingFromProposers(partnerOf, proposers)];
}

/** What the scene and the CLI report about any perfect A → B matching. */
export interface MatchingReport {
  matching: number[];
  /** Ordinal instability: pairs who both prefer each other to their partners. */
  blocking: PairAB[];
  /** With a cost: Σ_a c(a, matching[a]) and the number of swaps of partners that lower it. */
  cost?: number;
  improvingSwaps?: number;
}

export function matchingReport(
  groups: GroupPreferences,
  matchingA: readonly number[],
  cost?: readonly (readonly number[])[],
): MatchingReport {
  return {
    matching: [...matchingA],
    blocking: blockingPairsAB(groups, matchingA),
    ...(cost
      ? {
          cost: matchingCost(cost, matchingA),
          improvingSwaps: improvingSwaps(cost, matchingA).length,
        }
      : {}),
  };
}

// ---------------------------------------------------------------- permutations in a URL

/** n! for the small n of the matching scenes (exact up to n = 18). */
export function factorial(n: number): number {
  let value = 1;
  for (let k = 2; k <= n; k += 1) value *= k;
  return value;
}

/** The Lehmer-code rank of a permutation of 0..n−1, in [0, n!) (identity → 0). */
export function permutationRank(permutation: ArrayLike<number>): number {
  const n = permutation.length;
  const unused = Array.from({ length: n }, (_, k) => k);
  let rank = 0;
  for (let position = 0; position < n; position += 1) {
    const index = unused.indexOf(permutation[position]!);
    if (index < 0) throw new InputError('permutation', 'must list each of 0..n−1 exactly once');
    rank += index * factorial(n - 1 - position);
    unused.splice(index, 1);
  }
  return rank;
}

/** Inverse of `permutationRank`. */
export function permutationFromRank(rank: number, n: number): Int32Array {
  if (!Number.isInteger(rank) || rank < 0 || rank >= factorial(n)) {
    throw new InputError('rank', `must be an integer in [0, ${factorial(n) - 1}], got ${rank}`);
  }
  const unused = Array.from({ length: n }, (_, k) => k);
  const permutation = new Int32Array(n);
  let rest = rank;
  for (let position = 0; position < n; position += 1) {
    const block = factorial(n - 1 - position);
    const index = Math.floor(rest / block);
    rest -= index * block;
    permutation[position] = unused.splice(index, 1)[0]!;
  }
  return permutation;
}
