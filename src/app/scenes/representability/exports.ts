/**
 * What the N-representability scene exports (src/app/lecture/sceneExports.ts): the cost per pair
 * for every k with the mean-field limit, the optimal pair density at the k shown and the
 * symmetric k-particle states it mixes, the user's density with its checks, and the
 * `otlab sce` two-state input that recomputes all of it. Pure: no DOM.
 */
import type { DataTable, OtlabRun } from '../../lecture/sceneExports';
import { valuesTable } from '../../lecture/tables';
import type { checkUserPair, KStage, ToyModel } from './model';

type UserCheck = ReturnType<typeof checkUserPair>;

export function representabilityTables(
  toy: ToyModel,
  stage: KStage,
  user: UserCheck,
): Record<string, DataTable> {
  const { pair, costPerPair, weights } = stage.solution;
  return {
    cost_per_pair: {
      columns: ['k', 'cost_per_pair', 'mean_field'],
      rows: toy.curve.map((c) => [c.k, c.costPerPair, toy.meanField]),
    },
    optimal_pair: valuesTable({
      k: stage.k,
      p2_AA: pair.AA,
      p2_AB: pair.AB,
      p2_BA: pair.BA,
      p2_BB: pair.BB,
      cost_per_pair: costPerPair,
      max_mixed_alpha: stage.maxMixed,
    }),
    k_particle_states: {
      columns: ['particles_in_B', 'weight'],
      rows: [...weights.entries()].filter(([, w]) => w > 0),
    },
    your_pair:
      'error' in user
        ? valuesTable({ error: user.error })
        : valuesTable({
            p2_AA: user.pair.AA,
            p2_AB: user.pair.AB,
            p2_BA: user.pair.BA,
            p2_BB: user.pair.BB,
            total: user.check.total,
            asymmetry: user.check.asymmetry,
            t: user.check.t,
            alpha: user.check.mixed,
            largest_k: Number.isFinite(user.check.largestK) ? user.check.largestK : 'every k',
            inequality_max_violation: user.check.inequality.maxViolation,
            inequality_satisfied: user.check.inequality.satisfied ? 'yes' : 'no',
          }),
  };
}

/** `otlab sce` (op two-state) on the same model and k range, checking the user's density. */
export function representabilityOtlabRun(toy: ToyModel, kmax: number, user: UserCheck): OtlabRun {
  return {
    solver: 'sce',
    input: {
      op: 'two-state',
      model: toy.model,
      kmax,
      ...('error' in user ? {} : { pair: user.pair }),
    },
  };
}
