/** One line of a benchmark report. Timings are medians over `runs` repetitions. */
export interface BenchRow {
  name: string;
  backend: 'cpu' | 'gpu';
  /** True for software GPU adapters (SwiftShader): CPU emulation, not GPU figures. */
  emulated: boolean;
  n: number;
  medianMs: number;
  runs: number;
  submits?: number;
  dispatches?: number;
  readbacks?: number;
  note?: string;
}
