/**
 * Scene "k-means as a Wasserstein projection" (seed 004): Lloyd's iteration in half-steps on a
 * seeded cloud. The assignment is drawn as a transport plan (a line from each point to its atom,
 * atoms sized by the mass they receive); the update moves each atom to the barycentre of its mass.
 * The W2² objective per half-step is charted and never increases.
 */
import { useCallback, useMemo } from 'react';
import { Formula } from '../../components/Formula';
import { FormulaPanel, SceneFrame, SequenceControlBar } from '../../components/SceneFrame';
import { useParamSetter } from '../../sceneHooks';
import { LineChart } from '../../components/LineChart';
import { ParamControls } from '../../components/ParamControls';
import {
  ArrowMarker,
  planeFrame,
  StrokeLegend,
  trimSegment,
  useSvgId,
} from '../../components/svgPrimitives';
import '../../components/figures.css';
import { strokeStyle } from '../../lecture/presenter';
import { useSceneExports } from '../../lecture/sceneExports';
import { useSequencePlayer, useSequenceTestHook } from '../../sequencePlayer';
import { useSceneParams } from '../../store';
import { kmeansOtlabRun, kmeansTables } from './exports';
import type { KmeansNumbers } from './hook';
import { lloydDefinition, pointCloud, type KmeansStage, type PointCloud } from './model';
import { KMEANS_ID, kmeansParams } from './params';

const schema = kmeansParams;
/** Ten distinguishable cluster colours (Tableau 10, darkened for contrast on white). */
const PALETTE = [
  '#1f5f9e',
  '#c2410c',
  '#2f7d32',
  '#b91c1c',
  '#6d28d9',
  '#7c4a2d',
  '#be185d',
  '#4b5563',
  '#7a7d0f',
  '#0e7490',
];
const fmt = (value: number) => value.toPrecision(6);

export function Kmeans() {
  const params = useSceneParams(KMEANS_ID, schema);
  const cloud = useMemo(() => pointCloud(params), [params]);
  const definition = useMemo(() => lloydDefinition(cloud), [cloud]);
  const player = useSequencePlayer(definition);
  const { solver } = player;
  const stage = player.state;
  const history = solver.history();

  const numbers = useCallback((): KmeansNumbers => {
    const s = solver.currentState();
    return {
      points: cloud.points,
      start: cloud.start,
      position: solver.position,
      finished: solver.summary.converged,
      stage: {
        phase: s.phase,
        iteration: s.iteration,
        atoms: s.atoms,
        labels: [...s.labels],
        weights: [...s.weights],
        objective: s.objective,
        exactOt: s.exactOt ?? null,
      },
      objectives: solver.history().map((h) => h.objective),
    };
  }, [solver, cloud]);
  useSequenceTestHook('kmeans', player, numbers);
  useSceneExports(
    useMemo(
      () => ({
        tables: () => kmeansTables(cloud, solver.history()),
        json: numbers,
        otlab: () => kmeansOtlabRun(cloud),
      }),
      [cloud, solver, numbers],
    ),
  );

  const onParam = useParamSetter(KMEANS_ID, schema);

  const objectiveTex = String.raw`\begin{aligned}
W_2^2(\nu, \hat\mu_n) &= \tfrac1n \textstyle\sum_{i=1}^{n} \lVert x_i - z_{l(i)} \rVert^2 = ${fmt(stage.objective)}, \qquad \nu = \textstyle\sum_{j=1}^{k} w_j\, \delta_{z_j} \\
\text{k-means} &= \min_{\nu \in \mathcal P_k} W_2^2(\nu, \hat\mu_n)
\end{aligned}`;
  const stepsTex = String.raw`\begin{aligned}
\text{assign: } & l(i) = \arg\min_j \lVert x_i - z_j \rVert^2, \quad w_j = \tfrac{|\{i : l(i) = j\}|}{n} \quad (\text{optimal plan to free-weight atoms}) \\
\text{update: } & z_j = \tfrac{1}{n w_j} \textstyle\sum_{l(i) = j} x_i \quad (\text{barycentric projection of the plan})
\end{aligned}`;
  const otTex =
    stage.exactOt === undefined
      ? String.raw`\text{(after an update the plan is not re-optimised yet)}`
      : String.raw`\min_{P \in \Pi(\hat\mu_n, \nu)} \langle C, P\rangle = ${fmt(stage.exactOt)} \;(\text{network simplex}) \;=\; ${fmt(stage.objective)} \;(\text{nearest-atom plan})`;

  return (
    <SceneFrame
      title="k-means as a Wasserstein projection"
      intro={
        <>
          k-means finds the measure ν with at most k atoms closest to the data μ_n in W₂. Lloyd’s
          iteration alternates the two halves of that problem: the best transport plan to fixed
          atoms sends each point to its nearest atom, and the best atoms for a fixed plan are the
          barycentres of the mass they receive. Each half-step can only lower W₂².
        </>
      }
      controls={
        <>
          <h2>Parameters</h2>
          <ParamControls schema={schema} values={params} onChange={onParam} />
        </>
      }
    >
      <SequenceControlBar player={player} />
      <p className="stage-label" aria-live="polite" data-testid="kmeans-stage">
        Round {stage.iteration},{' '}
        {stage.phase === 'assign' ? 'assignment (the plan)' : 'update (atoms to barycentres)'}: W₂²
        = {fmt(stage.objective)}
      </p>
      <div className="figures">
        <figure className="figure-panel">
          <figcaption>The plan from μₙ to ν (atom area ∝ weight)</figcaption>
          <ClusterPlane cloud={cloud} stage={stage} />
          <StrokeLegend
            entries={[
              { label: 'points of μₙ (mass 1/n)', color: PALETTE[0]!, shape: 'circle' },
              { label: 'atoms z_j of ν', color: '#0f172a', shape: 'square' },
              { label: 'atom moves (update)', color: '#0f172a', dash: '4 3' },
            ]}
          />
        </figure>
        <div className="figure-panel">
          <LineChart
            title="W₂²(ν, μₙ) per half-step"
            description={`W2 squared at each half-step so far; now ${fmt(stage.objective)}.`}
            xLabel="round (assign at whole numbers, update half-way)"
            yLabel="W₂²"
            series={[
              {
                id: 'objective',
                label: 'W₂²(ν, μₙ)',
                color: PALETTE[0]!,
                dots: true,
                points: history.map((h, t) => [t / 2, h.objective]),
              },
            ]}
            markerX={player.position / 2}
            testId="kmeans-objective"
          />
          <dl className="numbers" data-testid="kmeans-numbers">
            <div>
              <dt>Weights w_j</dt>
              <dd>{[...stage.weights].map((w) => w.toFixed(3)).join(' ')}</dd>
            </div>
            <div>
              <dt>Exact OT to these atoms</dt>
              <dd>{stage.exactOt === undefined ? '–' : fmt(stage.exactOt)}</dd>
            </div>
          </dl>
        </div>
      </div>
      <FormulaPanel>
        <Formula tex={objectiveTex} />
        <Formula tex={stepsTex} />
        <Formula tex={otTex} />
      </FormulaPanel>
    </SceneFrame>
  );
}

