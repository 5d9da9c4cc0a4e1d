/** The scene's numbers in `window.__otlab.stableMatching` (see src/app/testHook.ts). */
import type { SequenceDrivers } from '../../sequencePlayer';
import type { ComparedMatching, MatchingInstance, RoundView } from './model';

/**
 * The instance (points, cost[a][b], A's and B's ranked lists, proposing side), the round shown
 * (0 = before the first proposals) with its state, and every compared matching (A → B) with its
 * cost, blocking pairs and improving swaps.
 */
export type StableMatchingNumbers = Omit<MatchingInstance, 'preferences'> & {
  position: number;
  finished: boolean;
  current: RoundView;
  comparison: ComparedMatching[];
  customIssue: string | undefined;
};

export type StableMatchingHook = StableMatchingNumbers & SequenceDrivers<StableMatchingNumbers>;
