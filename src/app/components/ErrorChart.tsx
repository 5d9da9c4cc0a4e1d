/**
 * A quantity per iteration, one curve per backend (d3, SVG): by default the marginal error on a log
 * axis with its tolerance line; the options give other quantities (linear or log axis, labelled
 * reference lines such as an exact value). Redrawn from the controller's data by subscription, not
 * by React renders.
 */
import { axisBottom, axisLeft, format, line, max, min, scaleLinear, scaleLog, select } from 'd3';
import { useCallback, useMemo } from 'react';
import type { ErrorSample } from '../../solvers/sinkhorn';
import { lineScale } from '../lecture/presenter';
import { appendAxisTitles } from './chartLabels';
import { ChartFigure } from './ChartFigure';

export interface ChartSeries {
  id: string;
  label: string;
  color: string;
  /** SVG stroke-dasharray, so curves differ by more than colour. */
  dash?: string;
  width: number;
  opacity?: number;
  points: readonly ErrorSample[];
}

/** A labelled horizontal line (a tolerance, an exact value). */
export interface ChartReference {
  value: number;
  label: string;
  /** Stroke and label colour (the tolerance red by default). */
  color?: string;
}

interface ErrorChartProps {
  title: string;
  series: () => ChartSeries[];
  subscribe: (listener: () => void) => () => void;
  /** Drawn as the reference line "tolerance …". */
  tolerance?: number;
  references?: readonly ChartReference[];
  /** Axis title (default: the L1 marginal error). */
  yLabel?: string;
  scale?: 'log' | 'linear';
  /** Shown while no series has a point. */
  emptyText?: string;
  testId?: string;
}

interface ChartOptions {
  references: readonly ChartReference[];
  yLabel: string;
  scale: 'log' | 'linear';
  emptyText: string;
}

const HEIGHT = 280;
const MARGIN = { top: 18, right: 20, bottom: 46, left: 70 };

export function ErrorChart({
  title,
  series,
  subscribe,
  tolerance,
  references,
  yLabel = 'L1 marginal error ‖P1 − a‖₁',
  scale = 'log',
  emptyText = 'No error checks yet: press Play or Step',
  testId = 'error-chart',
}: ErrorChartProps) {
  const options = useMemo<ChartOptions>(
    () => ({
      references: [
        ...(tolerance === undefined
          ? []
          : [{ value: tolerance, label: `tolerance ${format('.0e')(tolerance)}` }]),
        ...(references ?? []),
      ],
      yLabel,
      scale,
      emptyText,
    }),
    [tolerance, references, yLabel, scale, emptyText],
  );
  const draw = useCallback(
    (svg: SVGSVGElement, width: number | undefined) => {
      drawChart(svg, series(), options, width);
    },
    [series, options],
  );
  return (
    <ChartFigure
      title={title}
      testId={testId}
      draw={draw}
      subscribe={subscribe}
      minIntervalMs={100}
    />
  );
}

/** The y scale and its tick values: decades on a log axis, d3's ticks on a linear one. */
function yAxisOf(values: number[], options: ChartOptions) {
  const range = [HEIGHT - MARGIN.bottom, MARGIN.top];
  if (options.scale === 'linear') {
    let lo = min(values) ?? 0;
    let hi = max(values) ?? 1;
    const pad = Math.max((hi - lo) * 0.08, Math.abs(hi) * 1e-9, 1e-12);
    lo -= pad;
    hi += pad;
    const y = scaleLinear().domain([lo, hi]).range(range).nice();
    return { y, ticks: y.ticks(5), tickFormat: y.tickFormat(5) };
  }
  const positive = values.filter((v) => v > 0);
  const y = scaleLog()
    .domain([(min(positive) ?? 1e-3) / 3, Math.max(max(positive) ?? 1, 1e-300) * 2])
    .range(range)
    .nice();
  const [dLow, dHigh] = y.domain() as [number, number];
  const decades: number[] = [];
  for (let k = Math.ceil(Math.log10(dLow)); k <= Math.floor(Math.log10(dHigh)); k += 1) {
    decades.push(10 ** k);
  }
  const step = Math.max(1, Math.ceil(decades.length / 6));
  return { y, ticks: decades.filter((_, k) => k % step === 0), tickFormat: format('.0e') };
}

