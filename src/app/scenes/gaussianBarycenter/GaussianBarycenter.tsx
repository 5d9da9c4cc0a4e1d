/**
 * Scene "Gaussian barycenters": W2 barycenters of three 2D Gaussians with weights picked on a
 * simplex, next to the L2 barycenter (a mixture) (MATH.md §2); the marginal-constrained and
 * marginal-preserving barycenters against the plain one (MATH.md §3; seed 000); and the toy
 * reduced-order model of a Fokker–Planck flow built from barycenters of snapshots (seed 000).
 * Everything is float64 on the CPU (src/ot/gaussian.ts); densities are evaluated on a small grid.
 */
import { format } from 'd3';
import { useCallback, useEffect, useMemo } from 'react';
import type { Gaussian } from '../../../ot/gaussian';
import { Formula } from '../../components/Formula';
import { ParamControls } from '../../components/ParamControls';
import { WeightControls } from '../../components/WeightControls';
import { useSceneExports } from '../../lecture/sceneExports';
import type { ParamValue } from '../../params';
import { useParamSetter } from '../../sceneHooks';
import { useAppStore, useSceneParams } from '../../store';
import { markTestHookReady, testHook } from '../../testHook';
import { DensityPanel, type MarginalCurve } from './DensityPanel';
import './gaussianBarycenter.css';
import {
  barycenterSceneOtlabRun,
  barycenterSceneTables,
  type View,
  type ViewResults,
} from './exports';
import type { GaussianBarycenterHook } from './hook';
import { liveBarycenterTex, liveMarginalTex, liveRomTex } from './liveFormulas';
import {
  barycenterResults,
  marginalResults,
  romResults,
  sceneInputs,
  single,
  type BarycenterResults,
  type MarginalMismatch,
  type MarginalResults,
  type RomResults,
  type SceneInputs,
} from './model';
import { GAUSSIAN_BARYCENTER_ID, gaussianBarycenterParams, WEIGHT_KEYS } from './params';
import { Timeline } from './Timeline';

const INPUT_COLORS = ['#1d4ed8', '#c2410c', '#7c3aed', '#15803d'] as const;
const RESULT_COLOR = '#0f5b55';
const PRESCRIBED_COLOR = '#db2777';
const DOMAIN = { min: -4, max: 4 };
const ROM_DOMAIN = { min: -2.5, max: 2.5 };
const VIEWS = [
  { id: 'barycenter', label: 'Barycenter' },
  { id: 'marginals', label: 'Marginal constraint' },
  { id: 'rom', label: 'Reduced-order model' },
] as const;

// MATH.md §2 (seed 001): the barycenter covariance and the fixed-point iteration.
const FIXED_POINT_TEX = String.raw`\begin{aligned}
S^\ast &= \textstyle\sum_k \lambda_k \bigl(S^{\ast 1/2} S_k S^{\ast 1/2}\bigr)^{1/2} \\
S_{n+1} &= S_n^{-1/2} \Bigl(\textstyle\sum_k \lambda_k \bigl(S_n^{1/2} S_k S_n^{1/2}\bigr)^{1/2}\Bigr)^2 S_n^{-1/2}
\end{aligned}`;
const L2_TEX = String.raw`\rho_{L^2} = \textstyle\sum_k \lambda_k\, \nu_k, \quad m^\ast = \sum_k \lambda_k m_k`;
// MATH.md §3 (seed 000, Theorem): the W2-closest cross-covariance under prescribed marginals.
const CONSTRAINED_TEX = String.raw`\begin{aligned}
\Sigma &= \begin{pmatrix} S_x & Z^\ast \\ Z^{\ast\top} & S_y \end{pmatrix}, \quad T = S^\ast \\
Z^\ast &= (T_x^{-1} \# S_x)\, T_{xy}\, (T_y^{-1} \# S_y)
\end{aligned}`;
const ERROR_TEX = String.raw`e_x = W_2(\rho_x, \bar\rho_x) = \sqrt{(m - \bar m)^2 + (\sigma - \bar\sigma)^2}`;
const FP_TEX = String.raw`\begin{aligned}
\partial_t \rho &= -\nabla\!\cdot\!(A z \rho) + D \Delta \rho \\
A &= \Omega \begin{pmatrix} 0 & -1 \\ 1 & 0 \end{pmatrix}
\end{aligned}`;

const fmt = format('.4~g');
const fmtError = (v: number) =>
  v === 0 ? '0' : Math.abs(v) >= 1e-3 ? v.toPrecision(3) : v.toExponential(2);

