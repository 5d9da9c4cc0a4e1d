/**
 * The lab's editable view on a 2D canvas: source points (circles) coloured by the potential f_i,
 * target points (squares) coloured by g_j, the entropic plan as lines with opacity ∝ mass, and the
 * exact plan dashed on top. Click adds a point to the chosen set, dragging moves one, Alt+click
 * removes one; the edit is committed (to the URL, restarting the solver) on release. Redrawn from
 * the solver's latest potentials on step notifications (throttled), never through React state.
 */
import { interpolateBlues, interpolateOranges } from 'd3';
import { useCallback, useRef } from 'react';
import type { PlanEntry } from '../../../ot/exact/problem';
import type { SinkhornProblem } from '../../../ot/sinkhorn';
import { prepareCanvas } from '../../canvas';
import { lineScale } from '../../lecture/presenter';
import { useRedrawnCanvas } from '../../sceneHooks';
import { planLines } from './model';
import { COORDINATE_MARGIN, MAX_DRAWN_POINTS, type PointSets } from './pointSets';

export type Potentials = { f: Float64Array; g: Float64Array } | undefined;
export type PointSet = 'x' | 'y';

/** Opacity steps: lines are batched into one path per step (thousands of lines stay cheap). */
const ALPHA_STEPS = 12;
const LINE_RGB = '15, 23, 42';
export const EXACT_COLOR = '#be123c';
/** Point colours without potentials, and the ends of the potential colour scales. */
export const SOURCE_COLOR = '#1d4ed8';
export const TARGET_COLOR = '#c2410c';
/** Part of the Blues / Oranges scales used: light enough to read, dark enough to see on white. */
const SCALE_FROM = 0.3;
/** Above this many plan entries the view redraws at most 4 times a second instead of 30. */
const SLOW_DRAW_ENTRIES = 250_000;
/** Pointer distance (CSS px) within which a point is grabbed. */
const GRAB_RADIUS = 9;

export interface DrawInput {
  points: PointSets;
  /** The sets the view is fitted to (the committed ones while a point is dragged). */
  frame: PointSets;
  /** Undefined while a set is empty. */
  problem: SinkhornProblem | undefined;
  potentials: Potentials;
  exact: readonly PlanEntry[] | undefined;
}

/** Square view of the unit square, widened to hold every point, with y pointing up. */
export function viewBox(points: PointSets): { lo: number; hi: number } {
  let lo = 0;
  let hi = 1;
  for (const p of [...points.x, ...points.y]) {
    lo = Math.min(lo, p[0]!, p[1]!);
    hi = Math.max(hi, p[0]!, p[1]!);
  }
  const pad = 0.05 * (hi - lo);
  return { lo: lo - pad, hi: hi + pad };
}

interface Projection {
  toCanvas: (p: readonly number[]) => [number, number];
  fromCanvas: (u: number, v: number) => [number, number];
  /** Canvas pixels per unit. */
  scale: number;
}

function projection(points: PointSets, width: number, height: number): Projection {
  const { lo, hi } = viewBox(points);
  const scale = Math.min(width, height) / (hi - lo);
  const ox = (width - scale * (hi - lo)) / 2;
  const oy = (height - scale * (hi - lo)) / 2;
  return {
    toCanvas: (p) => [ox + scale * (p[0]! - lo), height - oy - scale * (p[1]! - lo)],
    fromCanvas: (u, v) => [lo + (u - ox) / scale, lo + (height - oy - v) / scale],
    scale,
  };
}

/** Colour of each value on a sequential scale spanning the values' range. */
function colours(values: ArrayLike<number>, interpolate: (t: number) => string): string[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < values.length; k += 1) {
    lo = Math.min(lo, values[k]!);
    hi = Math.max(hi, values[k]!);
  }
  const span = hi - lo;
  return Array.from(values, (v) =>
    interpolate(
      SCALE_FROM + (1 - SCALE_FROM) * (span > 0 && Number.isFinite(v) ? (v - lo) / span : 0.5),
    ),
  );
}

