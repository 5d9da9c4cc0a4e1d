/**
 * Pieces shared by the first-principles pictures: a linear map from data to SVG coordinates,
 * arrowhead markers (ids unique per picture, safe inside url(#…)) and a legend of stroke styles.
 * Colours are given as attributes, not only by CSS, so that an exported SVG looks the same.
 */
import { useId } from 'react';
import { strokeStyle } from '../lecture/presenter';

export interface PlaneFrame {
  /** Data → SVG x and y (y grows upwards in data, downwards in SVG). */
  x: (value: number) => number;
  y: (value: number) => number;
  size: { width: number; height: number };
}

/** Maps [x0, x1] × [y0, y1] onto a width × height picture with a margin on every side. */
export function planeFrame(
  [x0, x1]: readonly [number, number],
  [y0, y1]: readonly [number, number],
  width: number,
  height: number,
  margin: number,
): PlaneFrame {
  return {
    x: (value) => margin + ((value - x0) / (x1 - x0)) * (width - 2 * margin),
    y: (value) => height - margin - ((value - y0) / (y1 - y0)) * (height - 2 * margin),
    size: { width, height },
  };
}

/** An id usable in `url(#…)`: React's useId with only letters, digits, - and _. */
export function useSvgId(prefix: string): string {
  return `${prefix}-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
}

/** An arrowhead marker in the given colour (markerUnits = strokeWidth). */
export function ArrowMarker({ id, color }: { id: string; color: string }) {
  return (
    <marker
      id={id}
      viewBox="0 0 10 10"
      refX="9"
      refY="5"
      markerWidth="5"
      markerHeight="5"
      orient="auto-start-reverse"
    >
      <path d="M0,0 L10,5 L0,10 Z" fill={color} />
    </marker>
  );
}

/** Shortens the segment (x1, y1) → (x2, y2) by `start` and `end` pixels (room for the markers). */
export function trimSegment(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  start: number,
  end: number,
): [number, number, number, number] {
  const length = Math.hypot(x2 - x1, y2 - y1);
  if (length <= start + end) return [x1, y1, x2, y2];
  const ux = (x2 - x1) / length;
  const uy = (y2 - y1) / length;
  return [x1 + ux * start, y1 + uy * start, x2 - ux * end, y2 - uy * end];
}

/** A disc or a square of half-size `size` with a short white label inside (an atom, a person). */
export function LabelledMarker({
  x,
  y,
  shape,
  size,
  color,
  label,
  opacity = 1,
}: {
  x: number;
  y: number;
  shape: 'circle' | 'square';
  size: number;
  color: string;
  label: string;
  opacity?: number;
}) {
  return (
    <>
      {shape === 'circle' ? (
        <circle cx={x} cy={y} r={size} fill={color} fillOpacity={opacity} />
      ) : (
        <rect
          x={x - size}
          y={y - size}
          width={2 * size}
          height={2 * size}
          fill={color}
          fillOpacity={opacity}
        />
      )}
      <text
        x={x}
        y={y}
        dy="0.35em"
        textAnchor="middle"
        fill="#ffffff"
        fontSize={size < 14 ? 10 : 11}
        fontWeight={700}
      >
        {label}
      </text>
    </>
  );
}

export interface LegendEntry {
  label: string;
  color: string;
  dash?: string;
  width?: number;
  /** A marker shape instead of a line. */
  shape?: 'circle' | 'square';
}

/** A legend as an HTML list (readable by screen readers), each entry with a small SVG sample. */
export function StrokeLegend({ entries }: { entries: readonly LegendEntry[] }) {
  return (
    <ul className="figure-legend">
      {entries.map((entry) => (
        <li key={entry.label}>
          <svg width="26" height="12" aria-hidden="true">
            {entry.shape === 'circle' && <circle cx="13" cy="6" r="5" fill={entry.color} />}
            {entry.shape === 'square' && (
              <rect x="8" y="1" width="10" height="10" fill={entry.color} />
            )}
            {!entry.shape && (
              <line
                x1="1"
                x2="25"
                y1="6"
                y2="6"
                stroke={entry.color}
                style={strokeStyle(entry.width ?? 2.5)}
                strokeDasharray={entry.dash}
              />
            )}
          </svg>
          {entry.label}
        </li>
      ))}
    </ul>
  );
}
