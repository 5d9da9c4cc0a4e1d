/**
 * The imperative 2D view: two panels (W2 and L2) each with a density heatmap canvas under a d3
 * SVG of ellipses, map arrows and drag handles (centre and two axis handles per component of each
 * endpoint). Pointer moves change a local copy of the endpoints and redraw at most once per
 * animation frame, outside React; the URL (store) is updated when the drag ends. In points mode
 * clicks drop points for "Fit from points" instead.
 */
import { line, select, type Selection } from 'd3';
import type { DensityGrid } from '../../../gpu/density';
import type { GpuRuntime } from '../../../gpu/runtime';
import type { GaussianMixture } from '../../../ot/gaussian';
import { testHook } from '../../testHook';
import type { Endpoint, Endpoints } from './endpoints';
import { axisHandle, dragAxis, ellipsePath, roundEllipse } from './geometry';
import { DensityScheduler, paintHeatmap, type DensityResult } from './heatmap';
import type { GaussianInterpolationHook } from './hook';
import { computeLab, type LabInput, type LabModel } from './model';
import { DOMAIN, MAX_SCALE, MIN_SCALE, type Side } from './params';

/** SVG user units per panel side. */
export const VIEW_SIZE = 400;
/** Ellipses are drawn at this many standard deviations; handles sit on them. */
const RADIUS = 2;
const GRID: DensityGrid = {
  width: 160,
  height: 160,
  x0: -DOMAIN,
  x1: DOMAIN,
  y0: -DOMAIN,
  y1: DOMAIN,
};
export const COLORS = { rho0: '#1d4ed8', rho1: '#c2410c', w2: '#7c3aed', l2: '#0f766e' } as const;
const PAIR_COLORS = ['#6d28d9', '#a21caf', '#0369a1', '#b45309'];
const DRAW_HISTORY = 240;

export interface PanelElements {
  canvas: HTMLCanvasElement;
  svg: SVGSVGElement;
}

export interface NumberElements {
  w2: HTMLElement;
  meanTerm: HTMLElement;
  covarianceTerm: HTMLElement;
  w2FromStart: HTMLElement;
  error: HTMLElement;
}

type Handle = { side: Side; component: number; part: 'centre' | 0 | 1 };

/** While dragging in points mode, a new point is dropped every this many plane units. */
const POINT_SPACING = 0.3;

const toX = (x: number) => ((x + DOMAIN) / (2 * DOMAIN)) * VIEW_SIZE;
const toY = (y: number) => ((DOMAIN - y) / (2 * DOMAIN)) * VIEW_SIZE;
const fromX = (px: number) => (px / VIEW_SIZE) * 2 * DOMAIN - DOMAIN;
const fromY = (py: number) => DOMAIN - (py / VIEW_SIZE) * 2 * DOMAIN;
const clampDomain = (v: number) => Math.min(Math.max(v, -DOMAIN), DOMAIN);
const path = line()
  .x((p) => toX(p[0]))
  .y((p) => toY(p[1]));

export class PlaneView {
  private input: LabInput | undefined;
  private model: LabModel | undefined;
  private frame: number | undefined;
  private drag: Handle | undefined;
  private readonly density: DensityScheduler;
  private readonly hook: GaussianInterpolationHook;
  private readonly cleanups: (() => void)[] = [];
  /** "Fit from points": the endpoint clicks drop points for, if any, and the points so far. */
  private pointsSide: Side | undefined;
  private points: [number, number][] = [];
  private dropping = false;
  /** Told the number of points after every change (React shows it). */
  onPointsChange: ((count: number) => void) | undefined;

  constructor(
    private readonly panels: { w2: PanelElements; l2: PanelElements },
    private readonly numbers: NumberElements,
    runtime: GpuRuntime | undefined,
    private readonly commit: (side: Side, endpoint: Endpoint) => void,
    onError: (message: string) => void,
  ) {
    this.hook = {
      preset: '',
      t: 0,
      mode: 'gaussians',
      endpoints: [],
      rho0: { weights: [], components: [] },
      rho1: { weights: [], components: [] },
      w2Interpolant: { weights: [], components: [] },
      l2Interpolant: { weights: [], components: [] },
      w2Squared: NaN,
      meanTerm: NaN,
      covarianceTerm: NaN,
      w2FromStart: NaN,
      densityBackend: undefined,
      densityUpdates: 0,
      densityMax: [],
      densityTimes: [],
      drawTimes: [],
      frames: 0,
      drawPending: false,
      densityFrame: 0,
      dragging: false,
      error: undefined,
      pointsSide: undefined,
      points: [],
      fit: undefined,
      fitError: undefined,
    };
    testHook().gaussianInterpolation = this.hook;
    this.density = new DensityScheduler(
      runtime,
      GRID,
      (result, frame) => {
        this.paint(result, frame);
      },
      onError,
    );
    for (const panel of [panels.w2, panels.l2]) this.listen(panel.svg);
  }

