/**
 * The imperative 2D view: two panels (W2 and L2) each with a density heatmap canvas under a d3
 * SVG of ellipses, map arrows and drag handles. Pointer moves change a local copy of the ellipses
 * and redraw at most once per animation frame, outside React; the URL (store) is updated when the
 * drag ends.
 */
import { line, select, type Selection } from 'd3';
import type { DensityGrid } from '../../../gpu/density';
import type { GpuRuntime } from '../../../gpu/runtime';
import type { GaussianMixture } from '../../../ot/gaussian';
import { testHook } from '../../testHook';
import { axisHandle, dragAxis, ellipsePath, type EllipseParams } from './geometry';
import { DensityScheduler, paintHeatmap, type DensityResult } from './heatmap';
import type { GaussianInterpolationHook } from './hook';
import { computeLab, type LabInput, type LabModel } from './model';
import { DOMAIN, MAX_SCALE, MIN_SCALE } from './params';

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

type Handle = { ellipse: 0 | 1; part: 'centre' | 0 | 1 };

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

  constructor(
    private readonly panels: { w2: PanelElements; l2: PanelElements },
    private readonly numbers: NumberElements,
    runtime: GpuRuntime | undefined,
    private readonly commit: (ellipses: [EllipseParams, EllipseParams]) => void,
    onError: (message: string) => void,
  ) {
    this.hook = {
      preset: '',
      t: 0,
      mode: 'gaussians',
      ellipses: [],
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
      dragging: false,
      error: undefined,
    };
    testHook().gaussianInterpolation = this.hook;
    this.density = new DensityScheduler(
      runtime,
      GRID,
      (result) => {
        this.paint(result);
      },
      onError,
    );
    for (const panel of [panels.w2, panels.l2]) this.listen(panel.svg);
  }

  /** New parameters from the store (ignored mid-drag: the drag owns the ellipses). */
  setInput(input: LabInput): void {
    if (this.drag && this.input) {
      this.input = { ...this.input, t: input.t, preset: input.preset };
    } else {
      this.input = input;
    }
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
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
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
    this.density.request([model.w2Interpolant, model.l2Interpolant]);
    Object.assign(this.hook, {
      preset: input.preset,
      t: input.t,
      mode: model.mode,
      ellipses: input.ellipses.map((e) => ({ ...e })),
      rho0: model.rho0,
      rho1: model.rho1,
      w2Interpolant: model.w2Interpolant,
      l2Interpolant: model.l2Interpolant,
      w2Squared: model.w2Squared,
      meanTerm: model.meanTerm,
      covarianceTerm: model.covarianceTerm,
      w2FromStart: model.w2FromStart,
    });
    this.hook.frames += 1;
    this.hook.drawTimes.push(performance.now() - start);
    if (this.hook.drawTimes.length > DRAW_HISTORY) this.hook.drawTimes.shift();
  }

  private paint(result: DensityResult): void {
    const pixels = GRID.width * GRID.height;
    this.hook.densityMax = [
      paintHeatmap(this.panels.w2.canvas, result.values, 0, GRID),
      paintHeatmap(this.panels.l2.canvas, result.values, pixels, GRID),
    ];
    this.hook.densityBackend = result.backend;
    this.hook.densityUpdates += 1;
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
    const handles: (Handle & { x: number; y: number; color: string })[] = [];
    input.ellipses.forEach((e, index) => {
      const ellipse = index as 0 | 1;
      const color = ellipse === 0 ? COLORS.rho0 : COLORS.rho1;
      handles.push({ ellipse, part: 'centre', x: e.cx, y: e.cy, color });
      for (const axis of [0, 1] as const) {
        const [x, y] = axisHandle(e, axis, RADIUS);
        handles.push({ ellipse, part: axis, x, y, color });
      }
    });
    const spokes = handles.filter((h) => h.part !== 'centre');
    layer(svg, 'spokes')
      .selectAll('line')
      .data(spokes)
      .join('line')
      .attr('x1', (h) => toX(input.ellipses[h.ellipse].cx))
      .attr('y1', (h) => toY(input.ellipses[h.ellipse].cy))
      .attr('x2', (h) => toX(h.x))
      .attr('y2', (h) => toY(h.y))
      .attr('stroke', (h) => h.color);
    layer(svg, 'handles')
      .selectAll('circle')
      .data(handles)
      .join('circle')
      .attr('class', (h) => `gi-handle gi-handle--${h.part === 'centre' ? 'centre' : 'axis'}`)
      .attr('data-handle', (h) => `${h.ellipse}:${h.part}`)
      .attr('data-testid', (h) => `handle-${kind}-${h.ellipse}-${h.part}`)
      .attr('cx', (h) => toX(h.x))
      .attr('cy', (h) => toY(h.y))
      .attr('r', (h) => (h.part === 'centre' ? 8 : 6))
      .attr('fill', (h) => (h.part === 'centre' ? h.color : '#fff'))
      .attr('stroke', (h) => h.color);
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
      if (!code || !this.input) return;
      const [which, part] = code.split(':');
      this.drag = {
        ellipse: which === '1' ? 1 : 0,
        part: part === 'centre' ? 'centre' : part === '1' ? 1 : 0,
      };
      this.hook.dragging = true;
      svg.setPointerCapture(event.pointerId);
      event.preventDefault();
    };
    const move = (event: PointerEvent) => {
      const drag = this.drag;
      const input = this.input;
      if (!drag || !input) return;
      const p = point(event);
      const current = input.ellipses[drag.ellipse];
      const next =
        drag.part === 'centre'
          ? { ...current, cx: round(p[0]), cy: round(p[1]) }
          : tidy(dragAxis(current, drag.part, p, RADIUS, MIN_SCALE, MAX_SCALE));
      const ellipses: [EllipseParams, EllipseParams] =
        drag.ellipse === 0 ? [next, input.ellipses[1]] : [input.ellipses[0], next];
      this.input = { ...input, ellipses };
      this.schedule();
    };
    const up = (event: PointerEvent) => {
      if (!this.drag) return;
      this.drag = undefined;
      this.hook.dragging = false;
      if (svg.hasPointerCapture(event.pointerId)) svg.releasePointerCapture(event.pointerId);
      if (this.input) this.commit([this.input.ellipses[0], this.input.ellipses[1]]);
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

/** URL-friendly precision, the same the schema keeps (3 significant digits on centres). */
const round = (v: number) => Math.round(v * 100) / 100;

function tidy(e: EllipseParams): EllipseParams {
  return {
    ...e,
    angle: Math.round(e.angle * 10) / 10,
    sa: Math.round(e.sa * 1000) / 1000,
    sb: Math.round(e.sb * 1000) / 1000,
  };
}
