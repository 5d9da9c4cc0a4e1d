/**
 * What the MCOT lab exports (src/app/lecture/sceneExports.ts): every lane's particles (electron
 * positions and particle weights), its state and per-step history (cost, ‖ξ‖∞, Δt, σ), the moment
 * errors ξ_m of the particles shown, and the `otlab mcot` input of the run (MATH.md §7, seed 003).
 * Pure: no DOM.
 */
import { ParticleKernels } from '../../../ot/mcot/particles';
import type { McotSetup } from '../../../ot/mcot/params';
import type { McotHistory, ParticleSnapshot } from '../../../solvers/mcot/types';
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import { texNumber } from '../../lecture/tex';
import type { McotLaneNumbers } from './hook';
import { mcotInput, type LabValues } from './model';

/** What the exports read from one solver lane. */
export interface McotLaneState {
  numbers: McotLaneNumbers;
  particles: ParticleSnapshot | undefined;
  history: McotHistory | undefined;
}

/**
 * ξ_m(X) = Σ_k (w_k/N) Σ_i φ_m(x_i^k) − μ(φ_m) for every constraint m (MATH.md §7), from a
 * snapshot's positions and weights w_k, in float64.
 */
export function momentErrors(setup: McotSetup, snapshot: ParticleSnapshot): Float64Array {
  const { problem } = setup;
  const { electrons: N, particles: K } = problem;
  const kernels = new ParticleKernels(problem);
  const M = problem.targets.length;
  const sums = new Float64Array(M);
  const values = new Float64Array(M);
  for (let k = 0; k < K; k += 1) {
    kernels.particleSums(snapshot.x, k, sums);
    const factor = snapshot.weights[k]! / N;
    for (let m = 0; m < M; m += 1) values[m]! += factor * sums[m]!;
  }
  return values.map((v, m) => v - problem.targets[m]!);
}

const COORDINATES = { 1: ['x'], 3: ['x', 'y', 'z'] } as const;

/** Lanes whose particles match the setup (a lane of another problem can linger while loading). */
function current(setup: McotSetup, lanes: readonly McotLaneState[]) {
  const { particles: K, electrons: N, dimension: d } = setup.problem;
  return lanes.flatMap(({ numbers, particles, history }) =>
    particles && particles.version > 0 && particles.x.length === K * N * d
      ? [{ id: numbers.id, numbers, particles, history }]
      : [],
  );
}

export function mcotTables(
  setup: McotSetup,
  lanes: readonly McotLaneState[],
  sceCost: number | undefined,
): Record<string, DataTable> {
  const { problem } = setup;
  const { particles: K, electrons: N, dimension: d } = problem;
  const shown = current(setup, lanes);
  const coordinates = d === 3 ? COORDINATES[3] : COORDINATES[1];
  return {
    lanes: {
      columns: [
        'lane',
        'backend',
        'phase',
        'step',
        'cost',
        'residual',
        'tolerance',
        'time_step',
        'sigma',
        'accepted',
        'rejected',
        'sce_cost',
      ],
      rows: lanes.map(({ numbers: n }) => [
        n.id,
        n.backend,
        n.phase,
        n.iteration,
        n.cost,
        n.residual,
        n.tolerance,
        n.timeStep,
        n.sigma,
        n.accepted,
        n.rejected,
        sceCost ?? null,
      ]),
    },
    particles: {
      columns: ['lane', 'particle', 'electron', 'weight', ...coordinates],
      rows: shown.flatMap(({ id, particles }) =>
        Array.from({ length: K * N }, (_, e) => {
          const k = Math.floor(e / N);
          const x = Array.from(particles.x.subarray(e * d, e * d + d));
          return [id, k, e % N, particles.weights[k]!, ...x];
        }),
      ),
    },
    history: {
      columns: ['lane', 'step', 'cost', 'residual', 'time_step', 'sigma', 'newton_iterations'],
      rows: shown.flatMap(({ id, history }) =>
        history
          ? history.iteration.map((n, t) => [
              id,
              n,
              history.cost[t]!,
              history.residual[t]!,
              history.timeStep[t]!,
              history.sigma[t]!,
              history.newtonIterations[t]!,
            ])
          : [],
      ),
    },
    moment_errors: {
      columns: ['lane', 'constraint', 'target', 'moment', 'error'],
      rows: shown.flatMap(({ id, particles }) =>
        Array.from(momentErrors(setup, particles), (error, m) => {
          const target = problem.targets[m]!;
          return [id, m, target, target + error, error];
        }),
      ),
    },
  };
}

/** `otlab mcot` with the run's parameters: the same sampling, seed and Langevin settings. */
export function mcotOtlabRun(values: LabValues): OtlabRun {
  return { solver: 'mcot', input: mcotInput(values) };
}

/** Where the first lane stands: step, f(Xⁿ), ‖ξ‖∞ and Δt, against the exact SCE cost if known. */
export function liveMcotTex(lane: McotLaneNumbers | undefined, sceCost: number | undefined) {
  const reference =
    sceCost === undefined ? '' : String.raw`\quad(\text{exact SCE cost } ${texNumber(sceCost, 6)})`;
  return String.raw`\begin{aligned}
n &= ${lane?.iteration ?? 0},\quad f(X^n) = ${texNumber(lane?.cost ?? Number.NaN, 7)}${reference} \\
\lVert \xi(X^n) \rVert_\infty &= ${texNumber(lane?.residual ?? Number.NaN, 2)},\quad \Delta t = ${texNumber(lane?.timeStep ?? Number.NaN, 3)}
\end{aligned}`;
}