interface Computed {
  inputs: SceneInputs;
  barycenter?: BarycenterResults;
  marginals?: MarginalResults;
  rom?: RomResults;
  error?: string;
}

function compute(values: Parameters<typeof sceneInputs>[0]): Computed {
  const inputs = sceneInputs(values);
  try {
    return {
      inputs,
      barycenter: barycenterResults(inputs),
      marginals: marginalResults(inputs),
      rom: romResults(values, inputs.targetTime),
    };
  } catch (error) {
    return { inputs, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Everything the exports need, or the reason the view has no results. */
function viewResults(values: Parameters<typeof sceneInputs>[0], c: Computed): ViewResults {
  const { barycenter, marginals, rom } = c;
  if (!barycenter || !marginals || !rom) {
    throw new Error(c.error ?? 'these parameters give no results to export');
  }
  return {
    view: values.view as View,
    inputs: c.inputs,
    barycenter,
    marginals,
    rom,
    model: { omega: values.omega, diffusion: values.diff },
  };
}

function hookNumbers(view: string, c: Computed): GaussianBarycenterHook | undefined {
  const { barycenter, marginals, rom } = c;
  if (!barycenter || !marginals || !rom) return undefined;
  return {
    view,
    weights: c.inputs.weights,
    inputs: c.inputs.gaussians,
    w2: {
      gaussian: barycenter.w2.gaussian,
      iterations: barycenter.w2.iterations,
      residual: barycenter.w2.residual,
    },
    l2: barycenter.l2,
    mw2: barycenter.mw2 && {
      weights: barycenter.mw2.mixture.weights,
      components: barycenter.mw2.mixture.components,
      objective: barycenter.mw2.objective,
    },
    prescribed: c.inputs.prescribed,
    marginalResults: {
      plain: marginals.plain.mixture,
      preserving: marginals.preserving.mixture,
      constrained: marginals.constrained.mixture,
    },
    marginalErrors: {
      plain: marginals.plain.error,
      preserving: marginals.preserving.error,
      constrained: marginals.constrained.error,
    },
    rom: {
      targetTime: c.inputs.targetTime,
      weights: rom.weights,
      errors: {
        plain: rom.plain.errors,
        preserving: rom.preserving.errors,
        constrained: rom.constrained.errors,
      },
    },
    issues: c.inputs.issues,
    error: c.error,
  };
}

export function GaussianBarycenter() {
  const params = useSceneParams(GAUSSIAN_BARYCENTER_ID, gaussianBarycenterParams);
  const status = useAppStore((state) => state.runtime.status);
  const computed = useMemo(() => compute(params), [params]);
  const { inputs } = computed;

  useEffect(() => {
    const hook = testHook();
    const numbers = hookNumbers(params.view, computed);
    if (numbers) hook.gaussianBarycenter = numbers;
    else delete hook.gaussianBarycenter;
    // Ready (as for every scene) once the runtime has settled, although this one runs on the CPU.
    if (status !== 'loading') markTestHookReady();
  }, [computed, params.view, status]);
  useEffect(
    () => () => {
      delete testHook().gaussianBarycenter;
    },
    [],
  );
  useSceneExports(
    useMemo(
      () => ({
        tables: () => barycenterSceneTables(viewResults(params, computed)),
        otlab: () => barycenterSceneOtlabRun(viewResults(params, computed)),
      }),
      [params, computed],
    ),
  );

  const onParam = useParamSetter(GAUSSIAN_BARYCENTER_ID, gaussianBarycenterParams);
  // All three weights in one event: React renders once, with weights on the simplex.
  const onWeights = useCallback(
    (weights: readonly number[]) => {
      weights.forEach((w, k) => {
        onParam(WEIGHT_KEYS[k]!, Number(w.toFixed(4)));
      });
    },
    [onParam],
  );

  return (
    <article className="scene gb" aria-labelledby="scene-title">
      <header className="scene__header">
        <h1 id="scene-title">Gaussian barycenters</h1>
        <p>
          Wasserstein (W2) barycenters of Gaussians by the fixed point of Álvarez-Esteban et al.,
          the L2 average for contrast, barycenters with prescribed marginals, and a reduced-order
          model of a rotating Fokker–Planck flow. All numbers are float64 on the CPU.
        </p>
      </header>
      <div className="gb__tabs" role="tablist" aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            aria-selected={params.view === v.id}
            className={`gb__tab${params.view === v.id ? ' gb__tab--active' : ''}`}
            data-testid={`tab-${v.id}`}
            onClick={() => {
              onParam('view', v.id);
            }}
          >
            {v.label}
          </button>
        ))}
      </div>
      {inputs.issues.length > 0 && (
        <div className="notice notice--error" role="alert" data-testid="scene-issues">
          <ul>
            {inputs.issues.map((issue) => (
              <li key={issue}>{issue}</li>
            ))}
          </ul>
        </div>
      )}
      {computed.error && (
        <div className="notice notice--error" role="alert" data-testid="scene-error">
          {computed.error}
        </div>
      )}
      <div className="scene__layout">
        <aside className="panel scene__controls" aria-label="Parameters">
          {params.view === 'rom' ? (
            <RomControls params={params} onParam={onParam} />
          ) : (
            <WeightControls
              weights={inputs.weights}
              colors={INPUT_COLORS}
              onWeights={onWeights}
              idPrefix="gb"
            />
          )}
          {params.view === 'barycenter' && (
            <InputControls params={params} count={inputs.gaussians.length} onParam={onParam} />
          )}
          {params.view === 'marginals' && (
            <>
              <ParamControls
                schema={gaussianBarycenterParams}
                values={params}
                onChange={onParam}
                keys={params.kind === 'mixtures' ? ['kind', 'split'] : ['kind']}
              />
              <h2>Prescribed marginals</h2>
              <ParamControls
                schema={gaussianBarycenterParams}
                values={params}
                onChange={onParam}
                keys={['pmx', 'pvx', 'pmy', 'pvy']}
              />
            </>
          )}
        </aside>
        <div className="scene__main">
          {params.view === 'barycenter' && computed.barycenter && (
            <BarycenterView inputs={inputs} results={computed.barycenter} />
          )}
          {params.view === 'marginals' && computed.marginals && (
            <MarginalView inputs={inputs} results={computed.marginals} />
          )}
          {params.view === 'rom' && computed.rom && (
            <RomView rom={computed.rom} horizon={params.horizon} target={inputs.targetTime} />
          )}
        </div>
      </div>
    </article>
  );
}

