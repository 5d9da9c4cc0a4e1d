/**
 * Marginal error per iteration on a log axis, one curve per backend (d3, SVG). Redrawn from the
 * controller's data by subscription, not by React renders.
 */
import { axisBottom, axisLeft, format, line, max, min, scaleLinear, scaleLog, select } from 'd3';
import { useCallback } from 'react';
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

interface ErrorChartProps {
  title: string;
  series: () => ChartSeries[];
  subscribe: (listener: () => void) => () => void;
  tolerance: number;
}

const HEIGHT = 280;
const MARGIN = { top: 18, right: 20, bottom: 46, left: 70 };

export function ErrorChart({ title, series, subscribe, tolerance }: ErrorChartProps) {
  const draw = useCallback(
    (svg: SVGSVGElement) => {
      drawChart(svg, series(), tolerance);
    },
    [series, tolerance],
  );
  return (
    <ChartFigure
      title={title}
      testId="error-chart"
      draw={draw}
      subscribe={subscribe}
      minIntervalMs={100}
    />
  );
}

function drawChart(svg: SVGSVGElement, series: ChartSeries[], tolerance: number): void {
  const width = Math.max(320, svg.clientWidth || svg.parentElement?.clientWidth || 640);
  const root = select(svg)
    .attr('viewBox', `0 0 ${width} ${HEIGHT}`)
    .attr('height', HEIGHT)
    .attr('preserveAspectRatio', 'none');
  root.selectAll('*').remove();

  const finite = series.map((s) => ({
    ...s,
    points: s.points.filter((p) => Number.isFinite(p.error) && p.error > 0),
  }));
  const all = finite.flatMap((s) => s.points);
  const lastIteration = max(all, (p) => p.iteration) ?? 0;
  const x = scaleLinear()
    .domain([0, Math.max(10, lastIteration)])
    .range([MARGIN.left, width - MARGIN.right])
    .nice();
  const low = Math.min(min(all, (p) => p.error) ?? tolerance, tolerance) / 3;
  const high = Math.max(max(all, (p) => p.error) ?? 1, tolerance * 10) * 2;
  const y = scaleLog()
    .domain([low, high])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top])
    .nice();

  const [dLow, dHigh] = y.domain() as [number, number];
  const decades: number[] = [];
  for (let k = Math.ceil(Math.log10(dLow)); k <= Math.floor(Math.log10(dHigh)); k += 1) {
    decades.push(10 ** k);
  }
  const step = Math.max(1, Math.ceil(decades.length / 6));
  const yTicks = decades.filter((_, k) => k % step === 0);

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
    .call(axisLeft(y).tickValues(yTicks).tickFormat(format('.0e')));

  appendAxisTitles(
    root,
    { width, height: HEIGHT, margin: MARGIN },
    'iteration',
    'L1 marginal error ‖P1 − a‖₁',
  );

  // Tolerance: where the solvers stop.
  const yTol = y(tolerance);
  root
    .append('line')
    .attr('class', 'chart__tolerance')
    .attr('x1', MARGIN.left)
    .attr('x2', width - MARGIN.right)
    .attr('y1', yTol)
    .attr('y2', yTol);
  root
    .append('text')
    .attr('class', 'chart__tolerance-label')
    .attr('x', width - MARGIN.right - 4)
    .attr('y', yTol - 5)
    .attr('text-anchor', 'end')
    .text(`tolerance ${format('.0e')(tolerance)}`);

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
      .text('No error checks yet: press Play or Step');
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
