/**
 * Play / pause / step / reset through a step-by-step algorithm (a SequenceSolver) with the shared
 * SolverController and ControlBar: one state per tick at a readable pace instead of one per
 * animation frame, automatic pause at the end with the reason, and the scene's test-hook slice
 * refreshed after every step (read from the solver, not from React renders).
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { SequenceSolver, type SequenceDefinition, type SequenceSummary } from '../solvers/sequence';
import { SolverController, type FrameScheduler } from './solverController';
import { useAppStore } from './store';
import { markTestHookReady, testHook, type OtlabTestHook } from './testHook';

/** Time between two states while playing: slow enough to follow in a lecture. */
export const STEP_INTERVAL_MS = 700;

export type SequenceController<State> = SolverController<
  SequenceSummary,
  State,
  SequenceSolver<State>
>;

/** A FrameScheduler that ticks every `ms` milliseconds (instead of every animation frame). */
export function intervalScheduler(ms: number): FrameScheduler {
  return {
    request: (callback) => window.setTimeout(callback, ms),
    cancel: (handle) => {
      window.clearTimeout(handle);
    },
  };
}

export interface SequencePlayer<State> {
  controller: SequenceController<State>;
  solver: SequenceSolver<State>;
  /** The state shown now and its index. */
  state: State;
  position: number;
  playing: boolean;
  /** The last state is shown: play replays from the start. */
  finished: boolean;
  /** The stop reason, for the control bar. */
  messages: string[];
}

/**
 * Runs `definition` (memoise it on the scene's parameters: a new definition starts over). React
 * re-renders once per state, i.e. at most every STEP_INTERVAL_MS while playing.
 */
export function useSequencePlayer<State>(
  definition: SequenceDefinition<State>,
): SequencePlayer<State> {
  const [controller] = useState<SequenceController<State>>(
    () =>
      new SolverController({
        iterationsPerFrame: 1,
        scheduler: intervalScheduler(STEP_INTERVAL_MS),
        publishIntervalMs: 50,
      }),
  );
  const solver = useMemo(() => new SequenceSolver(definition), [definition]);
  useEffect(() => {
    controller.load([{ id: 'cpu', label: 'CPU', solver }]);
    return () => {
      controller.unload();
    };
  }, [controller, solver]);
  useEffect(
    () => () => {
      controller.dispose();
    },
    [controller],
  );
  const position = useSyncExternalStore(controller.onStep, () => solver.position);
  const view = useSyncExternalStore(controller.subscribe, controller.getView);
  const summary = solver.summary;
  return {
    controller,
    solver,
    state: solver.currentState(),
    position,
    playing: view.playing,
    finished: summary.converged,
    messages: summary.stopReason ? [summary.stopReason] : [],
  };
}

/** Drivers every sequence scene exposes in its test-hook slice; each resolves with fresh numbers. */
export interface SequenceDrivers<Numbers> {
  /** Pauses and advances `states` states (default 1). */
  step: (states?: number) => Promise<Numbers>;
  /** Pauses and advances to the last state. */
  runToEnd: () => Promise<Numbers>;
  /** Pauses and goes back to the first state. */
  reset: () => Promise<Numbers>;
}

type HookKey = {
  [K in keyof OtlabTestHook]-?: NonNullable<OtlabTestHook[K]> extends SequenceDrivers<infer N>
    ? N extends object
      ? K
      : never
    : never;
}[keyof OtlabTestHook];

type NumbersOf<K extends HookKey> =
  NonNullable<OtlabTestHook[K]> extends SequenceDrivers<infer N> ? N : never;

/**
 * Publishes `numbers()` (plain data about the current state) with the drivers under
 * `window.__otlab[key]`, refreshed after every step and whenever `numbers` changes; marks the hook
 * ready once the runtime has settled. Removed when the scene unmounts.
 */
export function useSequenceTestHook<K extends HookKey, State>(
  key: K,
  player: SequencePlayer<State>,
  numbers: () => NumbersOf<K>,
): void {
  const { controller } = player;
  const settled = useAppStore((state) => state.runtime.status !== 'loading');
  useEffect(() => {
    const hook = testHook();
    const drivers: SequenceDrivers<NumbersOf<K>> = {
      step: async (states = 1) => {
        await controller.step(states);
        return numbers();
      },
      runToEnd: async () => {
        await controller.runToConvergence();
        return numbers();
      },
      reset: async () => {
        await controller.reset();
        return numbers();
      },
    };
    const publish = () => {
      (hook as Record<K, unknown>)[key] = Object.assign({}, numbers(), drivers);
      hook.playing = controller.isPlaying;
    };
    publish();
    if (settled) markTestHookReady();
    const offStep = controller.onStep(publish);
    const offView = controller.subscribe(publish);
    return () => {
      offStep();
      offView();
      Reflect.deleteProperty(hook, key);
    };
  }, [key, controller, numbers, settled]);
}
