/** Every solver the CLI can run. Each lab registers its solvers here. */
import type { CliSolver } from './registry';
import { sinkhornCli } from './sinkhorn';

export const cliSolvers: CliSolver[] = [sinkhornCli];
