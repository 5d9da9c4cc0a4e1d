/**
 * Scene "MCOT lab": the moment-constrained relaxation of Coulomb multi-marginal OT solved by
 * projected constrained overdamped Langevin (MATH.md §7, seed 003), live. The particles evolve on
 * screen while the solver runs: in 1D as electron pairs over the exact co-motion graphs (MATH.md
 * §6, seed 002), in 3D as the pooled one-body cloud (three.js), its planar projections and its
 * radial histogram; the cost, ‖ξ‖∞, Δt and σ are charted per accepted step.
 *
 * Solvers live in a SolverController outside React (the CPU backend in a worker); views read the
 * solver's particle snapshot through callbacks at their own low rate; React re-renders only on
 * parameter changes and the controller's throttled view.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Density1D, Marginal } from '../../../ot/mcot/marginals';
import type {
  McotResult,
  McotSolver,
  McotSummary,
  ParticleSnapshot,
} from '../../../solvers/mcot/types';
import type { Backend } from '../../../solvers/types';
import { ControlBar } from '../../components/ControlBar';
import { ErrorChart, type ChartReference, type ChartSeries } from '../../components/ErrorChart';
import { Formula } from '../../components/Formula';
import { ParamControls } from '../../components/ParamControls';
import { formatRate } from '../../components/StatusLine';
import { gpuRuntime, startGpuRuntime } from '../../gpuRuntime';
import { useSceneExports } from '../../lecture/sceneExports';
import type { ParamValue } from '../../params';
import { SolverController, type LaneView } from '../../solverController';
import { useParamSetter } from '../../sceneHooks';
import { useAppStore, useSceneParams } from '../../store';
import { useControllerLifecycle } from '../../useControllerLifecycle';
import { markTestHookReady, testHook } from '../../testHook';
import { CloudView } from './CloudView';
import { liveMcotTex, mcotOtlabRun, mcotTables } from './exports';
import { FrameMeter } from './frameMeter';
import type { McotHook, McotLaneNumbers } from './hook';
import { createLanes, gpuUnsuitable, lanePlan, type BackendChoice } from './lanes';
import {
  LAB_PRESETS,
  activePreset,
  exactReference,
  formatNumber,
  historyPoints,
  labSetup,
  lawLabel,
  pairChoice,
  problemTex,
  radialRange,
  setupKey,
  stepTex,
  type ColourMode,
  type HistoryColumn,
  type LabValues,
} from './model';
import { GRAPH_COLOR, PairPlot, type ParticleLayer } from './PairPlot';
import {
  LANGEVIN_KEYS,
  MCOT_LAB_ID,
  PROBLEM_KEYS,
  RUN_KEYS,
  WEIGHT_KEYS,
  mcotLabParams,
} from './params';
import { Projections } from './Projections';
import { emptyHistory } from '../../../solvers/mcot/base';
import { DENSITY_COLOR, HISTOGRAM_COLOR, RadialHistogram } from './RadialHistogram';
import './mcot.css';

const schema = mcotLabParams;
type Controller = SolverController<McotSummary, McotResult, McotSolver>;
type McotLaneView = LaneView<McotSummary, McotResult>;

const LANE_STYLE: Record<
  Backend,
  { color: string; width: number; dash?: string; opacity?: number }
> = {
  gpu: { color: '#7c3aed', width: 6, opacity: 0.45 },
  cpu: { color: '#0f5b55', width: 2.2, dash: '6 4' },
};

/** Keys that are kept when a preset is applied (how to run and view, not what to solve). */
const KEPT_BY_PRESETS = [...RUN_KEYS, 'colour', 'highlight', 'pi', 'pj'] as const;

/** Controls that mean something for these values (the others are hidden, not reset). */
function relevantKeys(keys: readonly string[], values: LabValues): string[] {
  const oneD = values.d === '1';
  const hidden = new Set<string>([
    ...(oneD ? ['law3', 'mixture', 'tests', 'D'] : ['law1', 'M']),
    ...(!oneD && values.law3 !== 'mixture' ? ['mixture'] : []),
    ...(!oneD && values.tests !== 'hyperbolicCross' ? ['D'] : []),
    ...(values.weights === 'fixed' ? ['omega'] : []),
    ...(values.noise === 'zero' ? ['sigma0'] : []),
  ]);
  return keys.filter((key) => !hidden.has(key));
}