function InputControls({
  params,
  count,
  onParam,
}: {
  params: Readonly<Record<string, ParamValue>>;
  count: number;
  onParam: (key: string, value: ParamValue) => void;
}) {
  return (
    <>
      <h2>Inputs</h2>
      <ParamControls
        schema={gaussianBarycenterParams}
        values={params}
        onChange={onParam}
        keys={params.kind === 'mixtures' ? ['k', 'kind', 'split'] : ['k', 'kind']}
      />
      {Array.from({ length: count }, (_, i) => i + 1).map((k) => (
        <details key={k} className="gb__input" open={k === 1}>
          <summary>
            <span
              className="swatch"
              style={{ background: INPUT_COLORS[k - 1] }}
              aria-hidden="true"
            />{' '}
            Input {k}
          </summary>
          <ParamControls
            schema={gaussianBarycenterParams}
            values={params}
            onChange={onParam}
            keys={[`m${k}x`, `m${k}y`, `v${k}x`, `v${k}y`, `c${k}`]}
          />
        </details>
      ))}
    </>
  );
}

function RomControls({
  params,
  onParam,
}: {
  params: Readonly<Record<string, ParamValue>>;
  onParam: (key: string, value: ParamValue) => void;
}) {
  return (
    <>
      <h2>Fokker–Planck toy model</h2>
      <ParamControls
        schema={gaussianBarycenterParams}
        values={params}
        onChange={onParam}
        keys={['t', 'omega', 'diff', 'snaps', 'horizon']}
      />
      <Formula tex={FP_TEX} />
      <p className="note">
        Exact solution from N(m₀, S₀): m(t) = e^(tA) m₀, S(t) = e^(tA) S₀ e^(tAᵀ) + 2Dt·I. The
        prediction at t is the barycenter of the two neighbouring snapshots with hat-function
        weights; the constrained one prescribes the true marginals (the known one-body densities).
      </p>
    </>
  );
}

function describe(g: Gaussian): string {
  const [[a, b], [, d]] = g.cov as [[number, number], [number, number]];
  return `m = (${fmt(g.mean[0]!)}, ${fmt(g.mean[1]!)}), S = [[${fmt(a)}, ${fmt(b)}], [${fmt(b)}, ${fmt(d)}]]`;
}

