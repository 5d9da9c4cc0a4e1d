/**
 * What every scene with a SolverController needs from the app shell: recovery of GPU lanes after
 * a lost device (while WebGPU is ready), iteration rates in the status line at the throttled
 * view's pace, and disposal of the solvers when the scene is left.
 */
import { useEffect } from 'react';
import type { Backend, IterativeSolver, SolverSummary } from '../solvers/types';
import { gpuRuntime } from './gpuRuntime';
import type { SolverController } from './solverController';
import { useAppStore } from './store';

export function useControllerLifecycle<S extends SolverSummary, R, T extends IterativeSolver<S, R>>(
  controller: SolverController<S, R, T>,
): void {
  const status = useAppStore((state) => state.runtime.status);
  const setIterationRates = useAppStore((state) => state.setIterationRates);

  useEffect(() => {
    if (status !== 'ready') return;
    controller.attachDevice(gpuRuntime());
    return () => {
      controller.attachDevice(undefined);
    };
  }, [controller, status]);

  useEffect(
    () => () => {
      controller.dispose();
    },
    [controller],
  );

  useEffect(() => {
    const unsubscribe = controller.subscribe(() => {
      const rates: Partial<Record<Backend, number>> = {};
      for (const lane of controller.getView().lanes) rates[lane.backend] = lane.rate;
      setIterationRates(rates);
    });
    return () => {
      unsubscribe();
      setIterationRates({});
    };
  }, [controller, setIterationRates]);
}
