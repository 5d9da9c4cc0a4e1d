/**
 * Scene "Stable matching" (seed 004, "The Matching Problem", "Gale–Shapley Algorithm", "Linear
 * Assignment"): Gale–Shapley round by round with proposals, acceptances and rejections, either side
 * proposing; blocking pairs of the current (partial) matching and of any compared matching; the
 * minimum-cost assignment on the same instance, and a matching of the user's own.
 */
import { useCallback, useMemo } from 'react';
import { permutationRank } from '../../../ot/matching';
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
  type LegendEntry,
} from '../../components/svgPrimitives';
import '../../components/figures.css';
import { strokeStyle } from '../../lecture/presenter';
import { useSceneExports } from '../../lecture/sceneExports';
import { useSequencePlayer, useSequenceTestHook } from '../../sequencePlayer';
import { useSceneParams } from '../../store';
import { stableMatchingOtlabRun, stableMatchingTables } from './exports';
import type { StableMatchingNumbers } from './hook';
import {
  compareMatchings,
  matchingInstance,
  roundsDefinition,
  roundView,
  type MatchingInstance,
  type PairAB,
  type RoundView,
  type Side,
} from './model';
import { STABLE_MATCHING_ID, stableMatchingParams, type Compared } from './params';

const schema = stableMatchingParams;

const COLORS = {
  A: '#1d4ed8',
  B: '#c2410c',
  matched: '#0f172a',
  accepted: '#15803d',
  rejected: '#b91c1c',
  blocking: '#a21caf',
};

// Seed 004: a stable matching has no blocking pair; the assignment minimises the total cost.
const STABLE_TEX = String.raw`\mu \text{ stable} \iff \nexists\,(a, b):\ b \succ_a \mu(a) \ \text{and}\ a \succ_b \mu^{-1}(b)`;

const fmt = (value: number) => value.toFixed(4);
const name = (side: Side, index: number) => `${side}${index + 1}`;

