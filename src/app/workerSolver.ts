/**
 * An IterativeSolver whose float64 CPU work runs in a Web Worker (solverWorker.ts): the same
 * contract as the solver it wraps, so SolverController drives it like any lane, but `step()` only
 * awaits messages and the page stays responsive. `dispose()` terminates the worker, cancelling an
 * iteration in flight.
 */
// Inlined as a blob URL: starting a worker then needs no request, so the app keeps working
// offline after its first load.
import SolverWorker from './solverWorker?worker&inline';
import type { FixedPointOptions, GenericBarycenterProblem } from '../ot/barycenter/fixedPoint';
import type { GridBarycenterProblem } from '../ot/gridSinkhorn';
import type { SinkhornOptions } from '../ot/sinkhorn';
import { InputError } from '../ot/validate';
import type { IterativeSolver, SolverSummary } from '../solvers/types';

/** The solvers the worker can host, with their constructor arguments. */
export interface WorkerSolverArgs {
  'grid-barycenter': [GridBarycenterProblem, Partial<SinkhornOptions>];
  'generic-barycenter': [GenericBarycenterProblem, Partial<FixedPointOptions>];
}
export type WorkerSolverKind = keyof WorkerSolverArgs;

export type WorkerMessage =
  | {
      [K in WorkerSolverKind]: { op: 'create'; kind: K; args: WorkerSolverArgs[K] };
    }[WorkerSolverKind]
  | { op: 'step'; iterations: number }
  | { op: 'result' }
  | { op: 'reset' };
export type WorkerRequest = WorkerMessage & { id: number };

interface WorkerReply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string; field: string | undefined };
}

export class WorkerSolver<S extends SolverSummary, R> implements IterativeSolver<S, R> {
  readonly backend = 'cpu';
  private readonly worker: Worker;
  private nextId = 0;
  private pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private terminated = false;

  constructor(kind: WorkerSolverKind, args: WorkerSolverArgs[WorkerSolverKind]) {
    this.worker = new SolverWorker();
    this.worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      this.settle(event.data);
    };
    this.worker.onerror = (event) => {
      this.failAll(new Error(`the solver worker failed: ${event.message}`));
    };
    void this.request({ op: 'create', kind, args } as WorkerMessage).catch(() => undefined);
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) {
      waiting.resolve(reply.value);
    } else {
      const { name, message, field } = reply.error!;
      waiting.reject(
        field !== undefined
          ? new InputError(field, message)
          : Object.assign(new Error(message), { name }),
      );
    }
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  private request(message: WorkerMessage): Promise<unknown> {
    if (this.terminated) return Promise.reject(new Error('the solver was disposed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  async step(iterations: number): Promise<S> {
    return (await this.request({ op: 'step', iterations })) as S;
  }

  async result(): Promise<R> {
    return (await this.request({ op: 'result' })) as R;
  }

  async run(): Promise<R> {
    for (;;) {
      const summary = await this.step(100);
      if (summary.stopReason !== undefined) return this.result();
    }
  }

  /** Queued behind any step in flight; the worker applies requests in order. */
  reset(): void {
    void this.request({ op: 'reset' }).catch(() => undefined);
  }

  dispose(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.worker.terminate();
    this.failAll(new Error('the solver was disposed'));
  }
}
