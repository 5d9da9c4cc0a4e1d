/**
 * Views of the active scene as PNG (at 2× the size shown) or SVG files.
 *
 * A view is an element whose canvases and SVGs are composed into one picture in their on-screen
 * positions: a scene marks a view with `data-export-view="Label"` (for example a heatmap canvas
 * with an SVG overlay); every other canvas or SVG of at least 48 px in the scene is a view of its
 * own, named by its aria-label. So a scene that marks nothing still exports all its pictures.
 *
 * Canvases are copied as they are shown, inside an animation frame; a canvas whose pixels are
 * only readable right after it renders (WebGPU, WebGL without preserveDrawingBuffer), or that
 * should be redrawn sharply at 2×, registers a renderer with `registerCanvasExport`. SVGs are
 * serialised with their computed styles inlined, so the file looks as on screen without the app's
 * CSS, and rasterised at full resolution for PNG.
 */
import { slug } from './files';

/** Draws the canvas's content at `scale` × its CSS size and returns a canvas the caller owns. */
export type CanvasRenderer = (scale: number) => HTMLCanvasElement | Promise<HTMLCanvasElement>;

export interface ExportView {
  /** Unique within the scene, used in file names. */
  id: string;
  label: string;
  element: Element;
  /** Contains an SVG, so an SVG file is offered besides the PNG. */
  hasSvg: boolean;
}

export const PNG_SCALE = 2;
export const SCENE_ROOT_SELECTOR = '[data-scene-root]';
const VIEW_ATTRIBUTE = 'data-export-view';
const MIN_VIEW_SIZE = 48;
const SVG_NS = 'http://www.w3.org/2000/svg';
/** Computed properties that decide how SVG content looks. */
const SVG_STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'visibility',
  'display',
  'color',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
] as const;

const renderers = new WeakMap<HTMLCanvasElement, CanvasRenderer>();

/** Lets the export re-render `canvas` itself; returns a function that removes the renderer. */
export function registerCanvasExport(canvas: HTMLCanvasElement, render: CanvasRenderer) {
  renderers.set(canvas, render);
  return () => {
    if (renderers.get(canvas) === render) renderers.delete(canvas);
  };
}

/** A 2D copy of a canvas (or any drawable), at `width` × `height` pixels. */
export function copyCanvas(
  source: CanvasImageSource,
  width: number,
  height: number,
): HTMLCanvasElement {
  const copy = document.createElement('canvas');
  copy.width = Math.max(1, Math.round(width));
  copy.height = Math.max(1, Math.round(height));
  copy.getContext('2d')?.drawImage(source, 0, 0, copy.width, copy.height);
  return copy;
}

function isVisible(element: Element): boolean {
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.height > 0;
}

function isPicture(element: Element): boolean {
  if (element.parentElement?.closest('svg')) return false; // part of a larger SVG
  if (element.classList.contains('icon') || element.closest('dialog')) return false;
  const box = element.getBoundingClientRect();
  return box.width >= MIN_VIEW_SIZE && box.height >= MIN_VIEW_SIZE;
}

function labelOf(element: Element, index: number): string {
  const labelledBy = element.getAttribute('aria-labelledby');
  const referenced = labelledBy
    ? labelledBy
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent.trim() ?? '')
        .join(' ')
        .trim()
    : '';
  return (
    element.getAttribute(VIEW_ATTRIBUTE) ||
    element.getAttribute('aria-label') ||
    referenced ||
    element.getAttribute('data-testid') ||
    `${element.tagName.toLowerCase()} ${index + 1}`
  );
}

/** The scene's views in document order: marked ones, then every loose canvas or SVG. */
export function findViews(root: Element): ExportView[] {
  const marked = [...root.querySelectorAll(`[${VIEW_ATTRIBUTE}]`)].filter(
    (element) => isVisible(element) && !element.parentElement?.closest(`[${VIEW_ATTRIBUTE}]`),
  );
  const loose = [...root.querySelectorAll('canvas, svg')].filter(
    (element) => !element.closest(`[${VIEW_ATTRIBUTE}]`) && isPicture(element),
  );
  const elements = [...marked, ...loose].sort((a, b) =>
    a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
  );
  const used = new Map<string, number>();
  return elements.map((element, index) => {
    const label = labelOf(element, index);
    const base = slug(label);
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    return {
      id: count === 1 ? base : `${base}-${count}`,
      label,
      element,
      hasSvg: element.matches('svg') || element.querySelector('svg') !== null,
    };
  });
}

