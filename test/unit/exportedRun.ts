/** Runs a scene's exported otlab input through the CLI solver, as `otlab <solver> --input file`. */
import { expect } from 'vitest';
import { toJson } from '../../src/app/lecture/files';
import type { OtlabRun } from '../../src/app/lecture/sceneExports';
import type { CliContext, CliSolver } from '../../src/cli/registry';
import { cliSolvers } from '../../src/cli/solvers';

export const cpuContext: CliContext = {
  backend: 'cpu',
  gpu: () => Promise.reject(new Error('no GPU in unit tests')),
};

/** After a JSON round trip, as a downloaded file would be. */
export async function runExported(run: OtlabRun): Promise<Record<string, unknown>> {
  const solver = cliSolvers.find((s) => s.name === run.solver) as CliSolver;
  expect(solver, `otlab has no solver ${run.solver}`).toBeDefined();
  const file = JSON.parse(toJson(run.input)) as unknown;
  return (await solver.run(solver.parse(file), cpuContext)) as Record<string, unknown>;
}
