/**
 * Gale–Shapley against brute force over all n! matchings: the result is stable, proposer-optimal
 * and receiver-pessimal; blocking pairs and improving swaps against their definitions.
 */
import { describe, expect, it } from 'vitest';
import {
  blockingPairs,
  factorial,
  galeShapley,
  galeShapleyRounds,
  improvingSwaps,
  invertMatching,
  matchingCost,
  permutationFromRank,
  permutationRank,
  preferencesFromCosts,
  rankTable,
  swapSides,
  type Preferences,
} from '../../src/ot/matching';
import { seededRandom } from '../../src/ot/random';
import { InputError } from '../../src/ot/validate';

type Random = () => number;

function randomCosts(random: Random, n: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: n }, random));
}

function allMatchings(n: number): Int32Array[] {
  return Array.from({ length: factorial(n) }, (_, rank) => permutationFromRank(rank, n));
}

/** Stability straight from the definition, with ranks looked up by indexOf. */
function isStable(preferences: Preferences, partnerOf: ArrayLike<number>): boolean {
  const n = partnerOf.length;
  const holder = invertMatching(partnerOf);
  for (let p = 0; p < n; p += 1)
    for (let r = 0; r < n; r += 1) {
      const pList = preferences.proposers[p]!;
      const rList = preferences.receivers[r]!;
      if (
        pList.indexOf(r) < pList.indexOf(partnerOf[p]!) &&
        rList.indexOf(p) < rList.indexOf(holder[r]!)
      )
        return false;
    }
  return true;
}

describe('Gale–Shapley', () => {
  it('returns the proposer-optimal, receiver-pessimal stable matching (brute force, n ≤ 6)', () => {
    const random = seededRandom(20250313);
    for (let trial = 0; trial < 60; trial += 1) {
      const n = 2 + (trial % 5);
      const prefs = preferencesFromCosts(randomCosts(random, n), randomCosts(random, n));
      const result = galeShapley(prefs);
      const stable = allMatchings(n).filter((m) => isStable(prefs, m));
      expect(stable.length).toBeGreaterThan(0);
      expect(isStable(prefs, result)).toBe(true);
      expect(blockingPairs(prefs, result)).toEqual([]);
      const pRank = rankTable(prefs.proposers);
      const rRank = rankTable(prefs.receivers);
      const holder = invertMatching(result);
      for (const other of stable) {
        const otherHolder = invertMatching(other);
        for (let p = 0; p < n; p += 1) {
          expect(pRank[p]![result[p]!]).toBeLessThanOrEqual(pRank[p]![other[p]!]!);
        }
        for (let r = 0; r < n; r += 1) {
          expect(rRank[r]![holder[r]!]).toBeGreaterThanOrEqual(rRank[r]![otherHolder[r]!]!);
        }
      }
    }
  });

  it('lets the other side propose by swapping the preferences', () => {
    const random = seededRandom(7);
    const prefs = preferencesFromCosts(randomCosts(random, 6), randomCosts(random, 6));
    const receiverProposing = invertMatching(galeShapley(swapSides(prefs)));
    expect(isStable(prefs, receiverProposing)).toBe(true);
    // Receiver-optimal: every receiver does at least as well as under proposer-proposing.
    const rRank = rankTable(prefs.receivers);
    const proposerHolder = invertMatching(galeShapley(prefs));
    const receiverHolder = invertMatching(receiverProposing);
    for (let r = 0; r < 6; r += 1) {
      expect(rRank[r]![receiverHolder[r]!]).toBeLessThanOrEqual(rRank[r]![proposerHolder[r]!]!);
    }
  });

  it('has a unique stable matching when both sides rank by one shared cost (greedy)', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 20; trial += 1) {
      const n = 2 + (trial % 5);
      const C = randomCosts(random, n);
      const prefs = preferencesFromCosts(C, C);
      const stable = allMatchings(n).filter((m) => isStable(prefs, m));
      expect(stable).toHaveLength(1);
      // Greedy: repeatedly match the cheapest remaining pair.
      const greedy = new Int32Array(n).fill(-1);
      const taken = new Set<number>();
      const pairs = C.flatMap((row, p) => row.map((c, r) => ({ c, p, r }))).sort(
        (x, y) => x.c - y.c,
      );
      for (const { p, r } of pairs) {
        if (greedy[p]! < 0 && !taken.has(r)) {
          greedy[p] = r;
          taken.add(r);
        }
      }
      expect([...galeShapley(prefs)]).toEqual([...greedy]);
      expect([...galeShapley(swapSides(prefs))]).toEqual([...invertMatching(greedy)]);
    }
  });

  it('records each round: proposals to the next choice, one acceptance per receiver', () => {
    const random = seededRandom(3);
    const n = 6;
    const prefs = preferencesFromCosts(randomCosts(random, n), randomCosts(random, n));
    const rounds = galeShapleyRounds(prefs);
    expect(rounds[0]!.round).toBe(0);
    expect(rounds.at(-1)!.done).toBe(true);
    expect(rounds.length - 1).toBeLessThanOrEqual(n * n - n + 1);
    let proposals = 0;
    for (let k = 1; k < rounds.length; k += 1) {
      const before = rounds[k - 1]!;
      const after = rounds[k]!;
      const free = [...before.partnerOf.keys()].filter((p) => before.partnerOf[p]! < 0);
      expect(after.proposals.map((x) => x.proposer)).toEqual(free);
      for (const proposal of after.proposals) {
        expect(prefs.proposers[proposal.proposer]![before.nextChoice[proposal.proposer]!]).toBe(
          proposal.receiver,
        );
        if (proposal.accepted) expect(after.partnerOf[proposal.proposer]).toBe(proposal.receiver);
        else expect(after.partnerOf[proposal.proposer]).toBe(-1);
        if (proposal.dropped !== undefined) expect(after.partnerOf[proposal.dropped]).toBe(-1);
      }
      // Receivers only trade up: once held, a receiver stays held by someone it likes more.
      const rRank = rankTable(prefs.receivers);
      for (let r = 0; r < n; r += 1) {
        const was = before.heldBy[r]!;
        const now = after.heldBy[r]!;
        if (was >= 0) expect(rRank[r]![now]).toBeLessThanOrEqual(rRank[r]![was]!);
      }
      proposals += after.proposals.length;
    }
    expect(proposals).toBe([...rounds.at(-1)!.nextChoice].reduce((s, c) => s + c, 0));
  });

  it('finds the blocking pairs of partial and perfect matchings by their definition', () => {
    const random = seededRandom(5);
    const n = 5;
    const prefs = preferencesFromCosts(randomCosts(random, n), randomCosts(random, n));
    for (const matching of allMatchings(n).slice(0, 40)) {
      const partial = Int32Array.from(matching, (r, p) => (p % 2 === 0 ? r : -1));
      for (const m of [matching, partial]) {
        const holder = invertMatching(m);
        const expected = [];
        for (let p = 0; p < n; p += 1)
          for (let r = 0; r < n; r += 1) {
            if (m[p] === r) continue;
            const pl = prefs.proposers[p]!;
            const rl = prefs.receivers[r]!;
            const pWants = m[p]! < 0 || pl.indexOf(r) < pl.indexOf(m[p]!);
            const rWants = holder[r]! < 0 || rl.indexOf(p) < rl.indexOf(holder[r]!);
            if (pWants && rWants) expected.push({ proposer: p, receiver: r });
          }
        expect(blockingPairs(prefs, m)).toEqual(expected);
      }
    }
  });

  it('rejects incomplete preference lists with the field named', () => {
    expect(() => galeShapley({ proposers: [[0, 0]], receivers: [[0]] })).toThrow(InputError);
    expect(() =>
      galeShapley({
        proposers: [
          [0, 1],
          [1, 1],
        ],
        receivers: [
          [0, 1],
          [1, 0],
        ],
      }),
    ).toThrow(/preferences.proposers\[1\]/);
    expect(() => preferencesFromCosts([[Number.NaN]], [[0]])).toThrow(/costP\[0\]\[0\]/);
  });
});

