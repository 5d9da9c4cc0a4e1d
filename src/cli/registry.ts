/** What a solver provides to be callable as `otlab <name>`. */
import type { GpuRuntime } from '../gpu/runtime';
import type { Backend } from '../solvers/types';

export interface CliContext {
  backend: Backend;
  /** Creates (once) the GPU runtime; only called for `--backend gpu`. */
  gpu: () => Promise<GpuRuntime>;
}

export interface CliSolver<Input = unknown> {
  name: string;
  summary: string;
  /** Validates the JSON input; throws an InputError naming the bad field. */
  parse(json: unknown): Input;
  run(input: Input, context: CliContext): Promise<unknown>;
}

/** Type-checks a solver against its own input type, then lists it with solvers of other inputs. */
export function cliSolver<Input>(solver: CliSolver<Input>): CliSolver {
  return solver;
}
