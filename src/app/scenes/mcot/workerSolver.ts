/**
 * The float64 CPU MCOT solver run in a Web Worker, behind the McotSolver interface.
 *
 * Why: one CPU Langevin step costs O(K·N²) pair terms plus O(K·N·d·M²) for the Newton matrices —
 * tens of milliseconds for N = 10, K = 100, seconds for N = 100, K = 1000 — and a step cannot be
 * split. On the main thread that would freeze the page; in a worker the page keeps drawing and
 * the controls keep answering while the CPU backend works.
 *
 * Protocol (one request in flight, answered in order): `create` builds the solver from plain
 * McotParams; `step`, `result`, `reset` answer with the summary, the particle snapshot when it
 * changed (copies, transferred) and the history rows the client has not seen yet. The host side
 * (`McotWorkerHost`) is plain TypeScript, so the unit tests drive it through a MessageChannel.
 */
import type { McotParams, McotSetup } from '../../../ot/mcot/params';
import { buildMcotSetup } from '../../../ot/mcot/params';
import { emptyHistory } from '../../../solvers/mcot/base';
import { CpuMcotSolver } from '../../../solvers/mcot/cpu';
import type {
  McotHistory,
  McotResult,
  McotSolver,
  McotSummary,
  ParticleSnapshot,
} from '../../../solvers/mcot/types';

type Request =
  | { kind: 'create'; params: McotParams }
  | { kind: 'step'; iterations: number }
  | { kind: 'result' }
  | { kind: 'reset' };

interface SnapshotData {
  version: number;
  x: Float64Array;
  weights: Float64Array;
}

/** History rows [from, from + rows) of every column. */
type HistoryRows = { from: number } & McotHistory;

interface Answer {
  id: number;
  summary: McotSummary;
  snapshot?: SnapshotData;
  history: HistoryRows;
  result?: McotResult;
}

type Reply = Answer | { id: number; error: string };

const HISTORY_COLUMNS = [
  'iteration',
  'cost',
  'residual',
  'timeStep',
  'sigma',
  'newtonIterations',
] as const satisfies readonly (keyof McotHistory)[];

/** What a Worker or a MessagePort offers (both post and listen the same way). */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
}

// -------------------------------------------------------------------------------------- host

/** The worker's side: one CpuMcotSolver, answering requests. */
export class McotWorkerHost {
  private solver: CpuMcotSolver | undefined;
  private sentRows = 0;
  private sentSnapshot: ParticleSnapshot | undefined;

  async handle(id: number, request: Request): Promise<{ reply: Reply; transfer: Transferable[] }> {
    try {
      let result: McotResult | undefined;
      switch (request.kind) {
        case 'create':
          this.solver = new CpuMcotSolver(buildMcotSetup(request.params));
          break;
        case 'step':
          await this.live().step(request.iterations);
          break;
        case 'result':
          result = await this.live().result();
          break;
        case 'reset':
          this.live().reset();
          this.sentRows = 0;
          break;
      }
      return this.reply(id, result);
    } catch (error) {
      return {
        reply: { id, error: error instanceof Error ? error.message : String(error) },
        transfer: [],
      };
    }
  }

  private live(): CpuMcotSolver {
    if (!this.solver) throw new Error('the MCOT worker has no solver: send "create" first');
    return this.solver;
  }

  private reply(
    id: number,
    result: McotResult | undefined,
  ): { reply: Reply; transfer: Transferable[] } {
    const solver = this.live();
    const history = solver.history();
    const from = Math.min(this.sentRows, history.iteration.length);
    const rows = { from } as HistoryRows;
    for (const column of HISTORY_COLUMNS) rows[column] = history[column].slice(from);
    this.sentRows = history.iteration.length;
    const transfer: Transferable[] = [];
    let snapshot: SnapshotData | undefined;
    const current = solver.particles();
    if (current !== this.sentSnapshot) {
      this.sentSnapshot = current;
      snapshot = {
        version: current.version,
        x: current.x.slice(),
        weights: current.weights.slice(),
      };
      transfer.push(snapshot.x.buffer, snapshot.weights.buffer);
    }
    return {
      reply: {
        id,
        summary: solver.summary(),
        history: rows,
        ...(snapshot ? { snapshot } : {}),
        ...(result ? { result } : {}),
      },
      transfer,
    };
  }
}

