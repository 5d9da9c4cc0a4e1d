/**
 * Small hooks the scenes share: a parameter setter that reports rejected values, the weight setter
 * of the simplex controls, and the redraw wiring of canvases and charts (drawn on solver steps and
 * resizes, throttled, never through React renders).
 */
import { useCallback, useEffect, type RefObject } from 'react';
import { drawOnChange } from './drawThrottle';
import { registerCanvasExport } from './lecture/exportViews';
import type { ParamSchema, ParamValue } from './params';
import { useAppStore } from './store';

/** `onParam(key, value)` for a scene's controls: checked by the store, errors shown in the status line. */
export function useParamSetter(
  sceneId: string,
  schema: ParamSchema,
): (key: string, value: ParamValue) => void {
  const setSceneParam = useAppStore((state) => state.setSceneParam);
  const reportError = useAppStore((state) => state.reportError);
  return useCallback(
    (key: string, value: ParamValue) => {
      try {
        setSceneParam(sceneId, schema, key, value);
      } catch (error) {
        reportError(error instanceof Error ? error.message : String(error));
      }
    },
    [sceneId, schema, setSceneParam, reportError],
  );
}

/** Sets the weight parameters `keys[k]` from a weight vector (4 digits, as in the URL). */
export function useWeightSetter(
  onParam: (key: string, value: ParamValue) => void,
  keys: readonly string[],
): (weights: readonly number[]) => void {
  return useCallback(
    (weights: readonly number[]) => {
      weights.forEach((w, k) => {
        const key = keys[k];
        if (key !== undefined) onParam(key, Number(w.toFixed(4)));
      });
    },
    [onParam, keys],
  );
}

/**
 * Calls `draw(element, width)` on mount, on resize, on presenter-mode changes and after every
 * `subscribe` notification, throttled (drawOnChange).
 */
export function useSubscribedDraw<E extends Element>(
  ref: RefObject<E | null>,
  draw: (element: E, width: number | undefined) => void,
  subscribe: (listener: () => void) => () => void,
  minIntervalMs = 33,
): void {
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    return drawOnChange(
      (width) => {
        draw(element, width);
      },
      subscribe,
      minIntervalMs,
      element,
    );
  }, [ref, draw, subscribe, minIntervalMs]);
}

/**
 * A 2D canvas drawn by `render(canvas)` like useSubscribedDraw, whose PNG export redraws it at the
 * requested scale (`render(copy, scale, canvas)`) instead of enlarging the screen pixels.
 */
export function useRedrawnCanvas(
  ref: RefObject<HTMLCanvasElement | null>,
  render: (canvas: HTMLCanvasElement, scale?: number, sizeOf?: HTMLElement) => void,
  subscribe: (listener: () => void) => () => void,
  minIntervalMs?: number,
): void {
  const draw = useCallback(
    (canvas: HTMLCanvasElement) => {
      render(canvas);
    },
    [render],
  );
  useSubscribedDraw(ref, draw, subscribe, minIntervalMs);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    return registerCanvasExport(canvas, (scale) => {
      const copy = document.createElement('canvas');
      render(copy, scale, canvas);
      return copy;
    });
  }, [ref, render]);
}