describe('assignment comparisons', () => {
  it('the min-cost matching has no improving swap; a swap lowers the cost by its gain', () => {
    const random = seededRandom(9);
    const n = 5;
    const C = randomCosts(random, n);
    const matchings = allMatchings(n);
    const best = matchings.reduce((b, m) => (matchingCost(C, m) < matchingCost(C, b) ? m : b));
    expect(improvingSwaps(C, best)).toEqual([]);
    for (const m of matchings.slice(0, 30)) {
      for (const { p, q, gain } of improvingSwaps(C, m)) {
        const swapped = m.slice();
        [swapped[p], swapped[q]] = [m[q]!, m[p]!];
        expect(matchingCost(C, m) - matchingCost(C, swapped)).toBeCloseTo(gain, 12);
      }
    }
  });
});

describe('permutation ranks', () => {
  it('round-trips every permutation of up to 6 elements in lexicographic order', () => {
    for (let n = 1; n <= 6; n += 1) {
      const seen = new Set<string>();
      let previous = '';
      for (let rank = 0; rank < factorial(n); rank += 1) {
        const permutation = permutationFromRank(rank, n);
        expect([...permutation].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
        expect(permutationRank(permutation)).toBe(rank);
        const key = [...permutation].join(',');
        expect(key > previous || rank === 0).toBe(true);
        previous = key;
        seen.add(key);
      }
      expect(seen.size).toBe(factorial(n));
    }
    expect(() => permutationFromRank(6, 3)).toThrow(InputError);
    expect(() => permutationRank([0, 0, 1])).toThrow(InputError);
  });
});
