/**
 * Scene "Entropic OT toy": log-domain Sinkhorn (MATH.md §1) between two seeded point clouds, the
 * WebGPU solver (float32) and the float64 CPU reference stepping side by side on the same problem,
 * each drawn in its own canvas, with the marginal error of both on one log-scale chart.
 */
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { GpuRuntime } from '../../../gpu/runtime';
import {
  DEFAULT_SINKHORN_OPTIONS,
  type SinkhornOptions,
  type SinkhornProblem,
} from '../../../ot/sinkhorn';
import {
  createSinkhornSolver,
  type SinkhornResult,
  type SinkhornSolver,
  type SinkhornSummary,
} from '../../../solvers/sinkhorn';
import type { Backend } from '../../../solvers/types';
import { ControlBar } from '../../components/ControlBar';
import { ErrorChart, type ChartSeries } from '../../components/ErrorChart';
import { Formula } from '../../components/Formula';
import { ParamControls } from '../../components/ParamControls';
import { formatNumber, formatRate } from '../../components/StatusLine';
import { gpuRuntime } from '../../gpuRuntime';
import { prefersReducedMotion } from '../../lecture/media';
import { useSceneExports } from '../../lecture/sceneExports';
import { SolverController, type Lane, type LaneView } from '../../solverController';
import { useParamSetter } from '../../sceneHooks';
import { useAppStore, useSceneParams } from '../../store';
import { useControllerLifecycle } from '../../useControllerLifecycle';
import {
  markTestHookReady,
  testHook,
  type SinkhornLaneNumbers,
  type SinkhornNumbers,
} from '../../testHook';
import { sinkhornOtlabRun, sinkhornTables, type LaneData } from './exports';
import { liveResultTex, liveUpdatesTex } from './liveFormulas';
import { SINKHORN_TOY_ID, sinkhornToyParams } from './params';
import { PlanCanvas, SOURCE_COLOR, TARGET_COLOR } from './PlanCanvas';
import { toyProblem } from './problem';

type ToyController = SolverController<SinkhornSummary, SinkhornResult, SinkhornSolver>;
type ToyLaneView = LaneView<SinkhornSummary, SinkhornResult>;

// The GPU curve is a wide translucent band, the CPU curve a dashed line on top: where they agree
// both stay visible.
const BACKENDS: Record<
  Backend,
  { title: string; color: string; dash?: string; width: number; opacity?: number }
> = {
  gpu: { title: 'GPU', color: '#7c3aed', width: 7, opacity: 0.45 },
  cpu: { title: 'CPU', color: '#0f5b55', dash: '6 4', width: 2.2 },
};

// MATH.md §1 (seed 004): the log-domain updates both backends perform, in this order.
const UPDATES_TEX = String.raw`\begin{aligned}
f_i &= -\varepsilon \log \sum_j b_j\, e^{(g_j - C_{ij})/\varepsilon} \\
g_j &= -\varepsilon \log \sum_i a_i\, e^{(f_i - C_{ij})/\varepsilon}
\end{aligned}`;
const PLAN_TEX = String.raw`\begin{aligned}
P_{ij} &= a_i b_j\, e^{(f_i + g_j - C_{ij})/\varepsilon} \\
C_{ij} &= \lVert x_i - y_j \rVert^2
\end{aligned}`;
const ERROR_TEX = String.raw`\text{error} = \textstyle\sum_i \bigl|\sum_j P_{ij} - a_i\bigr|`;

