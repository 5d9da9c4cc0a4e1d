/**
 * Grid (convolutional) Sinkhorn and entropic barycenters (src/ot/gridSinkhorn.ts) against the dense
 * point-cloud Sinkhorn, a dense Gibbs kernel, moments, and the behaviour MATH.md §5 describes.
 */
import { describe, expect, it } from 'vitest';
import { costMatrix } from '../../src/ot/costs';
import {
  GridBarycenterState,
  GridSinkhornState,
  gridMoments,
  gridSinkhorn,
  l2Barycenter,
  validateGridBarycenterProblem,
  type GridBarycenterProblem,
} from '../../src/ot/gridSinkhorn';
import { seededRandom } from '../../src/ot/random';
import { SinkhornState, logSumExp } from '../../src/ot/sinkhorn';
import { InputError } from '../../src/ot/validate';
import { createGridBarycenterSolver } from '../../src/solvers/gridSinkhorn';

const random = seededRandom(20150701);

function gridPoints(height: number, width: number): number[][] {
  return Array.from({ length: height * width }, (_, i) => [
    ((i % width) + 0.5) / width,
    (Math.floor(i / width) + 0.5) / height,
  ]);
}

function randomDensity(size: number): Float64Array {
  const raw = Float64Array.from({ length: size }, () => 0.1 + random());
  const total = raw.reduce((s, v) => s + v, 0);
  return raw.map((v) => v / total);
}

/** Image rows of a uniform disk of radius r centred at (cx, cy) on an h×w grid. */
function disk(height: number, width: number, cx: number, cy: number, r: number): number[][] {
  return Array.from({ length: height }, (_, row) =>
    Array.from({ length: width }, (_, col) => {
      const dx = (col + 0.5) / width - cx;
      const dy = (row + 0.5) / height - cy;
      return dx * dx + dy * dy <= r * r ? 1 : 0;
    }),
  );
}

/** Mass of a density within distance r of (cx, cy). */
function massNear(
  density: ArrayLike<number>,
  h: number,
  w: number,
  cx: number,
  cy: number,
  r: number,
) {
  let mass = 0;
  for (let i = 0; i < h * w; i += 1) {
    const dx = ((i % w) + 0.5) / w - cx;
    const dy = (Math.floor(i / w) + 0.5) / h - cy;
    if (dx * dx + dy * dy <= r * r) mass += density[i]!;
  }
  return mass;
}

function l1(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < p.length; i += 1) total += Math.abs(p[i]! - q[i]!);
  return total;
}

function runBarycenter(problem: GridBarycenterProblem, iterations: number): GridBarycenterState {
  const state = new GridBarycenterState(problem);
  for (let t = 0; t < iterations; t += 1) state.iterate();
  return state;
}

describe('grid Sinkhorn', () => {
  it('equals the dense point-cloud Sinkhorn on the grid points to 1e-10', () => {
    for (const [height, width, epsilon] of [
      [8, 8, 0.05],
      [5, 7, 0.01],
      [1, 6, 0.2],
    ] as const) {
      const a = randomDensity(height * width);
      const b = randomDensity(height * width);
      const points = gridPoints(height, width);
      const dense = new SinkhornState({
        x: points,
        y: points,
        a: Array.from(a),
        b: Array.from(b),
        epsilon,
        cost: { kind: 'sqeuclidean' },
      });
      const grid = new GridSinkhornState({ height, width, a, b, epsilon });
      for (let t = 0; t < 30; t += 1) {
        dense.iterate();
        grid.iterate();
      }
      for (let i = 0; i < height * width; i += 1) {
        expect(Math.abs(grid.f[i]! - dense.f[i]!)).toBeLessThan(1e-10);
        expect(Math.abs(grid.g[i]! - dense.g[i]!)).toBeLessThan(1e-10);
      }
      expect(Math.abs(grid.marginalError() - dense.marginalError())).toBeLessThan(1e-10);
      expect(Math.abs(grid.transportCost() - dense.transportCost())).toBeLessThan(1e-10);
    }
  });

  it('converges: small marginal error, dual objective below the transport cost plus entropy', () => {
    const height = 6;
    const width = 9;
    const a = randomDensity(height * width);
    const b = randomDensity(height * width);
    const result = gridSinkhorn(
      { height, width, a, b, epsilon: 0.05 },
      { maxIterations: 2000, tolerance: 1e-9, checkEvery: 5 },
    );
    expect(result.converged).toBe(true);
    expect(result.marginalError).toBeLessThan(1e-9);
    expect(Number.isFinite(result.dualObjective)).toBe(true);
    // OT_ε = ⟨C,P⟩ + ε KL(P | a⊗b) ≥ ⟨C,P⟩ (KL ≥ 0), and the dual equals OT_ε at convergence.
    expect(result.dualObjective).toBeGreaterThanOrEqual(result.transportCost - 1e-9);
  });
});

