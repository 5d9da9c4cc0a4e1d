/**
 * One backend's view of the toy on a 2D canvas: both clouds and the heaviest plan entries of each
 * source point, line opacity proportional to mass. Redrawn from the solver's latest potentials on
 * step notifications (throttled), never through React state.
 */
import { useCallback, useRef } from 'react';
import { planTopPerRow, type SinkhornProblem } from '../../../ot/sinkhorn';
import { prepareCanvas } from '../../canvas';
import { lineScale } from '../../lecture/presenter';
import { useRedrawnCanvas } from '../../sceneHooks';

export type Potentials = { f: Float64Array; g: Float64Array } | undefined;

interface PlanCanvasProps {
  problem: SinkhornProblem;
  potentials: () => Potentials;
  subscribe: (listener: () => void) => () => void;
  label: string;
  testId: string;
}

/** Plan entries drawn per source point: fewer for large clouds, which would turn grey. */
function linesPerRow(n: number): number {
  return n > 200 ? 1 : n > 100 ? 2 : 3;
}
/** Opacity steps: lines are batched into one path per step (thousands of lines stay cheap). */
const ALPHA_STEPS = 12;
export const SOURCE_COLOR = '#1d4ed8';
export const TARGET_COLOR = '#c2410c';
const LINE_RGB = '15, 23, 42';

export function PlanCanvas({ problem, potentials, subscribe, label, testId }: PlanCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const render = useCallback(
    (canvas: HTMLCanvasElement, scale?: number, sizeOf?: HTMLElement) => {
      drawPlan(canvas, problem, potentials(), scale, sizeOf);
    },
    [problem, potentials],
  );
  useRedrawnCanvas(ref, render, subscribe);
  return (
    <canvas ref={ref} className="plan-canvas" role="img" aria-label={label} data-testid={testId} />
  );
}

/** Draws into the whole canvas at `scale` canvas pixels per CSS pixel of `sizeOf`. */
function drawPlan(
  canvas: HTMLCanvasElement,
  problem: SinkhornProblem,
  pot: Potentials,
  scale?: number,
  sizeOf?: HTMLElement,
): void {
  const prepared = prepareCanvas(canvas, scale, sizeOf);
  if (!prepared) return;
  const { context, width, height, dpr } = prepared;
  // Thicker lines and points in presenter mode.
  const thickness = lineScale();

  const { x, y } = problem;
  const project = fitToCanvas([...x, ...y], width, height, 14 * dpr);

  // Potentials of another problem size can linger for a frame while solvers are replaced.
  if (pot && pot.f.length === x.length && pot.g.length === y.length) {
    const entries = planTopPerRow(problem, pot.f, pot.g, linesPerRow(x.length));
    // Opacity ∝ mass, the heaviest entry drawn darkest.
    const heaviest = entries.reduce((most, entry) => Math.max(most, entry.mass), 0);
    const paths = Array.from({ length: ALPHA_STEPS }, () => new Path2D());
    for (const { i, j, mass } of entries) {
      const share = heaviest > 0 ? mass / heaviest : 0;
      if (share < 0.5 / ALPHA_STEPS) continue;
      const level = Math.min(ALPHA_STEPS - 1, Math.floor(share * ALPHA_STEPS));
      const [x0, y0] = project(x[i]!);
      const [x1, y1] = project(y[j]!);
      paths[level]!.moveTo(x0, y0);
      paths[level]!.lineTo(x1, y1);
    }
    context.lineWidth = Math.max(1, 1.3 * dpr * thickness);
    paths.forEach((path, level) => {
      context.strokeStyle = `rgba(${LINE_RGB}, ${(0.85 * (level + 1)) / ALPHA_STEPS})`;
      context.stroke(path);
    });
  }

  const radius = (x.length + y.length > 300 ? 2.4 : 3.4) * dpr * Math.sqrt(thickness);
  drawPoints(context, x.map(project), radius, SOURCE_COLOR);
  drawPoints(context, y.map(project), radius, TARGET_COLOR);
}

function drawPoints(
  context: CanvasRenderingContext2D,
  points: [number, number][],
  radius: number,
  color: string,
): void {
  const path = new Path2D();
  for (const [px, py] of points) {
    path.moveTo(px + radius, py);
    path.arc(px, py, radius, 0, 2 * Math.PI);
  }
  context.fillStyle = color;
  context.fill(path);
  context.lineWidth = Math.max(1, radius / 3);
  context.strokeStyle = '#ffffff';
  context.stroke(path);
}

/** Maps 2D points into the canvas with equal scales on both axes and y pointing up. */
function fitToCanvas(
  points: number[][],
  width: number,
  height: number,
  padding: number,
): (p: number[]) => [number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [px = 0, py = 0] of points) {
    minX = Math.min(minX, px);
    maxX = Math.max(maxX, px);
    minY = Math.min(minY, py);
    maxY = Math.max(maxY, py);
  }
  const spanX = Math.max(maxX - minX, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
  const offsetX = (width - scale * spanX) / 2;
  const offsetY = (height - scale * spanY) / 2;
  return ([px = 0, py = 0]) => [
    offsetX + scale * (px - minX),
    height - (offsetY + scale * (py - minY)),
  ];
}