export function StableMatching() {
  const params = useSceneParams(STABLE_MATCHING_ID, schema);
  // Only these parameters define the instance: choosing a compared matching keeps the rounds.
  const { n, seed, taste, proposers, cost } = params;
  const instance = useMemo(
    () => matchingInstance({ n, seed, taste, proposers, cost }),
    [n, seed, taste, proposers, cost],
  );
  const comparison = useMemo(
    () => compareMatchings(instance, params.custom),
    [instance, params.custom],
  );
  const definition = useMemo(() => roundsDefinition(instance), [instance]);
  const player = useSequencePlayer(definition);
  const { solver } = player;
  const current = roundView(instance, player.state);

  const numbers = useCallback(
    (): StableMatchingNumbers => ({
      n: instance.n,
      proposers: instance.proposers,
      pointsA: instance.pointsA,
      pointsB: instance.pointsB,
      cost: instance.cost,
      preferencesA: instance.preferencesA,
      preferencesB: instance.preferencesB,
      position: solver.position,
      finished: solver.summary.converged,
      current: roundView(instance, solver.currentState()),
      comparison: comparison.rows,
      customIssue: comparison.customIssue,
    }),
    [instance, comparison, solver],
  );
  useSequenceTestHook('stableMatching', player, numbers);
  useSceneExports(
    useMemo(
      () => ({
        tables: () =>
          stableMatchingTables(
            instance,
            solver.history().map((state) => roundView(instance, state)),
            comparison,
          ),
        json: numbers,
        otlab: () => stableMatchingOtlabRun(instance, comparison),
      }),
      [instance, comparison, solver, numbers],
    ),
  );

  const onParam = useParamSetter(STABLE_MATCHING_ID, schema);

  const compared = comparison.rows.find((row) => row.id === params.compare)!;
  const stable = comparison.rows[0]!;
  const assignment = comparison.rows.find((row) => row.id === 'assignment')!;
  const costTex =
    params.cost === 'squared'
      ? String.raw`\lVert x_a - y_b \rVert^2`
      : String.raw`\lVert x_a - y_b \rVert`;
  const assignmentTex = String.raw`\begin{aligned}
c(a, b) &= ${costTex} \\
\min_{\sigma} \textstyle\sum_a c(a, \sigma(a)) &= ${fmt(assignment.cost)} \\
\textstyle\sum_a c(a, \mu_{\mathrm{GS}}(a)) &= ${fmt(stable.cost)}
\end{aligned}`;
  const engaged = current.matching.filter((b) => b >= 0).length;
  const roundTex = String.raw`\text{round } ${current.round}:\ ${engaged} \text{ of } ${instance.n} \text{ engaged}, \quad \#\{(a, b) \text{ blocking}\} = ${current.blocking.length}`;

  return (
    <SceneFrame
      title="Stable matching"
      intro={
        <>
          Group A (circles) and group B (squares) rank each other by perceived distance. In every
          round of Gale–Shapley each free proposer proposes to its best choice not yet tried; each
          receiver keeps the best offer it holds and rejects the rest. The result has no blocking
          pair, and is the best stable matching for the proposing side.
        </>
      }
      controls={
        <>
          <h2>Parameters</h2>
          <ParamControls
            schema={schema}
            values={params}
            onChange={onParam}
            keys={['n', 'seed', 'taste', 'proposers', 'cost', 'compare']}
          />
          <p className="note">
            Blocking pairs are ordinal (rankings only); the assignment is cardinal (it uses the cost
            values). A swap of partners that lowers the cost is the cardinal counterpart of a
            blocking pair (seed 004: c(i, j) + c(i′, j′) ≤ c(i, j′) + c(i′, j) at the optimum).
          </p>
        </>
      }
    >
      <SequenceControlBar player={player} />
      <div className="figures">
        <figure className="figure-panel">
          <figcaption>
            Gale–Shapley, {instance.proposers} proposing: round {current.round}
            {current.done ? ' (done)' : ''}
          </figcaption>
          <MatchingPlane
            instance={instance}
            matching={current.matching}
            proposals={current.proposals}
            blocking={current.blocking}
            label={`Round ${current.round}: ${current.matching.filter((b) => b >= 0).length} of ${instance.n} matched, ${current.blocking.length} blocking pairs`}
            testId="matching-rounds"
            exportLabel="Gale–Shapley rounds"
          />
          <RoundEvents instance={instance} round={current} />
        </figure>
        <figure className="figure-panel">
          <figcaption>{compared.label}</figcaption>
          <MatchingPlane
            instance={instance}
            matching={compared.matching}
            proposals={[]}
            blocking={compared.blocking}
            label={`${compared.label}: cost ${fmt(compared.cost)}, ${compared.blocking.length} blocking pairs`}
            testId="matching-compared"
            exportLabel="Compared matching"
          />
          <p>
            Cost <strong>{fmt(compared.cost)}</strong>;{' '}
            {compared.blocking.length === 0 ? (
              <span className="check check--ok">stable: no blocking pair</span>
            ) : (
              <span className="check check--bad">
                {compared.blocking.length} blocking pair
                {compared.blocking.length > 1 ? 's' : ''}:{' '}
                {compared.blocking.map((p) => `(${name('A', p.a)}, ${name('B', p.b)})`).join(', ')}
              </span>
            )}
          </p>
        </figure>
      </div>
      <PlaneLegend />
      <FormulaPanel title="Stability and cost">
        <Formula tex={STABLE_TEX} />
        <Formula tex={roundTex} />
        <Formula tex={assignmentTex} />
      </FormulaPanel>
      <ComparisonTable
        rows={comparison.rows}
        selected={params.compare as Compared}
        onSelect={(id) => {
          onParam('compare', id);
        }}
      />
      {comparison.customIssue && (
        <p className="notice notice--warn" role="status">
          {comparison.customIssue}
        </p>
      )}
      <CustomMatchingEditor
        matching={comparison.rows.find((row) => row.id === 'custom')!.matching}
        onChange={(rank) => {
          onParam('custom', rank);
          onParam('compare', 'custom');
        }}
      />
      <PreferenceTables instance={instance} matching={current.matching} />
    </SceneFrame>
  );
}

const PLANE = planeFrame([0, 1], [0, 1], 400, 400, 28);
/**
 * Early rounds of Gale–Shapley have blocking pairs everywhere (the empty matching: every pair);
 * beyond this many per person they are counted in words but not drawn.
 */
const MAX_DRAWN_BLOCKING = 2;

