/**
 * The measures ν_k (coloured dots; for the circle example, the circles they live on) and the current
 * barycenter (black dots, area ∝ weight). After every fixed-point update the barycenter's points
 * glide from where they were (for G: from the point whose row they were glued from) to where they
 * are, and faint segments show the last move. Drawn from the controller's latest result on step
 * notifications, never through React state.
 */
import { useEffect, useRef } from 'react';
import type { GenericBarycenterProblem } from '../../../ot/barycenter/fixedPoint';
import type { Circle } from '../../../ot/barycenter/groundCost';
import { CIRCLES_SOURCE } from '../../../ot/barycenter/seedExamples';
import type { GenericBarycenterResult } from '../../../solvers/genericBarycenter';
import { prepareCanvas } from '../../canvas';
import { registerCanvasExport } from '../../lecture/exportViews';
import { lineScale, onPresenterChange } from '../../lecture/presenter';
import { MEASURE_COLORS } from './model';

interface PointsCanvasProps {
  problem: GenericBarycenterProblem;
  result: () => GenericBarycenterResult | undefined;
  subscribe: (listener: () => void) => () => void;
  /** Duration of the glide between iterates. */
  tweenMs: number;
}

interface Frame {
  from: number[][];
  to: number[][];
  weights: number[];
  start: number;
}

const PADDING = 18;

export function PointsCanvas({ problem, result, subscribe, tweenMs }: PointsCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    let frame: Frame = {
      from: problem.init.points,
      to: problem.init.points,
      weights: Array.from(problem.init.weights),
      start: -Infinity,
    };
    let shownIteration = -1;
    let handle: number | undefined;
    const draw = () => {
      handle = undefined;
      const progress = tweenMs > 0 ? (performance.now() - frame.start) / tweenMs : 1;
      drawScene(canvas, problem, frame, Math.min(1, Math.max(0, progress)));
      if (progress < 1) handle = requestAnimationFrame(draw);
    };
    const request = () => {
      handle ??= requestAnimationFrame(draw);
    };
    const onStep = () => {
      const latest = result();
      if (!latest) {
        if (shownIteration !== -1) {
          shownIteration = -1;
          frame = {
            ...frame,
            from: problem.init.points,
            to: problem.init.points,
            start: -Infinity,
          };
        }
      } else if (latest.iteration !== shownIteration) {
        const previous = latest.previous;
        const from =
          previous && latest.iteration === shownIteration + 1
            ? latest.parents.map((parent) => previous.points[parent] ?? latest.points[0]!)
            : latest.points;
        frame = { from, to: latest.points, weights: latest.weights, start: performance.now() };
        shownIteration = latest.iteration;
      }
      request();
    };
    const observer = new ResizeObserver(request);
    observer.observe(canvas);
    const unsubscribe = subscribe(onStep);
    const offPresenter = onPresenterChange(request);
    // Exports redraw the settled iterate at the requested scale instead of enlarging pixels.
    const offExport = registerCanvasExport(canvas, (scale) => {
      const copy = document.createElement('canvas');
      drawScene(copy, problem, frame, 1, scale, canvas);
      return copy;
    });
    onStep();
    return () => {
      observer.disconnect();
      unsubscribe();
      offPresenter();
      offExport();
      if (handle !== undefined) cancelAnimationFrame(handle);
    };
  }, [problem, result, subscribe, tweenMs]);
  return (
    <canvas
      ref={ref}
      className="gbl-canvas"
      role="img"
      aria-label="The measures and the barycenter's points"
      data-testid="barycenter-canvas"
    />
  );
}

/** World → canvas pixels, same scale on both axes (y up), fitted to the points. */
function fit(points: readonly number[][], width: number, height: number, pad: number) {
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min((width - 2 * pad) / (x1 - x0 || 1), (height - 2 * pad) / (y1 - y0 || 1));
  const ox = (width - scale * (x1 - x0)) / 2;
  const oy = (height - scale * (y1 - y0)) / 2;
  return {
    scale,
    x: (v: number) => ox + scale * (v - x0),
    y: (v: number) => height - oy - scale * (v - y0),
  };
}

function drawScene(
  canvas: HTMLCanvasElement,
  problem: GenericBarycenterProblem,
  frame: Frame,
  progress: number,
  scale?: number,
  sizeOf?: HTMLElement,
): void {
  const prepared = prepareCanvas(canvas, scale, sizeOf);
  if (!prepared) return;
  const { context, width, height, dpr } = prepared;
  // Thicker lines and points in presenter mode.
  const thickness = lineScale();
  const all = [...problem.measures.flatMap((m) => m.points), ...frame.from, ...frame.to];
  const view = fit(all, width, height, PADDING * dpr);

  if (problem.ground.kind === 'circles') {
    const ring = (circle: Circle, color: string, alpha: number, dash: number[]) => {
      context.strokeStyle = color;
      context.globalAlpha = alpha;
      context.setLineDash(dash);
      context.beginPath();
      const [cx, cy] = circle.center;
      context.arc(view.x(cx), view.y(cy), view.scale * circle.radius, 0, 2 * Math.PI);
      context.stroke();
    };
    context.lineWidth = 1.2 * dpr * thickness;
    problem.ground.circles.forEach((circle, k) => {
      ring(circle, MEASURE_COLORS[k % MEASURE_COLORS.length]!, 0.35, []);
    });
    // Where the data were observed from: the hidden circle (dashed).
    ring(CIRCLES_SOURCE, '#0f172a', 0.5, [4 * dpr, 4 * dpr]);
    context.setLineDash([]);
  }

  problem.measures.forEach((measure, k) => {
    context.fillStyle = MEASURE_COLORS[k % MEASURE_COLORS.length]!;
    context.globalAlpha = 0.55;
    for (const [px, py] of measure.points) {
      context.beginPath();
      context.arc(view.x(px!), view.y(py!), 2.2 * dpr * Math.sqrt(thickness), 0, 2 * Math.PI);
      context.fill();
    }
  });

  // The last move, faint, then the barycenter on its way (smoothstep easing).
  const ease = progress * progress * (3 - 2 * progress);
  context.globalAlpha = 0.25;
  context.strokeStyle = '#0f172a';
  context.lineWidth = dpr * thickness;
  context.beginPath();
  frame.to.forEach((to, i) => {
    const from = frame.from[i]!;
    context.moveTo(view.x(from[0]!), view.y(from[1]!));
    context.lineTo(view.x(to[0]!), view.y(to[1]!));
  });
  context.stroke();
  const n = frame.to.length;
  context.fillStyle = '#0f172a';
  frame.to.forEach((to, i) => {
    const from = frame.from[i]!;
    const x = from[0]! + ease * (to[0]! - from[0]!);
    const y = from[1]! + ease * (to[1]! - from[1]!);
    const radius =
      Math.min(6, Math.max(1.4, 2.6 * Math.sqrt((frame.weights[i] ?? 0) * n))) *
      dpr *
      Math.sqrt(thickness);
    context.globalAlpha = 0.8;
    context.beginPath();
    context.arc(view.x(x), view.y(y), radius, 0, 2 * Math.PI);
    context.fill();
  });
  context.globalAlpha = 1;
}
