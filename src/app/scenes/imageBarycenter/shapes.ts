/**
 * Input images of the image barycenter lab as densities on a size×size grid over [0, 1]² (pixel
 * (r, c) at ((c + ½)/size, (r + ½)/size), rows downwards, as in src/ot/gridSinkhorn.ts): disks, rings
 * and squares with anti-aliased edges (4×4 samples per pixel), and area-averaging resampling of
 * painted or uploaded images. Pure functions; letters and PNG files are rasterised by raster.ts.
 */

export type ShapeKind = 'disk' | 'ring' | 'square';

/** Sub-samples per pixel side for anti-aliasing. */
const SUPERSAMPLE = 4;

function insideShape(kind: ShapeKind, dx: number, dy: number, radius: number): boolean {
  switch (kind) {
    case 'disk':
      return dx * dx + dy * dy <= radius * radius;
    case 'ring': {
      const r = Math.hypot(dx, dy);
      return r <= radius && r >= 0.55 * radius;
    }
    case 'square':
      return Math.max(Math.abs(dx), Math.abs(dy)) <= 0.85 * radius;
  }
}

/** Coverage (0..1) of each pixel by the shape centred at (cx, cy) with size `radius`, unnormalised. */
export function shapeImage(
  kind: ShapeKind,
  size: number,
  cx: number,
  cy: number,
  radius: number,
): Float64Array {
  const image = new Float64Array(size * size);
  const step = 1 / (size * SUPERSAMPLE);
  for (let r = 0; r < size; r += 1) {
    for (let c = 0; c < size; c += 1) {
      let covered = 0;
      for (let sr = 0; sr < SUPERSAMPLE; sr += 1) {
        for (let sc = 0; sc < SUPERSAMPLE; sc += 1) {
          const x = c / size + (sc + 0.5) * step;
          const y = r / size + (sr + 0.5) * step;
          if (insideShape(kind, x - cx, y - cy, radius)) covered += 1;
        }
      }
      image[r * size + c] = covered / (SUPERSAMPLE * SUPERSAMPLE);
    }
  }
  return image;
}

/**
 * Area-averaging resampling of a square image (side `from`) to side `to`: each target pixel is the
 * mean of the source area it covers (exact fractional overlaps), so mass and centre are kept.
 */
export function resampleImage(source: ArrayLike<number>, from: number, to: number): Float64Array {
  if (from === to) return Float64Array.from(source);
  const out = new Float64Array(to * to);
  const scale = from / to;
  const spans = Array.from({ length: to }, (_, t) => overlaps(t * scale, (t + 1) * scale, from));
  for (let r = 0; r < to; r += 1) {
    for (let c = 0; c < to; c += 1) {
      let total = 0;
      for (const [sr, wr] of spans[r]!) {
        for (const [sc, wc] of spans[c]!) total += wr * wc * source[sr * from + sc]!;
      }
      out[r * to + c] = total / (scale * scale);
    }
  }
  return out;
}

/** Source cells overlapping [start, end) with their overlap lengths. */
function overlaps(start: number, end: number, limit: number): [number, number][] {
  const cells: [number, number][] = [];
  for (let k = Math.floor(start); k < Math.min(Math.ceil(end), limit); k += 1) {
    const overlap = Math.min(end, k + 1) - Math.max(start, k);
    if (overlap > 0) cells.push([k, overlap]);
  }
  return cells;
}

/** Σ of the entries. */
export function totalMass(image: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < image.length; i += 1) total += image[i]!;
  return total;
}

/** Mass within distance r of (cx, cy) (pixel centres), for checks and the test hook. */
export function massNear(
  density: ArrayLike<number>,
  size: number,
  cx: number,
  cy: number,
  r: number,
): number {
  let mass = 0;
  for (let i = 0; i < size * size; i += 1) {
    const dx = ((i % size) + 0.5) / size - cx;
    const dy = (Math.floor(i / size) + 0.5) / size - cy;
    if (dx * dx + dy * dy <= r * r) mass += density[i]!;
  }
  return mass;
}

/** Adds a soft round brush (peak `strength`, radius in [0, 1] units) at (x, y) to a square image. */
export function addBrush(
  image: Float64Array,
  side: number,
  x: number,
  y: number,
  radius: number,
  strength = 1,
): void {
  const reach = Math.ceil(radius * side);
  const c0 = Math.floor(x * side);
  const r0 = Math.floor(y * side);
  for (let r = Math.max(0, r0 - reach); r <= Math.min(side - 1, r0 + reach); r += 1) {
    for (let c = Math.max(0, c0 - reach); c <= Math.min(side - 1, c0 + reach); c += 1) {
      const d = Math.hypot((c + 0.5) / side - x, (r + 0.5) / side - y) / radius;
      if (d < 1) image[r * side + c] = Math.min(1, image[r * side + c]! + strength * (1 - d * d));
    }
  }
}
