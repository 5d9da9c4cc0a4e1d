/**
 * Parameters of the Point-cloud lab (`#/point-cloud-lab?preset=moons&n=80&…`): the point sets (a
 * seeded preset, or drawn points kept in `pts`), the cost, ε, the backend and the stopping rule.
 */
import { linearNumber, seedParam, type ParamSchema } from '../../params';
import { sinkhornToyParams } from '../sinkhornToy/params';
import { MAX_DRAWN_POINTS, PRESETS } from './pointSets';

export const POINT_CLOUD_LAB_ID = 'point-cloud-lab';

/** Presets draw up to this many points per set (the GPU handles more; drawing stays readable). */
export const MAX_PRESET_POINTS = 2000;

export const pointCloudLabParams = {
  preset: {
    kind: 'enum',
    label: 'Point sets',
    description:
      'Seeded presets (two moons, Gaussian blobs, the letters O → T), or "custom": points drawn, dragged or loaded, kept in the link',
    options: [...PRESETS, 'custom'],
    default: 'moons',
  },
  n: {
    kind: 'int',
    label: 'Source points n',
    description: 'Number of source points (presets only)',
    min: 2,
    max: MAX_PRESET_POINTS,
    default: 80,
  },
  m: {
    kind: 'int',
    label: 'Target points m',
    description: 'Number of target points (presets only)',
    min: 2,
    max: MAX_PRESET_POINTS,
    default: 80,
  },
  seed: seedParam('Seed of the preset point sets: the same seed draws the same points', 1),
  pts: {
    kind: 'text',
    label: 'Drawn points',
    description: `Custom point sets as x,y;x,y|x,y;… (source | target), at most ${MAX_DRAWN_POINTS} per set`,
    maxLength: 2 * MAX_DRAWN_POINTS * 14 + 1,
    default: '',
  },
  cost: {
    kind: 'enum',
    label: 'Cost c(x, y)',
    description:
      'Squared Euclidean ‖x−y‖², Euclidean ‖x−y‖, ‖x−y‖_p^q, or regularised Coulomb 1/√(‖x−y‖² + η²)',
    options: ['sqeuclidean', 'euclidean', 'pq', 'coulomb'],
    default: 'sqeuclidean',
  },
  p: linearNumber('p (‖·‖_p)', 1, 4, 1.5, 'Exponent of the norm in ‖x−y‖_p^q (cost pq)', 3),
  q: linearNumber('q (power)', 0.5, 4, 1.5, 'Power of the norm in ‖x−y‖_p^q (cost pq)', 3),
  eta: {
    kind: 'number',
    label: 'Coulomb η',
    description: 'Regularisation of the Coulomb cost 1/√(‖x−y‖² + η²) (cost coulomb)',
    min: 1e-3,
    max: 1,
    default: 0.1,
    scale: 'log',
    digits: 3,
  },
  eps: {
    kind: 'number',
    label: 'Regularisation ε',
    description: 'Entropic regularisation, in cost units (points lie in the unit square)',
    min: 1e-3,
    max: 10,
    default: 0.02,
    scale: 'log',
    digits: 3,
  },
  backend: {
    kind: 'enum',
    label: 'Backend',
    description:
      'WebGPU (float32) or the float64 CPU reference; the CPU runs when WebGPU is missing',
    options: ['gpu', 'cpu'],
    default: 'gpu',
  },
  // The stopping rule and the pace are the entropic-OT toy's.
  tol: sinkhornToyParams.tol,
  ipf: { ...sinkhornToyParams.ipf, default: 5 },
  maxIter: sinkhornToyParams.maxIter,
  exact: {
    kind: 'enum',
    label: 'Exact plan overlay',
    description: 'Draw the exact (ε = 0) optimal plan over the entropic one, for small n and m',
    options: ['on', 'off'],
    default: 'on',
  },
} as const satisfies ParamSchema;

export type PointCloudLabParams = typeof pointCloudLabParams;
