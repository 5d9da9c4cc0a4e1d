/**
 * V(μ_t) per fixed-point iteration (d3, SVG, log axis): one dot per iteration, joined. Redrawn from
 * the controller's data by subscription, not by React renders.
 */
import { axisBottom, axisLeft, format, line, scaleLinear, scaleLog, select } from 'd3';
import { useCallback } from 'react';
import type { FixedPointRecord } from '../../../ot/barycenter/fixedPoint';
import { appendAxisTitles } from '../../components/chartLabels';
import { ChartFigure } from '../../components/ChartFigure';
import { lineScale } from '../../lecture/presenter';

interface ObjectiveChartProps {
  title: string;
  yLabel: string;
  history: () => readonly FixedPointRecord[];
  subscribe: (listener: () => void) => () => void;
}

const HEIGHT = 240;
const MARGIN = { top: 16, right: 18, bottom: 44, left: 74 };

export function ObjectiveChart({ title, yLabel, history, subscribe }: ObjectiveChartProps) {
  const draw = useCallback(
    (svg: SVGSVGElement) => {
      drawChart(svg, history(), yLabel);
    },
    [history, yLabel],
  );
  return (
    <ChartFigure
      title={title}
      testId="objective-chart"
      draw={draw}
      subscribe={subscribe}
      minIntervalMs={60}
    />
  );
}

function drawChart(svg: SVGSVGElement, records: readonly FixedPointRecord[], yLabel: string) {
  const width = Math.max(320, svg.clientWidth || svg.parentElement?.clientWidth || 640);
  const root = select(svg)
    .attr('viewBox', `0 0 ${width} ${HEIGHT}`)
    .attr('height', HEIGHT)
    .attr('preserveAspectRatio', 'none');
  root.selectAll('*').remove();
  const points = records.filter((r) => Number.isFinite(r.V) && r.V > 0);
  const last = Math.max(5, ...points.map((r) => r.iteration));
  const x = scaleLinear()
    .domain([0, last])
    .range([MARGIN.left, width - MARGIN.right]);
  const values = points.map((r) => r.V);
  const low = values.length > 0 ? Math.min(...values) : 1e-3;
  const high = values.length > 0 ? Math.max(...values) : 1;
  const y = scaleLog()
    .domain([low / 1.5, high * 1.5])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top])
    .nice();

  root
    .append('g')
    .attr('class', 'chart__axis')
    .attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`)
    .call(
      axisBottom(x)
        .ticks(Math.min(last, Math.max(2, Math.floor(width / 70))))
        .tickFormat(format('d')),
    );
  root
    .append('g')
    .attr('class', 'chart__axis')
    .attr('transform', `translate(${MARGIN.left},0)`)
    .call(axisLeft(y).ticks(5, '.2~e'));
  appendAxisTitles(
    root,
    { width, height: HEIGHT, margin: MARGIN },
    'fixed-point iteration t',
    yLabel,
  );

  if (points.length === 0) {
    root
      .append('text')
      .attr('class', 'chart__empty')
      .attr('x', (MARGIN.left + width - MARGIN.right) / 2)
      .attr('y', (MARGIN.top + HEIGHT - MARGIN.bottom) / 2)
      .attr('text-anchor', 'middle')
      .text('V appears after the first transport problems are solved');
    return;
  }
  // Thicker curve and dots in presenter mode (ChartFigure redraws when it changes).
  const thickness = lineScale();
  const path = line<FixedPointRecord>()
    .x((r) => x(r.iteration))
    .y((r) => y(r.V));
  root
    .append('path')
    .attr('class', 'chart__curve')
    .attr('fill', 'none')
    .attr('stroke', '#0f5b55')
    .attr('stroke-width', 2.2 * thickness)
    .attr('d', path(points));
  root
    .append('g')
    .selectAll('circle')
    .data(points)
    .join('circle')
    .attr('cx', (r) => x(r.iteration))
    .attr('cy', (r) => y(r.V))
    .attr('r', 4 * Math.sqrt(thickness))
    .attr('fill', '#0f5b55');
}
