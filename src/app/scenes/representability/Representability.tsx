/**
 * Scene "N-representability" (seed 002): the two-state toy model. The k-representable pair
 * densities as regions of the (t, α) plane shrinking with k towards the mean-field bound, the
 * optimal pair density and its cost per pair stepping k = 2, 3, … towards the mean-field value,
 * and a pair density of the user's checked against the seed's inequality and exact k-representability.
 */
import { useCallback, useEffect, useMemo } from 'react';
import { twoStateRegionVertices, type TwoStateModel } from '../../../ot/mcot/sce';
import { Formula } from '../../components/Formula';
import { FormulaPanel, SceneFrame, SequenceControlBar } from '../../components/SceneFrame';
import { useParamSetter } from '../../sceneHooks';
import { LineChart } from '../../components/LineChart';
import { ParamControls } from '../../components/ParamControls';
import { planeFrame, StrokeLegend } from '../../components/svgPrimitives';
import '../../components/figures.css';
import { strokeStyle } from '../../lecture/presenter';
import { useSceneExports } from '../../lecture/sceneExports';
import type { ParamValues } from '../../params';
import { useSequencePlayer, useSequenceTestHook } from '../../sequencePlayer';
import { useAppStore, useSceneParams } from '../../store';
import { markTestHookReady } from '../../testHook';
import { representabilityOtlabRun, representabilityTables } from './exports';
import type { RepresentabilityNumbers } from './hook';
import { checkUserPair, kSweepDefinition, toyModel, type KStage, type ToyModel } from './model';
import { REPRESENTABILITY_ID, representabilityParams, type RepresentabilityParams } from './params';

const schema = representabilityParams;
type Values = ParamValues<RepresentabilityParams>;
const COLORS = {
  region: '#0f5b55',
  outline: '#64748b',
  meanField: '#c2410c',
  optimal: '#1d4ed8',
  user: '#a21caf',
};
/** k whose regions are drawn as faint outlines behind the current one. */
const OUTLINED_K = [2, 3, 4, 6, 10];

const fmt = (value: number) => value.toPrecision(6);

export function Representability() {
  const params = useSceneParams(REPRESENTABILITY_ID, schema);
  const settled = useAppStore((state) => state.runtime.status !== 'loading');
  const toy = useMemo(() => toyModel(params), [params]);
  const onParam = useParamSetter(REPRESENTABILITY_ID, schema);
  const invalid = 'error' in toy ? toy.error : undefined;
  useEffect(() => {
    // With an invalid model there is no sweep (and no hook slice), but the page is settled.
    if (invalid && settled) markTestHookReady();
  }, [invalid, settled]);

  return (
    <SceneFrame
      title="N-representability"
      intro={
        <>
          A pair density p₂ is k-representable when it is the two-particle marginal of a symmetric
          k-particle probability. For the two-state model of seed 002 these densities fill a polygon
          that shrinks as k grows, towards the mixtures of mean-field products ρ⊗ρ; the cheapest one
          with marginal ρ therefore costs more per pair as k grows, up to the mean-field value.
        </>
      }
      controls={
        <>
          <h2>Model</h2>
          <ParamControls
            schema={schema}
            values={params}
            onChange={onParam}
            keys={['uDiag', 'uAB', 't', 'kmax']}
          />
          <h2>Your pair density</h2>
          <ParamControls
            schema={schema}
            values={params}
            onChange={onParam}
            keys={['pAA', 'pAB', 'pBA', 'pBB']}
          />
        </>
      }
    >
      {invalid ? (
        <div className="notice notice--error" role="alert" data-testid="scene-error">
          {invalid}
        </div>
      ) : (
        <ToyModelView toy={toy as ToyModel} params={params} />
      )}
    </SceneFrame>
  );
}