/** Draws the view into the whole canvas at `scale` canvas pixels per CSS pixel of `sizeOf`. */
export function drawLab(
  canvas: HTMLCanvasElement,
  input: DrawInput,
  scale?: number,
  sizeOf?: HTMLElement,
): number {
  const prepared = prepareCanvas(canvas, scale, sizeOf);
  if (!prepared) return 0;
  const { context, width, height, dpr } = prepared;
  const thickness = lineScale();
  const { points, problem, potentials, exact } = input;
  const { toCanvas } = projection(input.frame, width, height);

  // The unit square, where presets live.
  const [u0, v0] = toCanvas([0, 0]);
  const [u1, v1] = toCanvas([1, 1]);
  context.strokeStyle = '#e2e8f0';
  context.lineWidth = dpr;
  context.strokeRect(u0, v1, u1 - u0, v0 - v1);

  // Potentials of another problem size can linger for a frame while solvers are replaced.
  const current =
    problem &&
    potentials &&
    potentials.f.length === problem.x.length &&
    potentials.g.length === problem.y.length
      ? potentials
      : undefined;
  let drawn = 0;
  if (problem && current) {
    const entries = planLines(problem, current.f, current.g);
    const heaviest = entries.reduce((most, entry) => Math.max(most, entry.mass), 0);
    const paths = Array.from({ length: ALPHA_STEPS }, () => new Path2D());
    for (const { i, j, mass } of entries) {
      const share = heaviest > 0 ? mass / heaviest : 0;
      if (!(share >= 0.5 / ALPHA_STEPS)) continue;
      const level = Math.min(ALPHA_STEPS - 1, Math.floor(share * ALPHA_STEPS));
      const [x0, y0] = toCanvas(problem.x[i]!);
      const [x1, y1] = toCanvas(problem.y[j]!);
      paths[level]!.moveTo(x0, y0);
      paths[level]!.lineTo(x1, y1);
      drawn += 1;
    }
    context.lineWidth = Math.max(1, 1.3 * dpr * thickness);
    paths.forEach((path, level) => {
      context.strokeStyle = `rgba(${LINE_RGB}, ${(0.7 * (level + 1)) / ALPHA_STEPS})`;
      context.stroke(path);
    });
  }
  if (problem && exact) {
    const path = new Path2D();
    for (const { i, j } of exact) {
      const [x0, y0] = toCanvas(problem.x[i]!);
      const [x1, y1] = toCanvas(problem.y[j]!);
      path.moveTo(x0, y0);
      path.lineTo(x1, y1);
    }
    context.setLineDash([5 * dpr, 4 * dpr]);
    context.lineWidth = Math.max(1, 1.2 * dpr * thickness);
    context.strokeStyle = EXACT_COLOR;
    context.stroke(path);
    context.setLineDash([]);
  }

  const radius = (points.x.length + points.y.length > 400 ? 2.6 : 4) * dpr * Math.sqrt(thickness);
  const marks = [
    { set: points.x, values: current?.f, scale: interpolateBlues, plain: SOURCE_COLOR },
    { set: points.y, values: current?.g, scale: interpolateOranges, plain: TARGET_COLOR },
  ] as const;
  marks.forEach(({ set, values, scale: scaleOf, plain }, k) => {
    const fills = values ? colours(values, scaleOf) : new Array<string>(set.length).fill(plain);
    drawMarks(context, set.map(toCanvas), fills, radius, k === 0 ? 'circle' : 'square');
  });
  return drawn;
}

function drawMarks(
  context: CanvasRenderingContext2D,
  at: [number, number][],
  fills: string[],
  radius: number,
  shape: 'circle' | 'square',
): void {
  context.lineWidth = Math.max(1, radius / 3);
  context.strokeStyle = '#0f172a';
  at.forEach(([u, v], k) => {
    context.beginPath();
    if (shape === 'circle') context.arc(u, v, radius, 0, 2 * Math.PI);
    else context.rect(u - radius, v - radius, 2 * radius, 2 * radius);
    context.fillStyle = fills[k]!;
    context.fill();
    context.stroke();
  });
}

