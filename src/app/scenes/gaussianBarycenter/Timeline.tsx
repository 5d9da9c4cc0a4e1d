/** Snapshot times of the reduced-order model on a d3 time axis, with the target time marked. */
import { axisBottom, scaleLinear, select } from 'd3';
import { useEffect, useRef } from 'react';

const WIDTH = 640;
const HEIGHT = 64;
const MARGIN = 24;

interface TimelineProps {
  times: readonly number[];
  horizon: number;
  target: number;
  /** Barycentric weight of each snapshot at the target time. */
  weights: readonly number[];
}

export function Timeline({ times, horizon, target, weights }: TimelineProps) {
  const axisRef = useRef<SVGGElement>(null);
  const x = scaleLinear()
    .domain([0, horizon])
    .range([MARGIN, WIDTH - MARGIN]);
  useEffect(() => {
    if (axisRef.current) select(axisRef.current).call(axisBottom(x).ticks(8));
  }, [x]);
  return (
    <svg
      className="gb-timeline"
      data-testid="rom-timeline"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`Snapshots at t = ${times.map((t) => t.toFixed(2)).join(', ')}; target t = ${target.toFixed(2)}`}
    >
      <g ref={axisRef} transform={`translate(0, ${HEIGHT - 24})`} />
      {times.map((t, i) => (
        <g key={i} transform={`translate(${x(t)}, ${HEIGHT - 34})`}>
          <circle r={4 + 6 * (weights[i] ?? 0)} className="gb-timeline__snap" />
          <text y={-12} textAnchor="middle" className="gb-timeline__label">
            {`ρ${String.fromCharCode(0x2080 + i)}`}
          </text>
        </g>
      ))}
      <line x1={x(target)} x2={x(target)} y1={6} y2={HEIGHT - 24} className="gb-timeline__target" />
    </svg>
  );
}
