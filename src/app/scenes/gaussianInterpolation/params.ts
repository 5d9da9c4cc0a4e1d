/**
 * Parameters of the Gaussian interpolation lab (`#/gaussian-interpolation?preset=…&t=…`): the two
 * endpoint ellipses as centre, axis angle (degrees) and the two standard deviations, the time t
 * and the preset (which also selects single Gaussians or two-component mixtures).
 */
import type { ParamSchema } from '../../params';
import type { EllipseParams } from './geometry';

export const GAUSSIAN_INTERPOLATION_ID = 'gaussian-interpolation';

/** The plotted window is [−DOMAIN, DOMAIN]²; centres stay inside it. */
export const DOMAIN = 5;
export const MIN_SCALE = 0.1;
export const MAX_SCALE = 3;

const centre = (label: string, def: number) =>
  ({
    kind: 'number',
    label,
    min: -DOMAIN,
    max: DOMAIN,
    default: def,
    scale: 'linear',
    digits: 3,
  }) as const;
const angle = (label: string) =>
  ({
    kind: 'number',
    label,
    description: 'Direction of the first axis, degrees counter-clockwise from +x',
    min: -180,
    max: 180,
    default: 0,
    scale: 'linear',
    digits: 4,
  }) as const;
const sd = (label: string, def: number) =>
  ({
    kind: 'number',
    label,
    description: 'Standard deviation along this axis (must be positive: the covariance is SPD)',
    min: MIN_SCALE,
    max: MAX_SCALE,
    default: def,
    scale: 'linear',
    digits: 3,
  }) as const;

export const PRESETS = ['translation', 'rotation-stretch', 'mixtures'] as const;
export type Preset = (typeof PRESETS)[number];

export const gaussianInterpolationParams = {
  preset: {
    kind: 'enum',
    label: 'Preset',
    description: 'Starting configuration; "mixtures" uses two-component mixtures (MW2)',
    options: PRESETS,
    default: 'translation',
  },
  t: {
    kind: 'number',
    label: 'Time t',
    description: 'Interpolation time: 0 is ρ₀ (blue), 1 is ρ₁ (orange)',
    min: 0,
    max: 1,
    default: 0.5,
    scale: 'linear',
    digits: 3,
  },
  x0: centre('ρ₀ centre x', -2.5),
  y0: centre('ρ₀ centre y', 0),
  a0: angle('ρ₀ angle'),
  sa0: sd('ρ₀ σ₁', 1),
  sb0: sd('ρ₀ σ₂', 0.6),
  x1: centre('ρ₁ centre x', 2.5),
  y1: centre('ρ₁ centre y', 0),
  a1: angle('ρ₁ angle'),
  sa1: sd('ρ₁ σ₁', 1),
  sb1: sd('ρ₁ σ₂', 0.6),
} as const satisfies ParamSchema;

export type GaussianInterpolationParams = typeof gaussianInterpolationParams;
export const ELLIPSE_KEYS = [
  ['x0', 'y0', 'a0', 'sa0', 'sb0'],
  ['x1', 'y1', 'a1', 'sa1', 'sb1'],
] as const;

/** Every parameter of each preset except t. */
export const PRESET_VALUES: Record<Preset, [EllipseParams, EllipseParams]> = {
  translation: [
    { cx: -2.5, cy: 0, angle: 0, sa: 1, sb: 0.6 },
    { cx: 2.5, cy: 0, angle: 0, sa: 1, sb: 0.6 },
  ],
  'rotation-stretch': [
    { cx: -1.5, cy: -1, angle: 20, sa: 1.6, sb: 0.35 },
    { cx: 1.5, cy: 1, angle: 110, sa: 0.9, sb: 0.5 },
  ],
  mixtures: [
    { cx: -2, cy: 1.8, angle: 30, sa: 0.8, sb: 0.4 },
    { cx: 2.2, cy: 1.5, angle: -45, sa: 1, sb: 0.35 },
  ],
};
