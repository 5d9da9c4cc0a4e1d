/** Canvas helpers shared by the scenes' 2D views. */

export interface PreparedCanvas {
  context: CanvasRenderingContext2D;
  /** Backing-store size in device pixels. */
  width: number;
  height: number;
  dpr: number;
}

/**
 * Matches the backing store to the CSS size of `sizeOf` (the canvas itself, or the on-screen canvas
 * an export copy stands for) × `dpr` and clears it to white. Undefined when the 2D context is
 * unavailable.
 */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  dpr = window.devicePixelRatio || 1,
  sizeOf: HTMLElement = canvas,
): PreparedCanvas | undefined {
  const width = Math.max(1, Math.round(sizeOf.clientWidth * dpr));
  const height = Math.max(1, Math.round(sizeOf.clientHeight * dpr));
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
