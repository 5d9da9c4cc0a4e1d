/**
 * Scene "Duality" (seed 004, "Duality", "Conjugacy", "Complementarity"): potentials f and g on a
 * 1D grid as curves, the constraint f(x) + g(y) ≤ c(x, y) as a map of the slack c − f ⊕ g with its
 * zero set, c-transforms applied one at a time, and the optimal pair whose dual value equals the
 * primal cost and which is tight on the optimal plan's support (complementary slackness).
 */
import { useCallback, useMemo } from 'react';
import { Formula } from '../../components/Formula';
import { FormulaPanel, SceneFrame, SequenceControlBar } from '../../components/SceneFrame';
import { useParamSetter } from '../../sceneHooks';
import { LineChart } from '../../components/LineChart';
import { ParamControls } from '../../components/ParamControls';
import { planeFrame, StrokeLegend } from '../../components/svgPrimitives';
import '../../components/figures.css';
import { strokeStyle } from '../../lecture/presenter';
import { useSceneExports } from '../../lecture/sceneExports';
import { useSequencePlayer, useSequenceTestHook } from '../../sequencePlayer';
import { useSceneParams } from '../../store';
import { dualityOtlabRun, dualityTables } from './exports';
import type { DualityNumbers } from './hook';
import {
  dualityProblem,
  stagesDefinition,
  startPotential,
  type DualityProblem,
  type DualStage,
} from './model';
import { DUALITY_ID, dualityParams } from './params';

const schema = dualityParams;
const COLORS = {
  f: '#1d4ed8',
  g: '#c2410c',
  violated: [220, 38, 38],
  tight: [250, 204, 21],
  slackNear: [30, 58, 138],
  slackFar: [239, 246, 255],
  support: '#0f172a',
};
/** Slack below this fraction of the largest cost counts as zero (the zero set). */
const TIGHT = 1e-9;

const fmt = (value: number) => (Math.abs(value) < 5e-13 ? '0' : value.toPrecision(6));

