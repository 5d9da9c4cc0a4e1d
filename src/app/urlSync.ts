/**
 * Keeps the address bar and the store in step: the hash selects the scene and its parameters
 * (validated, with messages for rejected ones); parameter changes made with the controls are
 * written back with `history.replaceState` (no history entry per slider move, no hashchange loop).
 */
import { defaultValues, formatParams, parseParams, quote } from './params';
import { formatHash, parseHash } from './route';
import type { SceneDefinition } from './scenes';
import { useAppStore, type AppState } from './store';

/** The canonical hash of a scene with the given parameters (its defaults when none). */
export function sceneHash(
  scene: SceneDefinition,
  state: AppState = useAppStore.getState(),
): string {
  const values = state.sceneParams[scene.id] ?? defaultValues(scene.params);
  return formatHash(scene.id, formatParams(scene.params, values));
}

/** Applies the current hash and follows later changes; returns a function that stops it. */
export function startUrlSync(
  scenes: readonly SceneDefinition[],
  fallback: SceneDefinition,
): () => void {
  const byId = (id: string) => scenes.find((scene) => scene.id === id);

  const writeCanonical = (state: AppState) => {
    const scene = byId(state.route.sceneId);
    if (!scene) return;
    const hash = sceneHash(scene, state);
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  };

  const applyHash = () => {
    const { sceneId, query } = parseHash(window.location.hash);
    const scene = sceneId === undefined ? fallback : byId(sceneId);
    if (!scene) {
      const issue = `Unknown scene ${quote(sceneId ?? '')}; showing ${fallback.title} instead.`;
      useAppStore.getState().showScene(fallback.id, defaultValues(fallback.params), [issue]);
    } else {
      const { values, issues } = parseParams(scene.params, query);
      useAppStore.getState().showScene(scene.id, values, issues);
    }
    writeCanonical(useAppStore.getState());
  };

  applyHash();
  window.addEventListener('hashchange', applyHash);
  const unsubscribe = useAppStore.subscribe((state, previous) => {
    if (state.sceneParams !== previous.sceneParams || state.route !== previous.route) {
      writeCanonical(state);
    }
  });
  return () => {
    window.removeEventListener('hashchange', applyHash);
    unsubscribe();
  };
}
