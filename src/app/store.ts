/**
 * The app's zustand store, in slices:
 * - `runtime`: which backend runs (GPU, or CPU when WebGPU is unavailable, with the reason), the
 *   adapter, error messages, notices and iteration rates (updated at a few Hz, never per frame);
 * - `route`: the active scene and the messages about rejected URL parameters;
 * - `sceneParams`: one slice per scene, holding only that scene's parameters (its schema in
 *   src/app/scenes.ts defines the slice; URL sync keeps it in the address bar).
 * Solver state lives outside React in each scene's SolverController.
 */
import { create } from 'zustand';
import type { AdapterSummary } from '../gpu/runtime';
import type { Backend } from '../solvers/types';
import {
  checkValue,
  defaultValues,
  type ParamSchema,
  type ParamValue,
  type ParamValues,
} from './params';

export type RuntimeStatus = 'loading' | 'ready' | 'unavailable';

export interface RuntimeState {
  /** The backend scenes run on: 'gpu' once WebGPU is ready, 'cpu' when it is unavailable. */
  backend: Backend;
  status: RuntimeStatus;
  adapter: AdapterSummary | undefined;
  /** Why WebGPU is unavailable (the WebGpuUnavailableError message). */
  reason: string | undefined;
  errors: readonly string[];
  /** A transient notice, e.g. after the GPU device was lost and recreated. */
  notice: string | undefined;
  /** Iterations per second of the running solvers, per backend. */
  iterationRates: Readonly<Partial<Record<Backend, number>>>;
}

export interface RuntimeSlice {
  runtime: RuntimeState;
  setRuntime: (patch: Partial<RuntimeState>) => void;
  reportError: (message: string) => void;
  dismissError: (index: number) => void;
  setIterationRates: (rates: Partial<Record<Backend, number>>) => void;
}

export interface RouteSlice {
  route: { sceneId: string; issues: readonly string[] };
  /** Shows a scene with already validated parameters and the messages about rejected ones. */
  showScene: (
    sceneId: string,
    values: Readonly<Record<string, ParamValue>>,
    issues: string[],
  ) => void;
  dismissIssues: () => void;
}

export interface SceneParamsSlice {
  sceneParams: Readonly<Record<string, Readonly<Record<string, ParamValue>>>>;
  /** Sets one parameter from a control, after checking it against the scene's schema. */
  setSceneParam: (sceneId: string, schema: ParamSchema, key: string, value: ParamValue) => void;
}

export type AppState = RuntimeSlice & RouteSlice & SceneParamsSlice;

type SliceCreator<T> = (
  set: (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void,
  get: () => AppState,
) => T;

/** Errors kept on screen at once; older ones are dropped. */
const MAX_ERRORS = 5;

const runtimeSlice: SliceCreator<RuntimeSlice> = (set) => ({
  runtime: {
    backend: 'cpu',
    status: 'loading',
    adapter: undefined,
    reason: undefined,
    errors: [],
    notice: undefined,
    iterationRates: {},
  },
  setRuntime: (patch) => {
    set((state) => ({ runtime: { ...state.runtime, ...patch } }));
  },
  reportError: (message) => {
    set((state) => {
      if (state.runtime.errors.includes(message)) return {};
      const errors = [...state.runtime.errors, message].slice(-MAX_ERRORS);
      return { runtime: { ...state.runtime, errors } };
    });
  },
  dismissError: (index) => {
    set((state) => ({
      runtime: { ...state.runtime, errors: state.runtime.errors.filter((_, k) => k !== index) },
    }));
  },
  setIterationRates: (rates) => {
    set((state) => ({ runtime: { ...state.runtime, iterationRates: rates } }));
  },
});

const routeSlice: SliceCreator<RouteSlice> = (set) => ({
  route: { sceneId: '', issues: [] },
  showScene: (sceneId, values, issues) => {
    set((state) => ({
      route: { sceneId, issues },
      sceneParams: { ...state.sceneParams, [sceneId]: values },
    }));
  },
  dismissIssues: () => {
    set((state) => ({ route: { ...state.route, issues: [] } }));
  },
});

const sceneParamsSlice: SliceCreator<SceneParamsSlice> = (set) => ({
  sceneParams: {},
  setSceneParam: (sceneId, schema, key, value) => {
    const spec = schema[key];
    if (!spec) throw new Error(`scene ${sceneId} has no parameter ${key}`);
    const checked = checkValue(spec, value, key);
    set((state) => ({
      sceneParams: {
        ...state.sceneParams,
        [sceneId]: { ...(state.sceneParams[sceneId] ?? defaultValues(schema)), [key]: checked },
      },
    }));
  },
});

export const useAppStore = create<AppState>()((set, get) => ({
  ...runtimeSlice(set, get),
  ...routeSlice(set, get),
  ...sceneParamsSlice(set, get),
}));

/** A scene's parameters (its defaults until the URL or a control sets them). */
export function useSceneParams<S extends ParamSchema>(sceneId: string, schema: S): ParamValues<S> {
  return useAppStore(
    (state) => (state.sceneParams[sceneId] ?? defaultValues(schema)) as ParamValues<S>,
  );
}
