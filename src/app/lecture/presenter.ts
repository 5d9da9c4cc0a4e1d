/**
 * Presenter mode: full screen where the browser allows it, large type, high contrast, thick lines
 * and a clutter-free layout, all driven by the `presenter` class on <html> (lecture.css). Charts
 * and canvases read the line thickness from the CSS variable `--line-scale` (`lineScale()`) and
 * redraw when it changes (`onPresenterChange`). Not kept in the URL: a shared link opens normally.
 */
import { create } from 'zustand';

interface PresenterState {
  presenter: boolean;
  /** Full screen was requested and granted for this presenter session. */
  fullscreen: boolean;
}

export const usePresenterStore = create<PresenterState>()(() => ({
  presenter: false,
  fullscreen: false,
}));

const PRESENTER_CLASS = 'presenter';

/** Stroke multiplier for charts and canvases: 1, or larger in presenter mode. */
export function lineScale(): number {
  const value = Number.parseFloat(
    getComputedStyle(document.documentElement).getPropertyValue('--line-scale'),
  );
  return Number.isFinite(value) && value > 0 ? value : 1;
}

/**
 * A stroke width that follows `--line-scale` (thicker in presenter mode) for SVG drawn by React:
 * `style={strokeStyle(2)}`. The export inlines the computed width, so files match the screen.
 */
export function strokeStyle(width: number): { strokeWidth: string } {
  return { strokeWidth: `calc(${width}px * var(--line-scale))` };
}

/** Calls `listener` after presenter mode was switched (the CSS variables have changed). */
export function onPresenterChange(listener: () => void): () => void {
  return usePresenterStore.subscribe((state, previous) => {
    if (state.presenter !== previous.presenter) listener();
  });
}

export function setPresenter(on: boolean): void {
  if (usePresenterStore.getState().presenter === on) return;
  document.documentElement.classList.toggle(PRESENTER_CLASS, on);
  usePresenterStore.setState({ presenter: on, fullscreen: false });
  if (on) void enterFullscreen();
  else if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
}

export function togglePresenter(): void {
  setPresenter(!usePresenterStore.getState().presenter);
}

/** Full screen needs a user gesture and may be refused (iframes, kiosks): presenter mode works without. */
async function enterFullscreen(): Promise<void> {
  if (!document.fullscreenEnabled || document.fullscreenElement) return;
  try {
    await document.documentElement.requestFullscreen({ navigationUI: 'hide' });
    if (usePresenterStore.getState().presenter) usePresenterStore.setState({ fullscreen: true });
  } catch {
    // Refused: stay in presenter mode in the window.
  }
}

/** Leaving full screen with the browser's own Escape also leaves presenter mode. */
export function followFullscreenExit(): () => void {
  const onChange = () => {
    const { presenter, fullscreen } = usePresenterStore.getState();
    if (presenter && fullscreen && !document.fullscreenElement) setPresenter(false);
  };
  document.addEventListener('fullscreenchange', onChange);
  return () => {
    document.removeEventListener('fullscreenchange', onChange);
  };
}
