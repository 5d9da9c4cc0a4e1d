/**
 * Scene "Gaussian interpolation": two Gaussians or mixtures (up to four components each) as
 * draggable ellipses over density heatmaps, the W2 (McCann / MW2) and L2 interpolations side by
 * side at a shared time t, the optimal map as arrows, W2² with its mean and covariance terms live
 * (MATH.md §2, §4), mixtures fitted to clicked points (EM), and a 3D tab with ellipsoids. Drawing
 * runs outside React (planeView.ts); React renders the controls.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { Formula } from '../../components/Formula';
import { ArrowMarker } from '../../components/svgPrimitives';
import { ParamControls } from '../../components/ParamControls';
import { gpuRuntime, startGpuRuntime } from '../../gpuRuntime';
import type { ParamValue } from '../../params';
import { useAppStore, useSceneParams } from '../../store';
import { markTestHookReady } from '../../testHook';
import { setWeight } from '../../components/simplex';
import {
  PRESET_ENDPOINTS,
  endpointValues,
  isMixture,
  readEndpoints,
  uniformWeights,
  type Endpoint,
} from './endpoints';
import { FIT_SEED, fitEndpointToPoints, minFitPoints } from './fitPoints';
import { InterpolationLive } from './InterpolationLive';
import {
  GAUSSIAN_INTERPOLATION_ID,
  MAX_COMPONENTS,
  PRESETS,
  SIDES,
  SIDE_NAMES,
  componentKeys,
  countKey,
  gaussianInterpolationParams,
  weightKey,
  type Preset,
  type Side,
} from './params';
import { COLORS, PlaneView, VIEW_SIZE, type NumberElements } from './planeView';
import { ThreeView } from './ThreeView';
import './gaussianInterpolation.css';

const schema = gaussianInterpolationParams;

// MATH.md §2 (seed 001, "Bures–Wasserstein").
const W2_TEX = String.raw`W_2^2 = \underbrace{\lVert m_0 - m_1\rVert^2}_{\text{mean}} + \underbrace{\operatorname{tr}\!\Big(S_0 + S_1 - 2\big(S_0^{1/2} S_1 S_0^{1/2}\big)^{1/2}\Big)}_{\text{covariance}}`;
const MCCANN_TEX = String.raw`\begin{aligned}
T(x) &= m_1 + A(x - m_0),\quad A = S_0^{-1/2}\big(S_0^{1/2} S_1 S_0^{1/2}\big)^{1/2} S_0^{-1/2}\\
\rho_t^{W_2} &= \mathcal N\big((1-t)m_0 + t m_1,\ ((1-t)I + tA)\,S_0\,((1-t)I + tA)\big)\\
\rho_t^{L_2} &= (1-t)\,\rho_0 + t\,\rho_1
\end{aligned}`;
const MIXTURE_TEX = String.raw`MW_2^2 = \min_{\pi \in \Pi(w^0, w^1)} \sum_{k,l} \pi_{kl}\, W_2^2(\mathcal N_k^0, \mathcal N_l^1),\qquad \rho_t = \sum_{k,l} \pi_{kl}\, \mathcal N\big(\text{McCann}_t(\mathcal N_k^0, \mathcal N_l^1)\big)`;

const PRESET_LABELS: Record<Preset, string> = {
  translation: 'Translation',
  'rotation-stretch': 'Rotation / stretch',
  mixtures: 'Mixtures (MW2)',
};

type PointsSide = 'off' | 'rho0' | 'rho1';
const SIDE_IDS = ['rho0', 'rho1'] as const;

const plural = (n: number, noun: string) => `${String(n)} ${noun}${n === 1 ? '' : 's'}`;

/** Writes every parameter of one endpoint (the URL follows). */
function writeEndpoint(side: Side, endpoint: Endpoint) {
  const { setSceneParam } = useAppStore.getState();
  for (const [key, value] of Object.entries(endpointValues(side, endpoint))) {
    setSceneParam(GAUSSIAN_INTERPOLATION_ID, schema, key, value);
  }
}

