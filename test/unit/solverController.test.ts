/**
 * The UI's SolverController with a hand-driven frame scheduler and clock: no overlapping steps,
 * frame budgets for CPU lanes, auto-pause with the stop reason, replay, disposal, throttled views,
 * device-loss recovery, and running the real float64 Sinkhorn to convergence.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SolverController, type DeviceEvents } from '../../src/app/solverController';
import { toyProblem } from '../../src/app/scenes/sinkhornToy/problem';
import {
  createSinkhornSolver,
  type SinkhornResult,
  type SinkhornSummary,
} from '../../src/solvers/sinkhorn';
import type { Backend, IterativeSolver, SolverSummary } from '../../src/solvers/types';

/** A clock the fake solvers advance, so measured costs are exact. */
let clock = 0;

class ManualFrames {
  private callbacks = new Map<number, () => void>();
  private next = 1;
  request = (callback: () => void) => {
    this.callbacks.set(this.next, callback);
    return this.next++;
  };
  cancel = (handle: number) => {
    this.callbacks.delete(handle);
  };
  get pending(): number {
    return this.callbacks.size;
  }
  /** Runs the frames requested so far, then lets settled promises continue. */
  async frame(): Promise<void> {
    const due = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const callback of due) callback();
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let k = 0; k < 20; k += 1) await Promise.resolve();
}

/** Counts iterations; stops at `stopAt`; each iteration costs `msPerIteration` on the clock. */
class FakeSolver implements IterativeSolver<SolverSummary, { iteration: number }> {
  iteration = 0;
  inFlight = 0;
  maxInFlight = 0;
  calls: number[] = [];
  disposed = false;
  resets = 0;
  /** When set, steps wait for `release()`. */
  gated = false;
  failWith: Error | undefined;
  private waiting: (() => void)[] = [];

  constructor(
    readonly backend: Backend,
    private readonly stopAt = Infinity,
    private readonly msPerIteration = 1,
  ) {}

  async step(iterations: number): Promise<SolverSummary> {
    this.calls.push(iterations);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.gated) await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (this.failWith) throw this.failWith;
      const done = Math.min(iterations, this.stopAt - this.iteration);
      this.iteration += done;
      clock += done * this.msPerIteration;
      return this.summary();
    } finally {
      this.inFlight -= 1;
    }
  }

  release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  summary(): SolverSummary {
    const converged = this.iteration >= this.stopAt;
    return {
      iteration: this.iteration,
      converged,
      ...(converged ? { stopReason: `converged at iteration ${this.iteration}` } : {}),
    };
  }

  run(): Promise<{ iteration: number }> {
    return this.result();
  }

  result(): Promise<{ iteration: number }> {
    return Promise.resolve({ iteration: this.iteration });
  }

  reset(): void {
    this.iteration = 0;
    this.resets += 1;
  }

  dispose(): void {
    this.disposed = true;
  }
}

function setup(solvers: FakeSolver[], iterationsPerFrame = 10) {
  const frames = new ManualFrames();
  const controller = new SolverController<SolverSummary, { iteration: number }, FakeSolver>({
    iterationsPerFrame,
    frameBudgetMs: 8,
    scheduler: frames,
    now: () => clock,
  });
  controller.load(solvers.map((solver, k) => ({ id: `lane${k}`, label: `lane ${k}`, solver })));
  return { controller, frames };
}

