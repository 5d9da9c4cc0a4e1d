/**
 * MCOT constrained Langevin (issue 5): time per accepted step on both backends for
 * (d = 3, N = 10, K = 1000, D = 9) and (d = 3, N = 100, K = 1000, D = 6), standard normal,
 * fixed weights, no noise; the GPU's submits, dispatches and readbacks per step. Both backends
 * start from one shared RK3 initialisation. Then one velocity of that initialisation flow on both
 * backends, and the M′×M′ Newton solve both ways: in the WGSL
 * `solve` kernel inside a submit, or read back to the CPU (float64 LU) and λ written back, the
 * price of which is one readback per Newton iteration.
 */
import type { GpuRuntime } from '../src/gpu/runtime';
import { solveLinearSystem } from '../src/ot/mcot/dense';
import { cpuVelocityField } from '../src/ot/mcot/initialisation';
import { buildMcotSetup, parseMcotParams, type McotSetup } from '../src/ot/mcot/params';
import { createState, type ParticleState } from '../src/ot/mcot/particles';
import { createMcotSolver } from '../src/solvers/mcot';
import { gpuLangevinSettings } from '../src/solvers/mcot/gpu';
import { McotGpuKernels, PHASE, STATUS } from '../src/solvers/mcot/gpuKernels';
import { MCOT_STATE } from '../src/solvers/mcot/layouts';
import { medianMs } from './timing';
import type { BenchRow } from './types';

const CASES = [
  { label: 'N=10 K=1000 D=9', json: { dimension: 3, N: 10, K: 1000, D: 9 } },
  { label: 'N=100 K=1000 D=6', json: { dimension: 3, N: 100, K: 1000, D: 6 } },
];

/** One CPU initialisation (sampling + RK3 onto the constraints), shared by both backends. */
async function initialState(setup: McotSetup) {
  const solver = createMcotSolver(setup, 'cpu');
  while (solver.summary().phase === 'initialising') await solver.step(1);
  const { x, z, summary } = await solver.result();
  if (summary.failure) throw new Error(`initialisation failed: ${summary.failure.message}`);
  return { x, z } satisfies ParticleState;
}

async function benchCase(
  runtime: GpuRuntime,
  label: string,
  json: Record<string, unknown>,
  runs: number,
): Promise<BenchRow[]> {
  const emulated = runtime.adapter.emulated;
  const setup = buildMcotSetup(parseMcotParams({ ...json, steps: 1e6 }));
  const { K, N, D } = setup.params;
  const M = setup.problem.set.count;
  const start = await initialState(setup);
  const name = `mcot 3D ${label} (M′=${M})`;
  const rows: BenchRow[] = [];

  const cpu = createMcotSolver(setup, 'cpu', undefined, { initialState: start });
  await cpu.step(1); // enters the Langevin phase (the state is already on the manifold)
  const cpuRuns = Math.min(runs, 2);
  const cpuMs = await medianMs(cpuRuns, () => cpu.step(1));
  rows.push({
    name,
    backend: 'cpu',
    emulated: false,
    n: K * N,
    medianMs: cpuMs,
    runs: cpuRuns,
    note: `per accepted step, float64, D=${D}; ${cpu.summary().newtonIterations} Newton solves in the last step`,
  });

  // Emulation runs a step in seconds: few steps per submit and runs, to stay within minutes.
  const steps = emulated ? (N >= 100 ? 1 : 2) : 20;
  const gpuRuns = emulated ? Math.min(runs, 2) : runs;
  const gpu = createMcotSolver(setup, 'gpu', runtime, { initialState: start });
  await gpu.step(1);
  runtime.resetCounters(); // the warm-up run of medianMs is counted in `total`
  const gpuMs = await medianMs(gpuRuns, () => gpu.step(steps));
  const total = (gpuRuns + 1) * steps;
  const summary = gpu.summary();
  rows.push({
    name,
    backend: 'gpu',
    emulated,
    n: K * N,
    medianMs: gpuMs / steps,
    runs: gpuRuns,
    submits: runtime.counters.submits / total,
    dispatches: runtime.counters.dispatches / total,
    readbacks: runtime.counters.readbacks / total,
    note: `per accepted step, float32, ${steps} steps per submit; ${summary.rejected} rejected of ${summary.accepted + summary.rejected}`,
  });
  gpu.dispose();
  cpu.dispose();
  rows.push(...(await benchVelocity(runtime, setup, start, runs)));
  rows.push(...(await benchNewtonSolve(runtime, setup, runs)));
  return rows;
}

