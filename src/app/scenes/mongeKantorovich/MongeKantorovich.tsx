/**
 * Scene "Monge vs Kantorovich" (seed 004): atoms that can be dragged or moved with the keyboard,
 * the plan as a matrix and as arrows, whether a map exists at all, c-cyclical monotonicity of the
 * current plan with its violating cycle drawn, and cycle cancelling step by step to the optimum.
 */
import { useCallback, useMemo, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { CycleCell } from '../../../ot/exact/cycles';
import { costAt } from '../../../ot/exact/problem';
import { Formula } from '../../components/Formula';
import { FormulaPanel, SceneFrame, SequenceControlBar } from '../../components/SceneFrame';
import { useParamSetter } from '../../sceneHooks';
import { ParamControls } from '../../components/ParamControls';
import {
  ArrowMarker,
  LabelledMarker,
  planeFrame,
  StrokeLegend,
  trimSegment,
  useSvgId,
} from '../../components/svgPrimitives';
import '../../components/figures.css';
import { useKeyHelp, type KeyHelp } from '../../lecture/keys';
import { strokeStyle } from '../../lecture/presenter';
import { useSceneExports } from '../../lecture/sceneExports';
import { roundToSpec, type NumberSpec, type ParamSchema, type ParamValue } from '../../params';
import { useSequencePlayer, useSequenceTestHook } from '../../sequencePlayer';
import { useSceneParams } from '../../store';
import { mongeOtlabRun, mongeTables } from './exports';
import type { MongeKantorovichNumbers } from './hook';
import {
  cancellingDefinition,
  presetValues,
  sceneModel,
  type AtomProblem,
  type PlanState,
  type Point,
} from './model';
import {
  atomKeys,
  MONGE_KANTOROVICH_ID,
  mongeKantorovichParams,
  type AtomKind,
  type Preset,
} from './params';

const schema = mongeKantorovichParams;
const COLORS = {
  source: '#1d4ed8',
  target: '#c2410c',
  plan: '#0f5b55',
  violating: '#b91c1c',
  rematch: '#15803d',
};
const KEY_STEP = 0.02;
const ATOM_KEYS: readonly KeyHelp[] = [
  { keys: ['←', '↑', '→', '↓'], action: 'Move the focused atom (Tab to an atom in the picture)' },
];

const fmt = (value: number) => (Math.abs(value) < 1e-12 ? '0' : value.toFixed(4));
const rows = (plan: Float64Array, n: number, m: number) =>
  Array.from({ length: n }, (_, i) => Array.from(plan.subarray(i * m, (i + 1) * m)));

export function MongeKantorovich() {
  const params = useSceneParams(MONGE_KANTOROVICH_ID, schema);
  const model = useMemo(() => sceneModel(params), [params]);
  const definition = useMemo(() => cancellingDefinition(model), [model]);
  const player = useSequencePlayer(definition);
  const { solver } = player;
  const { problem } = model;
  const { n, m } = problem.C;
  const current = player.state;

  const numbers = useCallback((): MongeKantorovichNumbers => {
    const state = solver.currentState();
    return {
      sources: problem.sources,
      targets: problem.targets,
      a: problem.a,
      b: problem.b,
      cost: rows(problem.C.values, n, m),
      optimal: { plan: rows(model.optimal.plan, n, m), cost: model.optimal.cost },
      monge: {
        count: model.monge.count,
        bestCost: model.monge.best?.cost ?? null,
        bestMap: model.monge.best ? [...model.monge.best.map] : null,
      },
      perturbation: model.perturbation,
      startMarginalError: model.startMarginalError,
      position: solver.position,
      finished: solver.summary.converged,
      current: {
        plan: rows(state.plan, n, m),
        cost: state.cost,
        isMap: state.isMap,
        monotone: state.monotonicity.monotone,
        cycle: state.monotonicity.cycle ?? null,
        gain: state.monotonicity.gain ?? null,
      },
      costs: solver.history().map((s) => s.cost),
    };
  }, [solver, problem, model, n, m]);
  useSequenceTestHook('mongeKantorovich', player, numbers);
  const cost = params.cost as 'squared' | 'distance';
  useSceneExports(
    useMemo(
      () => ({
        tables: () => mongeTables(model, solver.history()),
        json: numbers,
        otlab: () => mongeOtlabRun(model, cost),
      }),
      [model, solver, numbers, cost],
    ),
  );
  useKeyHelp(ATOM_KEYS);

  const onParam = useParamSetter(MONGE_KANTOROVICH_ID, schema);
  const applyPreset = (preset: Preset, seed = params.seed) => {
    onParam('preset', preset);
    for (const [key, value] of Object.entries(presetValues(preset, seed))) onParam(key, value);
  };
  const onControl = (key: string, value: ParamValue) => {
    if (key === 'preset') applyPreset(value as Preset);
    else if (key === 'seed' && params.preset === 'random') {
      onParam('seed', value);
      applyPreset('random', Number(value));
    } else onParam(key, value);
  };
  const moveAtom = (kind: AtomKind, k: number, point: Point) => {
    const [xKey, yKey] = atomKeys(kind, k);
    const setCoordinate = (key: string, v: number) => {
      const spec = (schema as ParamSchema)[key] as NumberSpec;
      onParam(key, roundToSpec(spec, Math.min(1, Math.max(0, v))));
    };
    if (params.preset !== 'custom') onParam('preset', 'custom');
    setCoordinate(xKey, point[0]);
    setCoordinate(yKey, point[1]);
  };

  const cycle = current.monotonicity.cycle;
  const mongeTex =
    model.monge.best === undefined
      ? String.raw`\min_{T_\#\mu = \nu} \textstyle\sum_i a_i\, c(x_i, T(x_i)) = +\infty \quad (T_\#\mu \ne \nu \text{ for every map } T)`
      : String.raw`\min_{T_\#\mu = \nu} \textstyle\sum_i a_i\, c(x_i, T(x_i)) = ${fmt(model.monge.best.cost)}`;
  const kantorovichTex = String.raw`\begin{aligned}
\min_{P \ge 0,\ P\mathbf 1 = a,\ P^\top\mathbf 1 = b} \langle C, P\rangle &= ${fmt(model.optimal.cost)} \\
\langle C, P_{\text{now}}\rangle &= ${fmt(current.cost)}
\end{aligned}`;
  const cycleTex = cycle
    ? String.raw`\textstyle\sum_t c(x_{i_t}, y_{j_t}) = ${fmt(cycleCost(problem, cycle, 0))} \;>\; \sum_t c(x_{i_t}, y_{j_{t+1}}) = ${fmt(cycleCost(problem, cycle, 1))}`
    : String.raw`\textstyle\sum_t c(x_{i_t}, y_{j_t}) \le \sum_t c(x_{i_t}, y_{j_{\sigma(t)}}) \ \text{for every cycle of the support}`;

  return (
    <SceneFrame
      title="Monge vs Kantorovich"
      intro={
        <>
          Monge asks for a map: every source atom goes whole to one target. Kantorovich allows a
          plan that splits atoms. When one atom must feed two targets no map exists, but a plan
          does. A plan is optimal exactly when its support is c-cyclically monotone: no cycle of
          pairs can be rematched more cheaply. Step cancels one violating cycle.
        </>
      }
      controls={
        <>
          <h2>Problem</h2>
          <ParamControls
            schema={schema}
            values={params}
            onChange={onControl}
            keys={['preset', 'seed', 'ns', 'nt', 'cost', 'start']}
          />
          <h2>Perturb the plan</h2>
          <ParamControls
            schema={schema}
            values={params}
            onChange={onParam}
            keys={['amount', 'i1', 'j1', 'i2', 'j2']}
          />
          {model.perturbation.issue && (
            <p className="param__error" role="status">
              {model.perturbation.issue}
            </p>
          )}
          <details>
            <summary>Atom positions and masses</summary>
            <ParamControls
              schema={schema}
              values={params}
              onChange={(key, value) => {
                if (params.preset !== 'custom') onParam('preset', 'custom');
                onParam(key, value);
              }}
              keys={[
                ...Array.from({ length: n }, (_, k) => atomKeys('source', k)).flat(),
                ...Array.from({ length: m }, (_, k) => atomKeys('target', k)).flat(),
              ]}
            />
          </details>
        </>
      }
    >
      <SequenceControlBar player={player} />
      <div className="figures">
        <figure className="figure-panel">
          <figcaption>The plan as arrows (width ∝ mass)</figcaption>
          <AtomPlane problem={problem} state={current} onMove={moveAtom} />
        </figure>
        <figure className="figure-panel">
          <figcaption>The plan as a matrix P (rows: sources, columns: targets)</figcaption>
          <PlanMatrix problem={problem} state={current} />
        </figure>
      </div>
      <StrokeLegend
        entries={[
          { label: 'source atoms (area ∝ mass)', color: COLORS.source, shape: 'circle' },
          { label: 'target atoms', color: COLORS.target, shape: 'square' },
          { label: 'plan P_ij', color: COLORS.plan, width: 4 },
          { label: 'violating cycle (support pairs)', color: COLORS.violating, width: 3 },
          { label: 'cheaper rematch', color: COLORS.rematch, dash: '6 4' },
        ]}
      />
      <dl className="numbers" data-testid="monge-numbers">
        <div>
          <dt>Step</dt>
          <dd>{player.position}</dd>
        </div>
        <div>
          <dt>⟨C, P⟩ now</dt>
          <dd>{fmt(current.cost)}</dd>
        </div>
        <div>
          <dt>Optimal (network simplex)</dt>
          <dd>{fmt(model.optimal.cost)}</dd>
        </div>
        <div>
          <dt>Maps with T#μ = ν</dt>
          <dd>
            {model.monge.count === 0
              ? 'none'
              : `${model.monge.count}, best ${fmt(model.monge.best!.cost)}`}
          </dd>
        </div>
        <div>
          <dt>Plan is a map</dt>
          <dd>{current.isMap ? 'yes' : 'no (an atom is split)'}</dd>
        </div>
        <div>
          <dt>c-cyclically monotone</dt>
          <dd>
            {current.monotonicity.monotone ? (
              <span className="check check--ok">yes: optimal</span>
            ) : (
              <span className="check check--bad">
                no: a cycle saves {fmt(current.monotonicity.gain ?? 0)} per unit
              </span>
            )}
          </dd>
        </div>
      </dl>
      {current.cancelled && (
        <p className="note" data-testid="cancelled-cycle">
          Last step moved {fmt(current.cancelled.amount)} around the cycle{' '}
          {describeCycle(current.cancelled.cycle)}, saving {fmt(current.cancelled.gain)} per unit.
        </p>
      )}
      <FormulaPanel>
        <Formula tex={mongeTex} />
        <Formula tex={kantorovichTex} />
        <Formula tex={cycleTex} />
      </FormulaPanel>
    </SceneFrame>
  );
}

/** Σ_t c(x_{i_t}, y_{j_{t+shift}}): shift 0 is the cycle's cost, 1 its rematching's. */
function cycleCost(problem: AtomProblem, cycle: readonly CycleCell[], shift: number): number {
  return cycle.reduce(
    (s, { i }, t) => s + costAt(problem.C, i, cycle[(t + shift) % cycle.length]!.j),
    0,
  );
}

function describeCycle(cycle: readonly CycleCell[]): string {
  return cycle.map(({ i, j }) => `(x${i + 1} → y${j + 1})`).join(', ');
}

const PLANE = planeFrame([0, 1], [0, 1], 400, 400, 30);

function AtomPlane({
  problem,
  state,
  onMove,
}: {
  problem: AtomProblem;
  state: PlanState;
  onMove: (kind: AtomKind, k: number, point: Point) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const arrow = useSvgId('plan-arrow');
  const rematchArrow = useSvgId('rematch-arrow');
  const violatingArrow = useSvgId('violating-arrow');
  const { sources, targets, a, b, C } = problem;
  const radius = (mass: number) => 6 + 16 * Math.sqrt(mass);
  const toData = (event: PointerEvent): Point | undefined => {
    const matrix = svg.current?.getScreenCTM();
    if (!matrix || !svg.current) return undefined;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    const width = PLANE.x(1) - PLANE.x(0);
    const height = PLANE.y(0) - PLANE.y(1);
    return [(point.x - PLANE.x(0)) / width, (PLANE.y(0) - point.y) / height];
  };
  const segment = (i: number, j: number, shrink: number) =>
    trimSegment(
      PLANE.x(sources[i]![0]),
      PLANE.y(sources[i]![1]),
      PLANE.x(targets[j]![0]),
      PLANE.y(targets[j]![1]),
      radius(a[i]!) + 2,
      radius(b[j]!) + shrink,
    );
  const cycle = state.monotonicity.cycle ?? [];
  const atom = (kind: AtomKind, k: number, point: Point, mass: number) => {
    const cx = PLANE.x(point[0]);
    const cy = PLANE.y(point[1]);
    const r = radius(mass);
    const label = `${kind === 'source' ? 'x' : 'y'}${k + 1}: ${kind} ${k + 1} at (${point[0].toFixed(2)}, ${point[1].toFixed(2)}), mass ${mass.toFixed(3)}; drag or use the arrow keys to move it`;
    const move = (dx: number, dy: number) => {
      onMove(kind, k, [point[0] + dx, point[1] + dy]);
    };
    return (
      <g
        key={`${kind}${k}`}
        className="draggable"
        tabIndex={0}
        role="button"
        aria-label={label}
        data-testid={`${kind}-${k}`}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
        }}
        onPointerMove={(event) => {
          if (!event.currentTarget.hasPointerCapture(event.pointerId)) return;
          const p = toData(event);
          if (p) onMove(kind, k, p);
        }}
        onKeyDown={(event: KeyboardEvent) => {
          const steps: Record<string, [number, number]> = {
            ArrowLeft: [-KEY_STEP, 0],
            ArrowRight: [KEY_STEP, 0],
            ArrowUp: [0, KEY_STEP],
            ArrowDown: [0, -KEY_STEP],
          };
          const step = steps[event.key];
          if (!step) return;
          event.preventDefault();
          event.stopPropagation();
          move(...step);
        }}
        style={{ cursor: 'grab' }}
      >
        <LabelledMarker
          x={cx}
          y={cy}
          shape={kind === 'source' ? 'circle' : 'square'}
          size={r}
          color={kind === 'source' ? COLORS.source : COLORS.target}
          opacity={0.85}
          label={kind === 'source' ? `x${k + 1}` : `y${k + 1}`}
        />
      </g>
    );
  };
  return (
    <svg
      ref={svg}
      className="plane"
      viewBox={`0 0 ${PLANE.size.width} ${PLANE.size.height}`}
      role="group"
      aria-label="Source and target atoms with the transport plan as arrows"
      data-testid="monge-plane"
      xmlns="http://www.w3.org/2000/svg"
    >
      <defs>
        <ArrowMarker id={arrow} color={COLORS.plan} />
        <ArrowMarker id={rematchArrow} color={COLORS.rematch} />
        <ArrowMarker id={violatingArrow} color={COLORS.violating} />
      </defs>
      <rect width={PLANE.size.width} height={PLANE.size.height} fill="#ffffff" />
      <rect
        x={PLANE.x(0)}
        y={PLANE.y(1)}
        width={PLANE.x(1) - PLANE.x(0)}
        height={PLANE.y(0) - PLANE.y(1)}
        fill="none"
        stroke="#cbd5e1"
      />
      {Array.from({ length: C.n * C.m }, (_, k) => {
        const i = Math.floor(k / C.m);
        const j = k % C.m;
        const mass = state.plan[k]!;
        if (!(mass > 1e-12)) return null;
        const inCycle = cycle.some((c) => c.i === i && c.j === j);
        const [x1, y1, x2, y2] = segment(i, j, 6);
        return (
          <line
            key={`plan-${k}`}
            data-kind={inCycle ? 'violating' : 'plan'}
            x1={x1}
            y1={y1}
            x2={x2}
            y2={y2}
            stroke={inCycle ? COLORS.violating : COLORS.plan}
            style={strokeStyle(1.5 + 10 * mass)}
            strokeOpacity={0.85}
            markerEnd={`url(#${inCycle ? violatingArrow : arrow})`}
          />
        );
      })}
      {cycle.map(({ i }, t) => {
        const j = cycle[(t + 1) % cycle.length]!.j;
        const [x1, y1, x2, y2] = segment(i, j, 8);
        // Bent sideways so that it stays visible over a plan arrow between the same atoms.
        const bend = 22;
        const length = Math.hypot(x2 - x1, y2 - y1) || 1;
        const cx = (x1 + x2) / 2 - ((y2 - y1) / length) * bend;
        const cy = (y1 + y2) / 2 + ((x2 - x1) / length) * bend;
        return (
          <path
            key={`rematch-${i}-${j}`}
            data-kind="rematch"
            d={`M${x1},${y1} Q${cx},${cy} ${x2},${y2}`}
            fill="none"
            stroke={COLORS.rematch}
            style={strokeStyle(2.5)}
            strokeDasharray="6 4"
            markerEnd={`url(#${rematchArrow})`}
          />
        );
      })}
      {sources.map((p, k) => atom('source', k, p, a[k]!))}
      {targets.map((p, k) => atom('target', k, p, b[k]!))}
    </svg>
  );
}

