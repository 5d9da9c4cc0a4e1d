/**
 * The interpolation strip as one PNG: the five densities t = 0, ¼, ½, ¾, 1 side by side with their
 * labels, drawn from the grid densities (smoothed when scaled up).
 */
import { paintDensity } from './DensityCanvas';

const PANEL = 192;
const GAP = 8;
const LABEL = 28;

export function stripCanvas(
  densities: readonly (ArrayLike<number> | undefined)[],
  size: number,
  labels: readonly string[],
): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = densities.length * PANEL + (densities.length + 1) * GAP;
  canvas.height = PANEL + LABEL + 2 * GAP;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser has no 2D canvas: the strip cannot be exported');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  const tile = document.createElement('canvas');
  context.imageSmoothingEnabled = true;
  context.fillStyle = '#0f172a';
  context.font = '16px "DejaVu Sans", Arial, sans-serif';
  context.textAlign = 'center';
  densities.forEach((density, i) => {
    paintDensity(tile, density, size);
    const x = GAP + i * (PANEL + GAP);
    context.drawImage(tile, x, GAP, PANEL, PANEL);
    context.fillText(labels[i] ?? '', x + PANEL / 2, GAP + PANEL + 20);
  });
  return canvas;
}

/** Downloads the strip as `interpolation-strip.png`. */
export async function downloadStrip(canvas: HTMLCanvasElement): Promise<void> {
  const blob = await new Promise<Blob | null>((resolve) => {
    canvas.toBlob(resolve, 'image/png');
  });
  if (!blob) throw new Error('the browser could not encode the strip as PNG');
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = 'interpolation-strip.png';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}