interface PointCanvasProps {
  points: PointSets;
  problem: SinkhornProblem | undefined;
  potentials: () => Potentials;
  exact: readonly PlanEntry[] | undefined;
  subscribe: (listener: () => void) => () => void;
  /** The set a click adds to. */
  addTo: PointSet;
  /** A committed edit (add, move or remove). */
  onEdit: (points: PointSets) => void;
  /** Called after each redraw with the number of plan lines drawn. */
  onDrawn: (lines: number) => void;
  label: string;
}

interface Drag {
  set: PointSet;
  index: number;
  points: PointSets;
  moved: boolean;
}

export function PointCanvas({
  points,
  problem,
  potentials,
  exact,
  subscribe,
  addTo,
  onEdit,
  onDrawn,
  label,
}: PointCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const drag = useRef<Drag | undefined>(undefined);
  const input = useCallback(
    (): DrawInput => ({
      points: drag.current?.points ?? points,
      frame: points,
      problem: drag.current ? undefined : problem,
      potentials: potentials(),
      exact: drag.current ? undefined : exact,
    }),
    [points, problem, potentials, exact],
  );
  const render = useCallback(
    (canvas: HTMLCanvasElement, scale?: number, sizeOf?: HTMLElement) => {
      const lines = drawLab(canvas, input(), scale, sizeOf);
      if (canvas === ref.current) onDrawn(lines);
    },
    [input, onDrawn],
  );
  // A redraw evaluates the cost of every pair (plan lines): large problems redraw less often.
  const entries = problem ? problem.x.length * problem.y.length : 0;
  useRedrawnCanvas(ref, render, subscribe, entries > SLOW_DRAW_ENTRIES ? 250 : 33);

  /** Data coordinates of a pointer event, and the nearest point within the grab radius. */
  const locate = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const canvas = event.currentTarget;
    const box = canvas.getBoundingClientRect();
    const u = event.clientX - box.left;
    const v = event.clientY - box.top;
    const view = projection(points, box.width, box.height);
    let nearest: { set: PointSet; index: number; distance: number } | undefined;
    for (const set of ['x', 'y'] as const) {
      points[set].forEach((p, index) => {
        const [pu, pv] = view.toCanvas(p);
        const distance = Math.hypot(pu - u, pv - v);
        if (distance <= GRAB_RADIUS && (!nearest || distance < nearest.distance)) {
          nearest = { set, index, distance };
        }
      });
    }
    const clamp = (c: number) => Math.min(1 + COORDINATE_MARGIN, Math.max(-COORDINATE_MARGIN, c));
    return { at: view.fromCanvas(u, v).map(clamp), nearest };
  };

  const onPointerDown = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (event.button !== 0) return;
    const { at, nearest } = locate(event);
    const copy = { x: points.x.map((p) => [...p]), y: points.y.map((p) => [...p]) };
    if (nearest && event.altKey) {
      copy[nearest.set].splice(nearest.index, 1);
      onEdit(copy);
      return;
    }
    if (nearest) {
      drag.current = { set: nearest.set, index: nearest.index, points: copy, moved: false };
      event.currentTarget.setPointerCapture(event.pointerId);
      return;
    }
    if (copy[addTo].length >= MAX_DRAWN_POINTS) return;
    copy[addTo].push(at);
    onEdit(copy);
  };
  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const current = drag.current;
    const canvas = ref.current;
    if (!current || !canvas) return;
    current.points[current.set][current.index] = locate(event).at;
    current.moved = true;
    drawLab(canvas, input());
  };
  const onPointerUp = () => {
    const current = drag.current;
    drag.current = undefined;
    if (current?.moved) onEdit(current.points);
  };

  return (
    <canvas
      ref={ref}
      className="plan-canvas pcl-canvas"
      role="img"
      aria-label={label}
      data-testid="point-cloud-canvas"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
    />
  );
}
