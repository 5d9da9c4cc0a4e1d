/**
 * `window.__otlab`: a small, documented hook through which the end-to-end tests (e2e/) read what
 * the browser computed and drive solvers deterministically, instead of scraping the page.
 *
 *   await page.waitForFunction(() => window.__otlab?.isReady);    // or: await window.__otlab.ready
 *   window.__otlab.runtime    → { backend: 'gpu' | 'cpu', status, adapter, reason }
 *   window.__otlab.scene      → id of the active scene, e.g. 'sinkhorn-toy'
 *   window.__otlab.params     → the active scene's validated parameters
 *   window.__otlab.paramIssues→ messages about rejected URL parameters
 *   window.__otlab.playing    → whether the scene's render loop is running
 *   window.__otlab.gaussianBarycenter → (Gaussian barycenter lab) weights, inputs, W2/L2
 *                               barycenters, marginal errors of each view, recomputed on change
 *   window.__otlab.gaussianInterpolation → (Gaussian interpolation lab) endpoints, interpolants,
 *                               W2² and its terms, W2(ρ₀, ρ_t), heatmap backend, frame times
 *   window.__otlab.mcot       → (MCOT lab) per-lane summaries (phase, n, cost, ‖ξ‖∞, Δt, σ,
 *                               failure), histories, particles, the exact SCE cost, redraw counts
 *                               and frame intervals; step(k) / reset() / play() / pause()
 *   window.__otlab.sinkhorn   → (Sinkhorn toy) { gpu?, cpu } numbers, updated after every step,
 *                               step(k) and runToConvergence(), which pause the loop, advance both
 *                               solvers and resolve with fresh numbers (transport cost included)
 *
 * It is present in production builds on purpose: it only reads state and calls the same controls
 * as the buttons. Everything in it is plain data except the functions.
 */
import type { AdapterSummary } from '../gpu/runtime';
import type { Backend } from '../solvers/types';
import type { GaussianBarycenterHook } from './scenes/gaussianBarycenter/hook';
import type { GaussianInterpolationHook } from './scenes/gaussianInterpolation/hook';
import type { McotHook } from './scenes/mcot/hook';
import type { AppState, RuntimeStatus } from './store';

export interface SinkhornLaneNumbers {
  iteration: number;
  /** L1 error of the row marginal at the latest check (NaN before the first). */
  marginalError: number;
  /** ⟨C, P⟩ of the current plan (NaN until the first result read). */
  transportCost: number;
  converged: boolean;
  stopReason: string | undefined;
  error: string | undefined;
}

export interface SinkhornNumbers {
  /** Absent when WebGPU is unavailable (the CPU backend runs alone). */
  gpu?: SinkhornLaneNumbers;
  cpu?: SinkhornLaneNumbers;
}

export interface SinkhornToyHook extends SinkhornNumbers {
  step: (iterations: number) => Promise<SinkhornNumbers>;
  runToConvergence: () => Promise<SinkhornNumbers>;
  /** Destroys the GPU device (as a driver reset would) to exercise recovery. */
  loseDevice?: () => void;
}

export interface OtlabTestHook {
  version: 1;
  /** Resolves once the runtime has settled (GPU ready or CPU fallback) and a scene has loaded. */
  ready: Promise<void>;
  isReady: boolean;
  runtime: {
    backend: Backend;
    status: RuntimeStatus;
    adapter: AdapterSummary | undefined;
    reason: string | undefined;
  };
  scene: string;
  params: Readonly<Record<string, number | string>>;
  paramIssues: readonly string[];
  playing: boolean;
  sinkhorn: SinkhornToyHook | undefined;
  /** (Gaussian barycenter lab) inputs, weights and every view's numbers; see its hook.ts. */
  gaussianBarycenter?: GaussianBarycenterHook;
  /** (Gaussian interpolation lab) live numbers and frame times; see its hook.ts. */
  gaussianInterpolation?: GaussianInterpolationHook;
  /** (MCOT lab) live numbers, particles and drivers; see its hook.ts. */
  mcot?: McotHook;
}

declare global {
  interface Window {
    __otlab?: OtlabTestHook;
  }
}

let resolveReady: () => void = () => undefined;

/** Creates `window.__otlab` (once) and returns it for updates. */
export function testHook(): OtlabTestHook {
  let hook = window.__otlab;
  if (!hook) {
    const ready = new Promise<void>((resolve) => {
      resolveReady = resolve;
    });
    hook = {
      version: 1,
      ready,
      isReady: false,
      runtime: { backend: 'cpu', status: 'loading', adapter: undefined, reason: undefined },
      scene: '',
      params: {},
      paramIssues: [],
      playing: false,
      sinkhorn: undefined,
    };
    window.__otlab = hook;
  }
  return hook;
}

/** Called by a scene once its solvers are loaded on the settled runtime. */
export function markTestHookReady(): void {
  const hook = testHook();
  if (hook.isReady) return;
  hook.isReady = true;
  resolveReady();
}

/** Keeps the hook's runtime, scene and parameter fields equal to the store's. */
export function mirrorStoreInTestHook(store: {
  getState: () => AppState;
  subscribe(listener: (state: AppState) => void): () => void;
}): () => void {
  const sync = (state: AppState) => {
    const hook = testHook();
    const { backend, status, adapter, reason } = state.runtime;
    hook.runtime = { backend, status, adapter, reason };
    hook.scene = state.route.sceneId;
    hook.params = state.sceneParams[state.route.sceneId] ?? {};
    hook.paramIssues = state.route.issues;
  };
  sync(store.getState());
  return store.subscribe(sync);
}
