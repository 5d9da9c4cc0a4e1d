/** Entry point: store ↔ URL sync, the test hook, WebGPU start-up, then React. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/app.css';
import { startGpuRuntime } from './app/gpuRuntime';
import { defaultScene, scenes } from './app/scenes';
import { useAppStore } from './app/store';
import { mirrorStoreInTestHook } from './app/testHook';
import { startUrlSync } from './app/urlSync';

mirrorStoreInTestHook(useAppStore);
startUrlSync(scenes, defaultScene);
void startGpuRuntime();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
