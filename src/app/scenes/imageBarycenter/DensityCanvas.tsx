/**
 * A grid density drawn as a heatmap (white → deep blue, normalised by its maximum) on a canvas of
 * the grid's size, scaled by CSS. Redrawn on the given notifications, throttled.
 */
import { interpolateYlGnBu, rgb } from 'd3';
import { useCallback, useRef } from 'react';
import { useSubscribedDraw } from '../../sceneHooks';

/** 256 colours of the map, as RGB bytes; zero is white, like the page. */
const LUT = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i += 1) {
    const { r, g, b } = rgb(interpolateYlGnBu(i / 255));
    lut.set([r, g, b], 3 * i);
  }
  lut.set([255, 255, 255], 0);
  return lut;
})();

/** Paints `density` (size × size, row-major) into the canvas; an absent density leaves it grey. */
export function paintDensity(
  canvas: HTMLCanvasElement,
  density: ArrayLike<number> | undefined,
  size: number,
): void {
  if (canvas.width !== size || canvas.height !== size) {
    canvas.width = size;
    canvas.height = size;
  }
  const context = canvas.getContext('2d');
  if (!context) return;
  if (!density || density.length !== size * size) {
    context.fillStyle = '#e2e8f0';
    context.fillRect(0, 0, size, size);
    return;
  }
  let peak = 0;
  for (let i = 0; i < density.length; i += 1) peak = Math.max(peak, density[i]!);
  const image = context.createImageData(size, size);
  for (let i = 0; i < density.length; i += 1) {
    const level = peak > 0 ? Math.round((255 * Math.max(0, density[i]!)) / peak) : 0;
    image.data.set(LUT.subarray(3 * level, 3 * level + 3), 4 * i);
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

interface DensityCanvasProps {
  density: () => ArrayLike<number> | undefined;
  size: number;
  subscribe: (listener: () => void) => () => void;
  label: string;
  testId: string;
}

export function DensityCanvas({ density, size, subscribe, label, testId }: DensityCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const draw = useCallback(
    (canvas: HTMLCanvasElement) => {
      paintDensity(canvas, density(), size);
    },
    [density, size],
  );
  useSubscribedDraw(ref, draw, subscribe, 60);
  return (
    <canvas ref={ref} className="ibl-density" role="img" aria-label={label} data-testid={testId} />
  );
}
