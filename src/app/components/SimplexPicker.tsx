/**
 * Barycentric weights for three inputs picked on a triangle (pointer drag, arrow keys: 4 px per
 * press, 16 px with Shift). Each vertex is one input; the point is Σ λ_k V_k. Shared by the
 * barycenter labs (Gaussian, image, generic-cost).
 */
import { format } from 'd3';
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { moveWeights, pickerTriangle, pointToWeights, weightsToPoint } from './simplex';
import './simplexPicker.css';

const WIDTH = 230;
const HEIGHT = 200;
const PAD = 22;
const STEP = 4;
const fmt = format('.3f');

interface SimplexPickerProps {
  weights: readonly number[];
  colors: readonly string[];
  onChange: (weights: number[]) => void;
}

export function SimplexPicker({ weights, colors, onChange }: SimplexPickerProps) {
  const triangle = pickerTriangle(WIDTH, HEIGHT, PAD);
  const point = weightsToPoint(triangle, weights);
  const dragging = useRef(false);

  const pick = (event: PointerEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * WIDTH;
    const y = ((event.clientY - box.top) / box.height) * HEIGHT;
    onChange(pointToWeights(triangle, { x, y }));
  };
  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const next = moveWeights(triangle, weights, event.key, event.shiftKey ? 4 * STEP : STEP);
    if (!next) return;
    event.preventDefault();
    onChange(next);
  };

  return (
    <svg
      className="simplex-picker"
      data-testid="simplex-picker"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      tabIndex={0}
      role="slider"
      aria-label="Barycentric weights: drag the point or use the arrow keys"
      aria-valuetext={`λ = (${weights.map((w) => fmt(w)).join(', ')})`}
      aria-valuenow={weights[0]}
      aria-valuemin={0}
      aria-valuemax={1}
      onKeyDown={onKeyDown}
      onPointerDown={(event) => {
        dragging.current = true;
        event.currentTarget.setPointerCapture(event.pointerId);
        pick(event);
      }}
      onPointerMove={(event) => {
        if (dragging.current) pick(event);
      }}
      onPointerUp={() => {
        dragging.current = false;
      }}
    >
      <polygon
        points={triangle.map((v) => `${v.x},${v.y}`).join(' ')}
        className="simplex-picker__triangle"
      />
      {triangle.map((v, k) => (
        <g key={k}>
          <line x1={point.x} y1={point.y} x2={v.x} y2={v.y} className="simplex-picker__spoke" />
          <circle cx={v.x} cy={v.y} r={7} fill={colors[k]} />
          <text
            x={v.x + (k === 0 ? 14 : k === 1 ? -4 : 4)}
            y={v.y + (k === 0 ? 4 : 18)}
            textAnchor={k === 1 ? 'start' : k === 2 ? 'end' : 'start'}
            className="simplex-picker__label"
          >
            {`λ${String.fromCharCode(0x2081 + k)} = ${fmt(weights[k] ?? 0)}`}
          </text>
        </g>
      ))}
      <circle cx={point.x} cy={point.y} r={8} className="simplex-picker__point" />
    </svg>
  );
}
