/**
 * 3D lab: the pooled cloud projected on the coordinate planes (x₁, x₂), (x₁, x₃), (x₂, x₃), as in
 * the planar views of seed 003 §5.2. Up to 10⁵ electrons per panel: pixels are blended straight
 * into a reused ImageData (no per-point path), redrawn throttled when the solver steps.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { ParticleSnapshot } from '../../../solvers/mcot/types';
import { drawOnChange } from '../../drawThrottle';
import { electronColours, type ColourMode } from './model';
import { PLOT_MARGIN, drawAxes, plotFrame, sizeCanvas, type PlotFrame } from './plotFrame';

const SIZE = 300;
const PLANES = [
  [0, 1],
  [0, 2],
  [1, 2],
] as const;
/** Opacity of one electron's pixel: dense regions darken, single electrons stay visible. */
const ALPHA = 0.45;

interface ProjectionsProps {
  K: number;
  N: number;
  extent: number;
  colourMode: ColourMode;
  source: () => ParticleSnapshot | undefined;
  subscribe: (listener: () => void) => () => void;
  onDraw: () => void;
}

export function Projections({
  K,
  N,
  extent,
  colourMode,
  source,
  subscribe,
  onDraw,
}: ProjectionsProps) {
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const svgs = useRef<(SVGSVGElement | null)[]>([]);
  const frame = useMemo(() => plotFrame(-extent, extent, SIZE), [extent]);
  const colours = useMemo(() => electronColours(K, N, colourMode), [K, N, colourMode]);

  useEffect(() => {
    PLANES.forEach(([a, b], p) => {
      const svg = svgs.current[p];
      if (svg) drawAxes(svg, frame, `x${a + 1}`, `x${b + 1}`);
    });
  }, [frame]);

  useEffect(() => {
    const images: (ImageData | undefined)[] = [];
    return drawOnChange(
      () => {
        const snapshot = source();
        if (!snapshot || snapshot.version === 0 || snapshot.x.length !== colours.length) return;
        PLANES.forEach((plane, p) => {
          const canvas = canvases.current[p];
          if (canvas) images[p] = splat(canvas, frame, snapshot, plane, colours, images[p]);
        });
        onDraw();
      },
      subscribe,
      150,
    );
  }, [frame, colours, source, subscribe, onDraw]);

  return (
    <div className="mcot-projections">
      {PLANES.map(([a, b], p) => (
        <div
          className="mcot-plot"
          key={`${a}${b}`}
          style={{ maxWidth: SIZE }}
          data-export-view={`Projection x${a + 1} x${b + 1}`}
        >
          <canvas
            ref={(element) => {
              canvases.current[p] = element;
            }}
            className="mcot-plot__canvas"
            data-testid={`mcot-projection-${a + 1}${b + 1}`}
          />
          <svg
            ref={(element) => {
              svgs.current[p] = element;
            }}
            className="mcot-plot__svg"
            role="img"
            aria-label={`Projection of the cloud on the (x${a + 1}, x${b + 1}) plane`}
          />
        </div>
      ))}
    </div>
  );
}

/** Blends every electron into the canvas pixels; returns the ImageData for reuse. */
function splat(
  canvas: HTMLCanvasElement,
  frame: PlotFrame,
  snapshot: ParticleSnapshot,
  [a, b]: readonly [number, number],
  colours: Float32Array,
  reuse: ImageData | undefined,
): ImageData {
  const context = sizeCanvas(canvas, frame.width);
  const { width, height } = canvas;
  const image =
    reuse?.width === width && reuse.height === height
      ? reuse
      : context.createImageData(width, height);
  const data = image.data;
  data.fill(0);
  const ratio = width / frame.width;
  const [left, right] = [PLOT_MARGIN.left * ratio, (frame.width - PLOT_MARGIN.right) * ratio];
  const [top, bottom] = [PLOT_MARGIN.top * ratio, (frame.width - PLOT_MARGIN.bottom) * ratio];
  const { x, dimension: d } = snapshot;
  const electrons = x.length / d;
  for (let e = 0; e < electrons; e += 1) {
    const px = Math.round(frame.x(x[e * d + a]!) * ratio);
    const py = Math.round(frame.y(x[e * d + b]!) * ratio);
    if (!(px >= left && px < right && py >= top && py < bottom)) continue;
    const o = 4 * (py * width + px);
    const keep = 1 - ALPHA;
    // Premultiplied "over" onto the accumulated pixel.
    data[o] = data[o]! * keep + 255 * colours[3 * e]! * ALPHA;
    data[o + 1] = data[o + 1]! * keep + 255 * colours[3 * e + 1]! * ALPHA;
    data[o + 2] = data[o + 2]! * keep + 255 * colours[3 * e + 2]! * ALPHA;
    data[o + 3] = data[o + 3]! * keep + 255 * ALPHA;
  }
  // ImageData is not premultiplied: divide the colour by the coverage.
  for (let o = 0; o < data.length; o += 4) {
    const alpha = data[o + 3]! / 255;
    if (alpha > 0) {
      data[o] = data[o]! / alpha;
      data[o + 1] = data[o + 1]! / alpha;
      data[o + 2] = data[o + 2]! / alpha;
    }
  }
  context.putImageData(image, 0, 0);
  return image;
}
