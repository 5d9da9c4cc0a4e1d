/**
 * Scene "Gaussian interpolation": two Gaussians (or two-component mixtures) as draggable ellipses
 * over density heatmaps, the W2 (McCann / MW2) and L2 interpolations side by side at a shared time
 * t, the optimal map as arrows, W2² with its mean and covariance terms live (MATH.md §2, §4), and a
 * 3D tab with ellipsoids. Drawing runs outside React (planeView.ts); React renders the controls.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { Formula } from '../../components/Formula';
import { ArrowMarker } from '../../components/svgPrimitives';
import { ParamControls } from '../../components/ParamControls';
import { gpuRuntime, startGpuRuntime } from '../../gpuRuntime';
import type { ParamValue } from '../../params';
import { useAppStore, useSceneParams } from '../../store';
import { markTestHookReady } from '../../testHook';
import type { EllipseParams } from './geometry';
import {
  ELLIPSE_KEYS,
  GAUSSIAN_INTERPOLATION_ID,
  PRESET_VALUES,
  PRESETS,
  gaussianInterpolationParams,
  type Preset,
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

function ellipsesOf(values: Readonly<Record<string, ParamValue>>): [EllipseParams, EllipseParams] {
  const read = (keys: readonly string[]): EllipseParams => {
    const [cx, cy, angle, sa, sb] = keys.map((k) => Number(values[k]));
    return { cx: cx!, cy: cy!, angle: angle!, sa: sa!, sb: sb! };
  };
  return [read(ELLIPSE_KEYS[0]), read(ELLIPSE_KEYS[1])];
}

function setEllipses(ellipses: readonly EllipseParams[]) {
  const { setSceneParam } = useAppStore.getState();
  ellipses.forEach((e, k) => {
    const keys = ELLIPSE_KEYS[k as 0 | 1];
    [e.cx, e.cy, e.angle, e.sa, e.sb].forEach((value, i) => {
      setSceneParam(GAUSSIAN_INTERPOLATION_ID, schema, keys[i]!, value);
    });
  });
}

export function GaussianInterpolation() {
  const params = useSceneParams(GAUSSIAN_INTERPOLATION_ID, schema);
  const setSceneParam = useAppStore((state) => state.setSceneParam);
  const reportError = useAppStore((state) => state.reportError);
  const status = useAppStore((state) => state.runtime.status);
  const [tab, setTab] = useState<'2d' | '3d'>('2d');
  const preset = params.preset as Preset;
  const ellipses = useMemo(() => ellipsesOf(params), [params]);

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

  const onChange = useCallback(
    (key: string, value: ParamValue) => {
      try {
        setSceneParam(GAUSSIAN_INTERPOLATION_ID, schema, key, value);
      } catch (error) {
        reportError(error instanceof Error ? error.message : String(error));
      }
    },
    [setSceneParam, reportError],
  );

  const applyPreset = (next: Preset) => {
    setSceneParam(GAUSSIAN_INTERPOLATION_ID, schema, 'preset', next);
    setEllipses(PRESET_VALUES[next]);
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
      (next) => {
        setEllipses(next);
      },
      reportError,
    );
    view.current = created;
    const { values } = currentParams();
    created.setInput({
      preset: values.preset as Preset,
      t: Number(values.t),
      ellipses: ellipsesOf(values),
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

  useEffect(() => {
    view.current?.setInput({ preset, t: params.t, ellipses });
  }, [preset, params.t, ellipses]);

  return (
    <article className="scene gi" aria-labelledby="gi-title">
      <header className="scene__header">
        <h1 id="gi-title">Gaussian interpolation: W2 against L2</h1>
        <p>
          Drag the centres and the axis handles of the blue (ρ₀) and orange (ρ₁) ellipses, then move
          t. The W2 geodesic moves and deforms the shape along the optimal map; the L2 path fades
          one bump out and the other in.
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
                className={`button button--small${p === preset ? ' button--active' : ''}`}
                aria-pressed={p === preset}
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
          <h2>ρ₀ (blue)</h2>
          <ParamControls
            schema={schema}
            values={params}
            onChange={onChange}
            keys={ELLIPSE_KEYS[0]}
          />
          <h2>ρ₁ (orange)</h2>
          <ParamControls
            schema={schema}
            values={params}
            onChange={onChange}
            keys={ELLIPSE_KEYS[1]}
          />
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
                  subtitle={
                    preset === 'mixtures' ? 'MW2 geodesic of the mixtures' : 'McCann N(mₜ, Sₜ)'
                  }
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
              <dl className="gi-numbers" data-testid="gi-numbers">
                <div>
                  <dt>{preset === 'mixtures' ? 'MW₂²(ρ₀, ρ₁)' : 'W₂²(ρ₀, ρ₁)'}</dt>
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
            <ThreeView ellipses={ellipses} t={params.t} />
          )}
          <section className="panel gi-formulas" aria-label="Formulas">
            <Formula tex={W2_TEX} />
            {preset === 'mixtures' ? <Formula tex={MIXTURE_TEX} /> : <Formula tex={MCCANN_TEX} />}
          </section>
        </div>
      </div>
    </article>
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
      <div className="gi-plane">
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