function createLanes(
  problem: SinkhornProblem,
  options: Partial<SinkhornOptions>,
  runtime: GpuRuntime | undefined,
  reportError: (message: string) => void,
): Lane<SinkhornSummary, SinkhornResult, SinkhornSolver>[] {
  const lanes: Lane<SinkhornSummary, SinkhornResult, SinkhornSolver>[] = [];
  if (runtime) {
    try {
      lanes.push({
        id: 'gpu',
        label: 'GPU',
        solver: createSinkhornSolver([problem], 'gpu', options, runtime),
      });
    } catch (error) {
      reportError(
        `GPU solver not started: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  lanes.push({ id: 'cpu', label: 'CPU', solver: createSinkhornSolver([problem], 'cpu', options) });
  return lanes;
}

function laneNumbers(lane: ToyLaneView): SinkhornLaneNumbers {
  return {
    iteration: lane.summary?.iteration ?? 0,
    marginalError: lane.summary?.batches[0]?.marginalError ?? Number.NaN,
    transportCost: lane.result?.batches[0]?.transportCost ?? Number.NaN,
    converged: lane.summary?.converged ?? false,
    stopReason: lane.stopReason,
    error: lane.error,
  };
}

function numbersOf(lanes: readonly ToyLaneView[]): SinkhornNumbers {
  const numbers: SinkhornNumbers = {};
  for (const lane of lanes) {
    if (lane.id === 'gpu' || lane.id === 'cpu') numbers[lane.id] = laneNumbers(lane);
  }
  return numbers;
}

export function SinkhornToy() {
  const params = useSceneParams(SINKHORN_TOY_ID, sinkhornToyParams);
  const { n, m, seed, eps, tol, maxIter, ipf } = params;
  const status = useAppStore((state) => state.runtime.status);
  const emulated = useAppStore((state) => state.runtime.adapter?.emulated ?? false);
  const reportError = useAppStore((state) => state.reportError);

  const [controller] = useState<ToyController>(
    () => new SolverController({ iterationsPerFrame: ipf }),
  );
  const view = useSyncExternalStore(controller.subscribe, controller.getView);
  const problem = useMemo(() => toyProblem({ n, m, seed, epsilon: eps }), [n, m, seed, eps]);
  const stopping = useMemo(() => ({ tolerance: tol, maxIterations: maxIter }), [tol, maxIter]);

  useEffect(() => {
    controller.setIterationsPerFrame(ipf);
  }, [controller, ipf]);

  useControllerLifecycle(controller);

  // New solvers whenever the problem or the stopping rule changes; disposed on change and unmount.
  useEffect(() => {
    if (status === 'loading') return;
    const lanes = createLanes(problem, stopping, gpuRuntime(), reportError);
    // Starts playing, unless the user asked for reduced motion: then Play (Space) starts it.
    controller.load(lanes, !prefersReducedMotion());
    markTestHookReady();
    return () => {
      controller.unload();
    };
  }, [controller, problem, stopping, status, reportError]);

  // The test hook: numbers after every step, and deterministic drivers for the e2e suite.
  useEffect(() => {
    const hook = testHook();
    const update = () => {
      const numbers = numbersOf(controller.lanes());
      if (hook.sinkhorn) {
        hook.sinkhorn.gpu = numbers.gpu;
        hook.sinkhorn.cpu = numbers.cpu;
      }
      hook.playing = controller.isPlaying;
    };
    hook.sinkhorn = {
      ...numbersOf(controller.lanes()),
      step: async (iterations) => {
        await controller.step(iterations);
        update();
        return numbersOf(controller.lanes());
      },
      runToConvergence: async () => {
        await controller.runToConvergence();
        await controller.results();
        update();
        return numbersOf(controller.lanes());
      },
      loseDevice: () => {
        gpuRuntime()?.device.destroy();
      },
    };
    const offStep = controller.onStep(update);
    const offView = controller.subscribe(update);
    return () => {
      offStep();
      offView();
      hook.sinkhorn = undefined;
    };
  }, [controller]);

  const onParam = useParamSetter(SINKHORN_TOY_ID, sinkhornToyParams);
  // Exports read the solvers' latest state when the user saves a file.
  useSceneExports(
    useMemo(() => {
      const laneData = (): LaneData[] =>
        controller.lanes().map((lane) => ({
          lane: lane.id,
          potentials: controller.solver(lane.id)?.potentials(0),
          history: lane.summary?.batches[0]?.history ?? [],
        }));
      return {
        tables: () => sinkhornTables(problem, laneData()),
        json: () => numbersOf(controller.lanes()),
        otlab: () => sinkhornOtlabRun(problem, { ...DEFAULT_SINKHORN_OPTIONS, ...stopping }),
      };
    }, [controller, problem, stopping]),
  );
  const gpuPotentials = useCallback(() => controller.solver('gpu')?.potentials(0), [controller]);
  const cpuPotentials = useCallback(() => controller.solver('cpu')?.potentials(0), [controller]);
  const chartSeries = useCallback(
    (): ChartSeries[] =>
      controller.lanes().map((lane) => ({
        id: lane.id,
        label: `${BACKENDS[lane.backend].title} (${lane.backend === 'gpu' ? 'float32' : 'float64'})`,
        ...BACKENDS[lane.backend],
        points: lane.summary?.batches[0]?.history ?? [],
      })),
    [controller],
  );

  const gpuLane = view.lanes.find((lane) => lane.id === 'gpu');
  const cpuLane = view.lanes.find((lane) => lane.id === 'cpu');
  const waitingForPlay =
    !view.playing && view.lanes.every((lane) => !lane.summary) && prefersReducedMotion();
  const messages = [
    ...(waitingForPlay ? ['Reduced motion is on: the solvers wait for Play (Space).'] : []),
    ...view.lanes.flatMap((lane) =>
      lane.stopReason ? [`${BACKENDS[lane.backend].title}: ${lane.stopReason}`] : [],
    ),
    ...(view.notice ? [view.notice] : []),
  ];

  return (
    <article className="scene" aria-labelledby="scene-title">
      <header className="scene__header">
        <h1 id="scene-title">Entropic OT toy</h1>
        <p>
          Log-domain Sinkhorn between two seeded point clouds in the unit square: the WebGPU solver
          (float32) and the float64 CPU reference iterate the same problem side by side. Lines join
          each source point to its heaviest targets in the plan, darker for more mass.
        </p>
      </header>
      <div className="scene__layout">
        <aside className="panel scene__controls" aria-label="Parameters">
          <h2>Parameters</h2>
          <ParamControls schema={sinkhornToyParams} values={params} onChange={onParam} />
          <h2>The iteration</h2>
          <Formula tex={UPDATES_TEX} />
          <Formula tex={PLAN_TEX} />
          <Formula tex={ERROR_TEX} />
          <h2>With the current values</h2>
          <div data-testid="live-formulas">
            <Formula tex={liveUpdatesTex(eps, n, m)} />
            {cpuLane && <Formula tex={liveResultTex('CPU', laneNumbers(cpuLane))} />}
          </div>
          <p className="note">
            Uniform weights a, b; squared Euclidean cost. The marginal error is checked every 10
            iterations (MATH.md §1).
          </p>
        </aside>
        <div className="scene__main">
          <ControlBar
            controls={controller}
            playing={view.playing}
            finished={view.finished}
            messages={messages}
            onError={reportError}
          />
          <div className="lanes">
            {gpuLane ? (
              <LanePanel
                lane={gpuLane}
                subtitle={`WebGPU, float32${emulated ? ', emulated (software adapter)' : ''}`}
              >
                <PlanCanvas
                  problem={problem}
                  potentials={gpuPotentials}
                  subscribe={controller.onStep}
                  label="Transport plan computed on the GPU"
                  testId="plan-canvas-gpu"
                />
              </LanePanel>
            ) : (
              <section className="lane lane--missing" aria-label="GPU solver">
                <h3>GPU</h3>
                <p>
                  {status === 'unavailable'
                    ? 'Not running: WebGPU is unavailable in this browser (see the notice above). The CPU backend runs alone.'
                    : status === 'loading'
                      ? 'Starting WebGPU…'
                      : 'Not running: see the error below.'}
                </p>
              </section>
            )}
            {cpuLane && (
              <LanePanel lane={cpuLane} subtitle="float64 reference, main thread">
                <PlanCanvas
                  problem={problem}
                  potentials={cpuPotentials}
                  subscribe={controller.onStep}
                  label="Transport plan computed on the CPU"
                  testId="plan-canvas-cpu"
                />
              </LanePanel>
            )}
          </div>
          <p className="legend-line">
            <span>
              <span className="swatch" style={{ background: SOURCE_COLOR }} aria-hidden="true" />{' '}
              source points x<sub>i</sub>, weights 1/n
            </span>
            <span>
              <span className="swatch" style={{ background: TARGET_COLOR }} aria-hidden="true" />{' '}
              target points y<sub>j</sub>, weights 1/m
            </span>
            <span>
              lines: plan entries P<sub>ij</sub>, darker for more mass
            </span>
          </p>
          <CostComparison gpu={gpuLane} cpu={cpuLane} />
          <ErrorChart
            title="Marginal error per iteration (log scale)"
            series={chartSeries}
            subscribe={controller.subscribe}
            tolerance={tol}
          />
        </div>
      </div>
    </article>
  );
}

function LanePanel({
  lane,
  subtitle,
  children,
}: {
  lane: ToyLaneView;
  subtitle: string;
  children: React.ReactNode;
}) {
  const numbers = laneNumbers(lane);
  const headingId = `lane-${lane.id}-title`;
  return (
    <section className={`lane lane--${lane.id}`} aria-labelledby={headingId}>
      <header className="lane__header">
        <h3 id={headingId}>
          <span
            className="swatch"
            style={{ background: BACKENDS[lane.backend].color }}
            aria-hidden="true"
          />
          {BACKENDS[lane.backend].title}
        </h3>
        <span className="lane__subtitle">{subtitle}</span>
      </header>
      {children}
      <dl className="lane__numbers" data-testid={`numbers-${lane.id}`}>
        <div>
          <dt>Iteration</dt>
          <dd>{numbers.iteration}</dd>
        </div>
        <div>
          <dt>Marginal error</dt>
          <dd>{formatNumber(numbers.marginalError, 3)}</dd>
        </div>
        <div>
          <dt>Transport cost ⟨C, P⟩</dt>
          <dd>{formatNumber(numbers.transportCost, 6)}</dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>{formatRate(lane.rate)}</dd>
        </div>
      </dl>
      {lane.error && (
        <p className="lane__error" role="alert">
          {lane.error}
        </p>
      )}
    </section>
  );
}

function CostComparison({ gpu, cpu }: { gpu?: ToyLaneView; cpu?: ToyLaneView }) {
  const gpuCost = gpu?.result?.batches[0]?.transportCost;
  const cpuCost = cpu?.result?.batches[0]?.transportCost;
  if (gpuCost === undefined || cpuCost === undefined) return null;
  const difference = Math.abs(gpuCost - cpuCost);
  const relative = difference / Math.max(Math.abs(cpuCost), 1e-300);
  const gpuAt = gpu?.result?.iterations ?? 0;
  const cpuAt = cpu?.result?.iterations ?? 0;
  return (
    <p className="cost-comparison" data-testid="cost-comparison">
      Transport cost ⟨C, P⟩: GPU <strong>{formatNumber(gpuCost, 6)}</strong> (iteration {gpuAt}),
      CPU <strong>{formatNumber(cpuCost, 6)}</strong> (iteration {cpuAt}); difference{' '}
      <strong>{difference.toExponential(2)}</strong>, relative {relative.toExponential(2)}
      {gpuAt === cpuAt ? ' (float32 against float64 at the same iterate).' : '.'}
    </p>
  );
}