function PlanMatrix({ problem, state }: { problem: AtomProblem; state: PlanState }) {
  const { a, b, C } = problem;
  const cell = 64;
  const left = 70;
  const top = 40;
  const width = left + cell * C.m + 12;
  const height = top + cell * C.n + 12;
  const cycle = state.monotonicity.cycle ?? [];
  const rematched = cycle.map(({ i }, t) => ({ i, j: cycle[(t + 1) % cycle.length]!.j }));
  const shade = (mass: number) => {
    const level = Math.min(1, mass / Math.max(...a, ...b));
    const mix = (from: number, to: number) => Math.round(from + (to - from) * level);
    return `rgb(${mix(255, 15)},${mix(255, 91)},${mix(255, 85)})`;
  };
  return (
    <svg
      className="plane"
      style={{ maxWidth: 1.25 * width }}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Plan matrix: ${Array.from({ length: C.n }, (_, i) =>
        Array.from({ length: C.m }, (_, j) => fmt(state.plan[i * C.m + j]!)).join(' '),
      ).join('; ')}`}
      data-testid="plan-matrix"
      data-export-view="Plan matrix"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width={width} height={height} fill="#ffffff" />
      {b.map((mass, j) => (
        <text
          key={`col${j}`}
          x={left + cell * (j + 0.5)}
          y={top - 22}
          textAnchor="middle"
          fontSize={12}
          fill="#0f172a"
        >
          <tspan fontWeight={700}>y{j + 1}</tspan>
          <tspan x={left + cell * (j + 0.5)} dy="1.2em" fill="#475569">
            b={mass.toFixed(3)}
          </tspan>
        </text>
      ))}
      {a.map((mass, i) => (
        <text
          key={`row${i}`}
          x={left - 8}
          y={top + cell * (i + 0.5)}
          textAnchor="end"
          fontSize={12}
          fill="#0f172a"
        >
          <tspan fontWeight={700}>x{i + 1}</tspan>
          <tspan x={left - 8} dy="1.2em" fill="#475569">
            a={mass.toFixed(3)}
          </tspan>
        </text>
      ))}
      {Array.from({ length: C.n * C.m }, (_, k) => {
        const i = Math.floor(k / C.m);
        const j = k % C.m;
        const mass = state.plan[k]!;
        const x = left + cell * j;
        const y = top + cell * i;
        const dark = mass / Math.max(...a, ...b) > 0.55;
        const inCycle = cycle.some((c) => c.i === i && c.j === j);
        const isRematch = rematched.some((c) => c.i === i && c.j === j);
        return (
          <g key={k} data-cell={`${i}-${j}`}>
            <rect x={x} y={y} width={cell} height={cell} fill={shade(mass)} stroke="#cbd5e1" />
            {(inCycle || isRematch) && (
              <rect
                x={x + 3}
                y={y + 3}
                width={cell - 6}
                height={cell - 6}
                fill="none"
                stroke={inCycle ? COLORS.violating : COLORS.rematch}
                style={strokeStyle(3)}
                strokeDasharray={isRematch ? '6 4' : undefined}
              />
            )}
            <text
              x={x + cell / 2}
              y={y + cell / 2}
              dy="0.35em"
              textAnchor="middle"
              fontSize={12}
              fill={dark ? '#ffffff' : '#0f172a'}
            >
              {mass > 1e-12 ? mass.toFixed(3) : '0'}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
