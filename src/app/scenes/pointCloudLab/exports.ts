/**
 * What the Point-cloud lab exports (src/app/lecture/sceneExports.ts): the point sets, the current
 * potentials, the plan entries drawn (the heaviest of each row for large sets), the marginal error
 * history, and the `otlab sinkhorn` input that reruns the problem headless with the same stopping
 * rule (sinkhornToy/exports.ts, whose point, potential and history tables are reused). Pure.
 */
import type { SinkhornProblem } from '../../../ot/sinkhorn';
import type { DataTable } from '../../lecture/sceneExports';
import { historyTable, pointsTable, potentialsTable, type LaneData } from '../sinkhornToy/exports';
import { planLines } from './model';

/** The drawn plan entries, heaviest first within each row. */
export function planLinesTable(problem: SinkhornProblem, lane: LaneData): DataTable {
  const { potentials } = lane;
  return {
    columns: ['lane', 'i', 'j', 'mass'],
    rows: potentials
      ? planLines(problem, potentials.f, potentials.g).map(({ i, j, mass }) => [
          lane.lane,
          i,
          j,
          mass,
        ])
      : [],
  };
}

export function pointCloudLabTables(
  problem: SinkhornProblem,
  lane: LaneData | undefined,
): Record<string, DataTable> {
  const lanes = lane ? [lane] : [];
  return {
    points: pointsTable(problem),
    potentials: potentialsTable(lanes),
    plan: lane ? planLinesTable(problem, lane) : { columns: ['lane', 'i', 'j', 'mass'], rows: [] },
    history: historyTable(lanes),
  };
}
