/**
 * Coalesces redraw requests into animation frames, spaced so that drawing takes at most about an
 * eighth of the main thread: a drawing that costs 20 ms runs at most every 160 ms, a cheap one at
 * most every `minIntervalMs`.
 */
import { onPresenterChange } from './lecture/presenter';

export interface DrawThrottle {
  request(): void;
  cancel(): void;
}

const SHARE_OF_MAIN_THREAD = 8;

export function drawThrottle(draw: () => void, minIntervalMs = 33): DrawThrottle {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let frame: number | undefined;
  let last = -Infinity;
  let cost = 0;
  const run = () => {
    frame = undefined;
    const start = performance.now();
    draw();
    last = performance.now();
    cost = last - start;
  };
  return {
    request() {
      if (timer !== undefined || frame !== undefined) return;
      const spacing = Math.max(minIntervalMs, SHARE_OF_MAIN_THREAD * cost);
      const wait = Math.max(0, last + spacing - performance.now());
      timer = setTimeout(() => {
        timer = undefined;
        frame = requestAnimationFrame(run);
      }, wait);
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      if (frame !== undefined) cancelAnimationFrame(frame);
      timer = undefined;
      frame = undefined;
    },
  };
}

/**
 * Redraws (throttled) now, after every `subscribe` notification, when presenter mode changes (line
 * widths follow lineScale()) and, when `observe` is given, whenever that element is resized. `draw` receives the element's width as last observed (or
 * undefined before the first observation): reading clientWidth in every redraw would force a
 * layout of the whole page each time. Returns the function that stops it (for an effect's cleanup).
 */
export function drawOnChange(
  draw: (width: number | undefined) => void,
  subscribe: (listener: () => void) => () => void,
  minIntervalMs: number,
  observe?: Element,
): () => void {
  let width: number | undefined;
  const throttle = drawThrottle(() => {
    draw(width);
  }, minIntervalMs);
  const request = () => {
    throttle.request();
  };
  const observer = observe
    ? new ResizeObserver((entries) => {
        width = entries[0]?.contentRect.width;
        request();
      })
    : undefined;
  if (observe) observer?.observe(observe);
  const unsubscribe = subscribe(request);
  const offPresenter = onPresenterChange(request);
  request();
  return () => {
    observer?.disconnect();
    unsubscribe();
    offPresenter();
    throttle.cancel();
  };
}
