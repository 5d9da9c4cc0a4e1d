/**
 * Generic-cost barycenter benchmark (seed 001's examples): time per fixed-point iteration of H and
 * G with exact plans (K network-simplex solves + n ground barycenters, float64), and H with
 * entropic plans whose K Sinkhorn problems run on the CPU or, batched, on the GPU, reported per
 * Sinkhorn iteration of the batch (a fixed count per plan: 200, or 20 on an emulated adapter,
 * where one dispatch takes milliseconds).
 */
import type { GpuRuntime } from '../src/gpu/runtime';
import type { FixedPointOptions } from '../src/ot/barycenter/fixedPoint';
import { circlesExample, pqExample } from '../src/ot/barycenter/seedExamples';
import { createGenericBarycenterSolver } from '../src/solvers/genericBarycenter';
import type { Backend } from '../src/solvers/types';
import { medianMs } from './timing';
import type { BenchRow } from './types';

const pq = () =>
  pqExample({ p: 1.5, q: 1.5, n: 200, m: 200, lambdas: [1 / 3, 1 / 3, 1 / 3], seed: 1 });
const circles = () => circlesExample({ n: 136, m: 50, seed: 42 });

/** Median ms of one more iteration (never converging: tolerance 0, no iteration cap). */
async function perIteration(
  make: () => ReturnType<typeof createGenericBarycenterSolver>,
  runs: number,
): Promise<number> {
  const solver = make();
  await solver.step(0); // plans at μ₀ outside the timing
  const ms = await medianMs(runs, () => solver.step(1));
  solver.dispose();
  return ms;
}

export async function benchGenericBarycenter(
  runtime: GpuRuntime,
  runs: number,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const endless: Partial<FixedPointOptions> = {
    tolerance: 0,
    maxIterations: 1e6,
    maxSupport: 20_000,
  };
  for (const [name, problem, algorithm] of [
    ['generic barycenter p=q=1.5 n=m=200 K=3, H', pq(), 'H'],
    ['generic barycenter circles n=136 m=50 K=4, H', circles(), 'H'],
    ['generic barycenter circles n=136 m=50 K=4, G', circles(), 'G'],
  ] as const) {
    const ms = await perIteration(
      () => createGenericBarycenterSolver(problem, { ...endless, algorithm }),
      runs,
    );
    rows.push({
      name,
      backend: 'cpu',
      emulated: false,
      n: problem.init.points.length,
      medianMs: ms,
      runs,
      note: `per iteration, exact plans (network simplex) and B, float64${algorithm === 'G' ? '; the support grows' : ''}`,
    });
  }
  for (const backend of ['cpu', 'gpu'] as Backend[]) {
    const emulated = backend === 'gpu' && runtime.adapter.emulated;
    const backendRuns = emulated ? 1 : runs;
    const sinkhornIterations = emulated ? 20 : 200;
    const entropic: Partial<FixedPointOptions> = {
      ...endless,
      algorithm: 'H',
      plans: { kind: 'entropic', epsilon: 0.01 },
      sinkhorn: { maxIterations: sinkhornIterations, tolerance: 0, checkEvery: 10 },
    };
    runtime.resetCounters();
    const ms = await perIteration(
      () => createGenericBarycenterSolver(circles(), entropic, backend, runtime),
      backendRuns,
    );
    // One plan computation per timed step, plus the warm-up's and step(0)'s.
    const plans = backendRuns + 2;
    rows.push({
      name: 'generic barycenter circles n=136 m=50 K=4, H entropic',
      backend,
      emulated,
      n: 136,
      medianMs: ms / sinkhornIterations,
      runs: backendRuns,
      ...(backend === 'gpu'
        ? {
            submits: runtime.counters.submits / plans,
            dispatches: runtime.counters.dispatches / plans,
            readbacks: runtime.counters.readbacks / plans,
          }
        : {}),
      note: `per Sinkhorn iteration of the K = 4 batch (${sinkhornIterations} per plan, one GPU batch), plans and B included; counters per fixed-point iteration`,
    });
  }
  return rows;
}
