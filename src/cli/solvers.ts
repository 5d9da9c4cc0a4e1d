/** Every solver the CLI can run. Each lab registers its solvers here. */
import type { CliSolver } from './registry';
import { emdCli } from './emd';
import { sinkhornCli } from './sinkhorn';
import { gaussianCli } from './gaussian';
import { gmmCli } from './gmm';
import { gridBarycenterCli } from './gridBarycenter';
import { sceCli } from './sce';
import { mcotCli } from './mcot';
import { barycenterCli } from './barycenter';
import { matchingCli } from './matching';
import { kmeansCli } from './kmeans';
import { wasserstein1dCli } from './wasserstein1d';

export const cliSolvers: CliSolver[] = [
  sinkhornCli,
  gaussianCli,
  gmmCli,
  gridBarycenterCli,
  emdCli,
  sceCli,
  mcotCli,
  barycenterCli,
  matchingCli,
  kmeansCli,
  wasserstein1dCli,
];
