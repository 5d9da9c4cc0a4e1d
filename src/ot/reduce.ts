/**
 * Float64 reference of the GPU reductions in shaders/reduce.wgsl: sum, max and log Σ exp.
 */
import { logSumExp } from './sinkhorn';

export const REDUCE_OPS = ['sum', 'max', 'logsumexp'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** Σ v with Neumaier's compensation: error O(ε) Σ|v| independent of n, a tight reference. */
function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let k = 0; k < values.length; k += 1) {
    const v = values[k]!;
    const next = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - next + v : v - next + sum;
    sum = next;
  }
  return sum + compensation;
}

function maximum(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let k = 0; k < values.length; k += 1) max = Math.max(max, values[k]!);
  return max;
}

/** Reduces a non-empty array in float64. */
export function reduceFloat64(values: ArrayLike<number>, op: ReduceOp): number {
  if (values.length === 0) throw new RangeError(`${op} of an empty array is not defined here`);
  switch (op) {
    case 'sum':
      return compensatedSum(values);
    case 'max':
      return maximum(values);
    case 'logsumexp':
      return logSumExp(values);
  }
}
