/**
 * Scene "Image barycenters": entropic Wasserstein barycenters of K images on a grid by the
 * convolutional log-domain Sinkhorn (MATH.md §5; Solomon et al. 2015), plain or debiased (Janati et
 * al. 2020), next to the L2 barycenter Σ λ_k a_k, with weights on the simplex and a W2
 * interpolation strip between two images (exportable as PNG). The barycenters run on the GPU
 * (WebGPU, float32) and fall back to the float64 CPU solver in Web Workers, so 256×256 grids keep
 * the page responsive; every solver shows its progress and obeys play / pause / step / reset.
 */
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { GpuRuntime } from '../../../gpu/runtime';
import { l2Barycenter, type GridBarycenterProblem } from '../../../ot/gridSinkhorn';
import type { SinkhornOptions } from '../../../ot/sinkhorn';
import {
  createGridBarycenterSolver,
  type GridBarycenterResult,
} from '../../../solvers/gridSinkhorn';
import type { SinkhornSummary } from '../../../solvers/sinkhorn';
import type { IterativeSolver } from '../../../solvers/types';
import { ControlBar, type PlayControls } from '../../components/ControlBar';
import { ErrorChart, type ChartSeries } from '../../components/ErrorChart';
import { Formula } from '../../components/Formula';
import { ParamControls } from '../../components/ParamControls';
import { WeightControls } from '../../components/WeightControls';
import { useSceneExports } from '../../lecture/sceneExports';
import { gpuRuntime } from '../../gpuRuntime';
import { useParamSetter, useWeightSetter } from '../../sceneHooks';
import { SolverController, type Lane, type LaneView } from '../../solverController';
import { useAppStore, useSceneParams } from '../../store';
import { markTestHookReady, testHook } from '../../testHook';
import { WorkerSolver } from '../../workerSolver';
import { DensityCanvas } from './DensityCanvas';
import {
  imageBarycenterOtlabRun,
  imageBarycenterTables,
  labDensities,
  liveImageTex,
} from './exports';
import type { DensityNumbers, ImageBarycenterHook, LaneNumbers } from './hook';
import './imageBarycenter.css';
import { InputSlot } from './InputSlot';
import { labProblems, moments, slotImage, slotSpec, STRIP_TIMES, type SlotSource } from './model';
import { IMAGE_BARYCENTER_ID, imageBarycenterParams, MAX_IMAGES, WEIGHT_KEYS } from './params';
import { letterImage, RASTER_SIDE } from './raster';
import { shapeImage } from './shapes';
import { downloadStrip, stripCanvas } from './strip';

type Solver = IterativeSolver<SinkhornSummary, GridBarycenterResult>;
type GridController = SolverController<SinkhornSummary, GridBarycenterResult, Solver>;
type GridLaneView = LaneView<SinkhornSummary, GridBarycenterResult>;

const COLORS = ['#1d4ed8', '#c2410c', '#7c3aed', '#15803d'] as const;
const STRIP_COLORS = ['#94a3b8', '#64748b', '#475569', '#334155', '#0f172a'] as const;
const STRIP_LABELS = STRIP_TIMES.map((t) => `t = ${t}`);
/** GPU iterations per frame (one submit each); CPU workers take what fits their frame budget. */
const GPU_ITERATIONS_PER_FRAME = 10;

// MATH.md §5 (Solomon et al. 2015; Janati et al. 2020): the iteration both backends run.
const ITERATION_TEX = String.raw`\begin{aligned}
\varphi_k &= K\bigl(a_k \oslash K v_k\bigr) \\
b &= d \odot \textstyle\prod_k \varphi_k^{\lambda_k} \\
v_k &= b \oslash \varphi_k
\end{aligned}`;
const KERNEL_TEX = String.raw`K = e^{-\lVert x - y\rVert^2/\varepsilon}`;
const L2_TEX = String.raw`b_{L^2} = \textstyle\sum_k \lambda_k a_k`;

function gridLane(
  id: string,
  label: string,
  problem: GridBarycenterProblem,
  options: Partial<SinkhornOptions>,
  runtime: GpuRuntime | undefined,
  reportError: (message: string) => void,
): Lane<SinkhornSummary, GridBarycenterResult, Solver> {
  if (runtime) {
    try {
      return { id, label, solver: createGridBarycenterSolver(problem, 'gpu', options, runtime) };
    } catch (error) {
      reportError(
        `${label}: GPU solver not started (${error instanceof Error ? error.message : String(error)}); running on the CPU`,
      );
    }
  }
  const solver = new WorkerSolver<SinkhornSummary, GridBarycenterResult>('grid-barycenter', [
    problem,
    options,
  ]);
  return { id, label, solver };
}

