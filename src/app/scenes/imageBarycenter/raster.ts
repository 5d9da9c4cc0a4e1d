/**
 * Browser rasterisation of the image barycenter lab's inputs at RASTER_SIDE² (resampled to the grid
 * by shapes.ts): letters drawn with the canvas text API, and PNG files converted to densities.
 *
 * PNG → density: each pixel's ink is alpha × (1 − luminance) (dark ink on a light or transparent
 * background carries the mass), or alpha × luminance with `invert` (light on dark); ink under 2%
 * is background (an off-white page would otherwise spread mass everywhere). The image is
 * fitted into the square keeping its aspect ratio. Rejected, with a message naming the slot: files
 * that are not PNG, larger than MAX_UPLOAD_BYTES, that fail to decode, wider or taller than
 * MAX_UPLOAD_SIDE, and images without ink (nothing to transport).
 */
import { InputError } from '../../../ot/validate';

/** Side of the images painted, uploaded or lettered, before resampling to the grid. */
export const RASTER_SIDE = 256;
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
export const MAX_UPLOAD_SIDE = 8192;
/** Ink below this is background (near-white paper, compression noise), not mass. */
export const INK_FLOOR = 0.02;

function rasterCanvas(): { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = RASTER_SIDE;
  canvas.height = RASTER_SIDE;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context)
    throw new Error('this browser has no 2D canvas: letters and uploads are unavailable');
  return { canvas, context };
}

/**
 * Per-pixel ink from RGBA: alpha × (1 − luminance), or alpha × luminance when inverted; ink below
 * INK_FLOOR counts as background.
 */
export function inkFromRgba(rgba: ArrayLike<number>, invert: boolean): Float64Array {
  const ink = new Float64Array(rgba.length / 4);
  for (let i = 0; i < ink.length; i += 1) {
    const luminance =
      (0.2126 * rgba[4 * i]! + 0.7152 * rgba[4 * i + 1]! + 0.0722 * rgba[4 * i + 2]!) / 255;
    const alpha = rgba[4 * i + 3]! / 255;
    const value = alpha * (invert ? luminance : 1 - luminance);
    ink[i] = value < INK_FLOOR ? 0 : value;
  }
  return ink;
}

/** A bold capital letter centred at (cx, cy), about 2·radius tall, as ink (0..1). */
export function letterImage(letter: string, cx: number, cy: number, radius: number): Float64Array {
  const { context } = rasterCanvas();
  const px = 2.2 * radius * RASTER_SIDE;
  context.fillStyle = '#000000';
  context.font = `bold ${px.toFixed(1)}px "DejaVu Sans", Arial, sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText(letter, cx * RASTER_SIDE, cy * RASTER_SIDE);
  return inkFromRgba(context.getImageData(0, 0, RASTER_SIDE, RASTER_SIDE).data, false);
}

/** Decodes and validates a PNG file; resolves with its ink at RASTER_SIDE². */
export async function pngImage(file: File, invert: boolean, field: string): Promise<Float64Array> {
  const isPng = file.type === 'image/png' || (file.type === '' && /\.png$/i.test(file.name));
  if (!isPng) {
    throw new InputError(field, `upload a PNG image (got ${file.type || 'a file without a type'})`);
  }
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new InputError(
      field,
      `the PNG is ${(file.size / 2 ** 20).toFixed(1)} MiB; the limit is 8 MiB`,
    );
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (error) {
    throw new InputError(
      field,
      `could not decode the PNG (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  try {
    const { width, height } = bitmap;
    if (width < 1 || height < 1 || width > MAX_UPLOAD_SIDE || height > MAX_UPLOAD_SIDE) {
      throw new InputError(
        field,
        `the PNG is ${width}×${height}; sides must be 1 to ${MAX_UPLOAD_SIDE}`,
      );
    }
    const { context } = rasterCanvas();
    const scale = RASTER_SIDE / Math.max(width, height);
    const [w, h] = [width * scale, height * scale];
    context.drawImage(bitmap, (RASTER_SIDE - w) / 2, (RASTER_SIDE - h) / 2, w, h);
    const ink = inkFromRgba(context.getImageData(0, 0, RASTER_SIDE, RASTER_SIDE).data, invert);
    if (!(ink.reduce((s, v) => s + v, 0) > 0)) {
      throw new InputError(
        field,
        `the PNG has no ${invert ? 'light' : 'dark'} pixels, so no mass to transport${invert ? '' : ' (for light shapes on a dark background, tick Invert)'}`,
      );
    }
    return ink;
  } finally {
    bitmap.close();
  }
}