function writeWeights(side: Side, weights: readonly number[]) {
  const { setSceneParam } = useAppStore.getState();
  weights.forEach((w, k) => {
    setSceneParam(GAUSSIAN_INTERPOLATION_ID, schema, weightKey(side, k), Number(w.toFixed(4)));
  });
}

/** Which side's count or weight a key is, if any. */
function endpointKey(
  key: string,
): { side: Side; kind: 'count' | 'weight'; component: number } | undefined {
  for (const side of SIDES) {
    if (key === countKey(side)) return { side, kind: 'count', component: 0 };
    for (let k = 0; k < MAX_COMPONENTS; k += 1) {
      if (key === weightKey(side, k)) return { side, kind: 'weight', component: k };
    }
  }
  return undefined;
}

export function GaussianInterpolation() {
  const params = useSceneParams(GAUSSIAN_INTERPOLATION_ID, schema);
  const setSceneParam = useAppStore((state) => state.setSceneParam);
  const reportError = useAppStore((state) => state.reportError);
  const status = useAppStore((state) => state.runtime.status);
  const [tab, setTab] = useState<'2d' | '3d'>('2d');
  const preset = params.preset as Preset;
  const { endpoints, issues } = useMemo(() => readEndpoints(params), [params]);
  const mixtures = isMixture(endpoints);
  // A preset button is lit while the endpoints are still that preset's (not after a drag or fit).
  const shownPreset = PRESETS.find(
    (p) => JSON.stringify(PRESET_ENDPOINTS[p]) === JSON.stringify(endpoints),
  );

  const w2Canvas = useRef<HTMLCanvasElement>(null);
  const w2Svg = useRef<SVGSVGElement>(null);
  const l2Canvas = useRef<HTMLCanvasElement>(null);
  const l2Svg = useRef<SVGSVGElement>(null);
  const w2Number = useRef<HTMLElement>(null);
  const meanNumber = useRef<HTMLElement>(null);
  const covarianceNumber = useRef<HTMLElement>(null);
  const fromStartNumber = useRef<HTMLElement>(null);
  const errorLine = useRef<HTMLParagraphElement>(null);
  const view = useRef<PlaneView | undefined>(undefined);
  const [pointsSide, setPointsSide] = useState<PointsSide>('off');
  const [fitK, setFitK] = useState(1);
  const [pointCount, setPointCount] = useState(0);
  const [fitMessage, setFitMessage] = useState<{ error: boolean; text: string } | undefined>();

  // A new component count resets that side's weights to uniform; moving one weight rescales the
  // others so that they stay on the simplex.
  const onChange = useCallback(
    (key: string, value: ParamValue) => {
      try {
        setSceneParam(GAUSSIAN_INTERPOLATION_ID, schema, key, value);
        const target = endpointKey(key);
        if (target?.kind === 'count') writeWeights(target.side, uniformWeights(Number(value)));
        if (target?.kind === 'weight') {
          const current = endpoints[target.side].weights;
          writeWeights(target.side, setWeight(current, target.component, Number(value)));
        }
      } catch (error) {
        reportError(error instanceof Error ? error.message : String(error));
      }
    },
    [setSceneParam, reportError, endpoints],
  );

  const applyPreset = (next: Preset) => {
    setSceneParam(GAUSSIAN_INTERPOLATION_ID, schema, 'preset', next);
    SIDES.forEach((side) => {
      writeEndpoint(side, PRESET_ENDPOINTS[next][side]);
    });
  };

  // The view is built once the runtime has settled (GPU heatmaps need it) and lives until unmount.
  const settled = status !== 'loading';
  useEffect(() => {
    if (!settled || tab !== '2d') return;
    const [w2c, w2s, l2c, l2s] = [w2Canvas.current, w2Svg.current, l2Canvas.current, l2Svg.current];
    const numbers = {
      w2: w2Number.current,
      meanTerm: meanNumber.current,
      covarianceTerm: covarianceNumber.current,
      w2FromStart: fromStartNumber.current,
      error: errorLine.current,
    };
    if (!w2c || !w2s || !l2c || !l2s || !allPresent(numbers)) return;
    const created = new PlaneView(
      { w2: { canvas: w2c, svg: w2s }, l2: { canvas: l2c, svg: l2s } },
      numbers,
      gpuRuntime(),
      writeEndpoint,
      reportError,
    );
    view.current = created;
    created.onPointsChange = setPointCount;
    const { values } = currentParams();
    created.setInput({
      preset: values.preset as Preset,
      t: Number(values.t),
      endpoints: readEndpoints(values).endpoints,
    });
    markTestHookReady();
    return () => {
      created.dispose();
      view.current = undefined;
    };
  }, [settled, tab, reportError]);

  useEffect(() => {
    void startGpuRuntime();
  }, []);

  // The view is rebuilt when returning from the 3D tab: give it the current points mode again.
  useEffect(() => {
    view.current?.setPointsSide(pointsSide === 'off' ? undefined : pointsSide === 'rho0' ? 0 : 1);
  }, [pointsSide, settled, tab]);

  const fitPoints = () => {
    const current = view.current;
    if (!current || pointsSide === 'off') return;
    const side: Side = pointsSide === 'rho0' ? 0 : 1;
    try {
      const w2SquaredBefore = current.w2Squared;
      const points = current.currentPoints();
      const fit = fitEndpointToPoints(points, fitK);
      writeEndpoint(side, fit.endpoint);
      current.recordFit(
        {
          side: pointsSide,
          k: fitK,
          seed: FIT_SEED,
          pointCount: points.length,
          mixture: fit.em.mixture,
          endpoint: fit.endpoint,
          clamped: fit.clamped,
          logLikelihood: fit.em.logLikelihood,
          iterations: fit.em.iterations,
          converged: fit.em.converged,
          w2SquaredBefore,
        },
        undefined,
      );
      setFitMessage({
        error: false,
        text:
          `Fitted ${SIDE_NAMES[side]} with ${plural(fitK, 'component')} to ` +
          `${String(points.length)} points (EM, ${plural(fit.em.iterations, 'iteration')}` +
          `${fit.em.converged ? '' : ', not converged'})` +
          (fit.clamped ? '; σ or centre clamped to the allowed range' : ''),
      });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      current.recordFit(undefined, text);
      setFitMessage({ error: true, text });
    }
  };

  useEffect(() => {
    view.current?.setInput({ preset, t: params.t, endpoints });
  }, [preset, params.t, endpoints]);

  return (
    <article className="scene gi" aria-labelledby="gi-title">
      <header className="scene__header">
        <h1 id="gi-title">Gaussian interpolation: W2 against L2</h1>
        <p>
          Drag the centres and the axis handles of the blue (ρ₀) and orange (ρ₁) ellipses, then move
          t. The W2 geodesic moves and deforms the shape along the optimal map; the L2 path fades
          one bump out and the other in. Give an endpoint several components for mixtures (MW2), or
          fit one to points you click.
        </p>
      </header>
      <div className="scene__layout">
        <aside className="panel" aria-label="Parameters">
          <h2>Preset</h2>
          <div className="gi-presets" role="group" aria-label="Presets">
            {PRESETS.map((p) => (
              <button
                key={p}
                type="button"
                className={`button button--small${p === shownPreset ? ' button--active' : ''}`}
                aria-pressed={p === shownPreset}
                data-testid={`preset-${p}`}
                onClick={() => {
                  applyPreset(p);
                }}
              >
                {PRESET_LABELS[p]}
              </button>
            ))}
          </div>
          <ParamControls schema={schema} values={params} onChange={onChange} keys={['t']} />
          <h2>Fit from points</h2>
          <div className="gi-fit" data-testid="fit-points">
            <label>
              Clicks drop points for{' '}
              <select
                value={pointsSide}
                data-testid="points-side"
                disabled={tab !== '2d'}
                onChange={(event) => {
                  setPointsSide(event.target.value as PointsSide);
                  setFitMessage(undefined);
                }}
              >
                <option value="off">nothing (drag ellipses)</option>
                <option value="rho0">ρ₀ (blue)</option>
                <option value="rho1">ρ₁ (orange)</option>
              </select>
            </label>
            <label>
              Components k{' '}
              <select
                value={fitK}
                data-testid="fit-k"
                onChange={(event) => {
                  setFitK(Number(event.target.value));
                  setFitMessage(undefined);
                }}
              >
                {Array.from({ length: MAX_COMPONENTS }, (_, k) => k + 1).map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <p className="gi-fit__hint">
              Click or drag on a plane to drop points, then fit a mixture of k Gaussians to them (EM
              with a k-means++ start, seed {FIT_SEED}; at least {minFitPoints(fitK)} points). It
              replaces the chosen endpoint.
            </p>
            <div className="gi-fit__buttons">
              <button
                type="button"
                className="button button--small"
                data-testid="fit-mixture"
                disabled={pointsSide === 'off' || tab !== '2d'}
                onClick={fitPoints}
              >
                Fit mixture
              </button>
              <button
                type="button"
                className="button button--small"
                data-testid="clear-points"
                disabled={pointCount === 0 || tab !== '2d'}
                onClick={() => {
                  view.current?.clearPoints();
                  setFitMessage(undefined);
                }}
              >
                Clear points
              </button>
              <span data-testid="point-count" aria-live="polite">
                {plural(pointCount, 'point')}
              </span>
            </div>
            {fitMessage && (
              <p
                className={`notice${fitMessage.error ? ' notice--error' : ''}`}
                role={fitMessage.error ? 'alert' : 'status'}
                data-testid="fit-message"
              >
                {fitMessage.text}
              </p>
            )}
          </div>
          {SIDES.map((side) => (
            <EndpointControls
              key={side}
              side={side}
              endpoint={endpoints[side]}
              values={params}
              onChange={onChange}
            />
          ))}
        </aside>
        <div className="scene__main">
          <div className="gi-tabs" role="tablist" aria-label="View">
            {(['2d', '3d'] as const).map((id) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={tab === id}
                className={`gi-tab${tab === id ? ' gi-tab--active' : ''}`}
                data-testid={`tab-${id}`}
                onClick={() => {
                  setTab(id);
                }}
              >
                {id === '2d' ? 'Plane (2D)' : 'Space (3D)'}
              </button>
            ))}
          </div>
          {tab === '2d' ? (
            <>
              <div className="gi-panels">
                <Panel
                  title="W2: displacement interpolation"
                  subtitle={mixtures ? 'MW2 geodesic of the mixtures' : 'McCann N(mₜ, Sₜ)'}
                  canvasRef={w2Canvas}
                  svgRef={w2Svg}
                  testId="panel-w2"
                  color={COLORS.w2}
                />
                <Panel
                  title="L2: mixture interpolation"
                  subtitle="(1 − t) ρ₀ + t ρ₁"
                  canvasRef={l2Canvas}
                  svgRef={l2Svg}
                  testId="panel-l2"
                  color={COLORS.l2}
                />
              </div>
              <p
                className="notice notice--error"
                role="alert"
                data-testid="lab-error"
                hidden
                ref={errorLine}
              />
              {issues.length > 0 && (
                <ul className="notice notice--error" role="alert" data-testid="endpoint-issues">
                  {issues.map((issue) => (
                    <li key={issue}>{issue}</li>
                  ))}
                </ul>
              )}
              <dl className="gi-numbers" data-testid="gi-numbers">
                <div>
                  <dt>{mixtures ? 'MW₂²(ρ₀, ρ₁)' : 'W₂²(ρ₀, ρ₁)'}</dt>
                  <dd data-testid="w2-value" ref={w2Number} />
                </div>
                <div>
                  <dt>mean term</dt>
                  <dd data-testid="mean-term" ref={meanNumber} />
                </div>
                <div>
                  <dt>covariance term</dt>
                  <dd data-testid="cov-term" ref={covarianceNumber} />
                </div>
                <div>
                  <dt>W₂(ρ₀, ρₜ) = t · W₂(ρ₀, ρ₁)</dt>
                  <dd data-testid="w2-at-t" ref={fromStartNumber} />
                </div>
              </dl>
              <p className="legend-line">
                <span>
                  <span className="swatch" style={{ background: COLORS.rho0 }} aria-hidden="true" />{' '}
                  ρ₀
                </span>
                <span>
                  <span className="swatch" style={{ background: COLORS.rho1 }} aria-hidden="true" />{' '}
                  ρ₁
                </span>
                <span>
                  <span className="swatch" style={{ background: COLORS.w2 }} aria-hidden="true" />{' '}
                  W2 interpolant ρₜ
                </span>
                <span>
                  ellipses at 2σ (L2: opacity ∝ weight); arrows x → T(x), dots at (1 − t)x + tT(x)
                </span>
              </p>
            </>
          ) : (
            <ThreeView endpoints={endpoints} t={params.t} />
          )}
          <section className="panel gi-formulas" aria-label="Formulas">
            <Formula tex={W2_TEX} />
            {mixtures ? <Formula tex={MIXTURE_TEX} /> : <Formula tex={MCCANN_TEX} />}
            <InterpolationLive input={{ preset, t: params.t, endpoints }} />
          </section>
        </div>
      </div>
    </article>
  );
}