export function Duality() {
  const params = useSceneParams(DUALITY_ID, schema);
  const problem = useMemo(() => dualityProblem(params), [params]);
  const f0 = useMemo(() => startPotential(params, problem.grid), [params, problem]);
  const definition = useMemo(() => stagesDefinition(problem, f0), [problem, f0]);
  const player = useSequencePlayer(definition);
  const { solver } = player;
  const stage = player.state;

  const numbers = useCallback((): DualityNumbers => {
    const s = solver.currentState();
    return {
      grid: problem.grid,
      a: problem.a,
      b: problem.b,
      primal: problem.primal,
      plan: problem.plan,
      position: solver.position,
      finished: solver.summary.converged,
      stage: {
        kind: s.kind,
        label: s.label,
        f: [...s.f],
        g: [...s.g],
        dual: s.dual,
        violation: s.violation,
        slackness: s.slackness,
      },
      duals: solver.history().map((h) => h.dual),
    };
  }, [solver, problem]);
  useSequenceTestHook('duality', player, numbers);
  const cost = params.cost as 'squared' | 'distance';
  useSceneExports(
    useMemo(
      () => ({
        tables: () => dualityTables(problem, solver.history()),
        json: numbers,
        otlab: () => dualityOtlabRun(problem, f0, cost),
      }),
      [problem, solver, numbers, f0, cost],
    ),
  );

  const onParam = useParamSetter(DUALITY_ID, schema);

  const costTex = params.cost === 'distance' ? String.raw`|x - y|` : String.raw`|x - y|^2`;
  const feasible = stage.violation <= TIGHT;
  const dualTex = String.raw`\begin{aligned}
\textstyle\sum_i a_i f(x_i) + \sum_j b_j g(y_j) &= ${fmt(stage.dual)} \quad ${feasible ? String.raw`\le` : String.raw`\text{(infeasible: not a bound)}\ `} \\
\min_{P \in \Pi(a, b)} \langle C, P\rangle &= ${fmt(problem.primal)}
\end{aligned}`;
  const constraintTex = String.raw`f(x) + g(y) \le c(x, y) = ${costTex}, \qquad \max_{x,y}\big(f(x) + g(y) - c(x, y)\big)_+ = ${fmt(stage.violation)}`;
  const transformTex = String.raw`f^c(y) = \min_x\, c(x, y) - f(x), \qquad g^c(x) = \min_y\, c(x, y) - g(y), \qquad f^{ccc} = f^c`;
  const slacknessTex = String.raw`P_{ij} > 0 \;\Rightarrow\; f(x_i) + g(y_j) = c(x_i, y_j): \quad \max_{P_{ij} > 0} |c - f - g| = ${fmt(stage.slackness)}`;

  return (
    <SceneFrame
      title="Duality and c-transforms"
      intro={
        <>
          Any potentials with f(x) + g(y) ≤ c(x, y) give a lower bound ∫f dμ + ∫g dν on the
          transport cost. The c-transform makes one potential as large as the other allows; a second
          transform cannot improve the pair further. The optimal pair closes the gap: its dual value
          equals the primal cost, and f + g = c wherever the optimal plan moves mass.
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
      <p className="stage-label" aria-live="polite" data-testid="duality-stage">
        Stage {player.position + 1} of 5: {stage.label}
      </p>
      <div className="figures">
        <div className="figure-panel">
          <LineChart
            title="Potentials f (on x) and g (on y)"
            description={`Stage ${player.position + 1}: dual value ${fmt(stage.dual)}, primal ${fmt(problem.primal)}.`}
            xLabel="x, y"
            yLabel="potential"
            series={[
              {
                id: 'f',
                label: 'f(x)',
                color: COLORS.f,
                points: problem.grid.map((x, i) => [x, stage.f[i]!]),
              },
              {
                id: 'g',
                label: 'g(y)',
                color: COLORS.g,
                dash: '7 4',
                points: problem.grid.map((y, j) => [y, stage.g[j]!]),
              },
            ]}
            testId="duality-potentials"
          />
          <LineChart
            title="The measures μ (on x) and ν (on y)"
            description="Weights of μ and ν at the grid points."
            xLabel="x, y"
            yLabel="weight"
            series={[
              {
                id: 'mu',
                label: 'μ',
                color: COLORS.f,
                dots: true,
                points: problem.grid.map((x, i) => [x, problem.a[i]!]),
              },
              {
                id: 'nu',
                label: 'ν',
                color: COLORS.g,
                dots: true,
                dash: '7 4',
                points: problem.grid.map((y, j) => [y, problem.b[j]!]),
              },
            ]}
            testId="duality-measures"
          />
        </div>
        <figure className="figure-panel">
          <figcaption>Slack c(x, y) − f(x) − g(y), with the optimal plan’s support</figcaption>
          <SlackMap problem={problem} stage={stage} />
          <StrokeLegend
            entries={[
              { label: 'f + g > c (violated)', color: rgb(COLORS.violated), shape: 'square' },
              { label: 'f + g = c (zero set)', color: rgb(COLORS.tight), shape: 'square' },
              {
                label: 'slack (darker: smaller)',
                color: rgb(COLORS.slackNear),
                shape: 'square',
              },
              { label: 'optimal plan P_ij > 0', color: COLORS.support, shape: 'circle' },
            ]}
          />
        </figure>
      </div>
      <dl className="numbers" data-testid="duality-numbers">
        <div>
          <dt>Dual value ⟨a, f⟩ + ⟨b, g⟩</dt>
          <dd>{fmt(stage.dual)}</dd>
        </div>
        <div>
          <dt>Primal ⟨C, P*⟩</dt>
          <dd>{fmt(problem.primal)}</dd>
        </div>
        <div>
          <dt>Gap</dt>
          <dd>{feasible ? fmt(problem.primal - stage.dual) : '– (infeasible pair)'}</dd>
        </div>
        <div>
          <dt>Largest violation of f + g ≤ c</dt>
          <dd>{fmt(stage.violation)}</dd>
        </div>
        <div>
          <dt>Slack on the plan’s support</dt>
          <dd>{fmt(stage.slackness)}</dd>
        </div>
      </dl>
      <FormulaPanel>
        <Formula tex={constraintTex} />
        <Formula tex={transformTex} />
        <Formula tex={dualTex} />
        <Formula tex={slacknessTex} />
      </FormulaPanel>
    </SceneFrame>
  );
}

function rgb([r, g, b]: readonly number[]): string {
  return `rgb(${r},${g},${b})`;
}

const MAP = planeFrame([0, 1], [0, 1], 420, 420, 40);

/** The slack as an image (one pixel per grid pair), painted once per stage. */
function slackImage(problem: DualityProblem, stage: DualStage): string {
  const { C } = problem;
  const k = C.n;
  const canvas = document.createElement('canvas');
  canvas.width = k;
  canvas.height = k;
  const context = canvas.getContext('2d');
  if (!context) return '';
  const image = context.createImageData(k, k);
  const scale = Math.max(...C.values) || 1;
  for (let i = 0; i < k; i += 1)
    for (let j = 0; j < k; j += 1) {
      const slack = C.values[i * k + j]! - stage.f[i]! - stage.g[j]!;
      let color: readonly number[];
      if (slack < -TIGHT * scale) {
        const level = Math.min(1, Math.sqrt(-slack / scale));
        color = COLORS.violated.map((c) => Math.round(255 + (c - 255) * (0.35 + 0.65 * level)));
      } else if (slack <= TIGHT * scale) {
        color = COLORS.tight;
      } else {
        const level = Math.min(1, Math.sqrt(slack / scale));
        color = COLORS.slackNear.map((c, n) => Math.round(c + (COLORS.slackFar[n]! - c) * level));
      }
      // Row of the image = y from the top (y = 1 first); column = x.
      const pixel = 4 * ((k - 1 - j) * k + i);
      image.data.set([color[0]!, color[1]!, color[2]!, 255], pixel);
    }
  context.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}

function SlackMap({ problem, stage }: { problem: DualityProblem; stage: DualStage }) {
  const href = useMemo(() => slackImage(problem, stage), [problem, stage]);
  const k = problem.grid.length;
  const cell = (MAP.x(1) - MAP.x(0)) / k;
  const left = MAP.x(0);
  const top = MAP.y(1);
  const size = MAP.x(1) - MAP.x(0);
  const tight = stage.slackness <= TIGHT * Math.max(...problem.C.values);
  return (
    <svg
      className="plane"
      viewBox={`0 0 ${MAP.size.width} ${MAP.size.height}`}
      role="img"
      aria-label={`Slack map at this stage: largest violation ${fmt(stage.violation)}; the optimal plan's support is ${tight ? 'inside the zero set' : 'not all tight'}`}
      data-testid="duality-slack"
      data-export-view="Slack map"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width={MAP.size.width} height={MAP.size.height} fill="#ffffff" />
      <image
        href={href}
        x={left}
        y={top}
        width={size}
        height={size}
        preserveAspectRatio="none"
        style={{ imageRendering: 'pixelated' }}
      />
      <rect x={left} y={top} width={size} height={size} fill="none" stroke="#475569" />
      {problem.plan.map(({ i, j }) => (
        <circle
          key={`${i}-${j}`}
          cx={left + cell * (i + 0.5)}
          cy={top + cell * (k - j - 0.5)}
          r={Math.max(2, cell * 0.28)}
          fill={COLORS.support}
          stroke="#ffffff"
          style={strokeStyle(0.8)}
        />
      ))}
      {[0, 0.5, 1].map((t) => (
        <g key={t} fontSize={12} fill="#334155">
          <text x={left + t * size} y={top + size + 16} textAnchor="middle">
            {t}
          </text>
          <text x={left - 8} y={top + (1 - t) * size} dy="0.32em" textAnchor="end">
            {t}
          </text>
        </g>
      ))}
      <text
        x={left + size / 2}
        y={MAP.size.height - 6}
        textAnchor="middle"
        fontSize={13}
        fill="#0f172a"
      >
        x (μ)
      </text>
      <text
        transform={`translate(14,${top + size / 2}) rotate(-90)`}
        textAnchor="middle"
        fontSize={13}
        fill="#0f172a"
      >
        y (ν)
      </text>
    </svg>
  );
}
