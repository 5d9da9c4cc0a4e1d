/**
 * A 2D density drawn as a heatmap (CPU evaluation of src/ot/gmm.ts on a modest grid) with its 1D
 * marginals as d3 line plots above (x) and beside (y) it, and optional covariance ellipses.
 */
import { interpolateYlGnBu, line, max, rgb, scaleLinear } from 'd3';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { Gaussian, GaussianMixture } from '../../../ot/gaussian';
import { strokeStyle } from '../../lecture/presenter';
import {
  covarianceEllipse,
  densityGrid,
  gridCoordinates,
  marginalDensity,
  type Domain,
} from './model';

/** Heatmap side in CSS pixels, marginal band thickness, grid resolution. */
export const HEATMAP_SIZE = 250;
const BAND = 54;
const GRID = 72;
const CURVE_POINTS = 120;

export interface MarginalCurve {
  mixture: GaussianMixture;
  color: string;
  dash?: string;
  label: string;
}

export interface EllipseSpec {
  gaussian: Gaussian;
  color: string;
  width?: number;
  dash?: string;
}

interface DensityPanelProps {
  title: string;
  testId: string;
  mixture: GaussianMixture;
  domain: Domain;
  /** Extra marginal curves (e.g. the prescribed ones), drawn after the density's own. */
  curves?: readonly MarginalCurve[];
  ellipses?: readonly EllipseSpec[];
  color?: string;
  children?: ReactNode;
}

export function DensityPanel({
  title,
  testId,
  mixture,
  domain,
  curves = [],
  ellipses = [],
  color = '#0f5b55',
  children,
}: DensityPanelProps) {
  const allCurves = useMemo(
    () => [{ mixture, color, label: 'density' }, ...curves],
    [mixture, color, curves],
  );
  const scale = scaleLinear().domain([domain.min, domain.max]).range([0, HEATMAP_SIZE]);
  const scaleY = scaleLinear().domain([domain.min, domain.max]).range([HEATMAP_SIZE, 0]);
  return (
    <figure className="gb-panel" data-testid={testId}>
      <figcaption className="gb-panel__title">{title}</figcaption>
      <div className="gb-panel__grid" data-export-view={title}>
        <MarginalPlot curves={allCurves} domain={domain} axis={0} />
        <span aria-hidden="true" />
        <div className="gb-panel__heat">
          <Heatmap mixture={mixture} domain={domain} label={title} />
          <svg
            className="gb-panel__overlay"
            width={HEATMAP_SIZE}
            height={HEATMAP_SIZE}
            aria-hidden="true"
          >
            {ellipses.map((e, i) => {
              const shape = covarianceEllipse(e.gaussian.cov, 2);
              const cx = scale(e.gaussian.mean[0]!);
              const cy = scaleY(e.gaussian.mean[1]!);
              const unit = HEATMAP_SIZE / (domain.max - domain.min);
              return (
                <ellipse
                  key={i}
                  cx={cx}
                  cy={cy}
                  rx={shape.rx * unit}
                  ry={shape.ry * unit}
                  transform={`rotate(${(-shape.angle * 180) / Math.PI} ${cx} ${cy})`}
                  fill="none"
                  stroke={e.color}
                  style={strokeStyle(e.width ?? 1.5)}
                  strokeDasharray={e.dash}
                />
              );
            })}
          </svg>
        </div>
        <MarginalPlot curves={allCurves} domain={domain} axis={1} />
      </div>
      {children}
    </figure>
  );
}

function Heatmap({
  mixture,
  domain,
  label,
}: {
  mixture: GaussianMixture;
  domain: Domain;
  label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const values = densityGrid(mixture, domain, GRID);
    const peak = Math.max(...values, 1e-300);
    const image = new ImageData(GRID, GRID);
    values.forEach((v, i) => {
      // Square root: the tails stay visible next to a sharp peak.
      const c = rgb(interpolateYlGnBu(0.04 + 0.96 * Math.sqrt(v / peak)));
      image.data[4 * i] = c.r;
      image.data[4 * i + 1] = c.g;
      image.data[4 * i + 2] = c.b;
      image.data[4 * i + 3] = 255;
    });
    const tile = new OffscreenCanvas(GRID, GRID);
    tile.getContext('2d')?.putImageData(image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(tile, 0, 0, canvas.width, canvas.height);
  }, [mixture, domain]);
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  return (
    <canvas
      ref={ref}
      className="gb-panel__canvas"
      width={HEATMAP_SIZE * dpr}
      height={HEATMAP_SIZE * dpr}
      style={{ width: HEATMAP_SIZE, height: HEATMAP_SIZE }}
      role="img"
      aria-label={`Density: ${label}`}
    />
  );
}

/** x marginal above the heatmap (axis 0) or y marginal to its right (axis 1). */
function MarginalPlot({
  curves,
  domain,
  axis,
}: {
  curves: readonly MarginalCurve[];
  domain: Domain;
  axis: 0 | 1;
}) {
  const coordinates = gridCoordinates(domain, CURVE_POINTS);
  const series = curves.map((c) => marginalDensity(c.mixture, axis, coordinates));
  const peak = max(series.flat()) ?? 1;
  const along = scaleLinear()
    .domain([domain.min, domain.max])
    .range(axis === 0 ? [0, HEATMAP_SIZE] : [HEATMAP_SIZE, 0]);
  const height = scaleLinear()
    .domain([0, peak])
    .range(axis === 0 ? [BAND - 2, 4] : [2, BAND - 4]);
  const path = line<number>()
    .x((v, i) => (axis === 0 ? along(coordinates[i]!) : height(v)))
    .y((v, i) => (axis === 0 ? height(v) : along(coordinates[i]!)));
  return (
    <svg
      className={`gb-panel__marginal gb-panel__marginal--${axis === 0 ? 'x' : 'y'}`}
      width={axis === 0 ? HEATMAP_SIZE : BAND}
      height={axis === 0 ? BAND : HEATMAP_SIZE}
      role="img"
      aria-label={`${axis === 0 ? 'x' : 'y'} marginal: ${curves.map((c) => c.label).join(', ')}`}
    >
      {axis === 0 ? (
        <line x1={0} x2={HEATMAP_SIZE} y1={BAND - 2} y2={BAND - 2} className="gb-axis" />
      ) : (
        <line x1={2} x2={2} y1={0} y2={HEATMAP_SIZE} className="gb-axis" />
      )}
      {series.map((values, i) => (
        <path
          key={i}
          d={path(values) ?? ''}
          fill="none"
          stroke={curves[i]!.color}
          style={strokeStyle(curves[i]!.dash ? 1.6 : 2)}
          strokeDasharray={curves[i]!.dash}
        />
      ))}
    </svg>
  );
}