function laneNumbers(lane: McotLaneView): McotLaneNumbers {
  const s = lane.summary;
  return {
    id: lane.id,
    label: lane.label,
    backend: lane.backend,
    phase: s?.phase ?? 'initialising',
    iteration: s?.iteration ?? 0,
    initSteps: s?.initSteps ?? 0,
    cost: s?.cost ?? Number.NaN,
    residual: s?.residual ?? Number.NaN,
    tolerance: s?.tolerance ?? Number.NaN,
    timeStep: s?.timeStep ?? Number.NaN,
    sigma: s?.sigma ?? Number.NaN,
    accepted: s?.accepted ?? 0,
    rejected: s?.rejected ?? 0,
    rate: lane.rate,
    stopReason: lane.stopReason,
    failure: s?.failure,
    error: lane.error,
  };
}

export function McotLab() {
  const values = useSceneParams(MCOT_LAB_ID, schema);
  const status = useAppStore((state) => state.runtime.status);
  const reportError = useAppStore((state) => state.reportError);

  const [controller] = useState<Controller>(
    () => new SolverController({ iterationsPerFrame: values.spf, resultIntervalMs: Infinity }),
  );
  const view = useSyncExternalStore(controller.subscribe, controller.getView);
  const [meter] = useState(() => new FrameMeter());
  const draws = useRef({ cloud: 0, pairs: 0, projections: 0, radial: 0 });

  const key = setupKey(values);
  const prepared = useMemo(() => labSetup(JSON.parse(key) as LabValues), [key]);
  const setup = prepared.setup;
  const reference = useMemo(() => (setup ? exactReference(setup) : undefined), [setup]);
  const backend = values.backend as BackendChoice;
  const runtimePresent = status === 'ready';

  useEffect(() => {
    void startGpuRuntime();
    meter.start();
    return () => {
      meter.stop();
    };
  }, [meter]);

  useEffect(() => {
    controller.setIterationsPerFrame(values.spf);
  }, [controller, values.spf]);

  useControllerLifecycle(controller);

  // New solvers when the run or the backend changes; disposed (workers, GPU buffers) on change
  // and when the scene is left.
  const gpuIssue = useMemo(() => (setup ? gpuUnsuitable(setup) : undefined), [setup]);
  const plan = useMemo(
    () => lanePlan(backend, runtimePresent, gpuIssue),
    [backend, runtimePresent, gpuIssue],
  );
  const notes = plan.notes;
  useEffect(() => {
    if (status === 'loading') return;
    if (!setup) {
      controller.unload();
      markTestHookReady();
      return;
    }
    controller.load(createLanes(setup, plan, gpuRuntime(), reportError), true);
    markTestHookReady();
    return () => {
      controller.unload();
    };
  }, [controller, setup, plan, status, reportError]);

  // ---- what the views read (callbacks: polled by the views, never React state) -----------

  const primary = useCallback(() => {
    const lane = controller.lanes()[0];
    return lane ? controller.solver(lane.id)?.particles() : undefined;
  }, [controller]);
  const layers = useCallback((): ParticleLayer[] => {
    const lanes = controller.lanes();
    return lanes.map((lane, index) => ({
      id: lane.id,
      snapshot: controller.solver(lane.id)?.particles(),
      color: LANE_STYLE[lane.backend].color,
      hollow: index > 0,
    }));
  }, [controller]);
  const seriesOf = useCallback(
    (column: HistoryColumn, prefix = '') =>
      (): ChartSeries[] =>
        controller.lanes().map((lane) => ({
          id: `${prefix}${lane.id}`,
          label: `${prefix}${lane.backend.toUpperCase()}`,
          ...LANE_STYLE[lane.backend],
          points: historyPoints(controller.solver(lane.id)?.history() ?? emptyHistory(), column),
        })),
    [controller],
  );
  const costSeries = useMemo(() => seriesOf('cost'), [seriesOf]);
  const residualSeries = useMemo(() => seriesOf('residual'), [seriesOf]);
  const stepSeries = useCallback(
    (): ChartSeries[] => [
      ...seriesOf('timeStep', 'Δt ')(),
      ...seriesOf('sigma', 'σ ')().map((s) => ({ ...s, color: '#b45309', dash: '2 3', width: 2 })),
    ],
    [seriesOf],
  );
  const costReferences = useMemo<ChartReference[]>(
    () => (reference ? [{ ...reference, color: GRAPH_COLOR }] : []),
    [reference],
  );
  const countDraw = useCallback(
    (what: keyof typeof draws.current) => () => {
      draws.current[what] += 1;
    },
    [],
  );
  const onCloud = useMemo(() => countDraw('cloud'), [countDraw]);
  const onPairs = useMemo(() => countDraw('pairs'), [countDraw]);
  const onProjections = useMemo(() => countDraw('projections'), [countDraw]);
  const onRadial = useMemo(() => countDraw('radial'), [countDraw]);

  // ---- exports ---------------------------------------------------------------------------

  useSceneExports(
    useMemo(() => {
      if (!setup) return {};
      const lanes = () =>
        controller.lanes().map((lane) => ({
          numbers: laneNumbers(lane),
          particles: controller.solver(lane.id)?.particles(),
          history: controller.solver(lane.id)?.history(),
        }));
      return {
        tables: () => mcotTables(setup, lanes(), reference?.value),
        json: () => ({
          problem: { dimension: setup.params.dimension, N: setup.params.N, K: setup.params.K },
          constraints: setup.set.count,
          testFunctions: setup.set.label,
          exactCost: reference?.value ?? null,
          lanes: controller.lanes().map(laneNumbers),
        }),
        otlab: () => mcotOtlabRun(JSON.parse(key) as LabValues),
      };
    }, [controller, setup, reference, key]),
  );

  // ---- test hook -------------------------------------------------------------------------

  useEffect(() => {
    const hook = testHook();
    const numbers = () => controller.lanes().map(laneNumbers);
    const slice: McotHook = {
      setupError: prepared.error,
      notes,
      problem: setup && {
        dimension: setup.params.dimension,
        N: setup.params.N,
        K: setup.params.K,
        constraints: setup.set.count,
        label: lawLabel(values),
      },
      exactCost: reference?.value,
      lanes: numbers(),
      playing: controller.isPlaying,
      draws: draws.current,
      frames: () => ({ count: meter.frames, intervals: meter.recent() }),
      step: async (units) => {
        await controller.step(units);
        return numbers();
      },
      reset: async () => {
        await controller.reset();
        return numbers();
      },
      play: () => {
        controller.play();
      },
      pause: () => {
        controller.pause();
      },
      idle: () => controller.idle(),
      history: (id) => {
        const history = controller.solver(id)?.history();
        return (
          history && {
            iteration: [...history.iteration],
            cost: [...history.cost],
            residual: [...history.residual],
            timeStep: [...history.timeStep],
            sigma: [...history.sigma],
          }
        );
      },
      particles: (id) => {
        const snapshot = controller.solver(id)?.particles();
        return (
          snapshot && {
            version: snapshot.version,
            x: Array.from(snapshot.x),
            weights: Array.from(snapshot.weights),
          }
        );
      },
      result: async (id) => {
        const index = controller.lanes().findIndex((lane) => lane.id === id);
        if (index < 0) return undefined;
        const result = (await controller.results())[index];
        return result && { cost: result.cost, residual: result.residual };
      },
    };
    hook.mcot = slice;
    const update = () => {
      slice.lanes = numbers();
      slice.playing = controller.isPlaying;
      hook.playing = controller.isPlaying;
    };
    const offStep = controller.onStep(update);
    const offView = controller.subscribe(update);
    return () => {
      offStep();
      offView();
      if (hook.mcot === slice) hook.mcot = undefined;
    };
  }, [controller, meter, prepared, setup, reference, notes, values]);

  // ---- parameters ------------------------------------------------------------------------

  const onParam = useParamSetter(MCOT_LAB_ID, schema);
  const applyPreset = (id: string) => {
    const preset = LAB_PRESETS.find((p) => p.id === id);
    if (!preset) return;
    for (const [name, value] of Object.entries(preset.values)) {
      if (!(KEPT_BY_PRESETS as readonly string[]).includes(name)) onParam(name, value);
    }
  };
  const presetId = activePreset(values);

  const messages = [
    ...view.lanes.flatMap((lane) => (lane.stopReason ? [`${lane.label}: ${lane.stopReason}`] : [])),
    ...(view.notice ? [view.notice] : []),
  ];

  return (
    <article className="scene mcot" aria-labelledby="mcot-title">
      <header className="scene__header">
        <h1 id="mcot-title">MCOT lab: strictly correlated electrons by constrained Langevin</h1>
        <p>
          Coulomb multi-marginal OT with the marginal constraint relaxed to M moments: K particles
          of N electrons each descend the interaction energy while Newton projections keep every
          moment exact. In 1D the particles should settle on the exact co-motion graphs; in 3D the
          cloud reorganises while its low moments stay those of μ.
        </p>
      </header>
      <div className="scene__layout">
        <aside className="panel scene__controls" aria-label="Parameters">
          <h2>Presets (seed 003)</h2>
          <div className="mcot-presets" role="group" aria-label="Presets">
            {LAB_PRESETS.map((preset) => (
              <button
                key={preset.id}
                type="button"
                className={`button button--small${preset.id === presetId ? ' button--active' : ''}`}
                aria-pressed={preset.id === presetId}
                data-testid={`mcot-preset-${preset.id}`}
                onClick={() => {
                  applyPreset(preset.id);
                }}
              >
                {preset.label}
              </button>
            ))}
          </div>
          <h2>Problem</h2>
          <ParamControls
            schema={schema}
            values={values}
            onChange={onParam}
            keys={relevantKeys(PROBLEM_KEYS, values)}
          />
          <h2>Weights and cost</h2>
          <ParamControls
            schema={schema}
            values={values}
            onChange={onParam}
            keys={relevantKeys(WEIGHT_KEYS, values)}
          />
          <h2>Langevin</h2>
          <ParamControls
            schema={schema}
            values={values}
            onChange={onParam}
            keys={relevantKeys(LANGEVIN_KEYS, values)}
          />
          <h2>Run</h2>
          <ParamControls schema={schema} values={values} onChange={onParam} keys={RUN_KEYS} />
        </aside>
        <div className="scene__main">
          <ControlBar
            controls={controller}
            playing={view.playing}
            finished={view.finished}
            messages={messages}
            onError={reportError}
          />
          {prepared.error !== undefined && (
            <div className="notice notice--error" role="alert" data-testid="mcot-setup-error">
              <strong>These parameters define no run:</strong> {prepared.error}
            </div>
          )}
          {notes.length > 0 && setup && (
            <ul className="notice notice--info mcot-notes" data-testid="mcot-notes">
              {notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
          {setup && (
            <>
              <div className="lanes">
                {view.lanes.map((lane) => (
                  <LaneCard key={lane.id} lane={lane} />
                ))}
              </div>
              {setup.params.dimension === 1 ? (
                <OneDViews
                  density={setup.marginal as Density1D}
                  values={values}
                  layers={layers}
                  subscribe={controller.onStep}
                  onDraw={onPairs}
                  onParam={onParam}
                />
              ) : (
                <ThreeDViews
                  setupMarginal={setup.marginal}
                  K={setup.params.K}
                  N={setup.params.N}
                  values={values}
                  source={primary}
                  subscribe={controller.onStep}
                  onCloud={onCloud}
                  onProjections={onProjections}
                  onRadial={onRadial}
                  onParam={onParam}
                  laneLabel={view.lanes[0]?.label}
                />
              )}
              <div className="mcot-charts">
                <ErrorChart
                  title="Cost f(X) per accepted step"
                  series={costSeries}
                  subscribe={controller.subscribe}
                  references={costReferences}
                  scale="linear"
                  yLabel="cost f"
                  emptyText="Initialising: the cost is charted from the first accepted state"
                  testId="mcot-cost-chart"
                />
                <ErrorChart
                  title="Constraint residual ‖ξ‖∞ (log scale)"
                  series={residualSeries}
                  subscribe={controller.subscribe}
                  tolerance={values.tol}
                  yLabel="‖ξ(Xⁿ)‖∞"
                  emptyText="No accepted step yet"
                  testId="mcot-residual-chart"
                />
                <ErrorChart
                  title="Step Δt and noise σ (log scale)"
                  series={stepSeries}
                  subscribe={controller.subscribe}
                  yLabel="Δt, σ"
                  emptyText={
                    values.noise === 'zero'
                      ? 'No accepted step yet (σ = 0: noiseless)'
                      : 'No accepted step yet'
                  }
                  testId="mcot-step-chart"
                />
              </div>
              <section className="panel" aria-label="The particle problem">
                <h2>The particle problem (seed 003)</h2>
                <Formula tex={problemTex(setup)} />
                <Formula tex={stepTex(setup)} />
                <Formula
                  tex={liveMcotTex(view.lanes[0] && laneNumbers(view.lanes[0]), reference?.value)}
                />
                <p className="note">
                  μ: {lawLabel(values)}; {setup.set.count} constraints ({setup.set.label}).
                </p>
              </section>
            </>
          )}
        </div>
      </div>
    </article>
  );
}

function LaneCard({ lane }: { lane: McotLaneView }) {
  const n = laneNumbers(lane);
  const failure = n.failure?.message ?? n.error;
  return (
    <section
      className={`lane lane--${lane.backend}`}
      aria-label={lane.label}
      data-testid={`mcot-lane-${lane.id}`}
    >
      <header className="lane__header">
        <h3>
          <span
            className="swatch"
            style={{ background: LANE_STYLE[lane.backend].color }}
            aria-hidden="true"
          />
          {lane.label}
        </h3>
        <span className="lane__subtitle">
          {n.phase === 'initialising' ? `initialising (RK3 step ${n.initSteps})` : n.phase}
        </span>
      </header>
      <dl className="lane__numbers">
        <div>
          <dt>Step n</dt>
          <dd>{n.iteration}</dd>
        </div>
        <div>
          <dt>Cost f</dt>
          <dd>{formatNumber(n.cost, 7)}</dd>
        </div>
        <div>
          <dt>‖ξ‖∞ / tol</dt>
          <dd>
            {formatNumber(n.residual, 2)} / {formatNumber(n.tolerance, 2)}
          </dd>
        </div>
        <div>
          <dt>Δt</dt>
          <dd>{formatNumber(n.timeStep, 3)}</dd>
        </div>
        <div>
          <dt>σ</dt>
          <dd>{formatNumber(n.sigma, 3)}</dd>
        </div>
        <div>
          <dt>Accepted / rejected</dt>
          <dd>
            {n.accepted} / {n.rejected}
          </dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd data-testid={`mcot-rate-${lane.id}`}>
            {formatRate(n.rate).replace('it/s', 'steps/s')}
          </dd>
        </div>
      </dl>
      {failure && (
        <p className="lane__error" role="alert" data-testid={`mcot-failure-${lane.id}`}>
          <strong>The run stopped:</strong> {failure.replace(/\.?$/, '.')} The last valid state
          stays on screen.
        </p>
      )}
    </section>
  );
}

interface OneDViewsProps {
  density: Density1D;
  values: LabValues;
  layers: () => ParticleLayer[];
  subscribe: (listener: () => void) => () => void;
  onDraw: () => void;
  onParam: (name: string, value: ParamValue) => void;
}

function OneDViews({ density, values, layers, subscribe, onDraw, onParam }: OneDViewsProps) {
  const { N, pi, pj } = values;
  const choice = useMemo(() => pairChoice(N, pi, pj), [N, pi, pj]);
  const electrons = Array.from({ length: N }, (_, i) => i + 1);
  return (
    <section className="panel mcot-view" aria-label="Electron pairs">
      <header className="mcot-view__bar">
        <label>
          Pair{' '}
          <select
            data-testid="mcot-pair-i"
            value={values.pi}
            onChange={(event) => {
              onParam('pi', Number(event.target.value));
            }}
          >
            <option value={0}>all pairs</option>
            {electrons.map((i) => (
              <option key={i} value={i}>
                x{i}
              </option>
            ))}
          </select>
        </label>
        {values.pi !== 0 && (
          <label>
            against{' '}
            <select
              data-testid="mcot-pair-j"
              value={values.pj}
              onChange={(event) => {
                onParam('pj', Number(event.target.value));
              }}
            >
              {electrons.map((j) => (
                <option key={j} value={j}>
                  x{j}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="legend-line">
          <span>
            <span className="swatch" style={{ background: GRAPH_COLOR }} aria-hidden="true" /> exact
            co-motion graphs y = T<sub>m</sub>(x), m = 1 … {N - 1}
          </span>
          <span>particles: marker area ∝ weight; a second lane is drawn as rings</span>
        </span>
      </header>
      {'pairs' in choice ? (
        <PairPlot
          density={density}
          N={N}
          pairs={choice.pairs}
          xTitle={values.pi === 0 ? 'x_i' : `x${values.pi}`}
          yTitle={values.pi === 0 ? 'x_j' : `x${values.pj}`}
          layers={layers}
          subscribe={subscribe}
          onDraw={onDraw}
        />
      ) : (
        <p className="notice notice--error" role="alert">
          {choice.error}
        </p>
      )}
    </section>
  );
}

interface ThreeDViewsProps {
  setupMarginal: Marginal;
  K: number;
  N: number;
  values: LabValues;
  source: () => ParticleSnapshot | undefined;
  subscribe: (listener: () => void) => () => void;
  onCloud: () => void;
  onProjections: () => void;
  onRadial: () => void;
  onParam: (name: string, value: ParamValue) => void;
  laneLabel: string | undefined;
}

function ThreeDViews({
  setupMarginal,
  K,
  N,
  values,
  source,
  subscribe,
  onCloud,
  onProjections,
  onRadial,
  onParam,
  laneLabel,
}: ThreeDViewsProps) {
  const extent = useMemo(() => radialRange(setupMarginal), [setupMarginal]);
  const highlight = Math.min(values.highlight, K);
  const colourMode = values.colour as ColourMode;
  return (
    <>
      <section className="panel mcot-view" aria-label="Pooled one-body cloud">
        <header className="mcot-view__bar">
          <ParamControls
            schema={schema}
            values={values}
            onChange={onParam}
            keys={['colour', 'highlight']}
          />
          <p className="note">
            {K * N} electrons of {laneLabel ?? 'the solver'}: drag to orbit, scroll to zoom. Black
            polygon: the N electrons of particle k = {highlight}
            {highlight !== values.highlight ? ` (K = ${K} particles only)` : ''}.
          </p>
        </header>
        <CloudView
          K={K}
          N={N}
          extent={extent}
          colourMode={colourMode}
          highlight={highlight - 1}
          source={source}
          onUpdate={onCloud}
        />
      </section>
      <section className="panel mcot-view" aria-label="Projections">
        <Projections
          K={K}
          N={N}
          extent={extent}
          colourMode={colourMode}
          source={source}
          subscribe={subscribe}
          onDraw={onProjections}
        />
      </section>
      <section className="panel mcot-view" aria-label="Radial distribution">
        <RadialHistogram
          marginal={setupMarginal}
          rMax={extent}
          source={source}
          subscribe={subscribe}
          onDraw={onRadial}
        />
        <p className="legend-line">
          <span>
            <span className="swatch" style={{ background: HISTOGRAM_COLOR }} aria-hidden="true" />{' '}
            radii |x<sub>i</sub>
            <sup>k</sup>| weighted by w<sub>k</sub>/N
          </span>
          <span>
            <span className="swatch" style={{ background: DENSITY_COLOR }} aria-hidden="true" />{' '}
            density of |x| under μ
          </span>
        </p>
      </section>
    </>
  );
}
