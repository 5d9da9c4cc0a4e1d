/**
 * A small line chart rendered by React as one plain SVG (so it exports as is): series of (x, y)
 * points on linear or log axes, optional horizontal reference lines (closed forms, limits) and a
 * vertical marker for the current step; strokes follow `--line-scale` (presenter mode). For charts
 * that change a few times a second at most; the Sinkhorn error chart (ErrorChart) redraws outside
 * React instead.
 */
import { format, scaleLinear, scaleLog, type ScaleLinear, type ScaleLogarithmic } from 'd3';
import { useEffect, useId, useRef, useState } from 'react';
import { strokeStyle } from '../lecture/presenter';

export interface LineSeries {
  id: string;
  label: string;
  color: string;
  /** SVG stroke-dasharray, so series differ by more than colour. */
  dash?: string;
  points: readonly (readonly [number, number])[];
  /** Draw a dot on every point (for short series such as iterations). */
  dots?: boolean;
}

/** A shaded region made of axis-aligned rectangles [x0, x1] × [y0, y1] (e.g. an area between curves). */
export interface Band {
  id: string;
  label: string;
  color: string;
  rects: readonly (readonly [number, number, number, number])[];
}

export interface ReferenceLine {
  id: string;
  label: string;
  value: number;
  color: string;
  dash?: string;
}

interface LineChartProps {
  title: string;
  /** One or two sentences for screen readers (what the chart shows, current values). */
  description: string;
  xLabel: string;
  yLabel: string;
  xScale?: 'linear' | 'log';
  yScale?: 'linear' | 'log';
  series: readonly LineSeries[];
  references?: readonly ReferenceLine[];
  bands?: readonly Band[];
  /** A vertical marker, e.g. the current iteration. */
  markerX?: number;
  /** Domains; by default the data (and references) padded a little. */
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
  testId?: string;
  /** A fixed name for the export dialog and file names when the title carries live values. */
  exportLabel?: string;
}

/** Width used before the first measurement, and the range kept afterwards. */
const DEFAULT_WIDTH = 640;
const MIN_WIDTH = 300;
const MAX_WIDTH = 1000;
const HEIGHT = 260;
/** Rough width of a legend character at 12.5 px. */
const CHAR_WIDTH = 7;
const MARGIN = { top: 14, right: 18, bottom: 44, left: 66 };
const REFERENCE_DASH = '7 5';

type Scale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

function extent(values: number[], log: boolean): [number, number] {
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (usable.length === 0) return log ? [0.1, 1] : [0, 1];
  let lo = Math.min(...usable);
  let hi = Math.max(...usable);
  if (log) return lo === hi ? [lo / 2, hi * 2] : [lo / 1.3, hi * 1.3];
  if (lo === hi)
    [lo, hi] = [lo - 0.5 * Math.max(1, Math.abs(lo)), hi + 0.5 * Math.max(1, Math.abs(hi))];
  const pad = 0.06 * (hi - lo);
  return [lo - pad, hi + pad];
}

function makeScale(kind: 'linear' | 'log', domain: [number, number], range: [number, number]) {
  return kind === 'log'
    ? scaleLog().domain(domain).range(range)
    : scaleLinear().domain(domain).range(range).nice();
}

/** Tick values: powers of ten on log axes (thinned to about six), d3's ticks otherwise. */
function ticks(scale: Scale, kind: 'linear' | 'log'): number[] {
  if (kind === 'linear') return scale.ticks(6);
  const [lo, hi] = scale.domain() as [number, number];
  const decades: number[] = [];
  for (let k = Math.ceil(Math.log10(lo)); k <= Math.floor(Math.log10(hi)); k += 1) {
    decades.push(10 ** k);
  }
  if (decades.length < 2) return scale.ticks(4);
  const stride = Math.ceil(decades.length / 6);
  return decades.filter((_, k) => k % stride === 0);
}

const linearTick = format('~g');
const logTick = (v: number) => (v >= 1e-3 && v < 1e5 ? format('~g')(v) : format('.0e')(v));