function BarycenterView({ inputs, results }: { inputs: SceneInputs; results: BarycenterResults }) {
  const inputComponents = (inputs.mixtures ?? inputs.gaussians.map(single)).flatMap((m, k) =>
    m.components.map((g) => ({
      gaussian: g,
      color: INPUT_COLORS[k] ?? '#334155',
      dash: '4 3',
      width: 1.4,
    })),
  );
  const { w2, mw2 } = results;
  return (
    <>
      <div className="gb__panels">
        {mw2 ? (
          <DensityPanel
            title="MW2 barycenter (mixture)"
            testId="panel-w2"
            mixture={mw2.mixture}
            domain={DOMAIN}
            ellipses={[
              ...inputComponents,
              ...mw2.mixture.components.map((g) => ({ gaussian: g, color: '#111827', width: 2.4 })),
            ]}
          >
            <dl className="gb__numbers" data-testid="mw2-numbers">
              <div>
                <dt>Component tuples</dt>
                <dd>{mw2.tuples}</dd>
              </div>
              <div>
                <dt>Components</dt>
                <dd>{mw2.mixture.components.length}</dd>
              </div>
              <div>
                <dt>Objective</dt>
                <dd>{fmtError(mw2.objective)}</dd>
              </div>
            </dl>
            <p className="gb__describe">
              Multi-marginal OT over component tuples, each tuple&apos;s Gaussian barycenter as a
              component (MATH.md §4).
            </p>
          </DensityPanel>
        ) : (
          <DensityPanel
            title="W2 barycenter"
            testId="panel-w2"
            mixture={single(w2.gaussian)}
            domain={DOMAIN}
            ellipses={[...inputComponents, { gaussian: w2.gaussian, color: '#111827', width: 2.4 }]}
          >
            <dl className="gb__numbers" data-testid="w2-numbers">
              <div>
                <dt>Fixed-point iterations</dt>
                <dd data-testid="w2-iterations">{w2.iterations}</dd>
              </div>
              <div>
                <dt>Residual</dt>
                <dd data-testid="w2-residual">{fmtError(w2.residual)}</dd>
              </div>
            </dl>
            <p className="gb__describe">{describe(w2.gaussian)}</p>
          </DensityPanel>
        )}
        <DensityPanel
          title="L2 barycenter (mixture)"
          testId="panel-l2"
          mixture={results.l2}
          domain={DOMAIN}
          ellipses={inputComponents}
        >
          <p className="gb__describe">
            Σ λ_k ν_k: {results.l2.components.length} bumps, weights{' '}
            {results.l2.weights.map((w) => fmt(w)).join(', ')}
          </p>
        </DensityPanel>
      </div>
      <p className="legend-line">
        {inputs.gaussians.map((_, k) => (
          <span key={k}>
            <span className="swatch" style={{ background: INPUT_COLORS[k] }} aria-hidden="true" />{' '}
            input {k + 1} (2σ ellipses, dashed)
          </span>
        ))}
        <span>black: 2σ ellipses of the {mw2 ? 'MW2' : 'W2'} barycenter</span>
      </p>
      <div className="gb__formulas">
        <Formula tex={FIXED_POINT_TEX} />
        <Formula tex={L2_TEX} />
        <div data-testid="live-formulas">
          <Formula tex={liveBarycenterTex(inputs, results)} />
        </div>
      </div>
    </>
  );
}

function MismatchNumbers({ error, testId }: { error: MarginalMismatch; testId: string }) {
  return (
    <dl className="gb__numbers" data-testid={testId}>
      <div>
        <dt>x marginal error</dt>
        <dd>{fmtError(error.x)}</dd>
      </div>
      <div>
        <dt>y marginal error</dt>
        <dd>{fmtError(error.y)}</dd>
      </div>
    </dl>
  );
}