/** Wires a host to the worker's global scope (called by mcotWorker.ts). */
export function serveMcotWorker(scope: MessageEndpoint): void {
  const host = new McotWorkerHost();
  let queue = Promise.resolve();
  scope.addEventListener('message', (event: MessageEvent) => {
    const { id, request } = event.data as { id: number; request: Request };
    queue = queue.then(async () => {
      const { reply, transfer } = await host.handle(id, request);
      scope.postMessage(reply, transfer);
    });
  });
}

// ------------------------------------------------------------------------------------ client

/** The main thread's side: an McotSolver whose steps run in the worker. */
export class WorkerMcotSolver implements McotSolver {
  readonly backend = 'cpu';
  private nextId = 1;
  private pending = new Map<
    number,
    { resolve: (reply: Reply) => void; reject: (error: Error) => void }
  >();
  private queue: Promise<unknown> = Promise.resolve();
  private latest: McotSummary | undefined;
  private snapshot: ParticleSnapshot;
  private historyData: McotHistory = emptyHistory();
  private failed: Error | undefined;

  constructor(
    readonly setup: McotSetup,
    private readonly endpoint: MessageEndpoint,
    private readonly terminate: () => void,
  ) {
    this.snapshot = this.emptySnapshot();
    endpoint.addEventListener('message', (event: MessageEvent) => {
      const reply = event.data as Reply;
      this.pending.get(reply.id)?.resolve(reply);
      this.pending.delete(reply.id);
    });
    endpoint.addEventListener('error', (event: Event) => {
      this.failed = new Error(
        `the CPU worker stopped: ${(event as ErrorEvent).message || 'unknown error'}`,
      );
      for (const { reject } of this.pending.values()) reject(this.failed);
      this.pending.clear();
    });
    void this.request({ kind: 'create', params: setup.params });
  }

  private emptySnapshot(): ParticleSnapshot {
    const { dimension, electrons, particles } = this.setup.problem;
    return {
      version: 0,
      dimension,
      electrons,
      particles,
      x: new Float64Array(particles * electrons * dimension),
      weights: new Float64Array(particles).fill(1 / particles),
    };
  }

  /** Sends one request after the previous one was answered, and applies its reply. */
  private request(request: Request): Promise<Answer> {
    const task = this.queue.then(
      () =>
        new Promise<Reply>((resolve, reject) => {
          if (this.failed) {
            reject(this.failed);
            return;
          }
          const id = this.nextId;
          this.nextId += 1;
          this.pending.set(id, { resolve, reject });
          this.endpoint.postMessage({ id, request }, []);
        }),
    );
    this.queue = task.catch(() => undefined);
    return task.then((reply) => {
      if ('error' in reply) throw new Error(reply.error);
      this.apply(reply);
      return reply;
    });
  }

  private apply(reply: Answer): void {
    this.latest = reply.summary;
    if (reply.snapshot) {
      const { dimension, electrons, particles } = this.setup.problem;
      this.snapshot = { dimension, electrons, particles, ...reply.snapshot };
    }
    const rows = reply.history;
    for (const column of HISTORY_COLUMNS) {
      const values = this.historyData[column];
      values.length = rows.from;
      for (const value of rows[column]) values.push(value);
    }
  }

  async step(iterations: number): Promise<McotSummary> {
    return (await this.request({ kind: 'step', iterations })).summary;
  }

  async result(): Promise<McotResult> {
    const reply = await this.request({ kind: 'result' });
    if (!reply.result) throw new Error('the CPU worker sent no result');
    return { ...reply.result, history: this.historyData };
  }

  async run(): Promise<McotResult> {
    let summary = await this.step(this.setup.params.stepsPerSummary);
    while (!summary.stopReason) summary = await this.step(this.setup.params.stepsPerSummary);
    return this.result();
  }

  reset(): void {
    this.latest = undefined;
    this.snapshot = this.emptySnapshot();
    this.historyData = emptyHistory();
    void this.request({ kind: 'reset' }).catch(() => undefined);
  }

  summary(): McotSummary {
    return (
      this.latest ?? {
        iteration: 0,
        converged: false,
        phase: 'initialising',
        initSteps: 0,
        cost: Number.NaN,
        residual: Number.NaN,
        timeStep: this.setup.langevin.timeStep,
        tolerance: this.setup.langevin.tolerance,
        sigma: 0,
        accepted: 0,
        rejected: 0,
        newtonIterations: 0,
      }
    );
  }

  particles(): ParticleSnapshot {
    return this.snapshot;
  }

  history(): McotHistory {
    return this.historyData;
  }

  dispose(): void {
    this.failed ??= new Error('the CPU worker was disposed');
    for (const { reject } of this.pending.values()) reject(this.failed);
    this.pending.clear();
    this.terminate();
  }
}