beforeEach(() => {
  clock = 0;
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SolverController', () => {
  it('never overlaps two steps of one lane', async () => {
    const gpu = new FakeSolver('gpu');
    gpu.gated = true;
    const { controller, frames } = setup([gpu]);
    controller.play();
    for (let k = 0; k < 5; k += 1) await frames.frame();
    expect(gpu.calls).toEqual([10]);
    gpu.gated = false;
    gpu.release();
    await flush();
    expect(gpu.calls).toEqual([10]); // nothing was queued behind the step in flight
    await frames.frame();
    expect(gpu.calls).toEqual([10, 10]);
    expect(gpu.maxInFlight).toBe(1);
    controller.dispose();
    gpu.release();
  });

  it('gives a GPU lane the requested iterations and a CPU lane what fits the frame budget', async () => {
    const gpu = new FakeSolver('gpu', Infinity, 0.1);
    const cpu = new FakeSolver('cpu', Infinity, 2); // 2 ms per iteration, 8 ms budget
    const { controller, frames } = setup([gpu, cpu], 50);
    controller.play();
    for (let k = 0; k < 4; k += 1) await frames.frame();
    expect(gpu.calls).toEqual([50, 50, 50, 50]);
    expect(cpu.calls[0]).toBe(1); // cost unknown yet: one iteration to measure it
    expect(cpu.calls.slice(1)).toEqual([4, 4, 4]);
    controller.dispose();
  });

  it('sizes a CPU lane with its own step budget (a worker lane) when it has one', async () => {
    const worker = new FakeSolver('cpu', Infinity, 2);
    const frames = new ManualFrames();
    const controller = new SolverController<SolverSummary, { iteration: number }, FakeSolver>({
      iterationsPerFrame: 50,
      frameBudgetMs: 8,
      scheduler: frames,
      now: () => clock,
    });
    controller.load([{ id: 'worker', label: 'worker', solver: worker, stepBudgetMs: 40 }]);
    controller.play();
    for (let k = 0; k < 3; k += 1) await frames.frame();
    expect(worker.calls).toEqual([1, 20, 20]);
    controller.dispose();
  });

  it('pauses by itself when every lane has stopped, and shows why', async () => {
    const fast = new FakeSolver('gpu', 20);
    const slow = new FakeSolver('gpu', 50);
    const { controller, frames } = setup([fast, slow]);
    controller.play();
    for (let k = 0; k < 3; k += 1) await frames.frame();
    expect(controller.isPlaying).toBe(true);
    expect(fast.calls).toEqual([10, 10]); // stopped lanes are not stepped
    for (let k = 0; k < 3; k += 1) await frames.frame();
    expect(controller.isPlaying).toBe(false);
    expect(frames.pending).toBe(0);
    const view = controller.getView();
    expect(view.finished).toBe(true);
    expect(view.lanes.map((lane) => lane.stopReason)).toEqual([
      'converged at iteration 20',
      'converged at iteration 50',
    ]);
    // Play after the end replays from the initial iterate.
    controller.play();
    expect(fast.resets).toBe(1);
    expect(controller.getView().lanes[0]!.summary).toBeUndefined();
    controller.dispose();
  });

  it('steps, resets and runs to convergence on demand, paused', async () => {
    const solver = new FakeSolver('cpu', 250);
    const { controller, frames } = setup([solver], 7);
    controller.play();
    await controller.step();
    expect(controller.isPlaying).toBe(false);
    expect(solver.iteration).toBe(7);
    expect(controller.lanes()[0]!.result).toEqual({ iteration: 7 });
    await controller.runToConvergence();
    expect(solver.iteration).toBe(250);
    expect(controller.lanes()[0]!.stopReason).toBe('converged at iteration 250');
    await controller.reset();
    expect(solver.iteration).toBe(0);
    expect(controller.lanes()[0]!.summary).toBeUndefined();
    await frames.frame();
    expect(solver.iteration).toBe(0);
    controller.dispose();
  });

  it('measures iterations per second while playing', async () => {
    const solver = new FakeSolver('gpu', Infinity, 0.5); // 10 iterations per 5 ms step
    const { controller, frames } = setup([solver]);
    controller.play();
    for (let k = 0; k < 10; k += 1) await frames.frame();
    expect(controller.lanes()[0]!.rate).toBeCloseTo(2000, 6);
    controller.pause();
    expect(controller.lanes()[0]!.rate).toBe(0);
    controller.dispose();
  });

  it('keeps a rate for lanes slower than one step per second', async () => {
    const solver = new FakeSolver('gpu', Infinity, 150); // 10 iterations per 1.5 s step
    const { controller, frames } = setup([solver]);
    controller.play();
    for (let k = 0; k < 3; k += 1) await frames.frame();
    expect(controller.lanes()[0]!.rate).toBeCloseTo(1000 / 150, 6);
    controller.dispose();
  });

  it('publishes its view to React at most every 250 ms, play/pause at once', async () => {
    const solver = new FakeSolver('gpu', Infinity, 1);
    const { controller, frames } = setup([solver]);
    const views: boolean[] = [];
    controller.subscribe(() => views.push(controller.getView().playing));
    controller.play();
    expect(views).toEqual([true]);
    for (let k = 0; k < 100; k += 1) {
      await frames.frame(); // 10 ms of clock per frame
      vi.advanceTimersByTime(10);
    }
    // 1 s of stepping: the play event plus about four throttled updates.
    expect(views.length).toBeGreaterThanOrEqual(4);
    expect(views.length).toBeLessThanOrEqual(6);
    controller.pause();
    expect(views.at(-1)).toBe(false);
    controller.dispose();
  });

  it('disposes the solvers on unload, after their step in flight', async () => {
    const solver = new FakeSolver('gpu');
    solver.gated = true;
    const { controller, frames } = setup([solver]);
    controller.play();
    await frames.frame();
    controller.unload();
    expect(solver.disposed).toBe(false);
    solver.release();
    await flush();
    expect(solver.disposed).toBe(true);
    expect(controller.lanes()).toEqual([]);
    expect(frames.pending).toBe(0);
  });

  it('reports a failed step on its lane while other lanes go on', async () => {
    const broken = new FakeSolver('gpu');
    broken.failWith = new Error('shader exploded');
    const cpu = new FakeSolver('cpu', 30);
    const { controller, frames } = setup([broken, cpu]);
    controller.play();
    for (let k = 0; k < 12; k += 1) await frames.frame();
    expect(controller.lanes()[0]!.error).toBe('shader exploded');
    expect(broken.calls).toHaveLength(1);
    expect(cpu.iteration).toBe(30);
    expect(controller.isPlaying).toBe(false);
    controller.dispose();
  });

  it('resumes a GPU lane after the device is lost and recreated', async () => {
    const listeners = new Set<(generation: number) => void>();
    const device: DeviceEvents & { generation: number } = {
      generation: 1,
      onDeviceRestored: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const gpu = new FakeSolver('gpu', 100);
    const { controller, frames } = setup([gpu]);
    controller.attachDevice(device);
    controller.play();
    await frames.frame();
    // The step in flight fails with the loss, before the runtime has its new device.
    gpu.failWith = new Error('Device lost');
    await frames.frame();
    expect(controller.lanes()[0]!.error).toBe('Device lost');
    expect(controller.isPlaying).toBe(false);
    gpu.failWith = undefined;
    device.generation = 2;
    for (const listener of listeners) listener(2);
    expect(controller.isPlaying).toBe(true);
    expect(controller.getView().notice).toMatch(/GPU device was lost and recreated/);
    for (let k = 0; k < 12; k += 1) await frames.frame();
    expect(gpu.iteration).toBe(100);
    expect(controller.lanes()[0]!.error).toBeUndefined();

    // A failure whose step started before a device generation change is not an error either.
    await controller.reset();
    gpu.gated = true;
    controller.play();
    await frames.frame();
    gpu.failWith = new Error('mapAsync aborted');
    device.generation = 3;
    gpu.release();
    await flush();
    expect(controller.lanes()[0]!.error).toBeUndefined();
    controller.dispose();
    expect(listeners.size).toBe(0);
  });

  it('drives the float64 Sinkhorn to the same result as running it directly', async () => {
    const problem = toyProblem({ n: 24, m: 30, seed: 4, epsilon: 0.05 });
    const options = { tolerance: 1e-8, maxIterations: 2000 };
    const direct = await createSinkhornSolver([problem], 'cpu', options).run();
    const frames = new ManualFrames();
    const controller = new SolverController<SinkhornSummary, SinkhornResult>({
      iterationsPerFrame: 13,
      scheduler: frames,
    });
    controller.load([
      { id: 'cpu', label: 'CPU', solver: createSinkhornSolver([problem], 'cpu', options) },
    ]);
    controller.play();
    for (let k = 0; k < 5; k += 1) await frames.frame(); // some odd-sized frames first
    await controller.runToConvergence();
    const [result] = await controller.results();
    expect(result!.batches[0]!.convergedAt).toBe(direct.batches[0]!.convergedAt);
    expect(result!.batches[0]!.transportCost).toBe(direct.batches[0]!.transportCost);
    expect(Array.from(result!.batches[0]!.f)).toEqual(Array.from(direct.batches[0]!.f));
    controller.dispose();
  });
});
