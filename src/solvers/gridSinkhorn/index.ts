/** Grid (convolutional) entropic barycenters: one entry point, two backends with the same API. */
import type { GpuRuntime } from '../../gpu/runtime';
import { DEFAULT_GRID_OPTIONS, type GridBarycenterProblem } from '../../ot/gridSinkhorn';
import type { SinkhornOptions } from '../../ot/sinkhorn';
import { InputError } from '../../ot/validate';
import type { Backend } from '../types';
import { CpuGridBarycenterSolver } from './cpu';
import { GpuGridBarycenterSolver } from './gpu';
import type { GridBarycenterSolver } from './types';

export type * from './types';

/** Largest h·w·(h + w) (terms of one kernel application) the CPU backend takes: 256×256. */
export const CPU_MAX_GRID_WORK = 2 ** 25;

export function createGridBarycenterSolver(
  problem: GridBarycenterProblem,
  backend: Backend,
  options: Partial<SinkhornOptions> = {},
  runtime?: GpuRuntime,
): GridBarycenterSolver {
  const full = { ...DEFAULT_GRID_OPTIONS, ...options };
  if (backend === 'gpu') {
    if (!runtime) throw new Error('the GPU backend needs a GPU runtime');
    return new GpuGridBarycenterSolver(runtime, problem, full);
  }
  const { height, width } = problem;
  const work = height * width * (height + width);
  if (work > CPU_MAX_GRID_WORK) {
    throw new InputError(
      'images',
      `${height}×${width} images need ${work} log-sum-exp terms per blur, more than the CPU backend's ${CPU_MAX_GRID_WORK} (256×256); use the GPU backend or smaller images`,
    );
  }
  return new CpuGridBarycenterSolver(problem, full);
}
