/** A titled SVG chart redrawn by `draw` on mount, resize and every `subscribe` notification. */
import { useId, useRef } from 'react';
import { useSubscribedDraw } from '../sceneHooks';

interface ChartFigureProps {
  title: string;
  testId: string;
  /**
   * Draws the whole chart into the SVG at `width` CSS pixels as last observed (undefined before the
   * first resize observation). Memoise it: a new function redraws and resubscribes.
   */
  draw: (svg: SVGSVGElement, width: number | undefined) => void;
  subscribe: (listener: () => void) => () => void;
  minIntervalMs?: number;
}

export function ChartFigure({ title, testId, draw, subscribe, minIntervalMs }: ChartFigureProps) {
  const ref = useRef<SVGSVGElement>(null);
  const titleId = useId();
  useSubscribedDraw(ref, draw, subscribe, minIntervalMs);
  return (
    <figure className="chart">
      <figcaption id={titleId}>{title}</figcaption>
      <svg ref={ref} role="img" aria-labelledby={titleId} data-testid={testId} />
    </figure>
  );
}
