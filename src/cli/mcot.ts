/**
 * `otlab mcot`: moment-constrained Coulomb multi-marginal OT by projected constrained overdamped
 * Langevin (MATH.md §7, seed 003) on the CPU (float64) or the GPU (WGSL, float32). Input: the
 * plain McotParams (src/ot/mcot/params.ts), optionally starting from a named preset; output: the
 * final particles and weights, float64 cost and constraint residual, the per-step history and why
 * the run stopped. A run that stops on a failure still prints its last valid state (and says so
 * on stderr).
 */
import { buildMcotSetup, parseMcotParams, sceReference, type McotSetup } from '../ot/mcot/params';
import type { McotResult } from '../solvers/mcot/types';
import { cliSolver } from './registry';

/** K particles of N electrons: numbers in 1D, [x, y, z] in 3D. */
function particleList(result: McotResult, setup: McotSetup): (number | number[])[][] {
  const { particles: K, electrons: N, dimension: d } = setup.problem;
  return Array.from({ length: K }, (_, k) =>
    Array.from({ length: N }, (_, i) => {
      const e = (k * N + i) * d;
      return d === 1 ? result.x[e]! : Array.from(result.x.subarray(e, e + d));
    }),
  );
}

export const mcotCli = cliSolver<McotSetup>({
  name: 'mcot',
  summary: 'moment-constrained Coulomb multi-marginal OT: constrained Langevin particles, 1D/3D',
  parse: (json) => buildMcotSetup(parseMcotParams(json)),
  async run(setup, context) {
    // Loaded on use: `otlab list` and the other solvers do not pay for the MCOT modules.
    const { createMcotSolver } = await import('../solvers/mcot');
    const runtime = context.backend === 'gpu' ? await context.gpu() : undefined;
    const solver = createMcotSolver(setup, context.backend, runtime);
    try {
      const result = await solver.run();
      const { summary } = result;
      if (summary.failure) process.stderr.write(`otlab mcot: ${summary.stopReason ?? ''}\n`);
      const { params, problem } = setup;
      const sce = sceReference(setup);
      return {
        solver: 'mcot',
        backend: result.backend,
        params,
        testFunctions: setup.set.label,
        constraints: problem.set.count,
        stopReason: summary.stopReason,
        failure: summary.failure ?? null,
        steps: summary.iteration,
        accepted: summary.accepted,
        rejected: summary.rejected,
        initSteps: summary.initSteps,
        timeStep: summary.timeStep,
        tolerance: summary.tolerance,
        cost: result.cost,
        residual: result.residual,
        ...(sce === undefined ? {} : { sceCost: sce }),
        particles: particleList(result, setup),
        weights: Array.from(result.weights),
        history: result.history,
      };
    } finally {
      solver.dispose();
    }
  },
});