/** One endpoint's controls: component count, weights (mixtures) and each ellipse's sliders. */
function EndpointControls({
  side,
  endpoint,
  values,
  onChange,
}: {
  side: Side;
  endpoint: Endpoint;
  values: Readonly<Record<string, ParamValue>>;
  onChange: (key: string, value: ParamValue) => void;
}) {
  const n = endpoint.ellipses.length;
  const ellipseKeys = (k: number) => Object.values(componentKeys(side, k));
  return (
    <section aria-label={`${SIDE_NAMES[side]} endpoint`} data-testid={`endpoint-${SIDE_IDS[side]}`}>
      <h2>
        {SIDE_NAMES[side]} ({side === 0 ? 'blue' : 'orange'})
      </h2>
      <ParamControls
        schema={schema}
        values={values}
        onChange={onChange}
        keys={[
          countKey(side),
          ...(n > 1 ? endpoint.weights.map((_, k) => weightKey(side, k)) : []),
        ]}
      />
      {n === 1 ? (
        <ParamControls schema={schema} values={values} onChange={onChange} keys={ellipseKeys(0)} />
      ) : (
        endpoint.ellipses.map((_, k) => (
          <details key={k} className="gi-component" open={k === 0}>
            <summary>Component {k + 1}</summary>
            <ParamControls
              schema={schema}
              values={values}
              onChange={onChange}
              keys={ellipseKeys(k)}
            />
          </details>
        ))
      )}
    </section>
  );
}

