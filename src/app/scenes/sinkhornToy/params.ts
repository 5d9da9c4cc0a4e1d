/** Parameters of the entropic-OT toy: its store slice and URL query (`#/sinkhorn-toy?n=64&…`). */
import type { ParamSchema } from '../../params';

export const SINKHORN_TOY_ID = 'sinkhorn-toy';

export const sinkhornToyParams = {
  n: {
    kind: 'int',
    label: 'Source points n',
    description: 'Number of points in the source cloud (blue)',
    min: 2,
    max: 512,
    default: 64,
  },
  m: {
    kind: 'int',
    label: 'Target points m',
    description: 'Number of points in the target cloud (orange)',
    min: 2,
    max: 512,
    default: 64,
  },
  seed: {
    kind: 'int',
    label: 'Seed',
    description: 'Seed of the random point clouds: the same seed draws the same clouds',
    min: 0,
    max: 1_000_000,
    default: 1,
    control: 'number',
  },
  eps: {
    kind: 'number',
    label: 'Regularisation ε',
    description: 'Entropic regularisation, in cost units (clouds lie in the unit square)',
    min: 1e-3,
    max: 1,
    default: 0.05,
    scale: 'log',
    digits: 3,
  },
  tol: {
    kind: 'number',
    label: 'Tolerance',
    description: 'Stop when the L1 marginal error falls below this',
    min: 1e-7,
    max: 1e-2,
    default: 1e-5,
    scale: 'log',
    digits: 2,
  },
  ipf: {
    kind: 'int',
    label: 'Iterations per frame',
    description:
      'Sinkhorn iterations per animation frame (the CPU lane may do fewer to stay smooth)',
    min: 1,
    max: 200,
    default: 10,
  },
  maxIter: {
    kind: 'int',
    label: 'Iteration cap',
    description: 'Stop after this many iterations even without convergence',
    min: 10,
    max: 100_000,
    default: 5000,
    control: 'number',
  },
} as const satisfies ParamSchema;

export type SinkhornToyParams = typeof sinkhornToyParams;
