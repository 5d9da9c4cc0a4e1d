/**
 * Parameters of the duality scene (`#/duality?k=40&…`): the grid on [0, 1], the cost, the two
 * discretised densities (μ one bump, ν two bumps) and the potential the c-transforms start from.
 */
import { linearNumber, seedParam, type NumberSpec, type ParamSchema } from '../../params';

export const DUALITY_ID = 'duality';

const position = (label: string, value: number, description: string): NumberSpec =>
  linearNumber(label, 0, 1, value, description, 3);
const width = (label: string, value: number): NumberSpec =>
  linearNumber(
    label,
    0.02,
    0.3,
    value,
    'Standard deviation of the bump (before discretisation on the grid)',
    3,
  );

export const dualityParams = {
  k: {
    kind: 'int',
    label: 'Grid points',
    description: 'Number of grid points on [0, 1] carrying μ and ν (and the potentials)',
    min: 8,
    max: 64,
    default: 40,
  },
  cost: {
    kind: 'enum',
    label: 'Cost c(x, y)',
    description: 'Squared distance |x − y|² or distance |x − y| (then g = −f at the optimum)',
    options: ['squared', 'distance'],
    default: 'squared',
  },
  mx: position('μ centre', 0.3, 'Centre of the bump of μ'),
  sx: width('μ width', 0.08),
  ny1: position('ν first centre', 0.55, 'Centre of the first bump of ν'),
  ny2: position('ν second centre', 0.85, 'Centre of the second bump of ν'),
  wy: linearNumber(
    'ν first weight',
    0,
    1,
    0.6,
    'Mass of the first bump of ν (the second has the rest)',
    3,
  ),
  sy: width('ν width', 0.05),
  start: {
    kind: 'enum',
    label: 'Start potential f₀',
    description: 'The potential the c-transforms start from (g₀ = 0)',
    options: ['zero', 'random', 'tilted'],
    default: 'zero',
  },
  seed: seedParam('Seed of the random start potential'),
} as const satisfies ParamSchema;

export type DualityParams = typeof dualityParams;