function ToyModelView({ toy, params }: { toy: ToyModel; params: Values }) {
  const { model, meanField, curve } = toy;
  const definition = useMemo(() => kSweepDefinition(model, params.kmax), [model, params.kmax]);
  const player = useSequencePlayer(definition);
  const { solver } = player;
  const stage = player.state;
  const user = useMemo(() => checkUserPair(params), [params]);

  const numbers = useCallback((): RepresentabilityNumbers => {
    const s = solver.currentState();
    return {
      model,
      meanField,
      curve,
      position: solver.position,
      finished: solver.summary.converged,
      stage: {
        k: s.k,
        pair: s.solution.pair,
        costPerPair: s.solution.costPerPair,
        weights: [...s.solution.weights],
        maxMixed: s.maxMixed,
      },
      user: 'error' in user ? { error: user.error } : { pair: user.pair, ...user.check },
    };
  }, [solver, model, meanField, curve, user]);
  useSequenceTestHook('representability', player, numbers);
  const { kmax } = params;
  useSceneExports(
    useMemo(
      () => ({
        tables: () => representabilityTables(toy, solver.currentState(), user),
        json: numbers,
        otlab: () => representabilityOtlabRun(toy, kmax, user),
      }),
      [toy, solver, user, numbers, kmax],
    ),
  );

  const { pair, costPerPair } = stage.solution;
  const costTex = String.raw`\begin{aligned}
c(A, A) = c(B, B) &= U_{\mathrm{diag}} = ${model.uDiag} \;>\; c(A, B) = U_{AB} = ${model.uAB}, \qquad \rho = (1 - t)\,\delta_A + t\,\delta_B,\ t = ${model.t} \\
\tilde V^{k} = \min_{p_2\ k\text{-rep.},\ p_2 \mapsto \rho} \textstyle\int c\, dp_2 &= ${fmt(costPerPair)} \quad (k = ${stage.k}) \\
\lim_{k \to \infty} \tilde V^{k} = \textstyle\iint c\, d\rho\, d\rho &= U_{\mathrm{diag}}\big((1-t)^2 + t^2\big) + 2 U_{AB}\, t(1-t) = ${fmt(meanField)}
\end{aligned}`;
  const regionTex = String.raw`k\text{-representable: } (t, \alpha) \in \operatorname{conv}\Big\{\big(\tfrac jk,\ \tfrac{j(k-j)}{k(k-1)}\big) : j = 0..k\Big\}, \quad \alpha = p_2(A, B), \quad k = \infty:\ \alpha \le t(1-t)`;

  return (
    <>
      <SequenceControlBar player={player} />
      <p className="stage-label" aria-live="polite" data-testid="representability-stage">
        k = {stage.k} particles: cost per pair {fmt(costPerPair)} (mean field {fmt(meanField)})
      </p>
      <div className="figures">
        <figure className="figure-panel">
          <figcaption>k-representable pair densities in the (t, α) plane</figcaption>
          <RegionPlot model={model} stage={stage} user={'error' in user ? undefined : user} />
          <StrokeLegend
            entries={[
              { label: `k = ${stage.k} region`, color: COLORS.region, shape: 'square' },
              { label: 'k = 2, 3, 4, 6, 10', color: COLORS.outline, width: 1.5 },
              { label: 'k = ∞: α ≤ t(1 − t)', color: COLORS.meanField, dash: '6 4' },
              { label: 'optimal p₂ at this k', color: COLORS.optimal, shape: 'circle' },
              { label: 'your p₂', color: COLORS.user, shape: 'square' },
            ]}
          />
        </figure>
        <div className="figure-panel">
          <LineChart
            title="Optimal cost per pair against the number of particles k"
            description={`Cost per pair at k = ${stage.k}: ${fmt(costPerPair)}; mean-field value ${fmt(meanField)}.`}
            xLabel="particles k"
            yLabel="cost per pair"
            series={[
              {
                id: 'cost',
                label: 'min over k-representable p₂',
                color: COLORS.optimal,
                dots: true,
                points: curve.map((c) => [c.k, c.costPerPair]),
              },
            ]}
            references={[
              {
                id: 'mean-field',
                label: 'mean field ∬ c ρ⊗ρ',
                value: meanField,
                color: COLORS.meanField,
              },
            ]}
            markerX={stage.k}
            testId="representability-cost"
          />
          <table className="data-table" data-testid="optimal-pair">
            <caption>Optimal p₂ at k = {stage.k}</caption>
            <thead>
              <tr>
                <th scope="col">first \ second</th>
                <th scope="col">A</th>
                <th scope="col">B</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">A</th>
                <td>{fmt(pair.AA)}</td>
                <td>{fmt(pair.AB)}</td>
              </tr>
              <tr>
                <th scope="row">B</th>
                <td>{fmt(pair.BA)}</td>
                <td>{fmt(pair.BB)}</td>
              </tr>
            </tbody>
          </table>
          <p className="note">
            It mixes the symmetric k-particle states with{' '}
            {[...stage.solution.weights.entries()]
              .filter(([, w]) => w > 0)
              .map(([j, w]) => `${j} in B (weight ${w.toFixed(3)})`)
              .join(' and ')}
            .
          </p>
        </div>
      </div>
      <UserCheck user={user} kmax={params.kmax} />
      <FormulaPanel>
        <Formula tex={costTex} />
        <Formula tex={regionTex} />
      </FormulaPanel>
    </>
  );
}