function MatchingPlane({
  instance,
  matching,
  proposals,
  blocking,
  label,
  testId,
  exportLabel,
}: {
  instance: MatchingInstance;
  matching: readonly number[];
  proposals: RoundView['proposals'];
  blocking: readonly PairAB[];
  label: string;
  testId: string;
  exportLabel: string;
}) {
  const accepted = useSvgId('accepted');
  const rejected = useSvgId('rejected');
  const { pointsA, pointsB, proposers } = instance;
  const at = (side: Side, index: number) => {
    const p = side === 'A' ? pointsA[index]! : pointsB[index]!;
    return [PLANE.x(p[0]), PLANE.y(p[1])] as const;
  };
  const segment = (pair: PairAB, arrow: boolean) => {
    const from = proposers === 'A' ? at('A', pair.a) : at('B', pair.b);
    const to = proposers === 'A' ? at('B', pair.b) : at('A', pair.a);
    return trimSegment(from[0], from[1], to[0], to[1], 12, arrow ? 14 : 12);
  };
  return (
    <svg
      className="plane"
      viewBox={`0 0 ${PLANE.size.width} ${PLANE.size.height}`}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-export-view={exportLabel}
      xmlns="http://www.w3.org/2000/svg"
    >
      <defs>
        <ArrowMarker id={accepted} color={COLORS.accepted} />
        <ArrowMarker id={rejected} color={COLORS.rejected} />
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
      {(blocking.length <= MAX_DRAWN_BLOCKING * instance.n ? blocking : []).map((pair) => {
        const [x1, y1, x2, y2] = segment(pair, false);
        return (
          <line
            key={`blocking-${pair.a}-${pair.b}`}
            data-kind="blocking"
            x1={x1}
            y1={y1}
            x2={x2}
            y2={y2}
            stroke={COLORS.blocking}
            style={strokeStyle(2)}
            strokeDasharray="2 4"
            strokeLinecap="round"
          />
        );
      })}
      {matching.map((b, a) => {
        if (b < 0) return null;
        const [x1, y1, x2, y2] = segment({ a, b }, false);
        return (
          <line
            key={`matched-${a}`}
            data-kind="matched"
            x1={x1}
            y1={y1}
            x2={x2}
            y2={y2}
            stroke={COLORS.matched}
            style={strokeStyle(3)}
          />
        );
      })}
      {proposals.map((proposal) => {
        const [x1, y1, x2, y2] = segment(proposal, true);
        return (
          <line
            key={`proposal-${proposal.a}-${proposal.b}`}
            data-kind={proposal.accepted ? 'accepted' : 'rejected'}
            x1={x1}
            y1={y1}
            x2={x2}
            y2={y2}
            stroke={proposal.accepted ? COLORS.accepted : COLORS.rejected}
            style={strokeStyle(2.5)}
            strokeDasharray={proposal.accepted ? undefined : '6 4'}
            markerEnd={`url(#${proposal.accepted ? accepted : rejected})`}
          />
        );
      })}
      {(['A', 'B'] as const).map((side) =>
        (side === 'A' ? pointsA : pointsB).map((_, k) => {
          const [x, y] = at(side, k);
          return (
            <LabelledMarker
              key={`${side}${k}`}
              x={x}
              y={y}
              shape={side === 'A' ? 'circle' : 'square'}
              size={side === 'A' ? 12 : 11}
              color={COLORS[side]}
              label={name(side, k)}
            />
          );
        }),
      )}
    </svg>
  );
}

const LEGEND: LegendEntry[] = [
  { label: 'group A', color: COLORS.A, shape: 'circle' },
  { label: 'group B', color: COLORS.B, shape: 'square' },
  { label: 'matched / engaged', color: COLORS.matched, width: 3 },
  { label: 'proposal accepted', color: COLORS.accepted },
  { label: 'proposal rejected', color: COLORS.rejected, dash: '6 4' },
  { label: 'blocking pair', color: COLORS.blocking, dash: '2 4' },
];

function PlaneLegend() {
  return <StrokeLegend entries={LEGEND} />;
}

