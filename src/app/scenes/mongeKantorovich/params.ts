/**
 * Parameters of the Monge-vs-Kantorovich scene (`#/monge-kantorovich?preset=split&…`): up to four
 * source and four target atoms (position and relative mass each), the cost, the plan the cycle
 * cancelling starts from and a user perturbation: `amount` (a fraction of what the two donor cells
 * hold) moved from cells (i₁, j₁) and (i₂, j₂) to the other corners of their rectangle.
 */
import { linearNumber, seedParam, type NumberSpec, type ParamSchema } from '../../params';

export const MONGE_KANTOROVICH_ID = 'monge-kantorovich';
export const MAX_ATOMS = 4;

export const PRESETS = ['split', 'three-to-two', 'crossing', 'random', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

const coordinate = (label: string, value: number): NumberSpec =>
  linearNumber(
    label,
    0,
    1,
    value,
    'Coordinate in the unit square (atoms can also be dragged, or moved with the arrow keys)',
    3,
  );
const mass = (label: string, value: number): NumberSpec =>
  linearNumber(label, 0.01, 1, value, 'Relative mass; each side is normalised to total mass 1', 3);
const cell = (label: string, value: number) =>
  ({
    kind: 'int',
    label,
    description: 'Row (source) or column (target) of a donor cell of the perturbation, from 1',
    min: 1,
    max: MAX_ATOMS,
    default: value,
  }) as const;

export const mongeKantorovichParams = {
  preset: {
    kind: 'enum',
    label: 'Example',
    description:
      'split: one atom to two (no map exists); three-to-two: masses no map can match; crossing: a map exists; random: drawn from the seed',
    options: PRESETS,
    default: 'split',
  },
  seed: seedParam('Seed of the random example'),
  ns: {
    kind: 'int',
    label: 'Sources',
    description: 'Number of source atoms',
    min: 1,
    max: MAX_ATOMS,
    default: 1,
  },
  nt: {
    kind: 'int',
    label: 'Targets',
    description: 'Number of target atoms',
    min: 1,
    max: MAX_ATOMS,
    default: 2,
  },
  cost: {
    kind: 'enum',
    label: 'Cost c(x, y)',
    description: 'Squared distance or distance',
    options: ['squared', 'distance'],
    default: 'squared',
  },
  start: {
    kind: 'enum',
    label: 'Start plan',
    description:
      'The optimal plan (network simplex), or the north-west corner plan that cycle cancelling improves step by step',
    options: ['optimal', 'northwest'],
    default: 'optimal',
  },
  amount: linearNumber(
    'Perturbation',
    0,
    1,
    0,
    'Fraction of the donor cells’ mass moved around the rectangle (0: none); the plan stays a coupling',
    3,
  ),
  i1: cell('Donor cell 1: row', 1),
  j1: cell('Donor cell 1: column', 1),
  i2: cell('Donor cell 2: row', 2),
  j2: cell('Donor cell 2: column', 2),
  sx1: coordinate('Source 1 x', 0.2),
  sy1: coordinate('Source 1 y', 0.5),
  sa1: mass('Source 1 mass', 1),
  sx2: coordinate('Source 2 x', 0.2),
  sy2: coordinate('Source 2 y', 0.2),
  sa2: mass('Source 2 mass', 1),
  sx3: coordinate('Source 3 x', 0.2),
  sy3: coordinate('Source 3 y', 0.8),
  sa3: mass('Source 3 mass', 1),
  sx4: coordinate('Source 4 x', 0.4),
  sy4: coordinate('Source 4 y', 0.5),
  sa4: mass('Source 4 mass', 1),
  tx1: coordinate('Target 1 x', 0.8),
  ty1: coordinate('Target 1 y', 0.25),
  tb1: mass('Target 1 mass', 1),
  tx2: coordinate('Target 2 x', 0.8),
  ty2: coordinate('Target 2 y', 0.75),
  tb2: mass('Target 2 mass', 1),
  tx3: coordinate('Target 3 x', 0.8),
  ty3: coordinate('Target 3 y', 0.5),
  tb3: mass('Target 3 mass', 1),
  tx4: coordinate('Target 4 x', 0.6),
  ty4: coordinate('Target 4 y', 0.9),
  tb4: mass('Target 4 mass', 1),
} as const satisfies ParamSchema;

export type MongeKantorovichParams = typeof mongeKantorovichParams;

export type AtomKind = 'source' | 'target';

/** URL keys of atom k (0-based) of each kind: x, y, mass. */
export function atomKeys(kind: AtomKind, k: number): [string, string, string] {
  const [p, m] = kind === 'source' ? ['s', 'a'] : ['t', 'b'];
  return [`${p}x${k + 1}`, `${p}y${k + 1}`, `${p}${m}${k + 1}`];
}