function MarginalView({ inputs, results }: { inputs: SceneInputs; results: MarginalResults }) {
  const prescribed: MarginalCurve[] = useMemo(
    () => [
      {
        mixture: single({
          mean: [inputs.prescribed.x.mean[0]!, inputs.prescribed.y.mean[0]!],
          cov: [
            [inputs.prescribed.x.cov[0]![0]!, 0],
            [0, inputs.prescribed.y.cov[0]![0]!],
          ],
        }),
        color: PRESCRIBED_COLOR,
        dash: '5 3',
        label: 'prescribed marginal',
      },
    ],
    [inputs.prescribed],
  );
  const mixtures = inputs.mixtures !== undefined;
  const panels = [
    {
      key: 'plain',
      title: mixtures ? 'Plain MW2 barycenter' : 'Plain W2 barycenter',
      result: results.plain,
    },
    { key: 'preserving', title: 'Marginal-preserving', result: results.preserving },
    { key: 'constrained', title: 'Marginal-constrained', result: results.constrained },
  ] as const;
  return (
    <>
      <div className="gb__panels gb__panels--three">
        {panels.map((p) => (
          <DensityPanel
            key={p.key}
            title={p.title}
            testId={`panel-${p.key}`}
            mixture={p.result.mixture}
            domain={DOMAIN}
            curves={prescribed}
            color={RESULT_COLOR}
          >
            <MismatchNumbers error={p.result.error} testId={`marginal-error-${p.key}`} />
          </DensityPanel>
        ))}
      </div>
      <p className="legend-line">
        <span>
          <span className="swatch" style={{ background: RESULT_COLOR }} aria-hidden="true" />{' '}
          marginals of the result
        </span>
        <span>
          <span className="swatch" style={{ background: PRESCRIBED_COLOR }} aria-hidden="true" />{' '}
          prescribed marginals (dashed)
        </span>
      </p>
      <p className="note">
        Errors are W2 distances between each result&apos;s marginals and the prescribed ones. The
        marginal-preserving barycenter keeps the barycenters of the inputs&apos; marginals instead,
        so it matches the prescribed ones only when they coincide.
      </p>
      {mixtures && (
        <p className="note" data-testid="mixture-marginal-note">
          Mixture inputs, component-wise (MATH.md §3): the constrained barycenter gives every
          component of the MW2 barycenter the prescribed marginals by Z*, so its marginals are
          exactly the prescribed ones; the preserving one gives each component the barycenters of
          the marginals of the components it matches. Errors of mixtures are MW2 distances (optimal
          transport between components, ≥ W2, and 0 only when every component has the prescribed
          marginals).
        </p>
      )}
      <div className="gb__formulas">
        <Formula tex={CONSTRAINED_TEX} />
        <Formula tex={ERROR_TEX} />
        <div data-testid="live-formulas">
          <Formula tex={liveMarginalTex(results)} />
        </div>
      </div>
    </>
  );
}

function RomErrors({ rom }: { rom: RomResults }) {
  const rows = [
    { key: 'plain', label: 'Plain barycenter', errors: rom.plain.errors },
    { key: 'preserving', label: 'Marginal-preserving', errors: rom.preserving.errors },
    { key: 'constrained', label: 'Marginal-constrained', errors: rom.constrained.errors },
  ] as const;
  return (
    <table className="gb__table" data-testid="rom-errors">
      <caption>W2 error against the true density at t</caption>
      <thead>
        <tr>
          <th scope="col">Prediction</th>
          <th scope="col">joint</th>
          <th scope="col">x marginal</th>
          <th scope="col">y marginal</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td>{fmtError(r.errors.full)}</td>
            <td>{fmtError(r.errors.x)}</td>
            <td>{fmtError(r.errors.y)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RomView({ rom, horizon, target }: { rom: RomResults; horizon: number; target: number }) {
  const truthCurve: MarginalCurve[] = useMemo(
    () => [{ mixture: single(rom.truth), color: PRESCRIBED_COLOR, dash: '5 3', label: 'truth' }],
    [rom.truth],
  );
  const snapshotEllipses = rom.snapshots.map((g, i) => ({
    gaussian: g,
    color: (rom.weights[i] ?? 0) > 0 ? '#111827' : '#94a3b8',
    dash: '3 3',
    width: 1,
  }));
  return (
    <>
      <Timeline times={rom.times} horizon={horizon} target={target} weights={rom.weights} />
      <div className="gb__panels gb__panels--three">
        <DensityPanel
          title={`True density at t = ${fmt(target)}`}
          testId="panel-truth"
          mixture={single(rom.truth)}
          domain={ROM_DOMAIN}
          color={PRESCRIBED_COLOR}
          ellipses={snapshotEllipses}
        />
        <DensityPanel
          title="Barycenter of snapshots"
          testId="panel-rom-plain"
          mixture={single(rom.plain.gaussian)}
          domain={ROM_DOMAIN}
          curves={truthCurve}
        />
        <DensityPanel
          title="Marginal-constrained"
          testId="panel-rom-constrained"
          mixture={single(rom.constrained.gaussian)}
          domain={ROM_DOMAIN}
          curves={truthCurve}
        />
      </div>
      <p className="legend-line">
        <span>dashed ellipses: snapshots (dark: used at t)</span>
        <span>
          <span className="swatch" style={{ background: PRESCRIBED_COLOR }} aria-hidden="true" />{' '}
          true marginals (dashed)
        </span>
      </p>
      <RomErrors rom={rom} />
      <div className="gb__formulas" data-testid="live-formulas">
        <Formula tex={liveRomTex(target, rom)} />
      </div>
    </>
  );
}