describe('grid entropic barycenter', () => {
  it('of K identical images is the image blurred by the Gibbs kernel, K(a ⊘ K1), exactly', () => {
    const height = 7;
    const width = 9;
    const epsilon = 0.01;
    const a = randomDensity(height * width);
    const points = gridPoints(height, width);
    const cost = costMatrix({ kind: 'sqeuclidean' }, points, points);
    const n = height * width;
    // Independent dense reference: blurred_j = Σ_i K_ij a_i / (Σ_l K_il), K = exp(−C/ε).
    const expected = new Float64Array(n);
    for (let i = 0; i < n; i += 1) {
      const logRow = logSumExp(Array.from({ length: n }, (_, l) => -cost[i * n + l]! / epsilon));
      for (let j = 0; j < n; j += 1)
        expected[j] = expected[j]! + a[i]! * Math.exp(-cost[i * n + j]! / epsilon - logRow);
    }
    for (const K of [1, 3]) {
      const problem = {
        height,
        width,
        images: Array.from({ length: K }, () => a),
        weights: new Array<number>(K).fill(1 / K),
        epsilon,
        debiased: false,
      };
      const state = runBarycenter(problem, 5);
      const b = state.barycenter();
      for (let j = 0; j < n; j += 1) expect(Math.abs(b[j]! - expected[j]!)).toBeLessThan(1e-12);
      expect(state.marginalError()).toBeLessThan(1e-12);
      // The blur is real: it moves a visible part of the mass away from the image.
      expect(l1(b, a)).toBeGreaterThan(0.05);
    }
  });

  it('debiasing removes most of the entropic blur of identical images', () => {
    const height = 16;
    const width = 16;
    const grid = validateGridBarycenterProblem({
      images: [disk(height, width, 0.5, 0.5, 0.25), disk(height, width, 0.5, 0.5, 0.25)],
      epsilon: 0.004,
    });
    const plain = runBarycenter(grid, 100);
    const debiased = runBarycenter({ ...grid, debiased: true }, 100);
    const a = grid.images[0]!;
    const plainError = l1(plain.barycenter(), a);
    const debiasedError = l1(debiased.barycenter(), a);
    // Measured: L1 distance to the image 0.248 (plain) and 0.0137 (debiased).
    expect(plainError).toBeGreaterThan(0.2);
    expect(debiasedError).toBeLessThan(0.1 * plainError);
  });

  it('moves a disk halfway between two translated disks; the L2 barycenter has two bumps', () => {
    const h = 32;
    const w = 32;
    const problem = validateGridBarycenterProblem({
      images: [disk(h, w, 0.25, 0.5, 0.1), disk(h, w, 0.75, 0.5, 0.1)],
      epsilon: 0.002,
    });
    const state = runBarycenter(problem, 100);
    expect(state.marginalError()).toBeLessThan(1e-3);
    const b = state.barycenter();
    const moments = gridMoments(b, h, w);
    expect(Math.abs(moments.mass - 1)).toBeLessThan(1e-3);
    expect(Math.abs(moments.mean[0] - 0.5)).toBeLessThan(5e-3);
    expect(Math.abs(moments.mean[1] - 0.5)).toBeLessThan(5e-3);
    // A single bump at the midpoint: nearly all mass there, little at the two original centres.
    expect(massNear(b, h, w, 0.5, 0.5, 0.17)).toBeGreaterThan(0.9);
    expect(massNear(b, h, w, 0.25, 0.5, 0.08)).toBeLessThan(0.02);
    expect(massNear(b, h, w, 0.75, 0.5, 0.08)).toBeLessThan(0.02);

    const l2 = l2Barycenter(problem);
    expect(massNear(l2, h, w, 0.5, 0.5, 0.1)).toBeLessThan(1e-12);
    expect(massNear(l2, h, w, 0.25, 0.5, 0.11)).toBeCloseTo(0.5, 12);
    expect(massNear(l2, h, w, 0.75, 0.5, 0.11)).toBeCloseTo(0.5, 12);

    // The entropic barycenter of translates is the translate blurred by the Gibbs kernel, whose
    // variance is ε/2 per coordinate: second moment = disk's + ε (measured: to 1e-9).
    const disk0 = gridMoments(problem.images[0]!, h, w).secondMoment;
    expect(Math.abs(moments.secondMoment - (disk0 + problem.epsilon))).toBeLessThan(1e-6);

    // Debiased: same centre, tighter spread (closer to the disk's).
    const debiased = runBarycenter({ ...problem, debiased: true }, 100).barycenter();
    const sharp = gridMoments(debiased, h, w);
    expect(Math.abs(sharp.mean[0] - 0.5)).toBeLessThan(5e-3);
    expect(sharp.secondMoment).toBeLessThan(moments.secondMoment);
    // Measured: 0.004902 against the disk's 0.004883 (plain: 0.006883).
    expect(Math.abs(sharp.secondMoment - disk0)).toBeLessThan(0.05 * problem.epsilon);
  });

  it('respects the weights: λ = (0.8, 0.2) puts the bump at 0.8·0.3 + 0.2·0.7', () => {
    const problem = validateGridBarycenterProblem({
      images: [disk(24, 24, 0.3, 0.5, 0.1), disk(24, 24, 0.7, 0.5, 0.1)],
      weights: [0.8, 0.2],
      epsilon: 0.003,
    });
    const b = runBarycenter(problem, 200).barycenter();
    expect(Math.abs(gridMoments(b, 24, 24).mean[0] - 0.38)).toBeLessThan(0.01);
  });
});

