/** Every solver the CLI can run. Each lab registers its solvers here. */
import type { CliSolver } from './registry';
import { emdCli } from './emd';
import { sinkhornCli } from './sinkhorn';
import { gaussianCli } from './gaussian';
import { gmmCli } from './gmm';
import { gridBarycenterCli } from './gridBarycenter';
import { sceCli } from './sce';
import { mcotCli } from './mcot';

export const cliSolvers: CliSolver[] = [
  sinkhornCli,
  gaussianCli,
  gmmCli,
  gridBarycenterCli,
  emdCli,
  sceCli,
  mcotCli,
];