/** Drives both controllers (barycenter and strip) from one control bar. */
function bothControls(a: GridController, b: GridController): PlayControls {
  return {
    toggle: () => {
      if (a.isPlaying || b.isPlaying) {
        a.pause();
        b.pause();
      } else {
        a.play();
        b.play();
      }
    },
    step: async () => {
      await Promise.all([a.step(), b.step()]);
    },
    reset: async () => {
      await Promise.all([a.reset(), b.reset()]);
    },
  };
}

function densityNumbers(
  density: ArrayLike<number> | undefined,
  size: number,
): DensityNumbers | undefined {
  if (!density) return undefined;
  const { mass, mean, secondMoment } = moments(density, size);
  return { mass, mean, secondMoment };
}

function laneNumbers(lane: GridLaneView | undefined, size: number): LaneNumbers | undefined {
  if (!lane) return undefined;
  return {
    iteration: lane.summary?.iteration ?? 0,
    marginalError: lane.summary?.batches[0]?.marginalError ?? Number.NaN,
    converged: lane.summary?.converged ?? false,
    stopReason: lane.stopReason,
    error: lane.error,
    ...densityNumbers(lane.result?.barycenter, size),
  };
}

function formatError(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toExponential(2);
}

/** Share of the way from the first checked error down to the tolerance, on a log scale. */
function progressOf(lane: GridLaneView | undefined, tolerance: number): number {
  const history = lane?.summary?.batches[0]?.history ?? [];
  const first = history[0]?.error;
  const last = history.at(-1)?.error;
  if (lane?.summary?.converged) return 1;
  if (first === undefined || last === undefined || !(first > tolerance)) return 0;
  return Math.min(1, Math.max(0, Math.log(first / last) / Math.log(first / tolerance)));
}

