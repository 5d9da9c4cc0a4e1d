/** MCOT on the CPU: the float64 reference (src/ot/mcot/langevin.ts), one step at a time. */
import {
  createLangevinWorkspace,
  langevinStep,
  type LangevinWorkspace,
} from '../../ot/mcot/langevin';
import { cloneState, type ParticleState } from '../../ot/mcot/particles';
import { McotSolverBase } from './base';

export class CpuMcotSolver extends McotSolverBase {
  readonly backend = 'cpu';
  private state: ParticleState | undefined;
  private workspace: LangevinWorkspace | undefined;

  protected beginLangevin(state: ParticleState, gradient: ParticleState): Promise<void> {
    this.state = cloneState(state);
    this.workspace = createLangevinWorkspace(this.setup.problem);
    this.workspace.gradient.x.set(gradient.x);
    this.workspace.gradient.z.set(gradient.z);
    return Promise.resolve();
  }

  protected advanceLangevin(count: number): Promise<void> {
    const state = this.state!;
    try {
      for (let s = 0; s < count; s += 1) {
        langevinStep(this.setup.problem, state, this.control, this.setup.langevin, this.workspace!);
        this.recordHistory(this.control.cost);
      }
    } finally {
      this.publish(state);
    }
    return Promise.resolve();
  }

  protected currentState(): Promise<ParticleState> {
    return Promise.resolve(cloneState(this.state!));
  }

  protected releaseBackend(): void {
    this.state = undefined;
    this.workspace = undefined;
  }

  dispose(): void {
    this.releaseBackend();
  }
}