function RoundEvents({ instance, round }: { instance: MatchingInstance; round: RoundView }) {
  const proposerSide = instance.proposers;
  const who = (pair: PairAB) =>
    proposerSide === 'A'
      ? [name('A', pair.a), name('B', pair.b)]
      : [name('B', pair.b), name('A', pair.a)];
  if (round.round === 0) {
    return <p className="note">Before the first round: everyone is free. Press Step.</p>;
  }
  return (
    <ol
      className="event-list"
      aria-label={`Proposals of round ${round.round}`}
      data-testid="round-events"
    >
      {round.proposals.map((proposal) => {
        const [proposer, receiver] = who(proposal);
        const dropped =
          proposal.dropped === undefined
            ? ''
            : `; ${receiver} drops ${name(proposerSide, proposal.dropped)}`;
        return (
          <li key={proposer}>
            {proposer} proposes to {receiver}:{' '}
            {proposal.accepted
              ? `accepted${dropped}`
              : `rejected (${receiver} holds a better offer)`}
          </li>
        );
      })}
      <li>
        {round.blocking.length} blocking pair{round.blocking.length === 1 ? '' : 's'} left
        {round.blocking.length > MAX_DRAWN_BLOCKING * instance.n ? ' (too many to draw)' : ''};{' '}
        {round.matching.filter((b) => b >= 0).length} of {instance.n} {proposerSide} members
        engaged.
      </li>
    </ol>
  );
}

function ComparisonTable({
  rows,
  selected,
  onSelect,
}: {
  rows: ReturnType<typeof compareMatchings>['rows'];
  selected: Compared;
  onSelect: (id: Compared) => void;
}) {
  return (
    <table className="data-table" data-testid="matching-comparison">
      <caption>The same instance, four matchings</caption>
      <thead>
        <tr>
          <th scope="col">Matching</th>
          <th scope="col">Pairs (A → B)</th>
          <th scope="col">Total cost</th>
          <th scope="col">Blocking pairs</th>
          <th scope="col">Improving swaps</th>
          <th scope="col">Draw</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} className={row.id === selected ? 'is-current' : undefined}>
            <th scope="row">{row.label}</th>
            <td>{row.matching.map((b, a) => `${name('A', a)}–${name('B', b)}`).join(' ')}</td>
            <td>{fmt(row.cost)}</td>
            <td>{row.blocking.length}</td>
            <td>{row.improvingSwaps}</td>
            <td>
              <button
                type="button"
                className="button button--small"
                aria-pressed={row.id === selected}
                onClick={() => {
                  onSelect(row.id);
                }}
              >
                {row.id === selected ? 'Shown' : 'Show'}
                <span className="visually-hidden"> {row.label}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One select per A member; choosing a partner swaps it with whoever had it. */
function CustomMatchingEditor({
  matching,
  onChange,
}: {
  matching: readonly number[];
  onChange: (rank: number) => void;
}) {
  const n = matching.length;
  return (
    <fieldset className="inline-controls" data-testid="custom-matching">
      <legend>Your matching (choose a partner; the previous holder takes yours)</legend>
      {matching.map((b, a) => (
        <label key={a}>
          {name('A', a)} with{' '}
          <select
            value={b}
            onChange={(event) => {
              const target = Number(event.target.value);
              const next = [...matching];
              const holder = next.indexOf(target);
              next[holder] = b;
              next[a] = target;
              onChange(permutationRank(next));
            }}
          >
            {Array.from({ length: n }, (_, k) => (
              <option key={k} value={k}>
                {name('B', k)}
              </option>
            ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}

function PreferenceTables({
  instance,
  matching,
}: {
  instance: MatchingInstance;
  matching: readonly number[];
}) {
  const holder = new Map(matching.map((b, a) => [b, a]));
  const table = (side: Side, lists: number[][]) => {
    const other: Side = side === 'A' ? 'B' : 'A';
    const partnerOf = (x: number) => (side === 'A' ? matching[x] : holder.get(x));
    return (
      <table className="data-table" data-testid={`preferences-${side}`}>
        <caption>Rankings of {side} (best first; the current partner highlighted)</caption>
        <tbody>
          {lists.map((list, x) => (
            <tr key={x}>
              <th scope="row">{name(side, x)}</th>
              {list.map((y) => (
                <td key={y} className={partnerOf(x) === y ? 'is-current' : undefined}>
                  {name(other, y)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    );
  };
  return (
    <div className="figures">
      {table('A', instance.preferencesA)}
      {table('B', instance.preferencesB)}
    </div>
  );
}
