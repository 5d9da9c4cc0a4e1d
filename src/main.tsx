/**
 * Entry point: store ↔ URL sync, the test hook (scenes, presenter mode), WebGPU start-up, fonts
 * for offline use, then React.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/app.css';
import { startGpuRuntime } from './app/gpuRuntime';
import { preloadFonts } from './app/lecture/offline';
import { usePresenterStore } from './app/lecture/presenter';
import { defaultScene, scenes } from './app/scenes';
import { useAppStore } from './app/store';
import { mirrorStoreInTestHook, testHook } from './app/testHook';
import { startUrlSync } from './app/urlSync';

mirrorStoreInTestHook(useAppStore);
testHook().scenes = scenes.map((scene) => scene.id);
usePresenterStore.subscribe((state) => {
  testHook().presenter = state.presenter;
});
startUrlSync(scenes, defaultScene);
void startGpuRuntime();
preloadFonts();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
