/**
 * Parameters of the k-means scene (`#/kmeans?n=240&k=4&…`): a seeded point cloud made of Gaussian
 * blobs, the number k of atoms and how Lloyd's iteration starts.
 */
import { linearNumber, seedParam, type ParamSchema } from '../../params';

export const KMEANS_ID = 'kmeans';
export const MAX_K = 10;

export const kmeansParams = {
  n: {
    kind: 'int',
    label: 'Points n',
    description: 'Number of points of the empirical measure μ_n (each of mass 1/n)',
    min: 10,
    max: 1000,
    default: 240,
  },
  blobs: {
    kind: 'int',
    label: 'Blobs',
    description: 'Number of Gaussian blobs the points are drawn from',
    min: 1,
    max: 8,
    default: 4,
  },
  spread: linearNumber(
    'Blob spread',
    0.01,
    0.3,
    0.07,
    'Standard deviation of each blob (the blob centres lie in the unit square)',
    3,
  ),
  k: {
    kind: 'int',
    label: 'Atoms k',
    description: 'Number of atoms of ν, the measure k-means fits (at most k points)',
    min: 1,
    max: MAX_K,
    default: 4,
  },
  init: {
    kind: 'enum',
    label: 'Start',
    description: 'k-means++ (D² sampling) or k points picked uniformly at random',
    options: ['kmeans++', 'random'],
    default: 'kmeans++',
  },
  seed: seedParam('Seed of the points and of the start', 3),
} as const satisfies ParamSchema;

export type KmeansParams = typeof kmeansParams;
