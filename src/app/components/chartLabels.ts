/** Axis titles of the d3 line charts (ErrorChart, the generic-cost lab's V chart). */
import type { Selection } from 'd3';

export interface ChartBox {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

/** The x title centred under the plot, the y title rotated along the left edge. */
export function appendAxisTitles(
  root: Selection<SVGSVGElement, unknown, null, undefined>,
  { width, height, margin }: ChartBox,
  xTitle: string,
  yTitle: string,
): void {
  root
    .append('text')
    .attr('class', 'chart__label')
    .attr('x', (margin.left + width - margin.right) / 2)
    .attr('y', height - 8)
    .attr('text-anchor', 'middle')
    .text(xTitle);
  root
    .append('text')
    .attr('class', 'chart__label')
    .attr('transform', `translate(16,${(margin.top + height - margin.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(yTitle);
}
