/**
 * Parameters of the Gaussian interpolation lab (`#/gaussian-interpolation?preset=…&t=…`): the time
 * t, the preset last applied, and the two endpoints ρ₀, ρ₁, each a mixture of 1 to MAX_COMPONENTS
 * ellipses (centre, axis angle in degrees, the two standard deviations) with weights on the simplex.
 * Component 1 of side s uses the keys xs, ys, as, sas, sbs (so links to single Gaussians stay
 * short to read); component j ≥ 2 uses xs_j, ys_j, as_j, sas_j, sbs_j; ns is the component count
 * and ws_j the weights (only the first ns are used; see endpoints.ts).
 */
import type { IntSpec, NumberSpec, ParamSchema } from '../../params';

export const GAUSSIAN_INTERPOLATION_ID = 'gaussian-interpolation';

/** The plotted window is [−DOMAIN, DOMAIN]²; centres stay inside it. */
export const DOMAIN = 5;
export const MIN_SCALE = 0.1;
export const MAX_SCALE = 3;
/** Most components per endpoint (draggable ellipses, and k of "Fit from points"). */
export const MAX_COMPONENTS = 4;

export type Side = 0 | 1;
export const SIDES: readonly Side[] = [0, 1];
export const SIDE_NAMES = ['ρ₀', 'ρ₁'] as const;

const centre = (label: string, def: number): NumberSpec => ({
  kind: 'number',
  label,
  min: -DOMAIN,
  max: DOMAIN,
  default: def,
  scale: 'linear',
  digits: 3,
});
const angle = (label: string, def: number): NumberSpec => ({
  kind: 'number',
  label,
  description: 'Direction of the first axis, degrees counter-clockwise from +x',
  min: -180,
  max: 180,
  default: def,
  scale: 'linear',
  digits: 4,
});
const sd = (label: string, def: number): NumberSpec => ({
  kind: 'number',
  label,
  description: 'Standard deviation along this axis (must be positive: the covariance is SPD)',
  min: MIN_SCALE,
  max: MAX_SCALE,
  default: def,
  scale: 'linear',
  digits: 3,
});
const weight = (label: string, def: number): NumberSpec => ({
  kind: 'number',
  label,
  description: 'Weight of this component; the weights of an endpoint must sum to 1',
  min: 0,
  max: 1,
  default: def,
  scale: 'linear',
  digits: 4,
});
const count = (label: string): IntSpec => ({
  kind: 'int',
  label,
  description: 'Number of Gaussian components of this endpoint (more than one: a mixture, MW2)',
  min: 1,
  max: MAX_COMPONENTS,
  default: 1,
});

export const PRESETS = ['translation', 'rotation-stretch', 'mixtures'] as const;
export type Preset = (typeof PRESETS)[number];

/** The five ellipse keys of component `component` (0-based) of a side. */
export function componentKeys(side: Side, component: number) {
  const suffix = component === 0 ? '' : `_${component + 1}`;
  return {
    cx: `x${side}${suffix}`,
    cy: `y${side}${suffix}`,
    angle: `a${side}${suffix}`,
    sa: `sa${side}${suffix}`,
    sb: `sb${side}${suffix}`,
  } as const;
}
export const weightKey = (side: Side, component: number) => `w${side}_${component + 1}`;
export const countKey = (side: Side) => `n${side}`;

/**
 * Defaults of the component slots: component 1 is the translation preset's ellipse, the others
 * sit above, below and outside it, so raising the count shows new ellipses side by side.
 */
const SLOT_DEFAULTS: readonly (readonly [number, number, number, number, number])[] = [
  [2.5, 0, 0, 1, 0.6],
  [2.5, 2.8, 0, 0.8, 0.5],
  [2.5, -2.8, 0, 0.8, 0.5],
  [4.2, 0, 90, 0.8, 0.5],
];

function endpointParams(side: Side): Record<string, NumberSpec | IntSpec> {
  const name = SIDE_NAMES[side];
  const mirror = side === 0 ? -1 : 1;
  const specs: Record<string, NumberSpec | IntSpec> = {
    [countKey(side)]: count(`${name} components`),
  };
  SLOT_DEFAULTS.forEach(([x, y, a, sa, sb], component) => {
    const keys = componentKeys(side, component);
    const label = component === 0 ? name : `${name} #${component + 1}`;
    specs[keys.cx] = centre(`${label} centre x`, mirror * x);
    specs[keys.cy] = centre(`${label} centre y`, y);
    specs[keys.angle] = angle(`${label} angle`, a);
    specs[keys.sa] = sd(`${label} σ₁`, sa);
    specs[keys.sb] = sd(`${label} σ₂`, sb);
  });
  SLOT_DEFAULTS.forEach((_, component) => {
    specs[weightKey(side, component)] = weight(
      `${name} weight #${component + 1}`,
      component === 0 ? 1 : 0,
    );
  });
  return specs;
}

export const gaussianInterpolationParams = {
  preset: {
    kind: 'enum',
    label: 'Preset',
    description: 'The starting configuration applied last; the endpoints follow in the URL',
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
  ...endpointParams(0),
  ...endpointParams(1),
} as const satisfies ParamSchema;

export type GaussianInterpolationParams = typeof gaussianInterpolationParams;
