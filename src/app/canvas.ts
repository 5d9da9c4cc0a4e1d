/** Canvas helpers shared by the scenes' 2D views. */

export interface PreparedCanvas {
  context: CanvasRenderingContext2D;
  /** Backing-store size in device pixels. */
  width: number;
  height: number;
  dpr: number;
}

/**
 * Matches the backing store to the element's CSS size × devicePixelRatio and clears it to white.
 * Undefined when the 2D context is unavailable.
 */
export function prepareCanvas(canvas: HTMLCanvasElement): PreparedCanvas | undefined {
  const dpr = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const height = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  return { context, width, height, dpr };
}