function UserCheck({ user, kmax }: { user: ReturnType<typeof checkUserPair>; kmax: number }) {
  if ('error' in user) {
    return (
      <p className="notice notice--error" role="alert">
        {user.error}
      </p>
    );
  }
  const { check } = user;
  const [AA, AB, BA, BB] = [user.pair.AA, user.pair.AB, user.pair.BA, user.pair.BB].map(
    (v) => v / check.total,
  ) as [number, number, number, number];
  const mixed = AB + BA;
  const same = 2 * (AA + BB);
  const inequalityTex = String.raw`p_2(A{\times}B) + p_2(B{\times}A) = ${fmt(mixed)} \;${check.inequality.satisfied ? String.raw`\le` : '>'}\; 2\big(p_2(A{\times}A) + p_2(B{\times}B)\big) = ${fmt(same)}`;
  const verdict =
    check.asymmetry > 1e-12
      ? 'not representable for any k: a symmetric k-particle measure has p₂(A, B) = p₂(B, A)'
      : check.largestK === Infinity
        ? 'k-representable for every k (α ≤ t(1 − t))'
        : check.largestK === 0
          ? 'not even 2-representable'
          : check.largestK >= kmax
            ? `k-representable at least up to k = ${kmax}`
            : `k-representable exactly up to k = ${check.largestK}`;
  return (
    <section className="figure-panel" aria-labelledby="user-check-title" data-testid="user-check">
      <h3 id="user-check-title">Your pair density (normalised)</h3>
      <p>
        p₂ = [[{fmt(AA)}, {fmt(AB)}], [{fmt(BA)}, {fmt(BB)}]], one-body weight of B t ={' '}
        {fmt(check.t)}
        {check.asymmetry > 1e-12 ? ` (as second particle: ${fmt(check.tSecond)})` : ''}.
      </p>
      <Formula tex={inequalityTex} />
      <p>
        Seed 002’s necessary condition for 3-representability (partition {'{A}, {B}'}):{' '}
        {check.inequality.satisfied ? (
          <span className="check check--ok">satisfied</span>
        ) : (
          <span className="check check--bad">violated by {fmt(check.inequality.maxViolation)}</span>
        )}
        . Exact check: <strong>{verdict}</strong>.
      </p>
    </section>
  );
}

const PLOT = planeFrame([0, 1], [0, 0.55], 470, 310, 46);

