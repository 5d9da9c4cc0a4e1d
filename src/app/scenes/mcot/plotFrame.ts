/**
 * Plot frames of the lab: a square scatter plot (a canvas for the many particles under an SVG for
 * axes, curves and labels; the 1D pair plot and the 2D projections) or a chart (the radial
 * histogram), sharing margins and axes.
 */
import { axisBottom, axisLeft, scaleLinear, select, type ScaleLinear } from 'd3';

export const PLOT_MARGIN = { top: 10, right: 12, bottom: 40, left: 48 };

export interface PlotFrame {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  width: number;
  height: number;
}

/** Scales mapping [x0, x1] × [y0, y1] onto a width × height plot inside the margins. */
export function chartFrame(
  [x0, x1]: readonly [number, number],
  [y0, y1]: readonly [number, number],
  width: number,
  height: number,
): PlotFrame {
  const x = scaleLinear()
    .domain([x0, x1])
    .range([PLOT_MARGIN.left, width - PLOT_MARGIN.right]);
  const y = scaleLinear()
    .domain([y0, y1])
    .range([height - PLOT_MARGIN.bottom, PLOT_MARGIN.top]);
  return { x, y, width, height };
}

/** The square frame of [lo, hi]² at size × size pixels. */
export function plotFrame(lo: number, hi: number, size: number): PlotFrame {
  return chartFrame([lo, hi], [lo, hi], size, size);
}

/** Clears the SVG and draws both axes with their titles; returns the root for more marks. */
export function drawAxes(svg: SVGSVGElement, frame: PlotFrame, xTitle: string, yTitle: string) {
  const { x, y, width, height } = frame;
  const root = select(svg).attr('viewBox', `0 0 ${width} ${height}`);
  root.selectAll('*').remove();
  root
    .append('g')
    .attr('class', 'chart__axis')
    .attr('transform', `translate(0,${height - PLOT_MARGIN.bottom})`)
    .call(axisBottom(x).ticks(5));
  root
    .append('g')
    .attr('class', 'chart__axis')
    .attr('transform', `translate(${PLOT_MARGIN.left},0)`)
    .call(axisLeft(y).ticks(5));
  root
    .append('text')
    .attr('class', 'chart__label')
    .attr('x', (PLOT_MARGIN.left + width - PLOT_MARGIN.right) / 2)
    .attr('y', height - 6)
    .attr('text-anchor', 'middle')
    .text(xTitle);
  root
    .append('text')
    .attr('class', 'chart__label')
    .attr(
      'transform',
      `translate(13,${(PLOT_MARGIN.top + height - PLOT_MARGIN.bottom) / 2}) rotate(-90)`,
    )
    .attr('text-anchor', 'middle')
    .text(yTitle);
  return root;
}

/**
 * Sizes the canvas backing store for the device pixel ratio (or `ratio` canvas pixels per CSS
 * pixel, for an export); returns its scaled 2D context.
 */
export function sizeCanvas(
  canvas: HTMLCanvasElement,
  size: number,
  ratio = Math.min(window.devicePixelRatio || 1, 2),
): CanvasRenderingContext2D {
  const pixels = Math.round(size * ratio);
  // Both: a fresh canvas is 300 × 150, so a 300 px plot would otherwise keep 150 rows.
  if (canvas.width !== pixels) canvas.width = pixels;
  if (canvas.height !== pixels) canvas.height = pixels;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('2D canvas unavailable');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}
