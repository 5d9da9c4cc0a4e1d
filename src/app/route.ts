/**
 * Hash routes: `#/<scene-id>?<parameters>`, e.g. `#/sinkhorn-toy?n=64&eps=0.05&seed=1`.
 * Hash routing keeps the static build working from any folder (`base: './'`) and offline.
 */

export interface Route {
  /** Undefined for an empty hash (the default scene). */
  sceneId: string | undefined;
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const body = hash.replace(/^#/, '').replace(/^\//, '');
  const mark = body.indexOf('?');
  const path = mark === -1 ? body : body.slice(0, mark);
  const search = mark === -1 ? '' : body.slice(mark + 1);
  let sceneId: string | undefined;
  try {
    sceneId = decodeURIComponent(path) || undefined;
  } catch {
    sceneId = path; // malformed escapes: keep the raw text, it is reported as an unknown scene
  }
  return { sceneId, query: new URLSearchParams(search) };
}

export function formatHash(sceneId: string, query: string): string {
  return `#/${encodeURIComponent(sceneId)}${query ? `?${query}` : ''}`;
}
