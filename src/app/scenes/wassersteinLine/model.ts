/**
 * W1 against W2 on the line, and the Gaussian (FID) formula against samples (MATH.md §1–2; seed
 * 004, "1-Wasserstein Distance", "2-Wasserstein Distance", "Fréchet Inception Distance").
 *
 * Pictures: n seeded samples of μ and of ν; W1 is the area between their CDFs (cdfDistance) and
 * between their quantile functions; W_p comes from the quantiles (wasserstein1D, exact by sorting).
 * Population values come from quadrature on the quantile functions (normalMixture1D).
 *
 * Convergence: for growing n, the empirical W2² between n fresh samples of each law, and the
 * plug-in FID estimate (the Gaussian formula fed with sample means and variances), against the
 * formula with the exact moments. For two normals (w = 0) that formula is W2² itself; with an
 * outlier bump it is only Gelbrich's lower bound, and the empirical W2² converges above it.
 */
import { cdfDistance, wasserstein1D } from '../../../ot/exact/oneDimensional';
import { gaussianW2 } from '../../../ot/gaussian';
import {
  mixtureMoments,
  mixtureW1ByCdf,
  mixtureWpPower,
  sampleMixture1D,
  sampleMoments,
  validateMixture1D,
  type NormalComponent,
} from '../../../ot/normalMixture1D';
import type { SequenceDefinition } from '../../../solvers/sequence';
import type { ParamValues } from '../../params';
import { SWEEP_SIZES, type WassersteinLineParams } from './params';

type Values = ParamValues<WassersteinLineParams>;

export const OUTLIER_SD = 0.3;
/** Quadrature tolerance of the population values (absolute, on W_p^p). */
const POPULATION_TOLERANCE = 1e-7;

/** The Gaussian formula in 1D: (m₁ − m₂)² + (σ₁ − σ₂)², through the matrix code of the FID. */
export function gaussianFormula(
  a: { mean: number; variance: number },
  b: { mean: number; variance: number },
): number {
  return gaussianW2(
    { mean: [a.mean], cov: [[a.variance]] },
    { mean: [b.mean], cov: [[b.variance]] },
  ).w2Squared;
}

export interface LineLaws {
  mu: NormalComponent[];
  nu: NormalComponent[];
  /** ν has no outlier bump: the Gaussian formula is exact. */
  gaussian: boolean;
}

export function lineLaws(
  values: Pick<Values, 'm1' | 's1' | 'm2' | 's2' | 'w' | 'outlier'>,
): LineLaws {
  return {
    mu: validateMixture1D([{ weight: 1, mean: values.m1, sd: values.s1 }], 'μ'),
    nu: validateMixture1D(
      [
        { weight: 1 - values.w, mean: values.m2, sd: values.s2 },
        { weight: values.w, mean: values.outlier, sd: OUTLIER_SD },
      ],
      'ν',
    ),
    gaussian: values.w === 0,
  };
}

export interface SamplePictures {
  /** Sorted samples. */
  x: Float64Array;
  y: Float64Array;
  /** Area between the empirical CDFs. */
  w1ByCdf: number;
  /** From the quantiles. */
  w1: number;
  w2: number;
  wp: number;
}

export function samplePictures(laws: LineLaws, values: Values): SamplePictures {
  const x = sampleMixture1D(laws.mu, values.n, values.seed, 0).sort();
  const y = sampleMixture1D(laws.nu, values.n, values.seed, 2).sort();
  const problem = { x: [...x], y: [...y] };
  return {
    x,
    y,
    w1ByCdf: cdfDistance(problem),
    w1: wasserstein1D(problem, 1),
    w2: wasserstein1D(problem, 2),
    wp: wasserstein1D(problem, values.p),
  };
}

export interface PopulationValues {
  w1: number;
  w2: number;
  wp: number;
  /** The Gaussian formula with the exact means and variances of μ and ν. */
  formula: number;
  meanTerm: number;
  spreadTerm: number;
}

export function populationValues(laws: LineLaws, p: number): PopulationValues {
  const a = mixtureMoments(laws.mu);
  const b = mixtureMoments(laws.nu);
  // W1 from the CDFs needs no quantile inversion (the expensive part); W_p only when p ∉ {1, 2}.
  const w1 = mixtureW1ByCdf(laws.mu, laws.nu, POPULATION_TOLERANCE);
  const w2 = Math.sqrt(mixtureWpPower(laws.mu, laws.nu, 2, POPULATION_TOLERANCE));
  const wp =
    p === 1
      ? w1
      : p === 2
        ? w2
        : mixtureWpPower(laws.mu, laws.nu, p, POPULATION_TOLERANCE) ** (1 / p);
  return {
    w1,
    w2,
    wp,
    formula: gaussianFormula(a, b),
    meanTerm: (a.mean - b.mean) ** 2,
    spreadTerm: (Math.sqrt(a.variance) - Math.sqrt(b.variance)) ** 2,
  };
}

export interface SweepPoint {
  n: number;
  /** W2² between n samples of μ and n of ν (exact by sorting). */
  empirical: number;
  /** The Gaussian formula with the sample means and variances (how FID is computed). */
  plugIn: number;
}

export interface SweepState {
  points: SweepPoint[];
}

function sweepPoint(laws: LineLaws, seed: number, index: number): SweepPoint {
  const n = SWEEP_SIZES[index]!;
  // Fresh, independent streams for every size (the pictures use streams 0 to 3).
  const x = sampleMixture1D(laws.mu, n, seed, 10 + 4 * index);
  const y = sampleMixture1D(laws.nu, n, seed, 12 + 4 * index);
  return {
    n,
    empirical: wasserstein1D({ x: [...x], y: [...y] }, 2) ** 2,
    plugIn: gaussianFormula(sampleMoments(x), sampleMoments(y)),
  };
}

/** One more sample size per step, from 10 to 100 000. */
export function sweepDefinition(laws: LineLaws, seed: number): SequenceDefinition<SweepState> {
  return {
    first: { points: [sweepPoint(laws, seed, 0)] },
    next: (state, index) =>
      index + 1 < SWEEP_SIZES.length
        ? { points: [...state.points, sweepPoint(laws, seed, index + 1)] }
        : undefined,
    finished: () => `Reached n = ${SWEEP_SIZES.at(-1)!.toLocaleString('en-US')} samples per law`,
  };
}