/** One velocity −J(JᵀJ)⁻¹ξ of the initialisation flow (three per RK3 step) on both backends. */
async function benchVelocity(
  runtime: GpuRuntime,
  setup: McotSetup,
  at: ParticleState,
  runs: number,
): Promise<BenchRow[]> {
  const { problem } = setup;
  const out = createState(problem);
  const name = `mcot init velocity K·N=${problem.particles * problem.electrons} M′=${problem.set.count}`;
  const cpuVelocity = cpuVelocityField(problem);
  const cpuMs = await medianMs(Math.min(runs, 2), () => cpuVelocity(at, out));
  const kernels = await McotGpuKernels.create(
    runtime,
    problem,
    gpuLangevinSettings(setup.langevin),
    1,
  );
  runtime.resetCounters();
  const gpuRuns = runtime.adapter.emulated ? Math.min(runs, 2) : runs;
  const gpuMs = await medianMs(gpuRuns, () => kernels.velocity(at, out));
  const counts = runtime.counters;
  kernels.destroy();
  const per = (count: number) => count / (gpuRuns + 1);
  return [
    {
      name,
      backend: 'cpu',
      emulated: false,
      n: problem.particles * problem.electrons,
      medianMs: cpuMs,
      runs: Math.min(runs, 2),
      note: 'float64, per evaluation',
    },
    {
      name,
      backend: 'gpu',
      emulated: runtime.adapter.emulated,
      n: problem.particles * problem.electrons,
      medianMs: gpuMs,
      runs: gpuRuns,
      submits: per(counts.submits),
      dispatches: per(counts.dispatches),
      readbacks: per(counts.readbacks),
      note: 'float32, per evaluation (the RK3 combination stays on the host)',
    },
  ];
}

/** The Newton solve on the GPU (inside a submit) against a CPU solve with its readback. */
async function benchNewtonSolve(
  runtime: GpuRuntime,
  setup: McotSetup,
  runs: number,
): Promise<BenchRow[]> {
  const kernels = await McotGpuKernels.create(
    runtime,
    setup.problem,
    gpuLangevinSettings(setup.langevin),
    1,
  );
  const { layout } = kernels;
  const M = layout.constraints;
  const entries = M * M;
  // A well-conditioned system: partial 0 = diagonally dominant, the other partials zero.
  const partials = new Float32Array(layout.assembled);
  for (let i = 0; i < M; i += 1)
    for (let j = 0; j < M; j += 1) partials[i * M + j] = i === j ? M : 1 / (1 + i + j);
  kernels.write('gram', partials);
  kernels.write('work', new Float32Array(2 * M).fill(0.5), layout.lambda);
  const state = Object.fromEntries(MCOT_STATE.fields.map((f) => [f.name, 0])) as Parameters<
    typeof kernels.writeState
  >[0];
  kernels.writeState({ ...state, phase: PHASE.newton, status: STATUS.continue, tol: 1 });
  const repeats = 20;
  const gpuMs =
    (await medianMs(runs, async () => {
      kernels.dispatch(Array.from({ length: repeats }, () => 'solve' as const));
      await kernels.read([{ buffer: 'state', words: 1 }]);
    })) / repeats;
  const cpuMs = await medianMs(runs, async () => {
    const [gram, work] = await kernels.read([
      { buffer: 'gram', words: layout.assembled },
      { buffer: 'work', words: layout.xi + M },
    ]);
    const g = new Float32Array(gram!);
    const A = new Float64Array(entries);
    for (let w = 0; w < layout.gramGroups; w += 1)
      for (let q = 0; q < entries; q += 1) A[q]! += g[w * entries + q]!;
    const xi = new Float32Array(work!).subarray(layout.xi, layout.xi + M);
    const delta = solveLinearSystem(A, M, xi);
    kernels.write('work', Float32Array.from(delta), layout.lambda);
  });
  kernels.destroy();
  const name = `mcot Newton solve M′=${M}, ${layout.gramGroups} partials`;
  return [
    {
      name,
      backend: 'gpu',
      emulated: runtime.adapter.emulated,
      n: M,
      medianMs: gpuMs,
      runs,
      note: `WGSL solve kernel (sum of partials + LU), per solve, ${repeats} per submit: no readback`,
    },
    {
      name,
      backend: 'cpu',
      emulated: runtime.adapter.emulated,
      n: M,
      medianMs: cpuMs,
      runs,
      readbacks: 1,
      note: 'read back partials and ξ, float64 LU, write λ: one readback per Newton iteration',
    },
  ];
}

export async function benchMcot(runtime: GpuRuntime, runs: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const { label, json } of CASES) rows.push(...(await benchCase(runtime, label, json, runs)));
  return rows;
}
