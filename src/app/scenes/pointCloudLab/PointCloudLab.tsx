/**
 * Scene "Point-cloud lab": entropic OT (log-domain Sinkhorn, MATH.md §1) between two 2D point sets
 * that the user draws, drags, loads or picks from seeded presets, with the cost, ε and the backend
 * of their choice. While the solver runs: the potentials as the points' colours, the plan as lines
 * (opacity ∝ mass), the marginal error per check, the dual (f, g) checked against its c-transforms,
 * and the exact (ε = 0) plan on top for small sets.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import {
  cTransformGap,
  DEFAULT_SINKHORN_OPTIONS,
  type CTransformGap,
  type SinkhornProblem,
} from '../../../ot/sinkhorn';
import {
  createSinkhornSolver,
  type SinkhornResult,
  type SinkhornSolver,
  type SinkhornSummary,
} from '../../../solvers/sinkhorn';
import { ControlBar } from '../../components/ControlBar';
import { ErrorChart, type ChartSeries } from '../../components/ErrorChart';
import { Formula } from '../../components/Formula';
import { ParamControls } from '../../components/ParamControls';
import { FormulaPanel, SceneFrame } from '../../components/SceneFrame';
import { formatNumber, formatRate } from '../../components/StatusLine';
import { gpuRuntime } from '../../gpuRuntime';
import { prefersReducedMotion } from '../../lecture/media';
import { useSceneExports } from '../../lecture/sceneExports';
import { useParamSetter } from '../../sceneHooks';
import { SolverController, type LaneView } from '../../solverController';
import { useAppStore, useSceneParams } from '../../store';
import { markTestHookReady, testHook } from '../../testHook';
import { useControllerLifecycle } from '../../useControllerLifecycle';
import { sinkhornOtlabRun, type LaneData } from '../sinkhornToy/exports';
import { liveResultTex, liveUpdatesTex } from '../sinkhornToy/liveFormulas';
import { pointCloudLabTables } from './exports';
import type { PointCloudLabHook, PointCloudLabNumbers } from './hook';
import { costTex, dualCheckTex } from './liveFormulas';
import { exactPlan, labProblem, linesPerRow, pointsOf } from './model';
import { POINT_CLOUD_LAB_ID, pointCloudLabParams } from './params';
import { EXACT_COLOR, PointCanvas, SOURCE_COLOR, TARGET_COLOR, type PointSet } from './PointCanvas';
import {
  COORDINATE_MARGIN,
  encodePoints,
  MAX_DRAWN_POINTS,
  pointsFromJson,
  presetPoints,
  type PointSets,
} from './pointSets';
import './pointCloudLab.css';

type LabController = SolverController<SinkhornSummary, SinkhornResult, SinkhornSolver>;
type LabLaneView = LaneView<SinkhornSummary, SinkhornResult>;

const schema = pointCloudLabParams;
/**
 * Up to this many plan entries the c-transform checks (O(n·m) cost evaluations) are refreshed with
 * the panel (4 times a second); above, only by the test hook's drivers and the JSON export.
 */
const LIVE_DUAL_ENTRIES = 100_000;

const LANE_STYLE = {
  gpu: { label: 'GPU (float32)', color: '#7c3aed', width: 2.4 },
  cpu: { label: 'CPU (float64)', color: '#0f5b55', width: 2.4 },
} as const;

const UPDATES_TEX = String.raw`\begin{aligned}
f_i &= -\varepsilon \log \textstyle\sum_j b_j\, e^{(g_j - C_{ij})/\varepsilon}, \qquad
g_j = -\varepsilon \log \textstyle\sum_i a_i\, e^{(f_i - C_{ij})/\varepsilon} \\
P_{ij} &= a_i b_j\, e^{(f_i + g_j - C_{ij})/\varepsilon}, \qquad
\text{error} = \textstyle\sum_i \bigl|\sum_j P_{ij} - a_i\bigr|
\end{aligned}`;

