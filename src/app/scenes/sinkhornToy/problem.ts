/**
 * The toy's problem: two seeded point clouds in the unit square with uniform weights and the
 * squared Euclidean cost (MATH.md §1). Source: two Gaussian blobs on the left; target: a noisy
 * crescent on the right, so the plan visibly splits and bends. Pure: no DOM, no GPU.
 */
import { seededRandom } from '../../../ot/random';
import type { SinkhornProblem } from '../../../ot/sinkhorn';

/** Standard normal samples by Box–Muller (one of each pair is used: simple and deterministic). */
function normal(random: () => number): number {
  const u = 1 - random(); // in (0, 1]: log stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const BLOBS = [
  { center: [0.16, 0.3], spread: 0.065 },
  { center: [0.24, 0.72], spread: 0.055 },
] as const;
const CRESCENT = { center: [0.5, 0.5], radius: 0.36, arc: 0.55 * Math.PI, noise: 0.025 } as const;

export interface ToyCloudOptions {
  n: number;
  m: number;
  seed: number;
}

export function toyClouds({ n, m, seed }: ToyCloudOptions): { x: number[][]; y: number[][] } {
  const random = seededRandom(seed);
  const x = Array.from({ length: n }, (_, i) => {
    const blob = BLOBS[i % BLOBS.length]!;
    return blob.center.map((c) => c + blob.spread * normal(random));
  });
  const y = Array.from({ length: m }, () => {
    const angle = CRESCENT.arc * (2 * random() - 1);
    const radius = CRESCENT.radius + CRESCENT.noise * normal(random);
    return [
      CRESCENT.center[0] + radius * Math.cos(angle),
      CRESCENT.center[1] + radius * Math.sin(angle),
    ];
  });
  return { x, y };
}

export function toyProblem(options: ToyCloudOptions & { epsilon: number }): SinkhornProblem {
  const { x, y } = toyClouds(options);
  return {
    x,
    y,
    a: new Array<number>(options.n).fill(1 / options.n),
    b: new Array<number>(options.m).fill(1 / options.m),
    epsilon: options.epsilon,
    cost: { kind: 'sqeuclidean' },
  };
}