  /** New parameters from the store (ignored mid-drag: the drag owns the endpoints). */
  setInput(input: LabInput): void {
    if (this.drag && this.input) {
      this.input = { ...this.input, t: input.t, preset: input.preset };
    } else {
      this.input = input;
    }
    this.schedule();
  }

  /** Clicks on the plane (off the handles) drop points for ρ₀ (0), ρ₁ (1), or nothing. */
  setPointsSide(side: Side | undefined): void {
    this.pointsSide = side;
    this.hook.pointsSide = side === undefined ? undefined : side === 0 ? 'rho0' : 'rho1';
    for (const panel of [this.panels.w2, this.panels.l2]) {
      panel.svg.classList.toggle('gi-plane__overlay--points', side !== undefined);
    }
    this.schedule();
  }

  clearPoints(): void {
    this.points = [];
    this.pointsChanged();
  }

  currentPoints(): [number, number][] {
    return this.points.map((p) => [p[0], p[1]]);
  }

  /** W2²(ρ₀, ρ₁) as last drawn. */
  get w2Squared(): number {
    return this.hook.w2Squared;
  }

  /** Records the last fit (or its error message) in the test hook. */
  recordFit(fit: GaussianInterpolationHook['fit'], error: string | undefined): void {
    this.hook.fit = fit;
    this.hook.fitError = error;
  }

  private addPoint(p: [number, number]): void {
    this.points.push(p);
    this.pointsChanged();
  }

  private pointsChanged(): void {
    this.hook.points = this.currentPoints();
    this.onPointsChange?.(this.points.length);
    this.schedule();
  }

  dispose(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.density.dispose();
    for (const cleanup of this.cleanups) cleanup();
    const hook = testHook();
    if (hook.gaussianInterpolation === this.hook) hook.gaussianInterpolation = undefined;
  }