export function ImageBarycenter() {
  const params = useSceneParams(IMAGE_BARYCENTER_ID, imageBarycenterParams);
  const { k: K, size, eps, debiased, tol, maxIter, strip, from, to, backend } = params;
  const status = useAppStore((state) => state.runtime.status);
  const emulated = useAppStore((state) => state.runtime.adapter?.emulated ?? false);
  const reportError = useAppStore((state) => state.reportError);
  const onParam = useParamSetter(IMAGE_BARYCENTER_ID, imageBarycenterParams);
  const weightKeys = useMemo(() => WEIGHT_KEYS.slice(0, K), [K]);
  const onWeights = useWeightSetter(onParam, weightKeys);
  const [custom, setCustom] = useState<(Float64Array | undefined)[]>(() =>
    new Array<undefined>(MAX_IMAGES).fill(undefined),
  );
  const [main] = useState<GridController>(
    () => new SolverController({ iterationsPerFrame: GPU_ITERATIONS_PER_FRAME }),
  );
  const [stripController] = useState<GridController>(
    () => new SolverController({ iterationsPerFrame: GPU_ITERATIONS_PER_FRAME }),
  );
  const mainView = useSyncExternalStore(main.subscribe, main.getView);
  const stripView = useSyncExternalStore(stripController.subscribe, stripController.getView);

  // Inputs: the slots' sources (custom rasters, letters, shapes) and their grid images.
  const specs = useMemo(
    () => Array.from({ length: K }, (_, k) => slotSpec(params, k + 1)),
    [params, K],
  );
  const specsKey = JSON.stringify(specs);
  const sources = useMemo<SlotSource[]>(
    () =>
      (JSON.parse(specsKey) as ReturnType<typeof slotSpec>[]).map((spec, k) => {
        const ink = custom[k];
        if (ink) return { kind: 'raster', ink, label: 'custom' };
        if (spec.shape === 'letter') {
          return {
            kind: 'raster',
            ink: letterImage(spec.letter, spec.x, spec.y, spec.r),
            label: spec.letter,
          };
        }
        return { kind: 'shape', spec };
      }),
    [specsKey, custom],
  );
  const images = useMemo(() => sources.map((source) => slotImage(source, size)), [sources, size]);
  const weightValues = WEIGHT_KEYS.map((key) => params[key]).join(',');
  const problems = useMemo(
    () => labProblems({ ...params }, images),
    // Only what the problems depend on (not the slots' params, already in `images`).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [images, eps, debiased, strip, from, to, size, weightValues],
  );
  const options = useMemo(
    () => ({ tolerance: tol, maxIterations: maxIter, checkEvery: 10 }),
    [tol, maxIter],
  );
  const runtime = status === 'ready' && backend === 'auto' ? gpuRuntime() : undefined;
  const usedBackend = runtime ? 'gpu' : 'cpu';

  useEffect(() => {
    if (status !== 'ready') return;
    const live = gpuRuntime();
    main.attachDevice(live);
    stripController.attachDevice(live);
    return () => {
      main.attachDevice(undefined);
      stripController.attachDevice(undefined);
    };
  }, [main, stripController, status]);

  const barycenterProblem = problems.barycenter;
  useEffect(() => {
    if (status === 'loading') return;
    if (barycenterProblem) {
      main.load(
        [gridLane('w2', 'W2 barycenter', barycenterProblem, options, runtime, reportError)],
        true,
      );
    } else {
      main.unload();
    }
    markTestHookReady();
    return () => {
      main.unload();
    };
  }, [main, barycenterProblem, options, runtime, status, reportError]);

  const stripProblems = problems.strip;
  useEffect(() => {
    if (status === 'loading') return;
    stripController.load(
      stripProblems.map((problem, i) =>
        gridLane(`strip-${i}`, STRIP_LABELS[i]!, problem, options, runtime, reportError),
      ),
      true,
    );
    return () => {
      stripController.unload();
    };
  }, [stripController, stripProblems, options, runtime, status, reportError]);

  useEffect(
    () => () => {
      main.dispose();
      stripController.dispose();
    },
    [main, stripController],
  );

  const controls = useMemo(() => bothControls(main, stripController), [main, stripController]);
  const l2 = useMemo(
    () => (barycenterProblem ? l2Barycenter(barycenterProblem) : undefined),
    [barycenterProblem],
  );

  const subscribeBoth = useCallback(
    (listener: () => void) => {
      const offs = [main.subscribe(listener), stripController.subscribe(listener)];
      return () => {
        for (const off of offs) off();
      };
    },
    [main, stripController],
  );
  const numbers = useCallback(
    (): Omit<ImageBarycenterHook, 'step' | 'runToConvergence' | 'densities'> => ({
      size,
      K,
      weights: problems.weights,
      epsilon: eps,
      debiased: debiased === 'on',
      backend: usedBackend,
      inputs: problems.inputs.map((input) => densityNumbers(input, size)),
      w2: laneNumbers(main.lanes()[0], size),
      l2: densityNumbers(l2, size),
      strip: stripController
        .lanes()
        .map((lane, i) => ({ t: STRIP_TIMES[i]!, ...laneNumbers(lane, size)! })),
      stripPair: problems.stripPair,
      issues: problems.issues,
    }),
    [main, stripController, problems, l2, size, K, eps, debiased, usedBackend],
  );
  useSceneExports(
    useMemo(
      () => ({
        tables: () => {
          const strip = stripController.lanes();
          const densities = labDensities(
            problems,
            l2,
            main.lanes()[0]?.result?.barycenter,
            strip.map((lane, i) => ({ t: STRIP_TIMES[i]!, density: lane.result?.barycenter })),
          );
          const histories = [...main.lanes(), ...strip].map((lane) => ({
            lane: lane.id,
            history: lane.summary?.batches[0]?.history ?? [],
          }));
          return imageBarycenterTables(problems, densities, histories);
        },
        json: numbers,
        ...(barycenterProblem
          ? { otlab: () => imageBarycenterOtlabRun(barycenterProblem, options) }
          : {}),
      }),
      [main, stripController, problems, l2, numbers, barycenterProblem, options],
    ),
  );

  // The test hook.
  useEffect(() => {
    const hook = testHook();
    const both = async (work: (controller: GridController) => Promise<void>) => {
      await Promise.all([work(main), work(stripController)]);
      await Promise.all([main.results(), stripController.results()]);
      update();
      return hook.imageBarycenter!;
    };
    const drivers = {
      densities: () => ({
        inputs: problems.inputs.map((input) => (input ? Array.from(input) : undefined)),
        w2: main.lanes()[0]?.result && Array.from(main.lanes()[0]!.result!.barycenter),
        l2: l2 && Array.from(l2),
        strip: stripController
          .lanes()
          .map((lane) => lane.result && Array.from(lane.result.barycenter)),
      }),
      step: (iterations: number) => both((controller) => controller.step(iterations)),
      // Chunks of 20: a GPU chunk records all its dispatches even past convergence.
      runToConvergence: () => both((controller) => controller.runToConvergence(20)),
    };
    const update = () => {
      hook.imageBarycenter = { ...numbers(), ...drivers };
      hook.playing = main.isPlaying || stripController.isPlaying;
    };
    update();
    // At the throttled view's pace (moments of 256² densities are not free), and after drivers.
    const off = subscribeBoth(update);
    return () => {
      off();
      delete hook.imageBarycenter;
    };
  }, [main, stripController, subscribeBoth, problems, l2, numbers]);

  const w2Density = useCallback(() => main.lanes()[0]?.result?.barycenter, [main]);
  const l2Density = useCallback(() => l2, [l2]);
  const noUpdates = useCallback(() => () => undefined, []);
  const stripDensity = useMemo(
    () => STRIP_TIMES.map((_, i) => () => stripController.lanes()[i]?.result?.barycenter),
    [stripController],
  );
  const chartSeries = useCallback(
    (): ChartSeries[] => [
      ...main.lanes().map((lane) => ({
        id: lane.id,
        label: 'W2 barycenter',
        color: '#0f5b55',
        width: 2.4,
        points: lane.summary?.batches[0]?.history ?? [],
      })),
      ...stripController.lanes().map((lane, i) => ({
        id: lane.id,
        label: `strip ${STRIP_LABELS[i]}`,
        color: STRIP_COLORS[i]!,
        dash: '5 3',
        width: 1.4,
        points: lane.summary?.batches[0]?.history ?? [],
      })),
    ],
    [main, stripController],
  );
  const onExport = () => {
    const densities = stripController.lanes().map((lane) => lane.result?.barycenter);
    downloadStrip(stripCanvas(densities, size, STRIP_LABELS)).catch((error: unknown) => {
      reportError(error instanceof Error ? error.message : String(error));
    });
  };

  const w2Lane = mainView.lanes[0];
  const l2Numbers = densityNumbers(l2, size);
  const w2 = laneNumbers(w2Lane, size);
  const messages = [
    ...mainView.lanes.flatMap((lane) =>
      lane.stopReason ? [`W2 barycenter: ${lane.stopReason}`] : [],
    ),
    ...mainView.lanes.flatMap((lane) =>
      lane.error ? [`W2 barycenter failed: ${lane.error}`] : [],
    ),
    ...stripView.lanes.flatMap((lane) =>
      lane.error ? [`${lane.label} failed: ${lane.error}`] : [],
    ),
    ...(mainView.notice ? [mainView.notice] : []),
  ];
  const stripDone = stripView.lanes.filter((lane) => lane.summary?.stopReason).length;

  return (
    <article className="scene ibl" aria-labelledby="scene-title">
      <header className="scene__header">
        <h1 id="scene-title">Image barycenters</h1>
        <p>
          Wasserstein barycenters of images move mass: two translated disks average to one disk
          halfway, where the L2 average keeps two faint bumps. Choose, paint or upload the images,
          pick the weights, and compare. The entropic barycenter is computed by convolutional
          Sinkhorn{' '}
          {usedBackend === 'gpu'
            ? `on the GPU${emulated ? ' (emulated adapter)' : ''}`
            : 'on the CPU, in background workers'}
          .
        </p>
      </header>
      {problems.issues.length > 0 && (
        <div className="notice notice--error" role="alert" data-testid="scene-issues">
          <ul>
            {problems.issues.map((issue) => (
              <li key={issue}>{issue}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="scene__layout">
        <aside className="panel scene__controls" aria-label="Parameters">
          <h2>Grid and solver</h2>
          <ParamControls
            schema={imageBarycenterParams}
            values={params}
            onChange={onParam}
            keys={['k', 'size', 'eps', 'debiased', 'tol', 'maxIter', 'backend']}
          />
          <WeightControls
            weights={problems.weights}
            colors={COLORS}
            onWeights={onWeights}
            idPrefix="ibl"
          />
          <h2>Interpolation strip</h2>
          <ParamControls
            schema={imageBarycenterParams}
            values={params}
            onChange={onParam}
            keys={['strip', 'from', 'to']}
          />
          <h2>The iteration</h2>
          <Formula tex={ITERATION_TEX} />
          <Formula tex={KERNEL_TEX} />
          <Formula tex={L2_TEX} />
          <Formula tex={liveImageTex(problems.weights, eps, w2)} />
          <p className="note">
            K is applied as 1D log-domain blurs along rows, then columns; d = 1 for the plain
            barycenter, d ← √(d ⊙ b ⊘ Kd) when debiased. The blur of the plain barycenter has
            variance ε/2 per axis: its second moment exceeds the images&apos; by about ε. One pixel²
            is 1/size² = {(1 / (size * size)).toExponential(1)}.
          </p>
        </aside>
        <div className="scene__main">
          <ControlBar
            controls={controls}
            playing={mainView.playing || stripView.playing}
            finished={mainView.finished && (stripView.finished || stripView.lanes.length === 0)}
            messages={messages}
            onError={reportError}
          />
          <div className="ibl__inputs">
            {images.map((image, k) => (
              <InputSlot
                key={k}
                k={k}
                color={COLORS[k]!}
                size={size}
                image={image}
                raster={() => {
                  const source = sources[k]!;
                  if (source.kind === 'raster') return source.ink;
                  const { shape, x, y, r } = source.spec;
                  return shape === 'letter'
                    ? new Float64Array(RASTER_SIDE * RASTER_SIDE)
                    : shapeImage(shape, RASTER_SIDE, x, y, r);
                }}
                custom={custom[k] !== undefined}
                shape={specs[k]!.shape}
                values={params}
                onParam={onParam}
                onCustom={(ink) => {
                  setCustom((current) => current.map((old, i) => (i === k ? ink : old)));
                }}
              />
            ))}
          </div>
          <div className="ibl__results">
            <figure className="ibl-result">
              <figcaption>
                Entropic W2 barycenter{debiased === 'on' ? ' (debiased)' : ''} —{' '}
                {usedBackend === 'gpu' ? 'GPU, float32' : 'CPU, float64'}
              </figcaption>
              <DensityCanvas
                density={w2Density}
                size={size}
                subscribe={main.onStep}
                label="Entropic Wasserstein barycenter"
                testId="w2-barycenter"
              />
              <progress
                max={1}
                value={progressOf(w2Lane, tol)}
                aria-label="W2 barycenter progress"
              />
              <dl className="lane__numbers" data-testid="w2-numbers">
                <div>
                  <dt>Iteration</dt>
                  <dd>{w2?.iteration ?? 0}</dd>
                </div>
                <div>
                  <dt>Marginal error</dt>
                  <dd>{formatError(w2?.marginalError)}</dd>
                </div>
                <div>
                  <dt>Mass</dt>
                  <dd>{w2?.mass?.toFixed(5) ?? '–'}</dd>
                </div>
                <div>
                  <dt>Centre</dt>
                  <dd>{w2?.mean ? `(${w2.mean[0].toFixed(3)}, ${w2.mean[1].toFixed(3)})` : '–'}</dd>
                </div>
              </dl>
            </figure>
            <figure className="ibl-result">
              <figcaption>L2 barycenter Σ λ_k a_k</figcaption>
              <DensityCanvas
                density={l2Density}
                size={size}
                subscribe={noUpdates}
                label="L2 barycenter"
                testId="l2-barycenter"
              />
              <dl className="lane__numbers">
                <div>
                  <dt>Mass</dt>
                  <dd>{l2Numbers?.mass.toFixed(5) ?? '–'}</dd>
                </div>
                <div>
                  <dt>Centre</dt>
                  <dd>
                    {l2Numbers
                      ? `(${l2Numbers.mean[0].toFixed(3)}, ${l2Numbers.mean[1].toFixed(3)})`
                      : '–'}
                  </dd>
                </div>
              </dl>
            </figure>
          </div>
          {stripProblems.length > 0 && (
            <section className="ibl-strip" aria-label="Interpolation strip">
              <header className="ibl-strip__header">
                <h2>
                  W2 interpolation: image {from} → image {to}
                </h2>
                <span className="note">
                  {stripDone}/{stripView.lanes.length} done
                </span>
                <button
                  type="button"
                  className="button button--small"
                  data-testid="export-strip"
                  onClick={onExport}
                >
                  Export as PNG
                </button>
              </header>
              <div className="ibl-strip__panels">
                {STRIP_TIMES.map((t, i) => (
                  <figure key={t}>
                    <DensityCanvas
                      density={stripDensity[i]!}
                      size={size}
                      subscribe={stripController.onStep}
                      label={`Interpolation at t = ${t}`}
                      testId={`strip-${i}`}
                    />
                    <figcaption>{STRIP_LABELS[i]}</figcaption>
                  </figure>
                ))}
              </div>
            </section>
          )}
          <ErrorChart
            title="Marginal error per iteration (log scale)"
            series={chartSeries}
            subscribe={subscribeBoth}
            tolerance={tol}
          />
        </div>
      </div>
    </article>
  );
}
