/**
 * 1D view: the particles' electron pairs (x_i^k, x_j^k) over the graphs of the exact co-motion maps
 * T_m(x) = F⁻¹(F(x) + m/N mod 1), m = 1 … N − 1, whose union is the support of the optimal
 * symmetric plan projected on a pair (MATH.md §6, seed 002). The MCOT particles should gather near
 * these graphs (seed 003 §5.1.6). Curves are SVG (redrawn when the law or N changes); particles are
 * a canvas redrawn from the solver's snapshot, throttled, on every step.
 */
import { line } from 'd3';
import { useEffect, useMemo, useRef } from 'react';
import type { Density1D } from '../../../ot/mcot/marginals';
import type { ParticleSnapshot } from '../../../solvers/mcot/types';
import { drawOnChange } from '../../drawThrottle';
import { registerCanvasExport } from '../../lecture/exportViews';
import { lineScale, strokeStyle } from '../../lecture/presenter';
import { coMotionSegments } from './model';
import { drawAxes, plotFrame, sizeCanvas } from './plotFrame';

export interface ParticleLayer {
  id: string;
  snapshot: ParticleSnapshot | undefined;
  color: string;
  /** Rings instead of discs, so a second lane stays visible on top of the first. */
  hollow: boolean;
}

interface PairPlotProps {
  density: Density1D;
  N: number;
  pairs: readonly (readonly [number, number])[];
  xTitle: string;
  yTitle: string;
  layers: () => ParticleLayer[];
  subscribe: (listener: () => void) => () => void;
  onDraw: () => void;
}

const SIZE = 480;
export const GRAPH_COLOR = '#d97706';

export function PairPlot({
  density,
  N,
  pairs,
  xTitle,
  yTitle,
  layers,
  subscribe,
  onDraw,
}: PairPlotProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const segments = useMemo(() => coMotionSegments(density, N), [density, N]);
  const pad = 0.04 * (density.b - density.a);
  const frame = useMemo(
    () => plotFrame(density.a - pad, density.b + pad, SIZE),
    [density.a, density.b, pad],
  );

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const root = drawAxes(svg, frame, xTitle, yTitle);
    const path = line()
      .x((p) => frame.x(p[0]))
      .y((p) => frame.y(p[1]));
    root
      .append('g')
      .attr('class', 'mcot-graphs')
      .selectAll('path')
      .data(segments)
      .join('path')
      .attr('d', (segment) => path(segment))
      .attr('fill', 'none')
      .attr('stroke', GRAPH_COLOR)
      .style('stroke-width', strokeStyle(2).strokeWidth)
      .attr('stroke-opacity', 0.8);
  }, [frame, segments, xTitle, yTitle]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    return drawOnChange(
      () => {
        drawParticles(canvas, frame, pairs, layers());
        onDraw();
      },
      subscribe,
      50,
    );
  }, [frame, pairs, layers, subscribe, onDraw]);
  // Exports redraw the particles at the requested scale instead of enlarging the screen pixels.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    return registerCanvasExport(canvas, (scale) => {
      const copy = document.createElement('canvas');
      drawParticles(copy, frame, pairs, layers(), scale);
      return copy;
    });
  }, [frame, pairs, layers]);

  return (
    <div className="mcot-plot" style={{ maxWidth: SIZE }} data-export-view="Electron pairs">
      <canvas ref={canvasRef} className="mcot-plot__canvas" data-testid="mcot-pairs-canvas" />
      <svg
        ref={svgRef}
        className="mcot-plot__svg"
        role="img"
        aria-label="Electron pairs over the co-motion graphs"
      />
    </div>
  );
}

function drawParticles(
  canvas: HTMLCanvasElement,
  frame: ReturnType<typeof plotFrame>,
  pairs: readonly (readonly [number, number])[],
  layers: ParticleLayer[],
  ratio?: number,
): void {
  const context = sizeCanvas(canvas, frame.width, ratio);
  context.clearRect(0, 0, frame.width, frame.width);
  // Thicker rings and larger markers in presenter mode.
  const thickness = lineScale();
  for (const layer of layers) {
    const snapshot = layer.snapshot;
    if (!snapshot || snapshot.version === 0) continue;
    const { x, weights, electrons: N, particles: K } = snapshot;
    // Marker area ∝ weight: radius 3 px at w = 1/K.
    const many = K * pairs.length > 20000;
    context.fillStyle = layer.color;
    context.strokeStyle = layer.color;
    context.lineWidth = 1.2 * thickness;
    context.globalAlpha = layer.hollow ? 0.95 : 0.7;
    for (let k = 0; k < K; k += 1) {
      const radius =
        Math.min(8, Math.max(1.2, 3 * Math.sqrt(weights[k]! * K))) * Math.sqrt(thickness);
      for (const [i, j] of pairs) {
        const px = frame.x(x[k * N + i]!);
        const py = frame.y(x[k * N + j]!);
        if (many) {
          context.fillRect(px - 1, py - 1, 2, 2);
          continue;
        }
        context.beginPath();
        context.arc(px, py, radius, 0, 2 * Math.PI);
        if (layer.hollow) context.stroke();
        else context.fill();
      }
    }
  }
  context.globalAlpha = 1;
}
