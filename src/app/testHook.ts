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
 *   window.__otlab.scenes     → ids of every registered scene (src/app/scenes.ts), in order
 *   window.__otlab.presenter  → whether presenter mode is on (src/app/lecture/presenter.ts)
 *   window.__otlab.gaussianBarycenter → (Gaussian barycenter lab) weights, inputs, W2/L2
 *                               barycenters, marginal errors of each view, recomputed on change
 *   window.__otlab.gaussianInterpolation → (Gaussian interpolation lab) endpoints, interpolants,
 *                               W2² and its terms, W2(ρ₀, ρ_t), heatmap backend, frame times
 *   window.__otlab.genericBarycenter → (generic-cost lab) V per iteration, support, points,
 *                               stop reason; step(k) and runToConvergence() drive the solver
 *   window.__otlab.imageBarycenter → (image lab) inputs, W2 / L2 barycenters and the strip:
 *                               iterations, marginal errors, mass and moments; densities(),
 *                               step(k) and runToConvergence()
 *   window.__otlab.stableMatching → (Stable matching) points, costs, rankings, the current
 *                               Gale–Shapley round (matching, proposals, blocking pairs) and the
 *                               compared matchings; step(k) / runToEnd() / reset() drive the rounds
 *                               (every first-principles scene has these three drivers, each
 *                               resolving with the scene's fresh numbers)
 *   window.__otlab.mongeKantorovich → (Monge vs Kantorovich) atoms, costs, the optimal plan,
 *                               the maps that push μ to ν, the current plan (perturbed or after
 *                               k cycle cancellations) with its violating cycle, costs per step
 *   window.__otlab.duality    → (Duality) grid, μ, ν, the optimal plan and cost, and the stage
 *                               shown (start, g ← f^c, f ← g^c, g ← f^c, optimal) with f, g, the
 *                               dual value, the constraint violation and the slack on the support
 *   window.__otlab.wassersteinLine → (W1 vs W2) the sorted samples, W1 (CDF area and quantiles),
 *                               W2, W_p of the samples and of the laws, the Gaussian formula, and
 *                               the sweep of estimates for n = 10 … 10⁵ (one size per step)
 *   window.__otlab.kmeans     → (k-means) points, start atoms, the current half-step of Lloyd
 *                               (atoms, labels, weights, W2², exact OT cost) and W2² per half-step
 *   window.__otlab.representability → (N-representability) the two-state model, cost per pair for
 *                               k = 2..kmax and its mean-field limit, the optimal pair density at
 *                               the current k (one more particle per step), the user's density
 *                               with the seed's inequality and its largest representable k
 *   window.__otlab.mcot       → (MCOT lab) per-lane summaries (phase, n, cost, ‖ξ‖∞, Δt, σ,
 *                               failure), histories, particles, the exact SCE cost, redraw counts
 *                               and frame intervals; step(k) / reset() / play() / pause()
 *   window.__otlab.pointCloudLab → (Point-cloud lab) backend, point sets, iteration, marginal
 *                               error, ⟨C, P⟩, dual value, exact cost, c-transform gaps, plan lines
 *                               drawn; step(k) / runToConvergence() / reset() resolve with them
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
import type { GenericBarycenterHook } from './scenes/genericBarycenter/hook';
import type { ImageBarycenterHook } from './scenes/imageBarycenter/hook';
import type { StableMatchingHook } from './scenes/stableMatching/hook';
import type { MongeKantorovichHook } from './scenes/mongeKantorovich/hook';
import type { DualityHook } from './scenes/duality/hook';
import type { WassersteinLineHook } from './scenes/wassersteinLine/hook';
import type { KmeansHook } from './scenes/kmeans/hook';
import type { RepresentabilityHook } from './scenes/representability/hook';
import type { McotHook } from './scenes/mcot/hook';
import type { PointCloudLabHook } from './scenes/pointCloudLab/hook';
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
  scenes: readonly string[];
  presenter: boolean;
  sinkhorn: SinkhornToyHook | undefined;
  /** (Gaussian barycenter lab) inputs, weights and every view's numbers; see its hook.ts. */
  gaussianBarycenter?: GaussianBarycenterHook;
  /** (Gaussian interpolation lab) live numbers and frame times; see its hook.ts. */
  gaussianInterpolation?: GaussianInterpolationHook;
  /** (Generic-cost barycenter lab) V history and the barycenter; see its hook.ts. */
  genericBarycenter?: GenericBarycenterHook;
  /** (Image barycenter lab) barycenters, strip and their progress; see its hook.ts. */
  imageBarycenter?: ImageBarycenterHook;
  /** (Stable matching) the instance, the current Gale–Shapley round, compared matchings. */
  stableMatching?: StableMatchingHook;
  /** (Monge vs Kantorovich) atoms, optimal plan, maps, the current plan and its cycles. */
  mongeKantorovich?: MongeKantorovichHook;
  /** (Duality) measures, optimal plan, primal cost and the potentials of the current stage. */
  duality?: DualityHook;
  /** (W1 vs W2) samples, W_p of samples and of the laws, the FID convergence sweep. */
  wassersteinLine?: WassersteinLineHook;
  /** (k-means) points, the current half-step of Lloyd (atoms, plan, W2²) and the history. */
  kmeans?: KmeansHook;
  /** (N-representability) the toy model, the optimal density at the current k, the user's check. */
  representability?: RepresentabilityHook;
  /** (MCOT lab) live numbers, particles and drivers; see its hook.ts. */
  mcot?: McotHook;
  /** (Point-cloud lab) the point sets, solver numbers, exact cost and dual checks; see its hook.ts. */
  pointCloudLab?: PointCloudLabHook;
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
      scenes: [],
      presenter: false,
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
