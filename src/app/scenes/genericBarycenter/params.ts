/**
 * Parameters of the generic-cost barycenter lab (`#/generic-barycenter?preset=…`): seed 001's two
 * examples as presets, the algorithm, the plans, the sizes and the animation pace.
 */
import { linearNumber as num, type ParamSchema } from '../../params';

export const GENERIC_BARYCENTER_ID = 'generic-barycenter';

const WEIGHT = 'Barycentric weight of a shape; the three weights must sum to 1';

export const genericBarycenterParams = {
  preset: {
    kind: 'enum',
    label: 'Example',
    description: "Seed 001's ‖x−y‖_p^q example (three shapes) or its four circles",
    options: ['pq', 'circles'],
    default: 'pq',
  },
  algorithm: {
    kind: 'enum',
    label: 'Fixed point',
    description: 'H: barycentric projections (fixed support); G: glued plans (true fixed point)',
    options: ['H', 'G'],
    default: 'H',
  },
  p: num('Norm p', 1, 4, 1.5, 'The cost is ‖x − y‖_p^q (p-norm to the power q)'),
  q: num('Power q', 1, 4, 1.5, 'The cost is ‖x − y‖_p^q (p-norm to the power q)'),
  plans: {
    kind: 'enum',
    label: 'Plans',
    description: 'Exact OT (network simplex) or entropic Sinkhorn plans (H only)',
    options: ['exact', 'entropic'],
    default: 'exact',
  },
  eps: {
    kind: 'number',
    label: 'Entropy ε',
    description: 'Entropic regularisation of the plans, in cost units',
    min: 1e-3,
    max: 1,
    default: 0.02,
    scale: 'log',
    digits: 3,
  },
  n: {
    kind: 'int',
    label: 'Barycenter points n',
    description: 'Support size of the starting barycenter (uniform in the bounding box)',
    min: 5,
    max: 400,
    default: 150,
  },
  m: {
    kind: 'int',
    label: 'Points per measure',
    description: 'Points sampled in each shape (or on each circle)',
    min: 5,
    max: 300,
    default: 120,
  },
  seed: {
    kind: 'int',
    label: 'Seed',
    description: 'Seed of the sampled measures and the starting barycenter',
    min: 0,
    max: 999_999,
    default: 1,
    control: 'number',
  },
  maxIter: {
    kind: 'int',
    label: 'Max iterations',
    description: 'Fixed-point iteration cap',
    min: 1,
    max: 100,
    default: 25,
  },
  pace: {
    kind: 'int',
    label: 'Pace (ms/iteration)',
    description: 'Minimum time between iterations while playing, so each move can be followed',
    min: 0,
    max: 2000,
    default: 600,
  },
  w1: num('Weight λ₁', 0, 1, 0.3333, WEIGHT),
  w2: num('Weight λ₂', 0, 1, 0.3333, WEIGHT),
  w3: num('Weight λ₃', 0, 1, 0.3334, WEIGHT),
} as const satisfies ParamSchema;

export type GenericBarycenterParams = typeof genericBarycenterParams;

export const WEIGHT_KEYS = ['w1', 'w2', 'w3'] as const;