function allPresent(
  numbers: Record<keyof NumberElements, HTMLElement | null>,
): numbers is NumberElements {
  return Object.values(numbers).every((element) => element !== null);
}

function currentParams() {
  const state = useAppStore.getState();
  const values = state.sceneParams[GAUSSIAN_INTERPOLATION_ID] ?? {};
  return {
    values: {
      ...Object.fromEntries(Object.entries(schema).map(([k, s]) => [k, s.default])),
      ...values,
    },
  };
}

function Panel({
  title,
  subtitle,
  canvasRef,
  svgRef,
  testId,
  color,
}: {
  title: string;
  subtitle: string;
  canvasRef: RefObject<HTMLCanvasElement | null>;
  svgRef: RefObject<SVGSVGElement | null>;
  testId: string;
  color: string;
}) {
  return (
    <section className="gi-panel" data-testid={testId} aria-label={title}>
      <header className="gi-panel__header">
        <h3>
          <span className="swatch" style={{ background: color }} aria-hidden="true" /> {title}
        </h3>
        <span className="gi-panel__subtitle">{subtitle}</span>
      </header>
      <div className="gi-plane" data-export-view={title}>
        <canvas
          className="gi-plane__heatmap"
          data-testid={`${testId}-heatmap`}
          ref={canvasRef}
          aria-hidden="true"
        />
        <svg
          className="gi-plane__overlay"
          viewBox={`0 0 ${VIEW_SIZE} ${VIEW_SIZE}`}
          data-testid={`${testId}-svg`}
          role="img"
          aria-label={`${title}: draggable ellipses over the density`}
          ref={svgRef}
        >
          <defs>
            <ArrowMarker id="gi-arrow" color="#475569" />
          </defs>
        </svg>
      </div>
    </section>
  );
}
