/**
 * Parameters of the stable-matching scene (`#/stable-matching?n=5&seed=1&…`): the seeded points,
 * how much each person's taste departs from the distance, which side proposes, the cost used for
 * the assignment, the user's own matching (a permutation rank) and which matching the comparison
 * panel draws.
 */
import { linearNumber, seedParam, type ParamSchema } from '../../params';

export const STABLE_MATCHING_ID = 'stable-matching';

/** Largest group size: 8! − 1 is the largest permutation rank a URL can hold. */
export const MAX_PEOPLE = 8;
export const MAX_RANK = 40_319;

export const COMPARED = ['stable', 'other-side', 'assignment', 'custom'] as const;
export type Compared = (typeof COMPARED)[number];

export const stableMatchingParams = {
  n: {
    kind: 'int',
    label: 'People per side n',
    description: 'Size of each group (A: circles, B: squares)',
    min: 2,
    max: MAX_PEOPLE,
    default: 5,
  },
  seed: seedParam('Seed of the positions and tastes: the same seed draws the same instance', 15),
  taste: linearNumber(
    'Personal taste',
    0,
    1,
    0.6,
    'How far each person’s ranking departs from plain distance (0: everyone ranks by distance, and the stable matching is unique)',
    3,
  ),
  proposers: {
    kind: 'enum',
    label: 'Proposing side',
    description: 'Group whose members propose (A: circles, B: squares)',
    options: ['A', 'B'],
    default: 'A',
  },
  cost: {
    kind: 'enum',
    label: 'Assignment cost',
    description:
      'Cost c(a, b) of the minimum-cost assignment: distance or squared distance (rankings, hence stable matchings, are the same for both)',
    options: ['distance', 'squared'],
    default: 'distance',
  },
  compare: {
    kind: 'enum',
    label: 'Compared matching',
    description: 'Matching drawn in the comparison panel with its blocking pairs',
    options: COMPARED,
    default: 'assignment',
  },
  custom: {
    kind: 'int',
    label: 'Your matching (rank)',
    description:
      'Your matching as a permutation rank in [0, n! − 1]; −1 starts from the minimum-cost assignment',
    min: -1,
    max: MAX_RANK,
    default: -1,
    control: 'number',
  },
} as const satisfies ParamSchema;

export type StableMatchingParams = typeof stableMatchingParams;