  private schedule(): void {
    this.hook.drawPending = true;
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
      this.hook.drawPending = false;
      this.draw();
    });
  }

  private draw(): void {
    const input = this.input;
    if (!input) return;
    const start = performance.now();
    try {
      this.model = computeLab(input);
      this.hook.error = undefined;
      this.numbers.error.hidden = true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.hook.error = message;
      this.numbers.error.hidden = false;
      this.numbers.error.textContent = `These parameters cannot be shown: ${message}`;
      return;
    }
    const model = this.model;
    this.drawPanel(this.panels.w2.svg, model, 'w2');
    this.drawPanel(this.panels.l2.svg, model, 'l2');
    this.writeNumbers(model);
    this.hook.frames += 1;
    this.density.request([model.w2Interpolant, model.l2Interpolant], this.hook.frames);
    Object.assign(this.hook, {
      preset: input.preset,
      t: input.t,
      mode: model.mode,
      endpoints: input.endpoints.map(copyEndpoint),
      rho0: model.rho0,
      rho1: model.rho1,
      w2Interpolant: model.w2Interpolant,
      l2Interpolant: model.l2Interpolant,
      w2Squared: model.w2Squared,
      meanTerm: model.meanTerm,
      covarianceTerm: model.covarianceTerm,
      w2FromStart: model.w2FromStart,
    });
    this.hook.drawTimes.push(performance.now() - start);
    if (this.hook.drawTimes.length > DRAW_HISTORY) this.hook.drawTimes.shift();
  }

  private paint(result: DensityResult, frame: number): void {
    const pixels = GRID.width * GRID.height;
    this.hook.densityMax = [
      paintHeatmap(this.panels.w2.canvas, result.values, 0, GRID),
      paintHeatmap(this.panels.l2.canvas, result.values, pixels, GRID),
    ];
    this.hook.densityBackend = result.backend;
    this.hook.densityUpdates += 1;
    this.hook.densityFrame = frame;
    this.hook.densityTimes.push(performance.now() - result.requestedAt);
    if (this.hook.densityTimes.length > DRAW_HISTORY) this.hook.densityTimes.shift();
  }

  private writeNumbers(model: LabModel): void {
    const w2 = Math.sqrt(model.w2Squared);
    this.numbers.w2.textContent = `${model.w2Squared.toFixed(4)}  (W₂ = ${w2.toFixed(4)})`;
    this.numbers.meanTerm.textContent = model.meanTerm.toFixed(4);
    this.numbers.covarianceTerm.textContent = model.covarianceTerm.toFixed(4);
    this.numbers.w2FromStart.textContent = model.w2FromStart.toFixed(4);
  }

  private drawPanel(svgElement: SVGSVGElement, model: LabModel, kind: 'w2' | 'l2'): void {
    const svg = select(svgElement);
    const arrows = kind === 'w2' ? model.arrows : [];
    layer(svg, 'arrows')
      .selectAll('line')
      .data(arrows)
      .join('line')
      .attr('x1', (a) => toX(a.from[0]))
      .attr('y1', (a) => toY(a.from[1]))
      .attr('x2', (a) => toX(a.to[0]))
      .attr('y2', (a) => toY(a.to[1]))
      .attr('stroke', (a) => (model.mode === 'mixtures' ? PAIR_COLORS[a.pair % 4]! : '#475569'))
      .attr('marker-end', 'url(#gi-arrow)');
    layer(svg, 'movers')
      .selectAll('circle')
      .data(arrows)
      .join('circle')
      .attr('cx', (a) => toX(a.at[0]))
      .attr('cy', (a) => toY(a.at[1]))
      .attr('r', 2.6);

    const interpolant = model.w2Interpolant;
    const curves: { d: string; cls: string; color: string; opacity: number }[] = [];
    const t = this.input?.t ?? 0;
    const maxWeight = Math.max(...model.l2Interpolant.weights, 1e-12);
    // W2 panel: dashed endpoints under the violet interpolant. L2 panel: the interpolant's
    // components are the endpoints themselves, drawn solid with opacity following their weight.
    const outline = (mixture: GaussianMixture, cls: string, color: string, scale = 1) => {
      mixture.components.forEach((g, k) => {
        const weight = scale * (mixture.weights[k] ?? 0);
        curves.push({
          d: path(ellipsePath(g, RADIUS, 72)) ?? '',
          cls,
          color,
          opacity: kind === 'l2' ? 0.25 + 0.75 * Math.min(1, weight / maxWeight) : 1,
        });
      });
    };
    const endpointClass = kind === 'w2' ? 'endpoint' : 'component';
    outline(model.rho0, endpointClass, COLORS.rho0, 1 - t);
    outline(model.rho1, endpointClass, COLORS.rho1, t);
    if (kind === 'w2') outline(interpolant, 'interpolant', COLORS.w2);
    layer(svg, 'ellipses')
      .selectAll('path')
      .data(curves)
      .join('path')
      .attr('class', (c) => `gi-ellipse gi-ellipse--${c.cls}`)
      .attr('d', (c) => c.d)
      .attr('stroke-opacity', (c) => c.opacity)
      .attr('stroke', (c) => c.color);

    const input = this.input;
    if (!input) return;
    const handles: (Handle & { x: number; y: number; cx: number; cy: number; color: string })[] =
      [];
    input.endpoints.forEach((endpoint, index) => {
      const side = index as Side;
      const color = side === 0 ? COLORS.rho0 : COLORS.rho1;
      endpoint.ellipses.forEach((e, component) => {
        const at = { side, component, cx: e.cx, cy: e.cy, color };
        handles.push({ ...at, part: 'centre', x: e.cx, y: e.cy });
        for (const axis of [0, 1] as const) {
          const [x, y] = axisHandle(e, axis, RADIUS);
          handles.push({ ...at, part: axis, x, y });
        }
      });
    });
    const spokes = handles.filter((h) => h.part !== 'centre');
    layer(svg, 'spokes')
      .selectAll('line')
      .data(spokes)
      .join('line')
      .attr('x1', (h) => toX(h.cx))
      .attr('y1', (h) => toY(h.cy))
      .attr('x2', (h) => toX(h.x))
      .attr('y2', (h) => toY(h.y))
      .attr('stroke', (h) => h.color);
    layer(svg, 'handles')
      .selectAll('circle')
      .data(handles)
      .join('circle')
      .attr('class', (h) => `gi-handle gi-handle--${h.part === 'centre' ? 'centre' : 'axis'}`)
      .attr('data-handle', (h) => `${h.side}:${h.component}:${h.part}`)
      .attr('data-testid', (h) => `handle-${kind}-${h.side}-${h.component}-${h.part}`)
      .attr('cx', (h) => toX(h.x))
      .attr('cy', (h) => toY(h.y))
      .attr('r', (h) => (h.part === 'centre' ? 8 : 6))
      .attr('fill', (h) => (h.part === 'centre' ? h.color : '#fff'))
      .attr('stroke', (h) => h.color);
    const dotColor = this.pointsSide === 1 ? COLORS.rho1 : COLORS.rho0;
    layer(svg, 'points')
      .attr('pointer-events', 'none')
      .selectAll('circle')
      .data(this.points)
      .join('circle')
      .attr('class', 'gi-point')
      .attr('cx', (p) => toX(p[0]))
      .attr('cy', (p) => toY(p[1]))
      .attr('r', 3.5)
      .attr('fill', dotColor);
  }

  private listen(svg: SVGSVGElement): void {
    const point = (event: PointerEvent): [number, number] => {
      const box = svg.getBoundingClientRect();
      const px = ((event.clientX - box.left) / box.width) * VIEW_SIZE;
      const py = ((event.clientY - box.top) / box.height) * VIEW_SIZE;
      return [clampDomain(fromX(px)), clampDomain(fromY(py))];
    };
    const down = (event: PointerEvent) => {
      const target = event.target as Element | null;
      const code = target?.getAttribute('data-handle');
      if (!code && this.pointsSide !== undefined) {
        this.dropping = true;
        this.addPoint(point(event));
        svg.setPointerCapture(event.pointerId);
        event.preventDefault();
        return;
      }
      if (!code || !this.input) return;
      const [side, component, part] = code.split(':');
      this.drag = {
        side: side === '1' ? 1 : 0,
        component: Number(component),
        part: part === 'centre' ? 'centre' : part === '1' ? 1 : 0,
      };
      this.hook.dragging = true;
      svg.setPointerCapture(event.pointerId);
      event.preventDefault();
    };
    const move = (event: PointerEvent) => {
      if (this.dropping) {
        const p = point(event);
        const last = this.points[this.points.length - 1];
        if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) >= POINT_SPACING) this.addPoint(p);
        return;
      }
      const drag = this.drag;
      const input = this.input;
      if (!drag || !input) return;
      const p = point(event);
      const endpoint = input.endpoints[drag.side];
      const current = endpoint.ellipses[drag.component]!;
      const next = roundEllipse(
        drag.part === 'centre'
          ? { ...current, cx: p[0], cy: p[1] }
          : dragAxis(current, drag.part, p, RADIUS, MIN_SCALE, MAX_SCALE),
      );
      const moved: Endpoint = {
        weights: endpoint.weights,
        ellipses: endpoint.ellipses.map((e, k) => (k === drag.component ? next : e)),
      };
      const endpoints: Endpoints =
        drag.side === 0 ? [moved, input.endpoints[1]] : [input.endpoints[0], moved];
      this.input = { ...input, endpoints };
      this.schedule();
    };
    const up = (event: PointerEvent) => {
      if (this.dropping) {
        this.dropping = false;
        if (svg.hasPointerCapture(event.pointerId)) svg.releasePointerCapture(event.pointerId);
        return;
      }
      const drag = this.drag;
      if (!drag) return;
      this.drag = undefined;
      this.hook.dragging = false;
      if (svg.hasPointerCapture(event.pointerId)) svg.releasePointerCapture(event.pointerId);
      if (this.input) this.commit(drag.side, this.input.endpoints[drag.side]);
    };
    svg.addEventListener('pointerdown', down);
    svg.addEventListener('pointermove', move);
    svg.addEventListener('pointerup', up);
    svg.addEventListener('pointercancel', up);
    this.cleanups.push(() => {
      svg.removeEventListener('pointerdown', down);
      svg.removeEventListener('pointermove', move);
      svg.removeEventListener('pointerup', up);
      svg.removeEventListener('pointercancel', up);
    });
  }
}

/** The `<g class="gi-NAME">` child of an SVG, created on first use (in call order). */
function layer(
  svg: Selection<SVGSVGElement, unknown, null, undefined>,
  name: string,
): Selection<SVGGElement, unknown, null, undefined> {
  const existing = svg.select<SVGGElement>(`g.gi-${name}`);
  return existing.empty() ? svg.append('g').attr('class', `gi-${name}`) : existing;
}

function copyEndpoint(e: Endpoint): Endpoint {
  return { weights: [...e.weights], ellipses: e.ellipses.map((x) => ({ ...x })) };
}