export function LineChart({
  title,
  description,
  xLabel,
  yLabel,
  xScale = 'linear',
  yScale = 'linear',
  series,
  references = [],
  bands = [],
  markerX,
  xDomain,
  yDomain,
  testId,
  exportLabel,
}: LineChartProps) {
  const titleId = useId();
  const descriptionId = useId();
  const figure = useRef<HTMLElement>(null);
  const width = useMeasuredWidth(figure);
  const xs = [
    ...series.flatMap((s) => s.points.map((p) => p[0])),
    ...bands.flatMap((b) => b.rects.flatMap((r) => [r[0], r[1]])),
  ];
  const ys = [
    ...series.flatMap((s) => s.points.map((p) => p[1])),
    ...references.map((r) => r.value),
  ];
  const x = makeScale(
    xScale,
    [...(xDomain ?? extent(xs, xScale === 'log'))],
    [MARGIN.left, width - MARGIN.right],
  );
  const y = makeScale(
    yScale,
    [...(yDomain ?? extent(ys, yScale === 'log'))],
    [HEIGHT - MARGIN.bottom, MARGIN.top],
  );
  const usable = (p: readonly [number, number]) =>
    Number.isFinite(p[0]) &&
    Number.isFinite(p[1]) &&
    (xScale !== 'log' || p[0] > 0) &&
    (yScale !== 'log' || p[1] > 0);
  const path = (points: readonly (readonly [number, number])[]) =>
    points
      .filter(usable)
      .map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p[0]).toFixed(2)},${y(p[1]).toFixed(2)}`)
      .join('');
  const xTicks = ticks(x, xScale);
  const yTicks = ticks(y, yScale);
  const tickText = (kind: 'linear' | 'log', v: number) =>
    kind === 'log' ? logTick(v) : linearTick(v);
  const bottom = HEIGHT - MARGIN.bottom;
  const bandPath = (band: Band) =>
    band.rects
      .map(([x0, x1, y0, y1]) => {
        const left = x(x0).toFixed(2);
        const right = x(x1).toFixed(2);
        return `M${left},${y(y0).toFixed(2)}H${right}V${y(y1).toFixed(2)}H${left}Z`;
      })
      .join('');
  const legendRows = [
    ...bands.map(({ id, label, color }) => ({ id, label, color, dash: undefined, band: true })),
    ...series.map(({ id, label, color, dash }) => ({ id, label, color, dash, band: false })),
    ...references.map(({ id, label, color, dash }) => ({
      id,
      label,
      color,
      dash: dash ?? REFERENCE_DASH,
      band: false,
    })),
  ];

  const legendWidth = 44 + CHAR_WIDTH * Math.max(...legendRows.map((row) => row.label.length));

  return (
    <figure className="chart line-chart" ref={figure}>
      <figcaption id={titleId}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={title}
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        data-testid={testId}
        data-export-view={exportLabel}
        xmlns="http://www.w3.org/2000/svg"
      >
        <desc id={descriptionId}>{description}</desc>
        <rect x={0} y={0} width={width} height={HEIGHT} fill="#ffffff" />
        <g className="chart__grid" stroke="#e2e8f0">
          {yTicks.map((v) => (
            <line key={v} x1={MARGIN.left} x2={width - MARGIN.right} y1={y(v)} y2={y(v)} />
          ))}
        </g>
        <g className="chart__axis" fontSize={12} stroke="#475569" fill="#334155">
          <line x1={MARGIN.left} x2={width - MARGIN.right} y1={bottom} y2={bottom} />
          <line x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={bottom} />
          {xTicks.map((v) => (
            <g key={v} transform={`translate(${x(v)},${bottom})`}>
              <line y2={5} />
              <text y={18} textAnchor="middle" stroke="none">
                {tickText(xScale, v)}
              </text>
            </g>
          ))}
          {yTicks.map((v) => (
            <g key={v} transform={`translate(${MARGIN.left},${y(v)})`}>
              <line x2={-5} />
              <text x={-8} dy="0.32em" textAnchor="end" stroke="none">
                {tickText(yScale, v)}
              </text>
            </g>
          ))}
        </g>
        <text
          className="chart__label"
          fill="#0f172a"
          fontSize={13}
          x={(MARGIN.left + width - MARGIN.right) / 2}
          y={HEIGHT - 6}
          textAnchor="middle"
        >
          {xLabel}
        </text>
        <text
          className="chart__label"
          fill="#0f172a"
          fontSize={13}
          transform={`translate(16,${(MARGIN.top + bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          {yLabel}
        </text>
        {bands.map((band) => (
          <path
            key={band.id}
            data-band={band.id}
            d={bandPath(band)}
            fill={band.color}
            fillOpacity={0.35}
          />
        ))}
        {references.map((r) =>
          Number.isFinite(r.value) && (yScale !== 'log' || r.value > 0) ? (
            <line
              key={r.id}
              data-reference={r.id}
              x1={MARGIN.left}
              x2={width - MARGIN.right}
              y1={y(r.value)}
              y2={y(r.value)}
              stroke={r.color}
              style={strokeStyle(2)}
              strokeDasharray={r.dash ?? REFERENCE_DASH}
            />
          ) : null,
        )}
        {markerX !== undefined && Number.isFinite(markerX) && (
          <line
            className="line-chart__marker"
            x1={x(markerX)}
            x2={x(markerX)}
            y1={MARGIN.top}
            y2={bottom}
          />
        )}
        {series.map((s) => (
          <g key={s.id} data-series={s.id}>
            <path
              d={path(s.points)}
              fill="none"
              stroke={s.color}
              style={strokeStyle(2.5)}
              strokeDasharray={s.dash}
              strokeLinejoin="round"
              strokeLinecap="round"
            />
            {s.dots &&
              s.points
                .filter(usable)
                .map((p, k) => <circle key={k} cx={x(p[0])} cy={y(p[1])} r={3.5} fill={s.color} />)}
          </g>
        ))}
        <g
          className="chart__legend"
          transform={`translate(${width - MARGIN.right - legendWidth - 4},${MARGIN.top + 4})`}
          fontSize={12}
        >
          <rect
            width={legendWidth}
            height={8 + 18 * legendRows.length}
            rx={4}
            fill="#ffffff"
            fillOpacity={0.92}
            stroke="#cbd5e1"
          />
          {legendRows.map((row, k) => (
            <g key={row.id} transform={`translate(8,${14 + 18 * k})`}>
              <line
                x2={24}
                stroke={row.color}
                style={strokeStyle(2.5)}
                strokeDasharray={row.dash}
              />
              <text x={30} dy="0.32em" fill="#0f172a">
                {row.label}
              </text>
            </g>
          ))}
        </g>
      </svg>
    </figure>
  );
}

/** The element's content width (ResizeObserver), so that text keeps its size in any panel. */
function useMeasuredWidth(element: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const target = element.current;
    if (!target) return;
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.round(entry?.contentRect.width ?? 0);
      if (measured > 0) setWidth(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, measured)));
    });
    observer.observe(target);
    return () => {
      observer.disconnect();
    };
  }, [element]);
  return width;
}