/** The parameters shown: the preset's size and seed, the cost's own parameters, the rest. */
function visibleKeys(preset: string, cost: string): string[] {
  return Object.keys(schema).filter((key) => {
    if (key === 'pts') return false;
    if (key === 'n' || key === 'm' || key === 'seed') return preset !== 'custom';
    if (key === 'p' || key === 'q') return cost === 'pq';
    if (key === 'eta') return cost === 'coulomb';
    return true;
  });
}

export function PointCloudLab() {
  const params = useSceneParams(POINT_CLOUD_LAB_ID, schema);
  const status = useAppStore((state) => state.runtime.status);
  const reportError = useAppStore((state) => state.reportError);
  const onParam = useParamSetter(POINT_CLOUD_LAB_ID, schema);
  const [controller] = useState<LabController>(
    () => new SolverController({ iterationsPerFrame: params.ipf }),
  );
  const view = useSyncExternalStore(controller.subscribe, controller.getView);
  const [addTo, setAddTo] = useState<PointSet>('x');
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const linesDrawn = useRef(0);

  // The point sets: a rejected `pts` falls back to the default preset, with a message.
  const { points, pointsError } = useMemo(() => {
    try {
      return { points: pointsOf(params), pointsError: undefined };
    } catch (error) {
      return {
        points: presetPoints('moons', params.n, params.m, params.seed),
        pointsError: `Drawn points not used: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }, [params]);
  const { eps, cost, p, q, eta, tol, maxIter, ipf, exact: showExact } = params;
  const { problem, problemError } = useMemo((): {
    problem: SinkhornProblem | undefined;
    problemError: string | undefined;
  } => {
    if (points.x.length === 0 || points.y.length === 0) {
      return {
        problem: undefined,
        problemError: 'Add at least one source and one target point: click in the view.',
      };
    }
    try {
      return { problem: labProblem(points, { eps, cost, p, q, eta }), problemError: undefined };
    } catch (error) {
      return {
        problem: undefined,
        problemError: error instanceof Error ? error.message : String(error),
      };
    }
  }, [points, eps, cost, p, q, eta]);
  // The exact plan does not depend on ε: moving the ε slider does not recompute it.
  const exact = useMemo(() => {
    if (points.x.length === 0 || points.y.length === 0 || showExact !== 'on') return undefined;
    try {
      return exactPlan(labProblem(points, { eps: 1, cost, p, q, eta }));
    } catch (error) {
      reportError(
        `Exact plan not computed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }, [points, cost, p, q, eta, showExact, reportError]);
  const stopping = useMemo(
    () => ({ ...DEFAULT_SINKHORN_OPTIONS, tolerance: tol, maxIterations: maxIter }),
    [tol, maxIter],
  );
  const runtime = status === 'ready' ? gpuRuntime() : undefined;
  const backend = params.backend === 'gpu' && runtime ? 'gpu' : 'cpu';

  useEffect(() => {
    controller.setIterationsPerFrame(ipf);
  }, [controller, ipf]);
  useControllerLifecycle(controller);

  // A new solver whenever the problem, the stopping rule or the backend changes.
  useEffect(() => {
    if (status === 'loading') return;
    if (problem) {
      try {
        const solver = createSinkhornSolver([problem], backend, stopping, runtime);
        controller.load(
          [{ id: backend, label: LANE_STYLE[backend].label, solver }],
          !prefersReducedMotion(),
        );
      } catch (error) {
        reportError(
          `Solver not started: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    markTestHookReady();
    return () => {
      controller.unload();
    };
  }, [controller, problem, stopping, backend, runtime, status, reportError]);

  const potentials = useCallback(
    () => controller.solver(backend)?.potentials(0),
    [controller, backend],
  );

  const numbers = useCallback(
    (withDual: boolean): PointCloudLabNumbers => {
      const lane = controller.lanes()[0];
      const current = potentials();
      const dual =
        withDual && problem && current && lane?.summary
          ? cTransformGap(problem, current.f, current.g)
          : null;
      return {
        backend: lane?.backend,
        points,
        problemError: pointsError ?? problemError,
        iteration: lane?.summary?.iteration ?? 0,
        marginalError: lane?.summary?.batches[0]?.marginalError ?? Number.NaN,
        transportCost: lane?.result?.batches[0]?.transportCost ?? Number.NaN,
        dualObjective: lane?.result?.batches[0]?.dualObjective ?? Number.NaN,
        converged: lane?.summary?.converged ?? false,
        stopReason: lane?.stopReason,
        error: lane?.error,
        exactCost: exact?.cost ?? null,
        dual,
      };
    },
    [controller, potentials, problem, points, problemError, pointsError, exact],
  );

  // The test hook: numbers after every step, and deterministic drivers for the e2e suite.
  useEffect(() => {
    const hook = testHook();
    const live = !problem || problem.x.length * problem.y.length <= LIVE_DUAL_ENTRIES;
    const fresh = async () => {
      await controller.results();
      return { ...numbers(true), planLines: linesDrawn.current };
    };
    const drivers = {
      step: async (iterations: number) => {
        await controller.step(iterations);
        return fresh();
      },
      runToConvergence: async () => {
        await controller.runToConvergence();
        return fresh();
      },
      reset: async () => {
        await controller.reset();
        return fresh();
      },
    };
    // Per step the cheap numbers; the O(n·m) dual check at the throttled view's pace.
    const update = (withDual: boolean) => {
      const dual = hook.pointCloudLab?.dual ?? null;
      hook.pointCloudLab = {
        ...numbers(withDual),
        ...(withDual ? {} : { dual }),
        planLines: linesDrawn.current,
        ...drivers,
      } satisfies PointCloudLabHook;
      hook.playing = controller.isPlaying;
    };
    update(live);
    const offStep = controller.onStep(() => {
      update(false);
    });
    const offView = controller.subscribe(() => {
      update(live);
    });
    return () => {
      offStep();
      offView();
      hook.pointCloudLab = undefined;
    };
  }, [controller, numbers, problem]);

  useSceneExports(
    useMemo(() => {
      const laneData = (): LaneData | undefined => {
        const lane = controller.lanes()[0];
        return lane
          ? {
              lane: lane.id,
              potentials: potentials(),
              history: lane.summary?.batches[0]?.history ?? [],
            }
          : undefined;
      };
      return {
        ...(problem
          ? {
              tables: () => pointCloudLabTables(problem, laneData()),
              otlab: () => sinkhornOtlabRun(problem, stopping),
            }
          : {}),
        json: () => numbers(true),
      };
    }, [controller, potentials, problem, stopping, numbers]),
  );

  const chartSeries = useCallback(
    (): ChartSeries[] =>
      controller.lanes().map((lane) => ({
        id: lane.id,
        ...LANE_STYLE[lane.backend],
        points: lane.summary?.batches[0]?.history ?? [],
      })),
    [controller],
  );

  const edit = useCallback(
    (next: PointSets) => {
      if (next.x.length > MAX_DRAWN_POINTS || next.y.length > MAX_DRAWN_POINTS) {
        reportError(
          `Drawn point sets hold at most ${MAX_DRAWN_POINTS} points each: lower n and m before editing a preset.`,
        );
        return;
      }
      onParam('pts', encodePoints(next));
      onParam('preset', 'custom');
    },
    [onParam, reportError],
  );
  const onDrawn = useCallback((lines: number) => {
    linesDrawn.current = lines;
  }, []);

  const loadFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      edit(pointsFromJson(JSON.parse(await file.text()) as unknown));
      setFileError(undefined);
    } catch (error) {
      setFileError(`${file.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const n = points.x.length;
  const m = points.y.length;
  const lane = view.lanes[0];
  const laneNumbers = numbers(n * m <= LIVE_DUAL_ENTRIES);
  const waitingForPlay = !view.playing && !lane?.summary && prefersReducedMotion();
  const messages = [
    ...(waitingForPlay ? ['Reduced motion is on: the solver waits for Play (Space).'] : []),
    ...(params.backend === 'gpu' && backend === 'cpu' && status !== 'loading'
      ? ['WebGPU is unavailable: the CPU backend runs instead.']
      : []),
    ...(lane?.stopReason ? [lane.stopReason] : []),
    ...(view.notice ? [view.notice] : []),
  ];
  const problemMessage = pointsError ?? problemError;
  const k = linesPerRow(n, m);

  return (
    <SceneFrame
      title="Point-cloud lab"
      intro={
        <>
          Entropic optimal transport between two point sets you draw, drag, load or pick: log-domain
          Sinkhorn with the cost, ε and backend of your choice. Points are coloured by the dual
          potentials f (source) and g (target); lines show the plan, darker for more mass; the
          dashed red lines are the exact (ε = 0) plan.
        </>
      }
      controls={
        <>
          <h2>Parameters</h2>
          <ParamControls
            schema={schema}
            values={params}
            onChange={onParam}
            keys={visibleKeys(params.preset, cost)}
          />
          <h2>Edit the points</h2>
          <fieldset className="pcl-add">
            <legend>A click in the view adds a point to</legend>
            {(['x', 'y'] as const).map((set) => (
              <label key={set}>
                <input
                  type="radio"
                  name="pcl-add-to"
                  value={set}
                  checked={addTo === set}
                  onChange={() => {
                    setAddTo(set);
                  }}
                />{' '}
                {set === 'x' ? 'the source (circles)' : 'the target (squares)'}
              </label>
            ))}
          </fieldset>
          <p className="note">Drag a point to move it; Alt+click removes it.</p>
          <AddPointForm
            onAdd={(point) => {
              edit({ ...points, [addTo]: [...points[addTo], point] });
            }}
          />
          <div className="pcl-tools">
            {(['x', 'y'] as const).map((set) => (
              <button
                key={set}
                type="button"
                className="button button--small"
                onClick={() => {
                  edit({ ...points, [set]: [] });
                }}
              >
                Clear {set === 'x' ? 'source' : 'target'}
              </button>
            ))}
            <label className="button button--small button--file">
              Load JSON
              <input
                type="file"
                accept=".json,application/json"
                aria-label='Load point sets from a JSON file {"x": [[x, y], …], "y": [[x, y], …]}'
                data-testid="pcl-load"
                onChange={(event) => {
                  void loadFile(event.target.files?.[0]);
                  event.target.value = '';
                }}
              />
            </label>
          </div>
          {fileError && (
            <p className="pcl-error" role="alert" data-testid="pcl-file-error">
              {fileError}
            </p>
          )}
        </>
      }
    >
      <ControlBar
        controls={controller}
        playing={view.playing}
        finished={view.finished}
        messages={messages}
        onError={reportError}
      />
      {problemMessage && (
        <p className="pcl-error" role="alert" data-testid="pcl-problem-error">
          {problemMessage}
        </p>
      )}
      <div className="pcl-view">
        <figure className="figure-panel pcl-figure">
          <div data-export-view="Point sets and plan">
            <PointCanvas
              points={points}
              problem={problem}
              potentials={potentials}
              exact={exact?.plan}
              subscribe={controller.onStep}
              addTo={addTo}
              onEdit={edit}
              onDrawn={onDrawn}
              label={`${n} source points and ${m} target points with the transport plan; click to add a point to the ${addTo === 'x' ? 'source' : 'target'}`}
            />
          </div>
          <figcaption className="legend-line">
            <span>
              <span className="swatch" style={{ background: SOURCE_COLOR }} aria-hidden="true" />{' '}
              source x<sub>i</sub> (circles), lighter to darker as f<sub>i</sub> grows
            </span>
            <span>
              <span className="swatch" style={{ background: TARGET_COLOR }} aria-hidden="true" />{' '}
              target y<sub>j</sub> (squares), by g<sub>j</sub>
            </span>
            <span>
              lines: {k >= m ? 'every' : `the ${k} heaviest per row of the`} P<sub>ij</sub>
            </span>
            {exact && (
              <span>
                <span className="swatch" style={{ background: EXACT_COLOR }} aria-hidden="true" />{' '}
                exact plan ({exact.method})
              </span>
            )}
          </figcaption>
        </figure>
        <NumbersPanel lane={lane} numbers={laneNumbers} liveDual={n * m <= LIVE_DUAL_ENTRIES} />
      </div>
      <ErrorChart
        title="Marginal error per check (log scale)"
        series={chartSeries}
        subscribe={controller.subscribe}
        tolerance={tol}
        testId="pcl-error-chart"
      />
      <FormulaPanel>
        <Formula tex={UPDATES_TEX} />
        <Formula tex={costTex(problem?.cost ?? { kind: 'sqeuclidean' })} />
        <div data-testid="live-formulas">
          <Formula tex={liveUpdatesTex(eps, n, m)} />
          {lane && (
            <Formula
              tex={liveResultTex(LANE_STYLE[lane.backend].label, {
                iteration: laneNumbers.iteration,
                marginalError: laneNumbers.marginalError,
                transportCost: laneNumbers.transportCost,
                converged: laneNumbers.converged,
                stopReason: laneNumbers.stopReason,
                error: laneNumbers.error,
              })}
            />
          )}
          {laneNumbers.dual && (
            <Formula tex={dualCheckTex(eps, laneNumbers.dual.softY, laneNumbers.dual.hardY)} />
          )}
        </div>
      </FormulaPanel>
    </SceneFrame>
  );
}

function NumbersPanel({
  lane,
  numbers,
  liveDual,
}: {
  lane: LabLaneView | undefined;
  numbers: PointCloudLabNumbers;
  /** The c-transform checks are refreshed live (small enough n·m). */
  liveDual: boolean;
}) {
  const dual: CTransformGap | null = numbers.dual;
  const entries: [string, string | number][] = [
    ['Iteration', numbers.iteration],
    ['Marginal error', formatNumber(numbers.marginalError, 3)],
    ['Transport cost ⟨C, P⟩', formatNumber(numbers.transportCost, 6)],
    ['Dual Σaf + Σbg', formatNumber(numbers.dualObjective, 6)],
    ['Exact cost (ε = 0)', formatNumber(numbers.exactCost, 6)],
    ['max |g − f^(c,ε)|', formatNumber(dual?.softY, 3)],
    ['max |g − f^c| (hard)', formatNumber(dual?.hardY, 3)],
    ['Rate', formatRate(lane?.rate)],
  ];
  return (
    <section className="figure-panel pcl-numbers" aria-labelledby="pcl-numbers-title">
      <h3 id="pcl-numbers-title">{lane ? LANE_STYLE[lane.backend].label : 'No solver'}</h3>
      <dl className="lane__numbers pcl-numbers__list" data-testid="pcl-numbers">
        {entries.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {!liveDual && (
        <p className="note">
          c-transform checks are not refreshed live above 10⁵ plan entries; the JSON export computes
          them.
        </p>
      )}
      {lane?.error && (
        <p className="pcl-error" role="alert">
          {lane.error}
        </p>
      )}
    </section>
  );
}

/** Adds a point by its coordinates: the keyboard's way of drawing (the canvas needs a pointer). */
function AddPointForm({ onAdd }: { onAdd: (point: number[]) => void }) {
  const [text, setText] = useState({ x: '0.5', y: '0.5' });
  const point = [Number(text.x), Number(text.y)];
  const valid =
    text.x.trim() !== '' &&
    text.y.trim() !== '' &&
    point.every((v) => Number.isFinite(v) && v >= -COORDINATE_MARGIN && v <= 1 + COORDINATE_MARGIN);
  return (
    <form
      className="pcl-add-point"
      aria-label="Add a point by its coordinates"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onAdd(point);
      }}
    >
      {(['x', 'y'] as const).map((axis) => (
        <label key={axis}>
          {axis}{' '}
          <input
            type="number"
            step="0.01"
            min={-COORDINATE_MARGIN}
            max={1 + COORDINATE_MARGIN}
            value={text[axis]}
            onChange={(event) => {
              setText({ ...text, [axis]: event.target.value });
            }}
          />
        </label>
      ))}
      <button type="submit" className="button button--small" disabled={!valid}>
        Add point
      </button>
    </form>
  );
}
