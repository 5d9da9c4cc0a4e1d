/**
 * Parameters of the image barycenter lab (`#/image-barycenter?k=…`): K input images (a shape, a
 * letter, its centre and size each), their weights, the grid, ε, debiasing, the interpolation strip
 * and the backend. Painted and uploaded images live in the tab only; the link keeps the shapes.
 */
import { linearNumber as num, type EnumSpec, type ParamSchema } from '../../params';

export const IMAGE_BARYCENTER_ID = 'image-barycenter';
export const MAX_IMAGES = 4;
export const SHAPES = ['disk', 'ring', 'square', 'letter'] as const;
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

const WEIGHT = 'Barycentric weight of an image; the weights must sum to 1';

function slot(k: number, shape: string, x: number, y: number, letter: string) {
  const shapeSpec: EnumSpec = {
    kind: 'enum',
    label: `Image ${k}`,
    description: 'A shape, or a letter (painted and uploaded images are not kept in the link)',
    options: SHAPES,
    default: shape,
  };
  const letterSpec: EnumSpec = {
    kind: 'enum',
    label: `Letter ${k}`,
    description: 'The letter drawn when the image is a letter',
    options: LETTERS,
    default: letter,
  };
  return {
    [`shape${k}`]: shapeSpec,
    [`letter${k}`]: letterSpec,
    [`x${k}`]: num(`Centre x ${k}`, 0.1, 0.9, x, 'Horizontal centre in the unit square'),
    [`y${k}`]: num(`Centre y ${k}`, 0.1, 0.9, y, 'Vertical centre (downwards) in the unit square'),
    [`r${k}`]: num(`Size ${k}`, 0.05, 0.45, 0.2, 'Radius (half-size) of the shape'),
  };
}

export const imageBarycenterParams = {
  k: {
    kind: 'int',
    label: 'Images K',
    description: 'Number of input images',
    min: 2,
    max: MAX_IMAGES,
    default: 2,
  },
  size: {
    kind: 'int',
    label: 'Grid side',
    description: 'The images are size × size densities on the unit square',
    min: 16,
    max: 256,
    default: 64,
  },
  eps: {
    kind: 'number',
    label: 'Entropy ε',
    description: 'Entropic regularisation (squared unit-square distance; one pixel² is 1/size²)',
    min: 1e-4,
    max: 0.05,
    default: 1e-3,
    scale: 'log',
    digits: 3,
  },
  debiased: {
    kind: 'enum',
    label: 'Debiased',
    description: 'Debiased barycenter (Janati et al. 2020): removes the entropic blur',
    options: ['off', 'on'],
    default: 'off',
  },
  tol: {
    kind: 'number',
    label: 'Tolerance',
    description: 'Stop when the worst input-side L1 marginal error falls below this',
    min: 1e-6,
    max: 1e-2,
    default: 1e-4,
    scale: 'log',
    digits: 2,
  },
  maxIter: {
    kind: 'int',
    label: 'Max iterations',
    description: 'Iteration cap of each barycenter',
    min: 10,
    max: 5000,
    default: 1000,
  },
  strip: {
    kind: 'enum',
    label: 'Interpolation strip',
    description: 'W2 interpolation t = 0, ¼, ½, ¾, 1 between two of the images',
    options: ['on', 'off'],
    default: 'on',
  },
  from: {
    kind: 'int',
    label: 'Strip from image',
    description: 'The image at t = 0',
    min: 1,
    max: MAX_IMAGES,
    default: 1,
  },
  to: {
    kind: 'int',
    label: 'Strip to image',
    description: 'The image at t = 1',
    min: 1,
    max: MAX_IMAGES,
    default: 2,
  },
  backend: {
    kind: 'enum',
    label: 'Backend',
    description: 'auto: the GPU when WebGPU works, else the CPU (in a worker); cpu: always the CPU',
    options: ['auto', 'cpu'],
    default: 'auto',
  },
  w1: num('Weight λ₁', 0, 1, 0.5, WEIGHT),
  w2: num('Weight λ₂', 0, 1, 0.5, WEIGHT),
  w3: num('Weight λ₃', 0, 1, 0, WEIGHT),
  w4: num('Weight λ₄', 0, 1, 0, WEIGHT),
  ...slot(1, 'disk', 0.3, 0.5, 'A'),
  ...slot(2, 'ring', 0.7, 0.5, 'B'),
  ...slot(3, 'square', 0.5, 0.3, 'C'),
  ...slot(4, 'letter', 0.5, 0.7, 'O'),
} as const satisfies ParamSchema;

export type ImageBarycenterParams = typeof imageBarycenterParams;
export const WEIGHT_KEYS = ['w1', 'w2', 'w3', 'w4'] as const;
