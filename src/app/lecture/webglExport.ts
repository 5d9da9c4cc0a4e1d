/**
 * PNG export of a three.js view (exportViews.ts): WebGL pixels are readable only right after
 * rendering, so the export renders at its own pixel ratio and copies in the same task, then
 * renders again at the screen's ratio.
 */
import type { WebGLRenderer } from 'three';
import { copyCanvas, registerCanvasExport } from './exportViews';

/** Registers the renderer's canvas for export; `render` draws the scene once. */
export function registerWebglExport(renderer: WebGLRenderer, render: () => void): () => void {
  const canvas = renderer.domElement;
  return registerCanvasExport(canvas, (scale) => {
    const ratio = renderer.getPixelRatio();
    renderer.setPixelRatio(scale);
    render();
    const copy = copyCanvas(canvas, canvas.width, canvas.height);
    renderer.setPixelRatio(ratio);
    render();
    return copy;
  });
}
