/**
 * The solver lanes of the MCOT lab for a backend choice: the WebGPU solver when it exists and
 * WebGPU works, the float64 CPU solver (in a worker, see workerSolver.ts) otherwise or as well.
 * Each lane says what it runs on; every fallback leaves a note for the page.
 */
import type { GpuRuntime } from '../../../gpu/runtime';
import type { McotSetup } from '../../../ot/mcot/params';
import { CpuMcotSolver } from '../../../solvers/mcot/cpu';
import type { McotResult, McotSolver, McotSummary } from '../../../solvers/mcot/types';
import type { Lane } from '../../solverController';
import { WorkerMcotSolver } from './workerSolver';

export type McotLane = Lane<McotSummary, McotResult, McotSolver>;
export type BackendChoice = 'auto' | 'gpu' | 'cpu' | 'both';

/** Lane id → how the lane is labelled on screen. */
export const LANE_LABELS = {
  gpu: 'GPU (WebGPU, float32)',
  cpu: 'CPU (float64, worker)',
  cpuMain: 'CPU (float64, main thread)',
} as const;

/**
 * Milliseconds of worker time one loop step may take: long enough that messaging costs little,
 * short enough that pause and reset answer within a tenth of a second.
 */
const WORKER_STEP_BUDGET_MS = 100;

/** Whether this build has the WGSL MCOT backend (src/solvers/mcot/gpu.ts). */
export const GPU_MCOT_BUILT = false;

const GPU_MISSING =
  'The WGSL MCOT backend is not part of this build yet: the float64 CPU backend runs instead.';

/** The CPU solver in a module worker; on the main thread when workers cannot start. */
function cpuLane(setup: McotSetup, report: (message: string) => void): McotLane {
  if (typeof Worker !== 'undefined') {
    try {
      const worker = new Worker(new URL('./mcotWorker.ts', import.meta.url), {
        type: 'module',
        name: 'mcot-cpu',
      });
      const solver = new WorkerMcotSolver(setup, worker, () => {
        worker.terminate();
      });
      return { id: 'cpu', label: LANE_LABELS.cpu, solver, stepBudgetMs: WORKER_STEP_BUDGET_MS };
    } catch (error) {
      report(
        `The CPU worker could not start (${error instanceof Error ? error.message : String(error)}); the CPU backend runs on the main thread.`,
      );
    }
  }
  return { id: 'cpu', label: LANE_LABELS.cpuMain, solver: new CpuMcotSolver(setup) };
}

/** Why a requested backend is not running (shown above the views). */
export function backendNotes(choice: BackendChoice, webGpuReady: boolean): string[] {
  if (choice === 'cpu') return [];
  if (webGpuReady) return [GPU_MISSING];
  return choice === 'auto' ? [] : ['WebGPU is unavailable: the float64 CPU backend runs instead.'];
}

/** The lanes of a run; `report` receives fallbacks that happen while starting them. */
export function createLanes(
  setup: McotSetup,
  _choice: BackendChoice,
  _runtime: GpuRuntime | undefined,
  report: (message: string) => void,
): McotLane[] {
  return [cpuLane(setup, report)];
}
