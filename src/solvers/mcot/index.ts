/**
 * MCOT solvers (MATH.md §7, seed 003): constrained overdamped Langevin on the particle problem.
 *
 * API for the CLI, the tests and the UI:
 *
 *   const setup = buildMcotSetup(parseMcotParams(json));  // plain data in (src/ot/mcot/params.ts)
 *   const solver = createMcotSolver(setup, 'cpu' | 'gpu', runtime?);
 *   await solver.step(k);     // k units: RK3 initialisation steps, then accepted Langevin steps
 *   solver.summary();         // phase, n, cost, ‖ξ‖∞, Δt, tol, σ, accepted/rejected, failure
 *   solver.particles();       // { version, x (K·N·d), weights (K), … } as of the last step():
 *                             //   a render loop polls it and redraws when `version` changes
 *   solver.history();         // columnar per-step cost / residual / Δt / σ / Newton solves
 *   await solver.result();    // positions, weights, float64 cost and residual, history
 *   solver.reset(); solver.dispose();
 *
 * Parameters and presets (`MCOT_PRESETS`) are plain JSON data (`McotParams`), 1D and 3D alike;
 * a run is reproducible from them (seeded Philox sampling and noise). Failures (singular Newton
 * system, step-size collapse, unattainable moments, NaN) end the run with `summary().failure` and
 * `stopReason` set, keeping the last valid particles.
 */
import type { GpuRuntime } from '../../gpu/runtime';
import type { McotSetup } from '../../ot/mcot/params';
import type { Backend } from '../types';
import { CpuMcotSolver } from './cpu';
import { GpuMcotSolver } from './gpu';
import type { McotSolver, McotSolverOptions } from './types';

export type * from './types';

export function createMcotSolver(
  setup: McotSetup,
  backend: Backend,
  runtime?: GpuRuntime,
  options: McotSolverOptions = {},
): McotSolver {
  if (backend === 'gpu') {
    if (!runtime) throw new Error('the GPU backend needs a GPU runtime');
    return new GpuMcotSolver(runtime, setup, options);
  }
  return new CpuMcotSolver(setup, options);
}
