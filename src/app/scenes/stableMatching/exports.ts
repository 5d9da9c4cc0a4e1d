/**
 * What the stable-matching scene exports (src/app/lecture/sceneExports.ts): the people, rankings
 * and costs, every proposal of the rounds shown so far, the compared matchings with their blocking
 * pairs, and the `otlab matching` input that replays the rounds and recomputes the comparison.
 * Indices are 0-based (A1 on screen is a = 0). Pure: no DOM.
 */
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import type { Comparison, MatchingInstance, PairAB, RoundView } from './model';

const people = (instance: MatchingInstance): DataTable => ({
  columns: ['side', 'index', 'x', 'y'],
  rows: [
    ...instance.pointsA.map((p, k) => ['A', k, p[0], p[1]]),
    ...instance.pointsB.map((p, k) => ['B', k, p[0], p[1]]),
  ],
});

const preferences = (instance: MatchingInstance): DataTable => ({
  columns: ['side', 'person', 'rank', 'choice'],
  rows: (['A', 'B'] as const).flatMap((side) =>
    (side === 'A' ? instance.preferencesA : instance.preferencesB).flatMap((list, person) =>
      list.map((choice, rank) => [side, person, rank, choice]),
    ),
  ),
});

const pairRows = (name: string | number, pairs: readonly PairAB[]) =>
  pairs.map(({ a, b }) => [name, a, b]);

/** `rounds`: the rounds played so far (round 0, before any proposal, first). */
export function stableMatchingTables(
  instance: MatchingInstance,
  rounds: readonly RoundView[],
  comparison: Comparison,
): Record<string, DataTable> {
  const current = rounds.at(-1)!;
  return {
    people: people(instance),
    preferences: preferences(instance),
    cost: {
      columns: ['a', 'b', 'cost'],
      rows: instance.cost.flatMap((row, a) => row.map((c, b) => [a, b, c])),
    },
    proposals: {
      columns: ['round', 'a', 'b', 'accepted', 'dropped'],
      rows: rounds.flatMap((round) =>
        round.proposals.map((p) => [
          round.round,
          p.a,
          p.b,
          p.accepted ? 'yes' : 'no',
          p.dropped ?? null,
        ]),
      ),
    },
    round_matchings: {
      columns: ['round', 'a', 'b'],
      rows: rounds.flatMap((round) =>
        round.matching.flatMap((b, a) => (b >= 0 ? [[round.round, a, b]] : [])),
      ),
    },
    comparison: {
      columns: ['matching', 'label', 'cost', 'blocking_pairs', 'improving_swaps'],
      rows: comparison.rows.map((row) => [
        row.id,
        row.label,
        row.cost,
        row.blocking.length,
        row.improvingSwaps,
      ]),
    },
    matchings: {
      columns: ['matching', 'a', 'b'],
      rows: comparison.rows.flatMap((row) => row.matching.map((b, a) => [row.id, a, b])),
    },
    blocking_pairs: {
      columns: ['matching', 'a', 'b'],
      rows: [
        ...pairRows(`round ${current.round}`, current.blocking),
        ...comparison.rows.flatMap((row) => pairRows(row.id, row.blocking)),
      ],
    },
  };
}

/** `otlab matching` on the same rankings and cost, with the user's matching to check. */
export function stableMatchingOtlabRun(
  instance: MatchingInstance,
  comparison: Comparison,
): OtlabRun {
  return {
    solver: 'matching',
    input: {
      preferencesA: instance.preferencesA,
      preferencesB: instance.preferencesB,
      cost: instance.cost,
      proposers: instance.proposers,
      matching: comparison.rows.find((row) => row.id === 'custom')!.matching,
    },
  };
}
