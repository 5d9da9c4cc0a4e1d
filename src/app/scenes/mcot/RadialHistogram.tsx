/**
 * 3D lab: histogram of the pooled radii |x_i^k| (weighted by w_k/N) against the density of |x|
 * under μ (closed form for radial laws, sphere quadrature otherwise; src/ot/radialDensity.ts).
 * The constraints fix low moments only, so the particles may leave the marginal's radial profile
 * (seed 003 §5.2.5: concentration on shells).
 */
import { line, max } from 'd3';
import { useEffect, useId, useMemo, useRef } from 'react';
import type { Marginal } from '../../../ot/mcot/marginals';
import type { ParticleSnapshot } from '../../../solvers/mcot/types';
import { drawOnChange } from '../../drawThrottle';
import { strokeStyle } from '../../lecture/presenter';
import { chartFrame, drawAxes } from './plotFrame';
import { marginalRadialDensity, radialHistogram, type RadialHistogram as Histogram } from './model';

const HEIGHT = 260;
const BINS = 40;
const CURVE_POINTS = 120;
export const HISTOGRAM_COLOR = '#7c3aed';
export const DENSITY_COLOR = '#d97706';

interface RadialHistogramProps {
  marginal: Marginal;
  rMax: number;
  source: () => ParticleSnapshot | undefined;
  subscribe: (listener: () => void) => () => void;
  onDraw: () => void;
}

export function RadialHistogram({
  marginal,
  rMax,
  source,
  subscribe,
  onDraw,
}: RadialHistogramProps) {
  const ref = useRef<SVGSVGElement>(null);
  const titleId = useId();
  const curve = useMemo(() => {
    const density = marginalRadialDensity(marginal);
    return Array.from({ length: CURVE_POINTS + 1 }, (_, j) => {
      const r = (j * rMax) / CURVE_POINTS;
      return [r, density(r)] as const;
    });
  }, [marginal, rMax]);

  useEffect(() => {
    const svg = ref.current;
    if (!svg) return;
    let histogram: Histogram | undefined;
    return drawOnChange(
      (width) => {
        const snapshot = source();
        if (snapshot && snapshot.version > 0) {
          histogram = radialHistogram(snapshot, BINS, rMax, histogram);
        }
        const shown = snapshot && snapshot.version > 0 ? histogram : undefined;
        drawHistogram(svg, width, curve, rMax, shown);
        onDraw();
      },
      subscribe,
      250,
      svg,
    );
  }, [curve, rMax, source, subscribe, onDraw]);

  return (
    <figure className="chart">
      <figcaption id={titleId}>Radial distribution of the pooled cloud</figcaption>
      <svg ref={ref} role="img" aria-labelledby={titleId} data-testid="mcot-radial" />
    </figure>
  );
}

function drawHistogram(
  svg: SVGSVGElement,
  observedWidth: number | undefined,
  curve: readonly (readonly [number, number])[],
  rMax: number,
  histogram: Histogram | undefined,
): void {
  const width = Math.max(320, observedWidth || svg.clientWidth || 480);
  const top = Math.max(max(curve, (p) => p[1]) ?? 1, histogram ? (max(histogram.density) ?? 0) : 0);
  const frame = chartFrame([0, rMax], [0, top * 1.08], width, HEIGHT);
  const { x, y } = frame;
  const root = drawAxes(svg, frame, 'radius r = |x|', 'density');
  root.attr('height', HEIGHT);
  if (histogram) {
    const bins = Array.from(histogram.density, (value, b) => ({
      lo: histogram.edges[b]!,
      hi: histogram.edges[b + 1]!,
      value,
    }));
    root
      .append('g')
      .selectAll('rect')
      .data(bins)
      .join('rect')
      .attr('x', (bin) => x(bin.lo) + 0.5)
      .attr('width', (bin) => Math.max(0, x(bin.hi) - x(bin.lo) - 1))
      .attr('y', (bin) => y(bin.value))
      .attr('height', (bin) => y(0) - y(bin.value))
      .attr('fill', HISTOGRAM_COLOR)
      .attr('fill-opacity', 0.45);
  }
  const path = line<readonly [number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(p[1]));
  root
    .append('path')
    .attr('d', path(curve))
    .attr('fill', 'none')
    .attr('stroke', DENSITY_COLOR)
    .style('stroke-width', strokeStyle(2.2).strokeWidth);
}
