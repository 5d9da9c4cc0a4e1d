/**
 * Scene "Generic-cost barycenters": seed 001's fixed-point algorithms H and G (MATH.md §5) on its two
 * examples, the ‖x − y‖_p^q barycenter of three shapes and the non-linear generalised barycenter
 * with projections onto four circles. The barycenter's points move at every iteration and
 * V(μ) = Σ_k T_{c_k}(μ, ν_k) is plotted as it decreases. The float64 solver runs in a Web Worker.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { GenericBarycenterHook } from './hook';
import type {
  GenericBarycenterResult,
  GenericBarycenterSummary,
} from '../../../solvers/genericBarycenter';
import type { IterativeSolver } from '../../../solvers/types';
import { ControlBar, type PlayControls } from '../../components/ControlBar';
import { Formula } from '../../components/Formula';
import { ParamControls } from '../../components/ParamControls';
import { WeightControls } from '../../components/WeightControls';
import { useSceneExports } from '../../lecture/sceneExports';
import { useParamSetter, useWeightSetter } from '../../sceneHooks';
import { SolverController, type LaneView } from '../../solverController';
import { useAppStore, useSceneParams } from '../../store';
import { markTestHookReady, testHook } from '../../testHook';
import { WorkerSolver } from '../../workerSolver';
import { genericBarycenterOtlabRun, genericBarycenterTables, liveEnergyTex } from './exports';
import './genericBarycenter.css';
import { labProblem, MEASURE_COLORS } from './model';
import { ObjectiveChart } from './ObjectiveChart';
import { PacedSolver } from './paced';
import { GENERIC_BARYCENTER_ID, genericBarycenterParams, WEIGHT_KEYS } from './params';
import { PointsCanvas } from './PointsCanvas';

type Summary = GenericBarycenterSummary;
type Result = GenericBarycenterResult;
type Solver = IterativeSolver<Summary, Result>;
type LabController = SolverController<Summary, Result, Solver>;
const LANE = 'barycenter';

// MATH.md §5 (seed 001): the energy, the ground barycenter and the two fixed-point maps.
const ENERGY_TEX = String.raw`V(\mu) = \textstyle\sum_{k} \mathcal{T}_{c_k}(\mu, \nu_k)`;
const GROUND_TEX = String.raw`B(y_1,\dots,y_K) = \operatorname*{argmin}_x \textstyle\sum_k c_k(x, y_k)`;
const H_TEX = String.raw`\begin{aligned}\text{H:}\ x_i &\leftarrow B\bigl(\bar y_1(x_i), \dots, \bar y_K(x_i)\bigr) \\ \bar y_k(x_i) &= \tfrac{1}{a_i}\textstyle\sum_j \pi^{(k)}_{ij}\, y_{kj}\end{aligned}`;
const G_TEX = String.raw`\begin{aligned}\text{G:}\ \mu &\leftarrow \textstyle\sum_{J} \gamma_J\, \delta_{B(y_{1J_1}, \dots, y_{KJ_K})} \\ \gamma_{0,k} &= \pi^{(k)}\end{aligned}`;
const PQ_TEX = String.raw`c_k(x, y) = \lambda_k \lVert x - y \rVert_p^q`;
const CIRCLES_TEX = String.raw`c_k(x, y) = \tfrac14 \lVert P_k(x) - y \rVert^2`;

function fmt(value: number | undefined, digits = 5): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return Math.abs(value) < 1e-3 && value !== 0
    ? value.toExponential(digits - 1)
    : value.toPrecision(digits);
}

function hookNumbers(
  lane: LaneView<Summary, Result> | undefined,
  base: Pick<GenericBarycenterHook, 'preset' | 'algorithm' | 'plans' | 'lambdas' | 'issues'>,
): Omit<GenericBarycenterHook, 'step' | 'runToConvergence'> {
  const summary = lane?.summary;
  const result = lane?.result;
  return {
    ...base,
    iteration: summary?.iteration ?? 0,
    V: summary?.history.map((r) => r.V) ?? [],
    supportSize: summary?.supportSize ?? 0,
    points: result?.points ?? [],
    weights: result?.weights ?? [],
    increases: summary?.increases ?? [],
    converged: summary?.converged ?? false,
    stopReason: lane?.stopReason,
    error: lane?.error,
  };
}

export function GenericBarycenter() {
  const params = useSceneParams(GENERIC_BARYCENTER_ID, genericBarycenterParams);
  const { preset, algorithm, p, q, plans, eps, n, m, seed, maxIter, pace, w1, w2, w3 } = params;
  const status = useAppStore((state) => state.runtime.status);
  const reportError = useAppStore((state) => state.reportError);
  const [controller] = useState<LabController>(
    () => new SolverController({ iterationsPerFrame: 1, resultIntervalMs: 0 }),
  );
  const view = useSyncExternalStore(controller.subscribe, controller.getView);
  const lab = useMemo(
    () => labProblem({ preset, algorithm, p, q, plans, eps, n, m, seed, maxIter, w1, w2, w3 }),
    [preset, algorithm, p, q, plans, eps, n, m, seed, maxIter, w1, w2, w3],
  );
  const paceRef = useRef(pace);
  useEffect(() => {
    paceRef.current = pace;
  }, [pace]);

  useEffect(() => {
    if (status === 'loading') return;
    const inner = new WorkerSolver<Summary, Result>('generic-barycenter', [
      lab.problem,
      lab.options,
    ]);
    const solver = new PacedSolver(inner, () => paceRef.current);
    controller.load([{ id: LANE, label: 'CPU (worker)', solver }]);
    // V(μ₀) and μ₀ on screen before the first iteration.
    void controller.step(0);
    markTestHookReady();
    return () => {
      controller.unload();
    };
  }, [controller, lab, status]);

  useEffect(
    () => () => {
      controller.dispose();
    },
    [controller],
  );

  const controls = useMemo<PlayControls>(
    () => ({
      toggle: () => {
        controller.toggle();
      },
      step: () => controller.step(1),
      reset: async () => {
        await controller.reset();
        await controller.step(0);
      },
    }),
    [controller],
  );

  const numbers = useCallback(
    () =>
      hookNumbers(controller.lanes()[0], {
        preset,
        algorithm: lab.options.algorithm,
        plans: lab.options.plans.kind,
        lambdas: lab.problem.lambdas,
        issues: lab.issues,
      }),
    [controller, lab, preset],
  );
  useSceneExports(
    useMemo(
      () => ({
        tables: () => {
          const lane = controller.lanes()[0];
          return genericBarycenterTables(lab.problem, lane?.summary?.history ?? [], lane?.result);
        },
        json: numbers,
        otlab: () => genericBarycenterOtlabRun(lab.problem, lab.options),
      }),
      [controller, lab, numbers],
    ),
  );

  // The test hook: numbers after every step, and deterministic drivers for the e2e suite.
  useEffect(() => {
    const hook = testHook();
    const drivers = {
      step: async (iterations: number) => {
        await controller.step(iterations);
        await controller.results();
        return hook.genericBarycenter!;
      },
      runToConvergence: async () => {
        await controller.runToConvergence();
        await controller.results();
        return hook.genericBarycenter!;
      },
    };
    const update = () => {
      hook.genericBarycenter = { ...numbers(), ...drivers };
      hook.playing = controller.isPlaying;
    };
    update();
    const offStep = controller.onStep(update);
    const offView = controller.subscribe(update);
    return () => {
      offStep();
      offView();
      delete hook.genericBarycenter;
    };
  }, [controller, numbers]);

  const onParam = useParamSetter(GENERIC_BARYCENTER_ID, genericBarycenterParams);
  const onWeights = useWeightSetter(onParam, WEIGHT_KEYS);
  const latestResult = useCallback(() => controller.lanes()[0]?.result, [controller]);
  const history = useCallback(() => controller.lanes()[0]?.summary?.history ?? [], [controller]);

  const lane = view.lanes[0];
  const summary = lane?.summary;
  const records = summary?.history ?? [];
  const V0 = records[0]?.V;
  const V = records.at(-1)?.V;
  const messages = [
    ...(lane?.stopReason ? [lane.stopReason] : []),
    ...(lane?.error ? [`Error: ${lane.error}`] : []),
  ];
  const keys = [
    'preset',
    'algorithm',
    ...(preset === 'pq' ? ['p', 'q'] : []),
    'plans',
    ...(plans === 'entropic' ? ['eps'] : []),
    'n',
    'm',
    'seed',
    'maxIter',
    'pace',
  ];

  return (
    <article className="scene gbl" aria-labelledby="scene-title">
      <header className="scene__header">
        <h1 id="scene-title">Generic-cost barycenters</h1>
        <p>
          Barycenters of point clouds for costs other than ‖x − y‖² by the fixed-point algorithms of
          Tanguy, Delon and Gozlan (seed 001): solve the K transport problems at the current
          barycenter, then move every point to the ground barycenter of what it is sent to. Press
          Play and watch the black points move while V decreases.
        </p>
      </header>
      {lab.issues.length > 0 && (
        <div className="notice notice--error" role="alert" data-testid="scene-issues">
          <ul>
            {lab.issues.map((issue) => (
              <li key={issue}>{issue}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="scene__layout">
        <aside className="panel scene__controls" aria-label="Parameters">
          <h2>Problem</h2>
          <ParamControls
            schema={genericBarycenterParams}
            values={params}
            onChange={onParam}
            keys={keys}
          />
          {preset === 'pq' && (
            <WeightControls
              weights={lab.problem.lambdas}
              colors={MEASURE_COLORS}
              onWeights={onWeights}
              idPrefix="gbl"
            />
          )}
          <h2>The algorithm</h2>
          <Formula tex={ENERGY_TEX} />
          <Formula tex={GROUND_TEX} />
          <Formula tex={preset === 'pq' ? PQ_TEX : CIRCLES_TEX} />
          <Formula tex={algorithm === 'G' ? G_TEX : H_TEX} />
          <Formula tex={liveEnergyTex(lab.problem.lambdas, records)} />
          <p className="note">
            {preset === 'circles' && 'P_k is the projection onto circle k. '}
            {algorithm === 'G'
              ? 'G glues the K plans by the north-west rule and pushes the coupling through B: V never increases, but the support grows.'
              : 'H keeps n points and their weights; V cannot increase for ‖x − y‖² or when the plans are maps (n = m), otherwise H is a heuristic.'}{' '}
            Exact plans: network simplex. B: per-coordinate Newton (p = q), smoothed Newton (p ≠ q)
            or Levenberg–Marquardt (circles), to 1e-10 of the points&apos; spread.
            {plans === 'entropic' &&
              ' Entropic plans run on the CPU: these small dense problems are dispatch-bound on a GPU.'}
          </p>
        </aside>
        <div className="scene__main">
          <ControlBar
            controls={controls}
            playing={view.playing}
            finished={view.finished}
            messages={messages}
            onError={reportError}
          />
          <div className="gbl__view">
            <PointsCanvas
              problem={lab.problem}
              result={latestResult}
              subscribe={controller.onStep}
              tweenMs={Math.min(450, 0.8 * pace)}
            />
            <dl className="lane__numbers gbl__numbers" data-testid="barycenter-numbers">
              <div>
                <dt>Iteration</dt>
                <dd data-testid="barycenter-iteration">{summary?.iteration ?? 0}</dd>
              </div>
              <div>
                <dt>Initial V</dt>
                <dd>{fmt(V0)}</dd>
              </div>
              <div>
                <dt>Current V{plans === 'entropic' && algorithm === 'H' ? ' (V_ε)' : ''}</dt>
                <dd data-testid="barycenter-v">{fmt(V)}</dd>
              </div>
              <div>
                <dt>Support</dt>
                <dd>{summary?.supportSize ?? lab.problem.init.points.length} points</dd>
              </div>
              <div>
                <dt>V went up</dt>
                <dd>
                  {summary && summary.increases.length > 0
                    ? `at ${summary.increases.join(', ')}`
                    : 'never'}
                </dd>
              </div>
            </dl>
          </div>
          <p className="legend-line">
            {lab.problem.measures.map((_, k) => (
              <span key={k}>
                <span
                  className="swatch"
                  style={{ background: MEASURE_COLORS[k] }}
                  aria-hidden="true"
                />{' '}
                ν{String.fromCharCode(0x2081 + k)}
              </span>
            ))}
            <span>
              <span className="swatch" style={{ background: '#0f172a' }} aria-hidden="true" />{' '}
              barycenter μ_t (area ∝ weight), faint segments: the last move
            </span>
            {preset === 'circles' && <span>dashed: the circle the data were observed from</span>}
          </p>
          <ObjectiveChart
            title="V(μ_t) per iteration (log scale)"
            yLabel="V = Σ_k T_ck(μ, ν_k)"
            history={history}
            subscribe={controller.onStep}
          />
        </div>
      </div>
    </article>
  );
}