function drawChart(
  svg: SVGSVGElement,
  series: ChartSeries[],
  options: ChartOptions,
  observedWidth: number | undefined,
): void {
  const width = Math.max(
    320,
    observedWidth || svg.clientWidth || svg.parentElement?.clientWidth || 640,
  );
  const root = select(svg)
    .attr('viewBox', `0 0 ${width} ${HEIGHT}`)
    .attr('height', HEIGHT)
    .attr('preserveAspectRatio', 'none');
  root.selectAll('*').remove();

  const log = options.scale === 'log';
  const shown = (v: number) => Number.isFinite(v) && (!log || v > 0);
  const finite = series.map((s) => ({ ...s, points: s.points.filter((p) => shown(p.error)) }));
  const all = finite.flatMap((s) => s.points);
  const references = options.references.filter((r) => shown(r.value));
  const lastIteration = max(all, (p) => p.iteration) ?? 0;
  const x = scaleLinear()
    .domain([0, Math.max(10, lastIteration)])
    .range([MARGIN.left, width - MARGIN.right])
    .nice();
  // A log axis keeps a decade above its highest reference (the tolerance) in view.
  const values = [
    ...all.map((p) => p.error),
    ...references.flatMap((r) => (log ? [r.value, r.value * 10] : [r.value])),
  ];
  const { y, ticks: yTicks, tickFormat } = yAxisOf(values, options);

  // Grid first, under everything.
  root
    .append('g')
    .attr('class', 'chart__grid')
    .selectAll('line')
    .data(yTicks)
    .join('line')
    .attr('x1', MARGIN.left)
    .attr('x2', width - MARGIN.right)
    .attr('y1', (d) => y(d))
    .attr('y2', (d) => y(d));

  root
    .append('g')
    .attr('class', 'chart__axis')
    .attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`)
    .call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 90))));
  root
    .append('g')
    .attr('class', 'chart__axis')
    .attr('transform', `translate(${MARGIN.left},0)`)
    .call(axisLeft(y).tickValues(yTicks).tickFormat(tickFormat));

  appendAxisTitles(root, { width, height: HEIGHT, margin: MARGIN }, 'iteration', options.yLabel);

  // Reference lines: where the solvers stop, or the value they approach.
  for (const reference of references) {
    const yRef = y(reference.value);
    root
      .append('line')
      .attr('class', 'chart__tolerance')
      .attr('x1', MARGIN.left)
      .attr('x2', width - MARGIN.right)
      .attr('y1', yRef)
      .attr('y2', yRef)
      .style('stroke', () => reference.color ?? null);
    root
      .append('text')
      .attr('class', 'chart__tolerance-label')
      .attr('x', width - MARGIN.right - 4)
      .attr('y', yRef - 5)
      .attr('text-anchor', 'end')
      .style('fill', () => reference.color ?? null)
      .text(reference.label);
  }

  // Thicker curves in presenter mode.
  const thickness = lineScale();
  const path = line<ErrorSample>()
    .x((p) => x(p.iteration))
    .y((p) => y(p.error));
  for (const s of finite) {
    if (s.points.length === 0) continue;
    root
      .append('path')
      .attr('class', 'chart__curve')
      .attr('data-series', s.id)
      .attr('fill', 'none')
      .attr('stroke', s.color)
      .attr('stroke-width', s.width * thickness)
      .attr('stroke-opacity', s.opacity ?? 1)
      .attr('stroke-dasharray', s.dash ?? null)
      .attr('stroke-linejoin', 'round')
      .attr('stroke-linecap', 'round')
      .attr('d', path(s.points));
  }

  if (all.length === 0) {
    root
      .append('text')
      .attr('class', 'chart__empty')
      .attr('x', (MARGIN.left + width - MARGIN.right) / 2)
      .attr('y', (MARGIN.top + HEIGHT - MARGIN.bottom) / 2)
      .attr('text-anchor', 'middle')
      .text(options.emptyText);
  }

  // Legend, top right, on a white card so curves behind it stay legible.
  const legend = root
    .append('g')
    .attr('class', 'chart__legend')
    .attr('transform', `translate(${width - MARGIN.right - 150},${MARGIN.top + 4})`);
  legend
    .append('rect')
    .attr('width', 146)
    .attr('height', 10 + 20 * series.length)
    .attr('rx', 4);
  series.forEach((s, k) => {
    const row = legend.append('g').attr('transform', `translate(10,${16 + 20 * k})`);
    row
      .append('line')
      .attr('x2', 28)
      .attr('stroke', s.color)
      .attr('stroke-width', s.width * thickness)
      .attr('stroke-opacity', s.opacity ?? 1)
      .attr('stroke-dasharray', s.dash ?? null);
    row.append('text').attr('x', 36).attr('dy', '0.35em').text(s.label);
  });
}
