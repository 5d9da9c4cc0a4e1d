/**
 * The Point-cloud lab's point sets: seeded presets (two moons, Gaussian blobs, the letters O → T),
 * the compact URL text of drawn or dragged points, and `{x, y}` JSON files. Everything lives in
 * the unit square (presets) or near it (drawn points may sit a little outside). Pure: no DOM.
 */
import { seededRandom } from '../../../ot/random';
import { InputError, requireObject, requirePoints } from '../../../ot/validate';

export interface PointSets {
  /** Source points x_i (2D). */
  x: number[][];
  /** Target points y_j (2D). */
  y: number[][];
}

export const PRESETS = ['moons', 'blobs', 'letters'] as const;
export type Preset = (typeof PRESETS)[number];

/** Drawn, dragged or loaded sets: at most this many points per set (the URL must stay short). */
export const MAX_DRAWN_POINTS = 300;
/** Drawn coordinates must lie in [−LIMIT, 1 + LIMIT]: the canvas shows the unit square and a margin. */
export const COORDINATE_MARGIN = 0.5;
/** Decimals kept in the URL text: 1e-3 of the unit square is below a screen pixel. */
const DECIMALS = 3;

/** Standard normal sample by Box–Muller (one of the pair; deterministic for a seeded source). */
function normal(random: () => number): number {
  const u = 1 - random(); // (0, 1]: the log stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Two interleaved half circles (the "two moons"), the upper one for the source. */
function moon(count: number, upper: boolean, random: () => number): number[][] {
  return Array.from({ length: count }, () => {
    const t = Math.PI * random();
    const [u, v] = upper ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    // [-1, 2] × [-0.5, 1] into the unit square, with a little noise.
    return [(u + 1.2) / 3.4 + 0.02 * normal(random), (v + 1.2) / 2.9 + 0.02 * normal(random)];
  });
}

const SOURCE_BLOBS = [
  { center: [0.2, 0.25], spread: 0.06 },
  { center: [0.25, 0.75], spread: 0.07 },
] as const;
const TARGET_BLOBS = [
  { center: [0.75, 0.2], spread: 0.05 },
  { center: [0.8, 0.55], spread: 0.06 },
  { center: [0.6, 0.85], spread: 0.05 },
] as const;

function blobs(
  count: number,
  centres: readonly { center: readonly number[]; spread: number }[],
  random: () => number,
): number[][] {
  return Array.from({ length: count }, (_, i) => {
    const blob = centres[i % centres.length]!;
    return blob.center.map((c) => c + blob.spread * normal(random));
  });
}

type Stroke = readonly (readonly [number, number])[];
/** "O": a closed ellipse, left half of the square. */
const LETTER_O: Stroke[] = [
  Array.from({ length: 33 }, (_, k) => {
    const t = (2 * Math.PI * k) / 32;
    return [0.25 + 0.17 * Math.cos(t), 0.5 + 0.3 * Math.sin(t)] as const;
  }),
];
/** "T": a bar and a stem, right half of the square. */
const LETTER_T: Stroke[] = [
  [
    [0.57, 0.8],
    [0.93, 0.8],
  ],
  [
    [0.75, 0.8],
    [0.75, 0.2],
  ],
];

/** Points spread uniformly by arc length along the strokes of a letter, with a little jitter. */
function letter(count: number, strokes: readonly Stroke[], random: () => number): number[][] {
  const segments = strokes.flatMap((stroke) =>
    stroke.slice(1).map((end, k) => ({ start: stroke[k]!, end })),
  );
  const lengths = segments.map(({ start, end }) =>
    Math.hypot(end[0] - start[0], end[1] - start[1]),
  );
  const total = lengths.reduce((s, l) => s + l, 0);
  return Array.from({ length: count }, () => {
    let at = random() * total;
    let k = 0;
    while (k < segments.length - 1 && at > lengths[k]!) at -= lengths[k++]!;
    const { start, end } = segments[k]!;
    const t = lengths[k]! > 0 ? at / lengths[k]! : 0;
    return [0, 1].map((c) => start[c]! + t * (end[c]! - start[c]!) + 0.012 * normal(random));
  });
}

/** The preset's n source and m target points; the same seed draws the same sets. */
export function presetPoints(preset: Preset, n: number, m: number, seed: number): PointSets {
  const random = seededRandom(seed);
  switch (preset) {
    case 'moons':
      return { x: moon(n, true, random), y: moon(m, false, random) };
    case 'blobs':
      return { x: blobs(n, SOURCE_BLOBS, random), y: blobs(m, TARGET_BLOBS, random) };
    case 'letters':
      return { x: letter(n, LETTER_O, random), y: letter(m, LETTER_T, random) };
  }
}

const round = (v: number) => {
  const r = Number(v.toFixed(DECIMALS));
  return Object.is(r, -0) ? 0 : r;
};

/** URL text `x,y;x,y|x,y;…` (source | target), coordinates to 3 decimals. */
export function encodePoints({ x, y }: PointSets): string {
  const set = (points: number[][]) => points.map((p) => p.map(round).join(',')).join(';');
  return `${set(x)}|${set(y)}`;
}

function checkPoint(point: number[], field: string): number[] {
  if (point.length !== 2) {
    throw new InputError(field, `the lab draws 2D points, got ${point.length} coordinates`);
  }
  point.forEach((v, c) => {
    if (!Number.isFinite(v)) throw new InputError(`${field}[${c}]`, 'expected a finite number');
  });
  if (point.some((v) => v < -COORDINATE_MARGIN || v > 1 + COORDINATE_MARGIN)) {
    throw new InputError(
      field,
      `coordinates must lie in [${-COORDINATE_MARGIN}, ${1 + COORDINATE_MARGIN}] (the unit square and a margin); rescale the points`,
    );
  }
  return point;
}

function checkSet(points: number[][], field: string): number[][] {
  if (points.length > MAX_DRAWN_POINTS) {
    throw new InputError(field, `at most ${MAX_DRAWN_POINTS} points, got ${points.length}`);
  }
  return points.map((p, k) => checkPoint(p, `${field}[${k}]`));
}

const POINTS_SYNTAX = 'expected points as x,y;x,y|x,y;… (source | target)';

/** Parses `encodePoints` text; throws an InputError naming `pts` on anything else. */
export function decodePoints(text: string): PointSets {
  const halves = text.split('|');
  if (halves.length !== 2) throw new InputError('pts', POINTS_SYNTAX);
  const [x, y] = halves.map((half, s) => {
    if (half === '') return [];
    return checkSet(
      half.split(';').map((pair) => {
        const values = pair.split(',');
        if (values.length !== 2 || values.some((v) => !/^-?(\d+\.?\d*|\.\d+)$/.test(v))) {
          throw new InputError('pts', `${POINTS_SYNTAX}; got ${JSON.stringify(pair.slice(0, 40))}`);
        }
        return values.map(Number);
      }),
      s === 0 ? 'x' : 'y',
    );
  });
  return { x: x!, y: y! };
}

/** Reads `{ "x": [[x, y], …], "y": [[x, y], …] }` (also an `otlab sinkhorn` input file). */
export function pointsFromJson(json: unknown): PointSets {
  const file = requireObject(json, 'file');
  const set = (field: 'x' | 'y') => checkSet(requirePoints(file[field], field, 2), field);
  return { x: set('x'), y: set('y') };
}
