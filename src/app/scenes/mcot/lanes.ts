/**
 * The solver lanes of the MCOT lab for a backend choice: the WebGPU solver when WebGPU works and
 * the run suits float32 (src/solvers/mcot/gpu.ts), the float64 CPU solver otherwise or as well.
 * The CPU solver, and the GPU lane's initialisation, run in a worker (workerSolver.ts,
 * handoffSolver.ts) so that the page never waits for float64 work. Each lane says what it runs on;
 * each fallback is explained.
 */
// Inlined as a blob URL (no request when the worker starts: the app works offline once loaded).
import McotWorker from './mcotWorker?worker&inline';
import type { GpuRuntime } from '../../../gpu/runtime';
import type { McotSetup } from '../../../ot/mcot/params';
import { InputError } from '../../../ot/validate';
import { createMcotSolver } from '../../../solvers/mcot';
import { CpuMcotSolver } from '../../../solvers/mcot/cpu';
import { gpuLangevinSettings } from '../../../solvers/mcot/gpu';
import { checkGpuProblem } from '../../../solvers/mcot/gpuKernels';
import type { McotResult, McotSolver, McotSummary } from '../../../solvers/mcot/types';
import type { Lane } from '../../solverController';
import { HandoffSolver } from './handoffSolver';
import { describeSetupError } from './model';
import { WorkerMcotSolver } from './workerSolver';

export type McotLane = Lane<McotSummary, McotResult, McotSolver>;
export type BackendChoice = 'auto' | 'gpu' | 'cpu' | 'both';

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

/** Why the float32 GPU backend cannot run this setup (tolerance floor, table sizes), if so. */
export function gpuUnsuitable(setup: McotSetup): string | undefined {
  try {
    checkGpuProblem(setup.problem);
    gpuLangevinSettings(setup.langevin);
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return describeSetupError(error);
  }
}

export interface LanePlan {
  gpu: boolean;
  cpu: boolean;
  /** Why a requested backend does not run (shown above the views). */
  notes: string[];
}

/** Which lanes run for a choice, given WebGPU and the GPU backend's verdict on the setup. */
export function lanePlan(
  choice: BackendChoice,
  webGpuReady: boolean,
  gpuIssue: string | undefined,
): LanePlan {
  if (choice === 'cpu') return { gpu: false, cpu: true, notes: [] };
  const gpu = webGpuReady && gpuIssue === undefined;
  const notes: string[] = [];
  if (!webGpuReady && choice !== 'auto') {
    notes.push('WebGPU is unavailable: the float64 CPU backend runs instead.');
  } else if (webGpuReady && gpuIssue !== undefined) {
    notes.push(`The GPU backend cannot run these parameters (${gpuIssue}): the CPU backend runs.`);
  }
  return { gpu, cpu: choice === 'both' || !gpu, notes };
}

/** The float64 solver in a module worker; on the main thread when workers cannot start. */
function workerSolver(setup: McotSetup, report: (message: string) => void): McotSolver {
  if (typeof Worker !== 'undefined') {
    try {
      const worker = new McotWorker({ name: 'mcot-cpu' });
      return new WorkerMcotSolver(setup, worker, () => {
        worker.terminate();
      });
    } catch (error) {
      report(
        `The CPU worker could not start (${error instanceof Error ? error.message : String(error)}); float64 work runs on the main thread.`,
      );
    }
  }
  return new CpuMcotSolver(setup);
}

/** The lanes of a plan; `report` receives failures to start them. */
export function createLanes(
  setup: McotSetup,
  plan: LanePlan,
  runtime: GpuRuntime | undefined,
  report: (message: string) => void,
): McotLane[] {
  const lanes: McotLane[] = [];
  if (plan.gpu && runtime) {
    // The GPU solver evaluates its initialisation flow in WGSL on real GPUs; elsewhere that is
    // float64 CPU work, which the worker does instead. Beside a CPU lane, both lanes start from
    // the worker's bit-identical particles so that they can be compared step by step.
    const handOff = plan.cpu || runtime.adapter.emulated;
    const solver = handOff
      ? new HandoffSolver(setup, workerSolver(setup, report), (initialState) =>
          createMcotSolver(setup, 'gpu', runtime, { initialState, gpuInitialisation: false }),
        )
      : createMcotSolver(setup, 'gpu', runtime);
    lanes.push({ id: 'gpu', label: LANE_LABELS.gpu, solver });
  }
  if (plan.cpu || lanes.length === 0) {
    const solver = workerSolver(setup, report);
    lanes.push(
      solver instanceof WorkerMcotSolver
        ? { id: 'cpu', label: LANE_LABELS.cpu, solver, stepBudgetMs: WORKER_STEP_BUDGET_MS }
        : { id: 'cpu', label: LANE_LABELS.cpuMain, solver },
    );
  }
  return lanes;
}
