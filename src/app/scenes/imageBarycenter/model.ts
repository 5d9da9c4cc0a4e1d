/**
 * The image barycenter lab's problems from its parameters and custom images: the K input densities,
 * the W2 (entropic, convolutional) barycenter problem and the interpolation strip's problems
 * t = 0, ¼, ½, ¾, 1 between two inputs (MATH.md §5), with messages about adjusted parameters.
 */
import { gridMoments, type GridBarycenterProblem } from '../../../ot/gridSinkhorn';
import { checkedWeights } from '../../components/simplex';
import type { ParamValues } from '../../params';
import { imageBarycenterParams, WEIGHT_KEYS } from './params';
import { RASTER_SIDE } from './raster';
import { resampleImage, shapeImage, totalMass, type ShapeKind } from './shapes';

export type Values = ParamValues<typeof imageBarycenterParams>;

export const STRIP_TIMES = [0, 0.25, 0.5, 0.75, 1] as const;

export interface SlotSpec {
  shape: ShapeKind | 'letter';
  letter: string;
  x: number;
  y: number;
  r: number;
}

/** The parameters of input k (1-based). */
export function slotSpec(values: Values, k: number): SlotSpec {
  const read = (key: string) => (values as Readonly<Record<string, string | number>>)[`${key}${k}`];
  return {
    shape: read('shape') as SlotSpec['shape'],
    letter: String(read('letter')),
    x: Number(read('x')),
    y: Number(read('y')),
    r: Number(read('r')),
  };
}

/** Where a slot's image comes from: a shape drawn at the grid size, or a raster to resample. */
export type SlotSource =
  | { kind: 'shape'; spec: SlotSpec }
  /** Painted, uploaded or lettered ink at RASTER_SIDE². */
  | { kind: 'raster'; ink: Float64Array; label: string };

/** The slot's unnormalised image on the size×size grid. */
export function slotImage(source: SlotSource, size: number): Float64Array {
  if (source.kind === 'raster') return resampleImage(source.ink, RASTER_SIDE, size);
  const { shape, x, y, r } = source.spec;
  if (shape === 'letter') throw new Error('letters are rasterised by raster.ts first');
  return shapeImage(shape, size, x, y, r);
}

export interface LabProblems {
  size: number;
  /** Normalised input densities (undefined where an image has no mass). */
  inputs: (Float64Array | undefined)[];
  weights: number[];
  /** The K-image barycenter, undefined when an input is empty. */
  barycenter: GridBarycenterProblem | undefined;
  /** Strip problems for t = 0, ¼, ½, ¾, 1 (empty when the strip is off or invalid). */
  strip: GridBarycenterProblem[];
  /** The two inputs of the strip (0-based). */
  stripPair: [number, number] | undefined;
  issues: string[];
}

function normalised(image: Float64Array): Float64Array | undefined {
  const mass = totalMass(image);
  return mass > 0 && Number.isFinite(mass) ? image.map((v) => v / mass) : undefined;
}

export function labProblems(values: Values, images: readonly Float64Array[]): LabProblems {
  const issues: string[] = [];
  const K = images.length;
  const size = values.size;
  const inputs = images.map(normalised);
  inputs.forEach((input, k) => {
    if (!input)
      issues.push(`Image ${k + 1} has no mass: paint something, upload a PNG or pick a shape.`);
  });
  const raw = WEIGHT_KEYS.slice(0, K).map((key) => values[key]);
  const weights = checkedWeights(raw, issues);
  const epsilon = values.eps;
  const debiased = values.debiased === 'on';
  const problem = (densities: Float64Array[], lambdas: number[]): GridBarycenterProblem => ({
    height: size,
    width: size,
    images: densities,
    weights: lambdas,
    epsilon,
    debiased,
  });
  const complete = inputs.every((input) => input !== undefined);
  const barycenter = complete ? problem(inputs, weights) : undefined;
  let strip: GridBarycenterProblem[] = [];
  let stripPair: [number, number] | undefined;
  if (values.strip === 'on') {
    const [from, to] = [values.from - 1, values.to - 1];
    if (from >= K || to >= K || from === to) {
      issues.push(
        `The strip needs two different images among 1..${K} (got ${values.from} → ${values.to}); it is off.`,
      );
    } else if (inputs[from] && inputs[to]) {
      stripPair = [from, to];
      const [a, b] = [inputs[from], inputs[to]];
      // The endpoints are one-image barycenters: the input seen through the same blur (or debiasing).
      strip = STRIP_TIMES.map((t) =>
        t === 0 ? problem([a], [1]) : t === 1 ? problem([b], [1]) : problem([a, b], [1 - t, t]),
      );
    }
  }
  return { size, inputs, weights, barycenter, strip, stripPair, issues };
}

/** Mass, centre of mass and mean squared distance to it (src/ot/gridSinkhorn.ts). */
export function moments(density: ArrayLike<number>, size: number) {
  return gridMoments(density, size, size);
}
