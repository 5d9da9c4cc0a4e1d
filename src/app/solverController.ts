/**
 * Drives one or more iterative solvers ("lanes", e.g. the GPU and the CPU backend on the same
 * problem) outside React: play / pause / step / reset, a requestAnimationFrame loop calling
 * `solver.step(k)`, iteration rates, automatic pause when every lane has stopped, and recovery
 * after a lost GPU device.
 *
 * Rules that keep the page responsive:
 * - a lane never has two operations in flight: steps and result reads are queued per lane;
 * - a CPU lane (synchronous work on the main thread) gets k sized to a per-frame time budget from
 *   its measured cost per iteration; a GPU lane gets the requested iterations per frame in one
 *   submit (its work runs off the main thread);
 * - per-step listeners (`onStep`: canvases, test hook) are plain callbacks; the throttled view
 *   (`subscribe` / `getView`, for React's useSyncExternalStore) changes at most every
 *   `publishIntervalMs` plus on play/pause, so React never re-renders per frame.
 */
import type { Backend, IterativeSolver, SolverSummary } from '../solvers/types';

export interface Lane<S extends SolverSummary, R, T extends IterativeSolver<S, R>> {
  id: string;
  label: string;
  solver: T;
  /**
   * Milliseconds one loop step of this CPU lane may take (default: the controller's
   * `frameBudgetMs`). A lane whose work runs in a worker takes a larger budget: its steps do not
   * block the page, they only delay pause and reset.
   */
  stepBudgetMs?: number;
}

export interface LaneView<S extends SolverSummary, R> {
  id: string;
  label: string;
  backend: Backend;
  summary: S | undefined;
  /** The latest full result (refreshed every `resultIntervalMs` while running, and on stop). */
  result: R | undefined;
  /** The solver's stop reason (converged, iteration cap, divergence). */
  stopReason: string | undefined;
  /** A failed step; the lane is skipped until reset (or until a lost GPU device is back). */
  error: string | undefined;
  /** Iterations per second over the last second of play; 0 when paused. */
  rate: number;
}

export interface ControllerView<S extends SolverSummary, R> {
  playing: boolean;
  /** Every lane stopped (or failed): play restarts from the initial iterate. */
  finished: boolean;
  lanes: readonly LaneView<S, R>[];
  notice: string | undefined;
}

export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

/** What the controller needs from a GpuRuntime to survive a device loss. */
export interface DeviceEvents {
  readonly generation: number;
  onDeviceRestored(listener: (generation: number) => void): () => void;
}

export interface ControllerOptions {
  iterationsPerFrame: number;
  /** Main-thread milliseconds a CPU lane may take per frame. */
  frameBudgetMs?: number;
  resultIntervalMs?: number;
  publishIntervalMs?: number;
  scheduler?: FrameScheduler;
  now?: () => number;
}

export const DEVICE_LOST_NOTICE = 'GPU device was lost and recreated; the GPU solver resumed';

const RATE_WINDOW_MS = 1000;
/** Weight of the newest sample in the CPU cost-per-iteration average. */
const COST_SMOOTHING = 0.3;
/** Iterations per chunk when running to convergence without frames. */
const CONVERGENCE_CHUNK = 100;

const browserScheduler: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => {
    cancelAnimationFrame(handle);
  },
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface StepSample {
  start: number;
  end: number;
  iterations: number;
}

class LaneRunner<S extends SolverSummary, R, T extends IterativeSolver<S, R>> {
  busy = false;
  queue: Promise<void> = Promise.resolve();
  summary: S | undefined;
  result: R | undefined;
  error: string | undefined;
  resultAt = -Infinity;
  msPerIteration = Number.NaN;
  samples: StepSample[] = [];

  constructor(readonly lane: Lane<S, R, T>) {}

  get backend(): Backend {
    return this.lane.solver.backend;
  }

  get stopped(): boolean {
    return this.summary?.stopReason !== undefined;
  }

  /** Neither stopped nor failed: the loop may step it. */
  get active(): boolean {
    return !this.stopped && this.error === undefined;
  }

