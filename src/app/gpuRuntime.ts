/**
 * The app's one GpuRuntime, created at start-up. It lives here rather than in the store: it is not
 * serialisable and React never needs to see it. The store's runtime slice mirrors what the UI
 * shows (backend, adapter, reason when WebGPU is unavailable, device-loss notices).
 */
import { createBrowserRuntime } from '../gpu/browser';
import { WebGpuUnavailableError } from '../gpu/errors';
import type { GpuRuntime } from '../gpu/runtime';
import { useAppStore } from './store';

let runtime: GpuRuntime | undefined;
let starting: Promise<GpuRuntime | undefined> | undefined;

export const DEVICE_RESTORED_NOTICE = 'GPU device was lost and recreated';

/** The runtime once WebGPU is ready; undefined while loading or when unavailable. */
export function gpuRuntime(): GpuRuntime | undefined {
  return runtime;
}

/** Starts WebGPU once; resolves with the runtime, or undefined when the CPU backend must be used. */
export function startGpuRuntime(): Promise<GpuRuntime | undefined> {
  starting ??= boot();
  return starting;
}

async function boot(): Promise<GpuRuntime | undefined> {
  const { setRuntime, reportError } = useAppStore.getState();
  try {
    runtime = await createBrowserRuntime();
  } catch (error) {
    const reason =
      error instanceof WebGpuUnavailableError
        ? error.message
        : `WebGPU failed to start: ${error instanceof Error ? error.message : String(error)}`;
    setRuntime({ status: 'unavailable', backend: 'cpu', reason });
    if (!(error instanceof WebGpuUnavailableError)) reportError(reason);
    return undefined;
  }
  const live = runtime;
  live.onDeviceRestored(() => {
    setRuntime({ notice: `${DEVICE_RESTORED_NOTICE} (${live.lastLoss ?? 'no reason given'}).` });
  });
  setRuntime({ status: 'ready', backend: 'gpu', adapter: live.adapter });
  return live;
}
