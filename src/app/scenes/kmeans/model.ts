/**
 * k-means as a Wasserstein projection (seed 004): Lloyd's iteration shown in half-steps. An
 * "assign" state is the optimal plan from μ_n to the current atoms with free weights (each point
 * to its nearest atom; the weights become the cluster masses), and is checked against the network
 * simplex run with those weights; an "update" state moves each atom to the barycentre of the mass
 * it receives. W2²(ν, μ_n) never increases from one half-step to the next.
 */
import { kMeansPlusPlus, uniformStream } from '../../../ot/gmm';
import {
  exactTransportCost,
  lloydStart,
  lloydStep,
  randomPoints,
  type LloydPhase,
  type LloydState,
} from '../../../ot/kmeans';
import { fillNormals } from '../../../ot/philox';
import type { SequenceDefinition } from '../../../solvers/sequence';
import type { ParamValues } from '../../params';
import type { KmeansParams } from './params';

type Values = ParamValues<KmeansParams>;

export interface PointCloud {
  points: number[][];
  /** Blob of each point (for reference only: k-means does not see it). */
  blob: number[];
  /** Atoms k-means starts from. */
  start: number[][];
}

/** Blob centres uniform in [0.15, 0.85]², points N(centre, spread²) (Philox normals). */
export function pointCloud(values: Values): PointCloud {
  const { n, blobs, spread, seed, k } = values;
  const uniform = uniformStream(seed);
  const centres = Array.from({ length: blobs }, () => [
    0.15 + 0.7 * uniform(),
    0.15 + 0.7 * uniform(),
  ]);
  const noise = new Float64Array(2 * n);
  fillNormals(noise, seed, 0);
  const blob = Array.from({ length: n }, (_, i) => i % blobs);
  const points = blob.map((b, i) => [
    centres[b]![0]! + spread * noise[2 * i]!,
    centres[b]![1]! + spread * noise[2 * i + 1]!,
  ]);
  const start =
    values.init === 'random'
      ? randomPoints(points, k, uniform)
      : kMeansPlusPlus(points, k, uniform);
  return { points, blob, start };
}

export type Phase = LloydPhase;

export interface KmeansStage {
  phase: Phase;
  /** Completed Lloyd rounds (update + assign). */
  iteration: number;
  atoms: number[][];
  /** Plan: point i → atom labels[i]; weights w_j = cluster masses. */
  labels: Int32Array;
  weights: Float64Array;
  /** W2²(ν, μ_n) of this plan and these atoms. */
  objective: number;
  /** Assign states: the network simplex cost to the atoms with weights w (equal to `objective`). */
  exactOt: number | undefined;
  /** Where the atoms were before an update. */
  previousAtoms: number[][] | undefined;
  /** The Lloyd state behind this stage (the next assign state, for an update stage). */
  lloyd: LloydState;
}

function assignStage(points: number[][], lloyd: LloydState): KmeansStage {
  const { labels, weights, objective } = lloyd.assignment;
  return {
    phase: 'assign',
    iteration: lloyd.iteration,
    atoms: lloyd.atoms,
    labels,
    weights,
    objective,
    exactOt: exactTransportCost(points, lloyd.atoms, weights),
    previousAtoms: undefined,
    lloyd,
  };
}

export function lloydDefinition(cloud: PointCloud): SequenceDefinition<KmeansStage> {
  const { points } = cloud;
  return {
    first: assignStage(points, lloydStart(points, cloud.start)),
    next: (stage) => {
      if (stage.phase === 'update') return assignStage(points, stage.lloyd);
      const next = lloydStep(points, stage.lloyd);
      if (!next) return undefined;
      return {
        phase: 'update',
        iteration: stage.iteration,
        atoms: next.atoms,
        labels: stage.labels,
        weights: stage.weights,
        objective: next.objectiveAfterUpdate,
        exactOt: undefined,
        previousAtoms: stage.atoms,
        lloyd: next,
      };
    },
    finished: (last) =>
      `Converged after ${last.iteration} rounds: the assignment no longer changes (W₂² = ${last.objective.toFixed(6)})`,
    maxSteps: 1000,
  };
}
