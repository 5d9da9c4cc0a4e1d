import { describe, expect, it } from 'vitest';
import type { SinkhornProblem } from '../../src/ot/sinkhorn';
import {
  EVALUATIONS_PER_SUBMIT,
  dispatchGrid,
  iterationsPerSubmit,
  planSinkhornGpu,
} from '../../src/solvers/sinkhorn/plan';

const cloud = (count: number) => Array.from({ length: count }, (_, k) => [k, 0]);
function problem(x: number[][], y: number[][]): SinkhornProblem {
  return {
    x,
    y,
    a: new Array<number>(x.length).fill(1 / x.length),
    b: new Array<number>(y.length).fill(1 / y.length),
    epsilon: 1,
    cost: { kind: 'sqeuclidean' },
  };
}
// WebGPU's default limits.
const limits = {
  maxStorageBufferBindingSize: 128 * 2 ** 20,
  maxComputeWorkgroupsPerDimension: 65535,
};

describe('GPU layout of a Sinkhorn batch', () => {
  it('packs problems of different sizes with offsets and stores shared clouds once', () => {
    const x = cloud(3);
    const y = cloud(5);
    // Debiased layout: (x, y), (x, x), (y, y).
    const plan = planSinkhornGpu([problem(x, y), problem(x, x), problem(y, y)], limits);
    expect(plan.clouds).toEqual([x, y]);
    expect(plan.rows).toBe(3 + 3 + 5);
    expect(plan.cols).toBe(5 + 3 + 5);
    expect([plan.maxRows, plan.maxCols]).toEqual([5, 5]);
    // (n, m, x_off, y_off, f_off, g_off, 0, 0) per problem; g after all f.
    expect(Array.from(plan.layout)).toEqual([
      3, 5, 0, 3, 0, 11, 0, 0, 3, 3, 0, 0, 3, 16, 0, 0, 5, 5, 3, 3, 6, 19, 0, 0,
    ]);
  });

  it('tiles dispatches past 65535 workgroups per dimension', () => {
    expect(dispatchGrid(100, 65535)).toEqual([100, 1]);
    expect(dispatchGrid(100_000, 65535)).toEqual([65535, 2]);
    expect(dispatchGrid(0, 65535)).toEqual([1, 1]);
    const [x, y] = dispatchGrid(3 * 100_000, 1000);
    expect(x).toBe(1000);
    expect(x * y).toBeGreaterThanOrEqual(300_000);
  });

  it('plans n = m = 100k within the default limits', () => {
    const big = cloud(100_000);
    const plan = planSinkhornGpu([problem(big, big)], limits);
    expect(plan.maxRows).toBe(100_000);
    // One iteration per submit: 2·10¹⁰ cost evaluations is far above the per-submit budget.
    expect(iterationsPerSubmit([problem(big, big)], 100)).toBe(1);
    expect(iterationsPerSubmit([problem(cloud(1000), cloud(1000))], 100)).toBe(100);
    const n = 16_000;
    expect(iterationsPerSubmit([problem(cloud(n), cloud(n))], 100)).toBe(
      Math.floor(EVALUATIONS_PER_SUBMIT / (2 * n * n)),
    );
  });

  it('names the limit a too-large problem exceeds and how to fix it', () => {
    const big = cloud(100_000);
    expect(() =>
      planSinkhornGpu([problem(big, big)], { ...limits, maxStorageBufferBindingSize: 2 ** 20 }),
    ).toThrow(
      /x: the points .* need 1\.5 MiB .* at most 1\.0 MiB \(maxStorageBufferBindingSize\): use fewer points/,
    );
    expect(() =>
      planSinkhornGpu([problem(big, big)], { ...limits, maxComputeWorkgroupsPerDimension: 300 }),
    ).toThrow(
      /100000 workgroups .* exceed this adapter's 300² \(maxComputeWorkgroupsPerDimension in 2D\)/,
    );
  });
});