/** The canvases and top-level SVGs a view is drawn from, back to front. */
function partsOf(view: Element): (HTMLCanvasElement | SVGSVGElement)[] {
  const candidates = view.matches('canvas, svg')
    ? [view]
    : [...view.querySelectorAll('canvas, svg')];
  return candidates.filter(
    (element): element is HTMLCanvasElement | SVGSVGElement =>
      (element instanceof HTMLCanvasElement || element instanceof SVGSVGElement) &&
      (element === view || !element.parentElement?.closest('svg')) &&
      isVisible(element),
  );
}

/** The first opaque background behind the view (white when everything is transparent). */
function backgroundOf(element: Element): string {
  for (let node: Element | null = element; node; node = node.parentElement) {
    const color = getComputedStyle(node).backgroundColor;
    if (color && color !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(color)) return color;
  }
  return '#ffffff';
}

/** The canvas as displayed, copied inside an animation frame (after the page's own drawing). */
function canvasImage(canvas: HTMLCanvasElement, scale: number): Promise<HTMLCanvasElement> {
  const render = renderers.get(canvas);
  if (render) return Promise.resolve(render(scale));
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      resolve(copyCanvas(canvas, canvas.width, canvas.height));
    });
  });
}

/** Copies the computed look of every element into its `style`, so the SVG stands alone. */
function inlineStyles(original: Element, clone: Element): void {
  const originals = [original, ...original.querySelectorAll('*')];
  const clones = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((element, k) => {
    const target = clones[k];
    if (!target) return;
    const computed = getComputedStyle(element);
    const style = SVG_STYLE_PROPERTIES.map((p) => `${p}:${computed.getPropertyValue(p)}`).join(';');
    target.setAttribute('style', style);
  });
}

/** A standalone copy of an on-screen SVG, `width` × `height` user units showing what is displayed. */
function standaloneSvg(svg: SVGSVGElement, width: number, height: number): SVGSVGElement {
  const box = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone);
  clone.setAttribute('xmlns', SVG_NS);
  // Without a viewBox the content is laid out in CSS pixels: keep that when resizing.
  if (!clone.hasAttribute('viewBox'))
    clone.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.removeAttribute('class');
  return clone;
}

async function svgImage(svg: SVGSVGElement, scale: number): Promise<HTMLImageElement> {
  const box = svg.getBoundingClientRect();
  const text = new XMLSerializer().serializeToString(
    standaloneSvg(svg, box.width * scale, box.height * scale),
  );
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

export interface PngFile {
  blob: Blob;
  width: number;
  height: number;
}

/** The view at `scale` × its CSS size, its canvases and SVGs composed in place. */
export async function viewPng(view: Element, scale = PNG_SCALE): Promise<PngFile> {
  const box = view.getBoundingClientRect();
  const output = document.createElement('canvas');
  output.width = Math.max(1, Math.round(box.width * scale));
  output.height = Math.max(1, Math.round(box.height * scale));
  const context = output.getContext('2d');
  if (!context) throw new Error('this browser cannot create a 2D canvas for the PNG');
  context.fillStyle = backgroundOf(view);
  context.fillRect(0, 0, output.width, output.height);
  const parts = partsOf(view);
  const images = await Promise.all(
    parts.map((part) =>
      part instanceof HTMLCanvasElement ? canvasImage(part, scale) : svgImage(part, scale),
    ),
  );
  parts.forEach((part, k) => {
    const r = part.getBoundingClientRect();
    context.drawImage(
      images[k]!,
      (r.left - box.left) * scale,
      (r.top - box.top) * scale,
      r.width * scale,
      r.height * scale,
    );
  });
  const blob = await new Promise<Blob | null>((resolve) => {
    output.toBlob(resolve, 'image/png');
  });
  if (!blob) throw new Error('the browser could not encode the PNG');
  return { blob, width: output.width, height: output.height };
}

/** The view as one SVG document: its SVGs nested in place, canvases embedded as PNG images. */
export async function viewSvg(view: Element): Promise<string> {
  const box = view.getBoundingClientRect();
  const root = document.createElementNS(SVG_NS, 'svg');
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(box.width));
  root.setAttribute('height', String(box.height));
  root.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', backgroundOf(view));
  root.append(background);
  for (const part of partsOf(view)) {
    const r = part.getBoundingClientRect();
    const x = String(r.left - box.left);
    const y = String(r.top - box.top);
    let node: SVGElement;
    if (part instanceof HTMLCanvasElement) {
      const pixels = await canvasImage(part, PNG_SCALE);
      node = document.createElementNS(SVG_NS, 'image');
      node.setAttribute('href', pixels.toDataURL('image/png'));
      node.setAttribute('preserveAspectRatio', 'none');
    } else {
      node = standaloneSvg(part, r.width, r.height);
      node.removeAttribute('xmlns');
    }
    node.setAttribute('x', x);
    node.setAttribute('y', y);
    node.setAttribute('width', String(r.width));
    node.setAttribute('height', String(r.height));
    root.append(node);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}\n`;
}
