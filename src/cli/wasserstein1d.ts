/**
 * `otlab wasserstein-1d`: W1 (CDF and quantile pictures), W2 and W_p on the line, between samples
 * (exact by sorting) or between normal mixtures (quadrature), and the Gaussian (FID) formula with
 * its sample-based estimates for growing n (MATH.md §1–2; seed 004, "1-Wasserstein Distance",
 * "Fréchet Inception Distance"). Samples drawn from a seed are the W1-vs-W2 scene's.
 */
import { sampleMoments, validateMixture1D, type NormalComponent } from '../ot/normalMixture1D';
import {
  gaussianFormula,
  pictureSamples,
  populationValues,
  sampleValues,
  sweepPoint,
} from '../ot/wassersteinLine';
import {
  InputError,
  orDefault,
  requireFiniteNumber,
  requireInteger,
  requireObject,
  requirePositive,
  requireVector,
} from '../ot/validate';
import { cliSolver } from './registry';

const MAX_SAMPLES = 1_000_000;
const MAX_COMPONENTS = 50;
const MAX_SWEEP = 30;

interface Laws {
  mu: NormalComponent[];
  nu: NormalComponent[];
  /** Samples to draw from each law for `samples`, with the seed. */
  n: number | undefined;
  seed: number;
  sweep: number[];
  tolerance: number;
}

interface Wasserstein1dInput {
  p: number;
  samples: { x: number[]; y: number[] } | undefined;
  laws: Laws | undefined;
}

function parseSamples(value: unknown, field: string): number[] {
  const samples = requireVector(value, field);
  if (samples.length === 0) throw new InputError(field, 'give at least one sample');
  if (samples.length > MAX_SAMPLES) throw new InputError(field, `at most ${MAX_SAMPLES} samples`);
  return samples;
}

function parseMixture(value: unknown, field: string): NormalComponent[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(field, 'expected components like [{"weight": 1, "mean": 0, "sd": 1}]');
  }
  if (value.length > MAX_COMPONENTS)
    throw new InputError(field, `at most ${MAX_COMPONENTS} components`);
  const components = value.map((entry, k) => {
    const c = requireObject(entry, `${field}[${k}]`);
    return {
      weight: requireFiniteNumber(c.weight, `${field}[${k}].weight`),
      mean: requireFiniteNumber(c.mean, `${field}[${k}].mean`),
      sd: requireFiniteNumber(c.sd, `${field}[${k}].sd`),
    };
  });
  return validateMixture1D(components, field);
}

function parseLaws(input: Record<string, unknown>): Laws {
  const size = (v: unknown, field: string) => requireInteger(v, field, 1, MAX_SAMPLES);
  const sweep = orDefault(input.sweep, [], (v) => {
    const sizes = requireVector(v, 'sweep');
    if (sizes.length > MAX_SWEEP) throw new InputError('sweep', `at most ${MAX_SWEEP} sizes`);
    return sizes.map((n, k) => size(n, `sweep[${k}]`));
  });
  return {
    mu: parseMixture(input.mu, 'mu'),
    nu: parseMixture(input.nu, 'nu'),
    n: orDefault(input.n, undefined, (v) => size(v, 'n')),
    seed: orDefault(input.seed, 1, (v) => requireInteger(v, 'seed', 0, Number.MAX_SAFE_INTEGER)),
    sweep,
    tolerance: orDefault(input.tolerance, 1e-10, (v) => requirePositive(v, 'tolerance')),
  };
}

/** The sample values and the plug-in Gaussian formula (sample means and variances). */
function describeSamples(x: ArrayLike<number>, y: ArrayLike<number>, p: number) {
  return {
    n: x.length,
    m: y.length,
    ...sampleValues({ x: Array.from(x), y: Array.from(y) }, p),
    plugIn: gaussianFormula(sampleMoments(x), sampleMoments(y)),
  };
}

function lawsOutput(laws: Laws, p: number) {
  const drawn =
    laws.n === undefined ? undefined : pictureSamples(laws.mu, laws.nu, laws.n, laws.seed);
  return {
    laws: {
      mu: laws.mu,
      nu: laws.nu,
      tolerance: laws.tolerance,
      ...populationValues(laws.mu, laws.nu, p, laws.tolerance),
    },
    ...(drawn
      ? {
          samples: {
            seed: laws.seed,
            ...describeSamples(drawn.x, drawn.y, p),
            x: [...drawn.x],
            y: [...drawn.y],
          },
        }
      : {}),
    ...(laws.sweep.length > 0
      ? { sweep: laws.sweep.map((n, k) => sweepPoint(laws.mu, laws.nu, n, laws.seed, k)) }
      : {}),
  };
}

export const wasserstein1dCli = cliSolver<Wasserstein1dInput>({
  name: 'wasserstein-1d',
  summary: 'W1 (CDFs, quantiles), W2, W_p on the line: samples or normal mixtures; the FID formula',
  parse(json) {
    const input = requireObject(json, 'input');
    const p = orDefault(input.p, 2, (v) => requireFiniteNumber(v, 'p'));
    if (!(p >= 1)) throw new InputError('p', `W_p needs p >= 1, got ${p}`);
    const hasSamples = input.x !== undefined || input.y !== undefined;
    const hasLaws = input.mu !== undefined || input.nu !== undefined;
    if (hasSamples === hasLaws) {
      throw new InputError(
        hasSamples ? 'mu' : 'x',
        'give samples x and y, or normal mixtures mu and nu (not both)',
      );
    }
    return {
      p,
      samples: hasSamples
        ? { x: parseSamples(input.x, 'x'), y: parseSamples(input.y, 'y') }
        : undefined,
      laws: hasLaws ? parseLaws(input) : undefined,
    };
  },
  run({ p, samples, laws }) {
    return Promise.resolve({
      solver: 'wasserstein-1d',
      backend: 'cpu', // sorting and quadrature in float64
      p,
      ...(samples ? { samples: describeSamples(samples.x, samples.y, p) } : {}),
      ...(laws ? lawsOutput(laws, p) : {}),
    });
  },
});
