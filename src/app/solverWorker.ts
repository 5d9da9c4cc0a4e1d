/**
 * Web Worker hosting CPU solvers off the main thread (see workerSolver.ts): long float64 iterations
 * (a 256×256 grid barycenter takes about a second per iteration, a G step of a generic barycenter
 * hundreds of milliseconds) never freeze the page, and `terminate()` cancels mid-iteration.
 *
 * Protocol: requests { id, op: 'create' | 'step' | 'result' | 'reset', … }, one reply per request
 * { id, ok: true, value } or { id, ok: false, error: { name, message, field } }, in order.
 */
import { createGenericBarycenterSolver } from '../solvers/genericBarycenter';
import { createGridBarycenterSolver } from '../solvers/gridSinkhorn';
import type { IterativeSolver, SolverSummary } from '../solvers/types';
import { InputError } from '../ot/validate';
import type { WorkerRequest, WorkerSolverKind, WorkerSolverArgs } from './workerSolver';

type AnySolver = IterativeSolver<SolverSummary, unknown>;

function create<K extends WorkerSolverKind>(kind: K, args: WorkerSolverArgs[K]): AnySolver {
  if (kind === 'grid-barycenter') {
    const [problem, options] = args as WorkerSolverArgs['grid-barycenter'];
    return createGridBarycenterSolver(problem, 'cpu', options);
  }
  const [problem, options] = args as WorkerSolverArgs['generic-barycenter'];
  return createGenericBarycenterSolver(problem, options, 'cpu');
}

let solver: AnySolver | undefined;

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'create':
      solver = create(request.kind, request.args);
      return undefined;
    case 'step':
      return requireSolver().step(request.iterations);
    case 'result':
      return requireSolver().result();
    case 'reset':
      requireSolver().reset();
      return undefined;
  }
}

function requireSolver(): AnySolver {
  if (!solver) throw new Error('the worker has no solver: create one first');
  return solver;
}

/** The worker's global scope (typed by hand: the DOM and WebWorker libs cannot be mixed). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: unknown): void;
};
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      scope.postMessage({ id: request.id, ok: true, value: await handle(request) });
    } catch (error) {
      const field = error instanceof InputError ? error.field : undefined;
      const name = error instanceof Error ? error.name : 'Error';
      const message =
        error instanceof InputError
          ? error.problem
          : String(error instanceof Error ? error.message : error);
      scope.postMessage({ id: request.id, ok: false, error: { name, message, field } });
    }
  });
};
