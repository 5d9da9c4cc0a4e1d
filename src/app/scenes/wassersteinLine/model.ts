/**
 * The W1-vs-W2 scene's laws and convergence sweep (seed 004, "1-Wasserstein Distance",
 * "Fréchet Inception Distance"): μ = N(m₁, s₁²) and ν a normal with an optional outlier bump, so
 * that the Gaussian formula is exact (w = 0) or only Gelbrich's lower bound. The samples, values and
 * sweep entries come from src/ot/wassersteinLine.ts, which `otlab wasserstein-1d` runs too.
 */
import { validateMixture1D, type NormalComponent } from '../../../ot/normalMixture1D';
import {
  pictureSamples,
  populationValues as lawValues,
  sampleValues,
  sweepPoint as sweepEntry,
  type PopulationValues,
  type SampleValues,
  type SweepPoint,
} from '../../../ot/wassersteinLine';
import type { SequenceDefinition } from '../../../solvers/sequence';
import type { ParamValues } from '../../params';
import { SWEEP_SIZES, type WassersteinLineParams } from './params';

export type { PopulationValues, SweepPoint };

type Values = ParamValues<WassersteinLineParams>;

export const OUTLIER_SD = 0.3;
/** Quadrature tolerance of the population values (absolute, on W_p^p). */
export const POPULATION_TOLERANCE = 1e-7;

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

export interface SamplePictures extends SampleValues {
  /** Sorted samples. */
  x: Float64Array;
  y: Float64Array;
}

export function samplePictures(laws: LineLaws, values: Values): SamplePictures {
  const { x, y } = pictureSamples(laws.mu, laws.nu, values.n, values.seed);
  return { x, y, ...sampleValues({ x: [...x], y: [...y] }, values.p) };
}

export function populationValues(laws: LineLaws, p: number): PopulationValues {
  return lawValues(laws.mu, laws.nu, p, POPULATION_TOLERANCE);
}

export interface SweepState {
  points: SweepPoint[];
}

function sweepPoint(laws: LineLaws, seed: number, index: number): SweepPoint {
  return sweepEntry(laws.mu, laws.nu, SWEEP_SIZES[index]!, seed, index);
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
