/**
 * The lab's endpoints ρ₀, ρ₁ as mixtures of ellipses, and their mapping to and from the URL
 * parameters of params.ts. Pure functions, no DOM.
 */
import type { ParamValue } from '../../params';
import { checkedWeights } from '../../components/simplex';
import type { EllipseParams } from './geometry';
import { SIDE_NAMES, componentKeys, countKey, weightKey, type Preset, type Side } from './params';

/** One endpoint: 1 to MAX_COMPONENTS (params.ts) ellipses with weights on the simplex (one per ellipse). */
export interface Endpoint {
  weights: number[];
  ellipses: EllipseParams[];
}

export type Endpoints = readonly [Endpoint, Endpoint];

const single = (e: EllipseParams): Endpoint => ({ weights: [1], ellipses: [e] });

/** The second component of the "mixtures" preset: the first reflected through the origin. */
const reflected = (e: EllipseParams): EllipseParams => ({ ...e, cx: -e.cx, cy: -e.cy });
const MIXTURE_ELLIPSES: readonly [EllipseParams, EllipseParams] = [
  { cx: -2, cy: 1.8, angle: 30, sa: 0.8, sb: 0.4 },
  { cx: 2.2, cy: 1.5, angle: -45, sa: 1, sb: 0.35 },
];

/** Every endpoint parameter of each preset (t is kept). Mixture weights are unequal, so the MW2
 * plan splits mass. */
export const PRESET_ENDPOINTS: Record<Preset, Endpoints> = {
  translation: [
    single({ cx: -2.5, cy: 0, angle: 0, sa: 1, sb: 0.6 }),
    single({ cx: 2.5, cy: 0, angle: 0, sa: 1, sb: 0.6 }),
  ],
  'rotation-stretch': [
    single({ cx: -1.5, cy: -1, angle: 20, sa: 1.6, sb: 0.35 }),
    single({ cx: 1.5, cy: 1, angle: 110, sa: 0.9, sb: 0.5 }),
  ],
  mixtures: [
    {
      weights: [0.6, 0.4],
      ellipses: [MIXTURE_ELLIPSES[0], reflected(MIXTURE_ELLIPSES[0])],
    },
    {
      weights: [0.45, 0.55],
      ellipses: [MIXTURE_ELLIPSES[1], reflected(MIXTURE_ELLIPSES[1])],
    },
  ],
};

function readEllipse(
  values: Readonly<Record<string, ParamValue>>,
  side: Side,
  component: number,
): EllipseParams {
  const keys = componentKeys(side, component);
  return {
    cx: Number(values[keys.cx]),
    cy: Number(values[keys.cy]),
    angle: Number(values[keys.angle]),
    sa: Number(values[keys.sa]),
    sb: Number(values[keys.sb]),
  };
}

/**
 * The endpoints described by validated parameters. Weights off the simplex (possible only in a
 * hand-edited URL: the controls keep them on it) are replaced by uniform ones, with a message.
 */
export function readEndpoints(values: Readonly<Record<string, ParamValue>>): {
  endpoints: Endpoints;
  issues: string[];
} {
  const issues: string[] = [];
  const read = (side: Side): Endpoint => {
    const n = Number(values[countKey(side)]);
    const components = Array.from({ length: n }, (_, k) => k);
    const found: string[] = [];
    const weights = checkedWeights(
      components.map((k) => Number(values[weightKey(side, k)])),
      found,
    );
    issues.push(...found.map((issue) => `${SIDE_NAMES[side]}: ${issue}`));
    return { weights, ellipses: components.map((k) => readEllipse(values, side, k)) };
  };
  return { endpoints: [read(0), read(1)], issues };
}

/** The parameter values that describe `endpoint` on `side` (weights kept to 4 digits). */
export function endpointValues(side: Side, endpoint: Endpoint): Record<string, number> {
  const values: Record<string, number> = { [countKey(side)]: endpoint.ellipses.length };
  endpoint.ellipses.forEach((e, k) => {
    const keys = componentKeys(side, k);
    Object.assign(values, {
      [keys.cx]: e.cx,
      [keys.cy]: e.cy,
      [keys.angle]: e.angle,
      [keys.sa]: e.sa,
      [keys.sb]: e.sb,
    });
    values[weightKey(side, k)] = Number(endpoint.weights[k]!.toFixed(4));
  });
  return values;
}

/** Uniform weights for `n` components (what changing the component count sets). */
export function uniformWeights(n: number): number[] {
  return Array.from({ length: n }, () => 1 / n);
}

export function isMixture(endpoints: Endpoints): boolean {
  return endpoints.some((e) => e.ellipses.length > 1);
}
