/**
 * SequenceSolver: states computed one ahead (the last state already reports the stop), kept for
 * reset and replay, a step cap, and play through the shared SolverController to the end.
 */
import { describe, expect, it } from 'vitest';
import { SolverController } from '../../src/app/solverController';
import { SequenceSolver, type SequenceSummary } from '../../src/solvers/sequence';

function counter(last: number) {
  const calls: number[] = [];
  const solver = new SequenceSolver<number>({
    first: 0,
    next: (state, index) => {
      calls.push(index);
      return state < last ? state + 1 : undefined;
    },
    finished: (state) => `stopped at ${state}`,
  });
  return { solver, calls };
}

describe('SequenceSolver', () => {
  it('reports the stop on reaching the last state, not one step later', async () => {
    const { solver } = counter(3);
    expect(solver.summary).toEqual({ iteration: 0, converged: false });
    expect(await solver.step(2)).toEqual({ iteration: 2, converged: false });
    expect(await solver.step(5)).toEqual({
      iteration: 3,
      converged: true,
      stopReason: 'stopped at 3',
    });
    expect(solver.currentState()).toBe(3);
    expect(solver.history()).toEqual([0, 1, 2, 3]);
  });

  it('keeps its states: reset and replay do not recompute them', async () => {
    const { solver, calls } = counter(4);
    await solver.run();
    const computed = calls.length;
    solver.reset();
    expect(solver.position).toBe(0);
    expect(solver.summary.converged).toBe(false);
    expect(await solver.run()).toBe(4);
    expect(calls.length).toBe(computed);
  });

  it('a single state is finished at once; a runaway sequence stops at the cap', async () => {
    const single = new SequenceSolver({
      first: 'only',
      next: () => undefined,
      finished: () => 'done',
    });
    expect(single.summary).toEqual({ iteration: 0, converged: true, stopReason: 'done' });
    const endless = new SequenceSolver({
      first: 0,
      next: (s: number) => s + 1,
      finished: () => 'never',
      maxSteps: 5,
    });
    await endless.run();
    expect(endless.summary).toEqual({
      iteration: 5,
      converged: true,
      stopReason: 'Stopped after 5 steps',
    });
  });

  it('plays through a SolverController one state per tick and pauses at the end', async () => {
    const ticks: (() => void)[] = [];
    const controller = new SolverController<SequenceSummary, number, SequenceSolver<number>>({
      iterationsPerFrame: 1,
      scheduler: { request: (callback) => ticks.push(callback), cancel: () => undefined },
    });
    const { solver } = counter(2);
    controller.load([{ id: 'cpu', label: 'CPU', solver }], true);
    for (let k = 0; k < 10 && controller.isPlaying; k += 1) {
      ticks.shift()?.();
      for (let flush = 0; flush < 20; flush += 1) await Promise.resolve();
    }
    expect(controller.isPlaying).toBe(false);
    expect(controller.finished).toBe(true);
    expect(solver.position).toBe(2);
    controller.dispose();
  });
});