function ClusterPlane({ cloud, stage }: { cloud: PointCloud; stage: KmeansStage }) {
  const arrow = useSvgId('atom-move');
  const frame = useMemo(() => {
    const xs = cloud.points.map((p) => p[0]!);
    const ys = cloud.points.map((p) => p[1]!);
    const lo = Math.min(...xs, ...ys) - 0.05;
    const hi = Math.max(...xs, ...ys) + 0.05;
    return planeFrame([lo, hi], [lo, hi], 440, 440, 16);
  }, [cloud]);
  const at = (p: readonly number[]) => [frame.x(p[0]!), frame.y(p[1]!)] as const;
  return (
    <svg
      className="plane"
      viewBox={`0 0 ${frame.size.width} ${frame.size.height}`}
      role="img"
      aria-label={`${cloud.points.length} points and ${stage.atoms.length} atoms; W2 squared ${fmt(stage.objective)}`}
      data-testid="kmeans-plane"
      data-export-view="k-means plan"
      xmlns="http://www.w3.org/2000/svg"
    >
      <defs>
        <ArrowMarker id={arrow} color="#0f172a" />
      </defs>
      <rect width={frame.size.width} height={frame.size.height} fill="#ffffff" />
      <g strokeOpacity={0.35} style={strokeStyle(1)}>
        {cloud.points.map((p, i) => {
          const atom = stage.atoms[stage.labels[i]!]!;
          const [x1, y1] = at(p);
          const [x2, y2] = at(atom);
          return (
            <line
              key={i}
              x1={x1}
              y1={y1}
              x2={x2}
              y2={y2}
              stroke={PALETTE[stage.labels[i]! % PALETTE.length]}
            />
          );
        })}
      </g>
      {cloud.points.map((p, i) => {
        const [x, y] = at(p);
        return (
          <circle key={i} cx={x} cy={y} r={2.6} fill={PALETTE[stage.labels[i]! % PALETTE.length]} />
        );
      })}
      {stage.previousAtoms?.map((old, j) => {
        const [x1, y1] = at(old);
        const [x2, y2] = at(stage.atoms[j]!);
        if (Math.hypot(x2 - x1, y2 - y1) < 4) return null;
        const [a, b, c, d] = trimSegment(x1, y1, x2, y2, 0, 8);
        return (
          <line
            key={`move${j}`}
            x1={a}
            y1={b}
            x2={c}
            y2={d}
            stroke="#0f172a"
            style={strokeStyle(2)}
            strokeDasharray="4 3"
            markerEnd={`url(#${arrow})`}
          />
        );
      })}
      {stage.atoms.map((z, j) => {
        const [x, y] = at(z);
        const half = 4 + 14 * Math.sqrt(stage.weights[j]!);
        return (
          <g key={`atom${j}`}>
            <rect
              x={x - half}
              y={y - half}
              width={2 * half}
              height={2 * half}
              fill={PALETTE[j % PALETTE.length]}
              stroke="#0f172a"
              style={strokeStyle(2)}
            />
            <text
              x={x}
              y={y - half - 5}
              textAnchor="middle"
              fontSize={12}
              fontWeight={700}
              fill="#0f172a"
            >
              z{j + 1}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