describe('grid barycenter solver (CPU backend)', () => {
  it('checks every checkEvery iterations, converges and reports the barycenter', async () => {
    const problem = validateGridBarycenterProblem({
      images: [disk(12, 10, 0.3, 0.4, 0.2), disk(12, 10, 0.6, 0.6, 0.2)],
      epsilon: 0.01,
    });
    const solver = createGridBarycenterSolver(problem, 'cpu', {
      tolerance: 1e-6,
      checkEvery: 5,
      maxIterations: 500,
    });
    const result = await solver.run();
    expect(result.converged).toBe(true);
    expect(result.marginalError).toBeLessThan(1e-6);
    expect(result.history.every((s) => s.iteration % 5 === 0)).toBe(true);
    const reference = runBarycenter(problem, result.iterations).barycenter();
    expect(l1(result.barycenter, reference)).toBeLessThan(1e-12);
    solver.reset();
    expect((await solver.step(5)).iteration).toBe(5);
    solver.dispose();
  });

  it('sends grids above 256×256 to the GPU backend with an InputError naming images', () => {
    const image = new Float64Array(300 * 256).fill(1 / (300 * 256));
    const problem = { height: 300, width: 256, images: [image], weights: [1] };
    expect(() =>
      createGridBarycenterSolver({ ...problem, epsilon: 0.01, debiased: false }, 'cpu'),
    ).toThrow(/^images: .*use the GPU backend/);
  });
});

describe('grid barycenter validation', () => {
  const good = { images: [disk(4, 4, 0.5, 0.5, 0.3)], epsilon: 0.01 };
  const cases: [string, unknown, RegExp][] = [
    ['images', { ...good, images: [] }, /^images:/],
    [
      'images[1]',
      { ...good, images: [good.images[0], [[0, 0, 0, 0]]] },
      /^images\[1\]: expected 4 rows/,
    ],
    [
      'images[0][1][2]',
      {
        ...good,
        images: [
          [
            [1, 1, 1, 1],
            [1, 1, -1, 1],
            [1, 1, 1, 1],
            [1, 1, 1, 1],
          ],
        ],
      },
      /^images\[0\]\[1\]\[2\]: densities must be >= 0/,
    ],
    [
      'images[0] mass',
      {
        ...good,
        images: [
          [
            [0, 0],
            [0, 0],
          ],
        ],
      },
      /^images\[0\]: the image has no mass/,
    ],
    ['weights', { ...good, weights: [0.5] }, /^weights: weights must sum to 1/],
    ['epsilon', { ...good, epsilon: 0 }, /^epsilon: must be > 0/],
    ['debiased', { ...good, debiased: 'yes' }, /^debiased:/],
  ];
  it.each(cases)('rejects bad %s with an InputError naming it', (_, input, message) => {
    expect(() =>
      validateGridBarycenterProblem(input as Parameters<typeof validateGridBarycenterProblem>[0]),
    ).toThrow(InputError);
    expect(() =>
      validateGridBarycenterProblem(input as Parameters<typeof validateGridBarycenterProblem>[0]),
    ).toThrow(message);
  });

  it('normalises images to mass 1', () => {
    const problem = validateGridBarycenterProblem({ images: [[[2, 6]]], epsilon: 1 });
    expect(Array.from(problem.images[0]!)).toEqual([0.25, 0.75]);
  });
});