function RegionPlot({
  model,
  stage,
  user,
}: {
  model: TwoStateModel;
  stage: KStage;
  user: Exclude<ReturnType<typeof checkUserPair>, { error: string }> | undefined;
}) {
  const polygon = (k: number) =>
    twoStateRegionVertices(k)
      .map(([t, a]) => `${PLOT.x(t).toFixed(2)},${PLOT.y(a).toFixed(2)}`)
      .join(' ');
  const parabola = Array.from({ length: 101 }, (_, s) => {
    const t = s / 100;
    return `${PLOT.x(t).toFixed(2)},${PLOT.y(t * (1 - t)).toFixed(2)}`;
  }).join(' ');
  const optimal = [PLOT.x(model.t), PLOT.y(stage.maxMixed)] as const;
  const userPoint = user && [
    PLOT.x(Math.min(1, user.check.t)),
    PLOT.y(Math.min(0.55, user.check.mixed)),
  ];
  return (
    <svg
      className="plane plane--wide"
      viewBox={`0 0 ${PLOT.size.width} ${PLOT.size.height}`}
      role="img"
      aria-label={`Region of ${stage.k}-representable pair densities; the optimal one at t = ${model.t} has alpha = ${fmt(stage.maxMixed)}`}
      data-testid="representability-region"
      data-export-view="k-representable region"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width={PLOT.size.width} height={PLOT.size.height} fill="#ffffff" />
      <polygon
        points={polygon(stage.k)}
        fill={COLORS.region}
        fillOpacity={0.25}
        stroke={COLORS.region}
        style={strokeStyle(2)}
      />
      {OUTLINED_K.filter((k) => k !== stage.k).map((k) => (
        <polygon
          key={k}
          points={polygon(k)}
          fill="none"
          stroke={COLORS.outline}
          style={strokeStyle(1)}
        />
      ))}
      <polyline
        points={parabola}
        fill="none"
        stroke={COLORS.meanField}
        style={strokeStyle(2)}
        strokeDasharray="6 4"
      />
      <line
        x1={PLOT.x(model.t)}
        x2={PLOT.x(model.t)}
        y1={PLOT.y(0)}
        y2={PLOT.y(0.55)}
        stroke="#94a3b8"
        strokeDasharray="3 3"
      />
      <g stroke="#475569" fill="#334155" fontSize={12}>
        <line x1={PLOT.x(0)} x2={PLOT.x(1)} y1={PLOT.y(0)} y2={PLOT.y(0)} />
        <line x1={PLOT.x(0)} x2={PLOT.x(0)} y1={PLOT.y(0)} y2={PLOT.y(0.55)} />
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <text key={`t${t}`} x={PLOT.x(t)} y={PLOT.y(0) + 16} textAnchor="middle" stroke="none">
            {t}
          </text>
        ))}
        {[0, 0.25, 0.5].map((a) => (
          <text
            key={`a${a}`}
            x={PLOT.x(0) - 6}
            y={PLOT.y(a)}
            dy="0.32em"
            textAnchor="end"
            stroke="none"
          >
            {a}
          </text>
        ))}
      </g>
      <text
        x={PLOT.x(0.5)}
        y={PLOT.size.height - 4}
        textAnchor="middle"
        fontSize={13}
        fill="#0f172a"
      >
        t = p₂(B,B) + p₂(A,B) (weight of B)
      </text>
      <text
        transform={`translate(12,${PLOT.y(0.275)}) rotate(-90)`}
        textAnchor="middle"
        fontSize={13}
        fill="#0f172a"
      >
        α = p₂(A,B)
      </text>
      <circle
        cx={optimal[0]}
        cy={optimal[1]}
        r={6}
        fill={COLORS.optimal}
        stroke="#ffffff"
        style={strokeStyle(1.5)}
      />
      {userPoint && (
        <rect
          x={userPoint[0]! - 6}
          y={userPoint[1]! - 6}
          width={12}
          height={12}
          fill={COLORS.user}
          stroke="#ffffff"
          style={strokeStyle(1.5)}
        />
      )}
    </svg>
  );
}
