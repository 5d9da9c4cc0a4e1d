/** Media queries the shell and the scenes honour: reduced motion and small screens. */
import { useSyncExternalStore } from 'react';

export const REDUCED_MOTION_QUERY = '(prefers-reduced-motion: reduce)';
/** Below this width the two-column layouts stack and a "desktop recommended" notice shows. */
export const SMALL_SCREEN_QUERY = '(max-width: 720px)';

/** The user asked for less motion: scenes start paused and nothing animates by itself. */
export function prefersReducedMotion(): boolean {
  return window.matchMedia(REDUCED_MOTION_QUERY).matches;
}

/** Whether `query` matches, following changes (window resized, setting switched). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => {
        list.removeEventListener('change', onChange);
      };
    },
    () => window.matchMedia(query).matches,
  );
}