  /** Over the steps that ended in the last second, or the latest step when steps are slower. */
  rate(now: number): number {
    const latest = this.samples.at(-1);
    this.samples = this.samples.filter((s) => s.end > now - RATE_WINDOW_MS);
    if (this.samples.length === 0 && latest && !this.stopped) this.samples = [latest];
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.end <= first.start) return 0;
    const iterations = this.samples.reduce((sum, s) => sum + s.iterations, 0);
    return (1000 * iterations) / (last.end - first.start);
  }

  clearProgress(): void {
    this.summary = undefined;
    this.result = undefined;
    this.error = undefined;
    this.resultAt = -Infinity;
    this.samples = [];
  }
}

export class SolverController<
  S extends SolverSummary,
  R,
  T extends IterativeSolver<S, R> = IterativeSolver<S, R>,
> {
  private runners: LaneRunner<S, R, T>[] = [];
  private playing = false;
  /** The loop stopped by itself (every lane stopped or failed), not by the user. */
  private autoPaused = false;
  private frame: number | undefined;
  private loadGeneration = 0;
  private notice: string | undefined;
  private view: ControllerView<S, R>;
  private viewListeners = new Set<() => void>();
  private stepListeners = new Set<() => void>();
  private publishTimer: ReturnType<typeof setTimeout> | undefined;
  private lastPublish = -Infinity;
  private device: DeviceEvents | undefined;
  private detachDevice: (() => void) | undefined;
  private iterationsPerFrame: number;
  private readonly frameBudgetMs: number;
  private readonly resultIntervalMs: number;
  private readonly publishIntervalMs: number;
  private readonly scheduler: FrameScheduler;
  private readonly now: () => number;

  constructor(options: ControllerOptions) {
    this.iterationsPerFrame = Math.max(1, Math.floor(options.iterationsPerFrame));
    this.frameBudgetMs = options.frameBudgetMs ?? 8;
    this.resultIntervalMs = options.resultIntervalMs ?? 250;
    this.publishIntervalMs = options.publishIntervalMs ?? 250;
    this.scheduler = options.scheduler ?? browserScheduler;
    this.now = options.now ?? (() => performance.now());
    this.view = this.buildView();
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Replaces the solvers (disposing the previous ones); starts paused unless `play`. */
  load(lanes: readonly Lane<S, R, T>[], play = false): void {
    this.unload();
    this.runners = lanes.map((lane) => new LaneRunner(lane));
    this.publish();
    if (play) this.play();
  }

  /** Stops the loop and disposes the solvers; in-flight steps finish but are ignored. */
  unload(): void {
    this.stopLoop();
    this.playing = false;
    this.loadGeneration += 1;
    const runners = this.runners;
    this.runners = [];
    for (const runner of runners) {
      // Dispose after the lane's queued work so a GPU step never sees destroyed buffers.
      void runner.queue.then(() => {
        runner.lane.solver.dispose();
      });
    }
    this.publish();
  }

  /** Resumes GPU lanes after the runtime recreated a lost device. */
  attachDevice(device: DeviceEvents | undefined): void {
    this.detachDevice?.();
    this.device = device;
    this.detachDevice = device?.onDeviceRestored(() => {
      this.handleDeviceRestored();
    });
  }

  dispose(): void {
    this.unload();
    this.detachDevice?.();
    this.detachDevice = undefined;
    if (this.publishTimer !== undefined) clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
  }

  setIterationsPerFrame(iterations: number): void {
    this.iterationsPerFrame = Math.max(1, Math.floor(iterations));
  }

  // ---- controls --------------------------------------------------------------------------

  play(): void {
    if (this.playing || this.runners.length === 0) return;
    if (this.finished) this.restart();
    this.playing = true;
    this.autoPaused = false;
    this.requestFrame();
    this.publish();
  }

  pause(): void {
    this.autoPaused = false;
    if (!this.playing) return;
    this.playing = false;
    this.stopLoop();
    for (const runner of this.runners) runner.samples = [];
    this.publish();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Pauses, then advances every active lane by `iterations` (one frame's worth by default). */
  async step(iterations = this.iterationsPerFrame): Promise<void> {
    this.pause();
    const generation = this.loadGeneration;
    await Promise.all(
      this.runners.filter((r) => r.active).map((r) => this.runStep(r, iterations, 'single')),
    );
    if (generation === this.loadGeneration) this.publish();
  }

  /** Pauses and brings every lane back to its initial iterate. */
  async reset(): Promise<void> {
    this.pause();
    await this.idle();
    this.restart();
    this.publish();
  }

  /** Pauses, then steps every lane in large chunks until it stops (converges or hits its cap). */
  async runToConvergence(chunk = CONVERGENCE_CHUNK): Promise<void> {
    this.pause();
    const generation = this.loadGeneration;
    await Promise.all(
      this.runners.map(async (runner) => {
        while (runner.active && generation === this.loadGeneration) {
          await this.runStep(runner, chunk, 'bulk');
        }
      }),
    );
    if (generation === this.loadGeneration) this.publish();
  }

  /** Fresh results of every lane (queued behind any step in flight). */
  async results(): Promise<(R | undefined)[]> {
    return Promise.all(
      this.runners.map((runner) =>
        this.enqueue(runner, async () => {
          if (runner.error === undefined) {
            runner.result = await runner.lane.solver.result();
            runner.resultAt = this.now();
          }
        }).then(() => runner.result),
      ),
    );
  }

  /** Resolves once no lane has work in flight. */
  async idle(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.queue));
  }

  // ---- observation -----------------------------------------------------------------------

  get isPlaying(): boolean {
    return this.playing;
  }

  get finished(): boolean {
    return this.runners.length > 0 && this.runners.every((runner) => !runner.active);
  }

  /** The lanes as of now (unthrottled): for drawing and the test hook, not for React state. */
  lanes(): LaneView<S, R>[] {
    const now = this.now();
    return this.runners.map((runner) => ({
      id: runner.lane.id,
      label: runner.lane.label,
      backend: runner.backend,
      summary: runner.summary,
      result: runner.result,
      stopReason: runner.summary?.stopReason,
      error: runner.error,
      rate: this.playing && runner.active ? runner.rate(now) : 0,
    }));
  }

  solver(id: string): T | undefined {
    return this.runners.find((runner) => runner.lane.id === id)?.lane.solver;
  }

  /** Called after every completed step or result read. */
  onStep = (listener: () => void): (() => void) => {
    this.stepListeners.add(listener);
    return () => this.stepListeners.delete(listener);
  };

  /** The throttled view for React (`useSyncExternalStore(subscribe, getView)`). */
  subscribe = (listener: () => void): (() => void) => {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  };

  getView = (): ControllerView<S, R> => this.view;

  // ---- internals -------------------------------------------------------------------------

  private restart(): void {
    for (const runner of this.runners) {
      runner.lane.solver.reset();
      runner.clearProgress();
    }
    this.notice = undefined;
    this.emitStep();
  }

  private requestFrame(): void {
    this.frame ??= this.scheduler.request(this.tick);
  }

  private stopLoop(): void {
    if (this.frame !== undefined) this.scheduler.cancel(this.frame);
    this.frame = undefined;
  }

  private tick = (): void => {
    this.frame = undefined;
    if (!this.playing) return;
    for (const runner of this.runners) {
      if (!runner.busy && runner.active)
        void this.runStep(runner, this.iterationsFor(runner), 'loop');
    }
    this.requestFrame();
  };

  /** CPU lanes: as many iterations as fit the frame budget; GPU lanes: the requested count. */
  private iterationsFor(runner: LaneRunner<S, R, T>): number {
    if (runner.backend === 'gpu') return this.iterationsPerFrame;
    if (Number.isNaN(runner.msPerIteration)) return 1;
    const budget = runner.lane.stepBudgetMs ?? this.frameBudgetMs;
    const fit = Math.floor(budget / Math.max(runner.msPerIteration, 1e-6));
    return Math.min(this.iterationsPerFrame, Math.max(1, fit));
  }

  private enqueue(runner: LaneRunner<S, R, T>, work: () => Promise<void>): Promise<void> {
    const task = runner.queue.then(work);
    runner.queue = task.catch(() => undefined);
    return task;
  }

  /**
   * One step of one lane, queued behind its previous work. `loop` steps count towards the rate
   * and read results at most every `resultIntervalMs`; `single` steps always read the result;
   * `bulk` steps (running to convergence) read it only when the lane stops.
   */
  private runStep(
    runner: LaneRunner<S, R, T>,
    iterations: number,
    mode: 'loop' | 'single' | 'bulk',
  ): Promise<void> {
    const generation = this.loadGeneration;
    runner.busy = true;
    return this.enqueue(runner, async () => {
      try {
        if (generation !== this.loadGeneration || !runner.active) return;
        await this.advance(runner, iterations, mode);
      } finally {
        runner.busy = false;
      }
      if (generation === this.loadGeneration) this.afterStep();
    });
  }

  private async advance(
    runner: LaneRunner<S, R, T>,
    iterations: number,
    mode: 'loop' | 'single' | 'bulk',
  ): Promise<void> {
    const generation = this.loadGeneration;
    const deviceGeneration = this.device?.generation;
    const before = runner.summary?.iteration ?? 0;
    const start = this.now();
    try {
      const summary = await runner.lane.solver.step(iterations);
      if (generation !== this.loadGeneration) return;
      const end = this.now();
      const done = Math.max(0, summary.iteration - before);
      runner.summary = summary;
      if (done > 0) {
        const cost = (end - start) / done;
        runner.msPerIteration = Number.isNaN(runner.msPerIteration)
          ? cost
          : (1 - COST_SMOOTHING) * runner.msPerIteration + COST_SMOOTHING * cost;
        if (mode === 'loop') runner.samples.push({ start, end, iterations: done });
      }
      const due =
        mode === 'single' || (mode === 'loop' && end - runner.resultAt >= this.resultIntervalMs);
      if (due || runner.stopped) {
        runner.result = await runner.lane.solver.result();
        runner.resultAt = this.now();
      }
    } catch (error) {
      if (generation !== this.loadGeneration) return;
      // A step that failed because the device was lost under it is not an error of the lane:
      // the solver rebuilds from its last potentials once the runtime has a new device.
      if (this.device && this.device.generation !== deviceGeneration) return;
      runner.error = message(error);
    }
  }

  private afterStep(): void {
    if (this.playing && this.finished) {
      this.playing = false;
      this.autoPaused = true;
      this.stopLoop();
      this.publish();
    } else {
      this.schedulePublish();
    }
    this.emitStep();
  }

  private handleDeviceRestored(): void {
    let resumed = false;
    for (const runner of this.runners) {
      if (runner.backend === 'gpu' && runner.error !== undefined) {
        runner.error = undefined;
        resumed = true;
      }
    }
    this.notice = DEVICE_LOST_NOTICE;
    // A lane that failed with the loss stopped the loop when it was the last one running.
    if (resumed && this.autoPaused) this.play();
    this.publish();
    this.emitStep();
  }

  private emitStep(): void {
    for (const listener of this.stepListeners) listener();
  }

  private schedulePublish(): void {
    if (this.publishTimer !== undefined) return;
    const wait = Math.max(0, this.lastPublish + this.publishIntervalMs - this.now());
    this.publishTimer = setTimeout(() => {
      this.publishTimer = undefined;
      this.publish();
    }, wait);
  }

  private publish(): void {
    if (this.publishTimer !== undefined) clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
    this.lastPublish = this.now();
    this.view = this.buildView();
    for (const listener of this.viewListeners) listener();
  }

  private buildView(): ControllerView<S, R> {
    return {
      playing: this.playing,
      finished: this.finished,
      lanes: this.lanes(),
      notice: this.notice,
    };
  }
}
