/**
 * The lab's numbers, computed from its validated URL parameters with the float64 routines of
 * src/ot/gaussian.ts: input Gaussians (falling back to defaults, with a message, when a covariance
 * is not SPD), weights on the simplex, the three views' results and the CPU density grids drawn by
 * the panels. Pure functions (no DOM), unit-tested in test/unit/gaussianBarycenterScene.test.ts.
 */
import {
  fokkerPlanckReducedOrder,
  fokkerPlanckSnapshots,
  gaussianBarycenter,
  marginalConstrainedBarycenter,
  marginalPreservingBarycenter,
  validateGaussian,
  type FokkerPlanckModel,
  type Gaussian,
  type GaussianBarycenter,
  type GaussianMixture,
  type ReducedOrderComparison,
} from '../../../ot/gaussian';
import {
  mixtureBarycenter,
  mixtureDensity,
  mixtureMarginalConstrainedBarycenter,
  mixtureMarginalPreservingBarycenter,
  type MixtureBarycenter,
} from '../../../ot/gmm';
import { symmetricEigen } from '../../../ot/linalg';
import { InputError } from '../../../ot/validate';
import { checkedWeights } from '../../components/simplex';
import { defaultValues, type ParamValue, type ParamValues } from '../../params';
import { gaussianBarycenterParams, WEIGHT_KEYS } from './params';

type Values = ParamValues<typeof gaussianBarycenterParams>;

/** Initial Gaussian of the Fokker–Planck toy (off-centre and elongated, so rotation shows). */
export const ROM_INITIAL: Gaussian = {
  mean: [1.2, 0],
  cov: [
    [0.35, 0.05],
    [0.05, 0.05],
  ],
};

export interface SceneInputs {
  gaussians: Gaussian[];
  /** Two-bump mixtures built from the Gaussians when the inputs are mixtures. */
  mixtures: GaussianMixture[] | undefined;
  /** Normalised to sum exactly to 1. */
  weights: number[];
  /** Prescribed marginals of the constrained view. */
  prescribed: { x: Gaussian; y: Gaussian };
  /** Target time of the reduced-order view, within [0, horizon]. */
  targetTime: number;
  /** Cross-parameter problems found, each with the fallback used. */
  issues: string[];
}

function inputGaussian(values: Readonly<Record<string, ParamValue>>, k: number): Gaussian {
  const get = (name: string) => Number(values[name]);
  const c = get(`c${k}`);
  return {
    mean: [get(`m${k}x`), get(`m${k}y`)],
    cov: [
      [get(`v${k}x`), c],
      [c, get(`v${k}y`)],
    ],
  };
}

/** Input k (1-based), or the default one with a message when its covariance is not SPD. */
function checkedGaussian(values: Values, k: number, issues: string[]): Gaussian {
  try {
    return validateGaussian(inputGaussian(values, k), `Gaussian ${k}`);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(
      `Input ${error.message} (set |c${k}| < √(v${k}x·v${k}y)); using the default Gaussian ${k}.`,
    );
    return inputGaussian(defaultValues(gaussianBarycenterParams), k);
  }
}

export function sceneInputs(values: Values): SceneInputs {
  const issues: string[] = [];
  const gaussians = Array.from({ length: values.k }, (_, k) =>
    checkedGaussian(values, k + 1, issues),
  );
  const weights = checkedWeights(
    WEIGHT_KEYS.slice(0, values.k).map((key) => values[key]),
    issues,
  );
  let targetTime = values.t;
  if (targetTime > values.horizon) {
    issues.push(
      `Target time t = ${targetTime} lies after the last snapshot T = ${values.horizon}; using t = T.`,
    );
    targetTime = values.horizon;
  }
  return {
    gaussians,
    mixtures:
      values.kind === 'mixtures' ? gaussians.map((g) => twoBumps(g, values.split)) : undefined,
    weights,
    prescribed: {
      x: { mean: [values.pmx], cov: [[values.pvx]] },
      y: { mean: [values.pmy], cov: [[values.pvy]] },
    },
    targetTime,
    issues,
  };
}

/** W2 between 1D Gaussians in closed form, √((m₁−m₂)² + (σ₁−σ₂)²) (MATH.md §2, d = 1). */
export function w2Gaussian1d(a: Gaussian, b: Gaussian): number {
  const dm = a.mean[0]! - b.mean[0]!;
  const ds = Math.sqrt(a.cov[0]![0]!) - Math.sqrt(b.cov[0]![0]!);
  return Math.hypot(dm, ds);
}

/** The x (axis 0) or y (axis 1) marginal of a 2D Gaussian. */
export function marginal1d(g: Gaussian, axis: 0 | 1): Gaussian {
  return { mean: [g.mean[axis]!], cov: [[g.cov[axis]![axis]!]] };
}

export interface MarginalMismatch {
  /** W2 between the x marginals (MW2 for mixtures). */
  x: number;
  y: number;
}

/** The x (axis 0) or y (axis 1) marginal of a 2D mixture: the mixture of its components' ones. */
export function mixtureMarginal1d(mixture: GaussianMixture, axis: 0 | 1): GaussianMixture {
  return {
    weights: mixture.weights,
    components: mixture.components.map((g) => marginal1d(g, axis)),
  };
}

/**
 * The mismatch of a mixture's marginals with prescribed Gaussian ones, in MW2 (MATH.md §4: OT
 * between components with cost W2²). Against one Gaussian the only plan is the weights, so
 * MW2² = Σ_i w_i W2²(marginal of N_i, prescribed), with the 1D closed form (exactly 0 when every
 * component has the prescribed marginal). It equals W2 for one component and bounds W2 above.
 */
export function mixtureMarginalMismatch(
  mixture: GaussianMixture,
  prescribed: { x: Gaussian; y: Gaussian },
): MarginalMismatch {
  const mw2 = (axis: 0 | 1, target: Gaussian) =>
    Math.sqrt(
      mixture.components.reduce(
        (s, g, i) => s + mixture.weights[i]! * w2Gaussian1d(marginal1d(g, axis), target) ** 2,
        0,
      ),
    );
  return { x: mw2(0, prescribed.x), y: mw2(1, prescribed.y) };
}

/**
 * A mixture of two equal bumps N(m ± s·u, S), u the major axis of S: the same mean as N(m, S),
 * a simple way to turn each input into a mixture.
 */
export function twoBumps(g: Gaussian, split: number): GaussianMixture {
  const { angle } = covarianceEllipse(g.cov, 1);
  const offset = [split * Math.cos(angle), split * Math.sin(angle)];
  const shifted = (sign: number) => ({
    mean: g.mean.map((m, i) => m + sign * offset[i]!),
    cov: g.cov,
  });
  return { weights: [0.5, 0.5], components: [shifted(1), shifted(-1)] };
}

export interface BarycenterResults {
  w2: GaussianBarycenter;
  /** The L2 barycenter Σ λ_k ν_k: a mixture (MATH.md §2). */
  l2: GaussianMixture;
  /** MW2 barycenter of the mixture inputs (MATH.md §4), absent for Gaussian inputs. */
  mw2: MixtureBarycenter | undefined;
}

/** Σ λ_k ν_k as one mixture, components weighted λ_k w_kj. */
export function l2Barycenter(
  mixtures: readonly GaussianMixture[],
  weights: readonly number[],
): GaussianMixture {
  return {
    weights: mixtures.flatMap((m, k) => m.weights.map((w) => w * weights[k]!)),
    components: mixtures.flatMap((m) => m.components),
  };
}

export function barycenterResults(inputs: SceneInputs): BarycenterResults {
  const mixtures = inputs.mixtures ?? inputs.gaussians.map(single);
  return {
    w2: gaussianBarycenter(inputs.gaussians, inputs.weights),
    l2: l2Barycenter(mixtures, inputs.weights),
    mw2: inputs.mixtures ? mixtureBarycenter(inputs.mixtures, inputs.weights) : undefined,
  };
}

export interface MarginalResult {
  /** One component for Gaussian inputs. */
  mixture: GaussianMixture;
  /** Mismatch with the prescribed marginals (W2; MW2 for mixtures). */
  error: MarginalMismatch;
}

export interface MarginalResults {
  plain: MarginalResult;
  preserving: MarginalResult;
  constrained: MarginalResult;
}

/**
 * The three barycenters of the constrained view (MATH.md §3; seed 000). Mixture inputs: the plain
 * MW2 barycenter, the component-wise marginal-preserving one, and the component-wise constrained
 * one with every component given the prescribed marginals (src/ot/gmm.ts).
 */
export function marginalResults(inputs: SceneInputs): MarginalResults {
  const result = (mixture: GaussianMixture): MarginalResult => ({
    mixture,
    error: mixtureMarginalMismatch(mixture, inputs.prescribed),
  });
  if (inputs.mixtures) {
    const pairs = { weights: [1], x: [inputs.prescribed.x], y: [inputs.prescribed.y] };
    const constrained = mixtureMarginalConstrainedBarycenter(
      inputs.mixtures,
      inputs.weights,
      pairs,
    );
    return {
      plain: result(constrained.plain.mixture),
      preserving: result(
        mixtureMarginalPreservingBarycenter(inputs.mixtures, inputs.weights, 1).mixture,
      ),
      constrained: result(constrained.mixture),
    };
  }
  const constrained = marginalConstrainedBarycenter(
    inputs.gaussians,
    inputs.weights,
    inputs.prescribed,
  );
  const preserving = marginalPreservingBarycenter(inputs.gaussians, inputs.weights, 1);
  return {
    plain: result(single(constrained.barycenter.gaussian)),
    preserving: result(single(preserving.result)),
    constrained: result(single(constrained.result)),
  };
}

export interface RomResults extends ReducedOrderComparison {
  times: number[];
  snapshots: Gaussian[];
}

/** Equally spaced snapshot times 0, T/(n−1), …, T. */
export function snapshotTimes(count: number, horizon: number): number[] {
  return Array.from({ length: count }, (_, i) => (horizon * i) / (count - 1));
}

/** The toy reduced-order model of seed 000 at the target time (src/ot/gaussian.ts). */
export function romResults(values: Values, targetTime: number): RomResults {
  const model: FokkerPlanckModel = {
    omega: values.omega,
    diffusion: values.diff,
    blockDimension: 1,
  };
  const times = snapshotTimes(values.snaps, values.horizon);
  return {
    ...fokkerPlanckReducedOrder(model, ROM_INITIAL, times, targetTime),
    times,
    snapshots: fokkerPlanckSnapshots(model, ROM_INITIAL, times),
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing helpers
// ---------------------------------------------------------------------------------------------

export interface Domain {
  min: number;
  max: number;
}

/** Cell centres of an n-point grid over the domain. */
export function gridCoordinates(domain: Domain, n: number): number[] {
  const h = (domain.max - domain.min) / n;
  return Array.from({ length: n }, (_, i) => domain.min + (i + 0.5) * h);
}

/**
 * Mixture density on an n × n grid, row-major with the first row at the top (largest y), as a
 * canvas expects.
 */
export function densityGrid(mixture: GaussianMixture, domain: Domain, n: number): number[] {
  const xs = gridCoordinates(domain, n);
  const points = [...xs].reverse().flatMap((y) => xs.map((x) => [x, y]));
  return mixtureDensity(mixture, points);
}

/** Density of the x (axis 0) or y (axis 1) marginal of a mixture at each coordinate. */
export function marginalDensity(
  mixture: GaussianMixture,
  axis: 0 | 1,
  coordinates: readonly number[],
): number[] {
  return mixtureDensity(
    mixtureMarginal1d(mixture, axis),
    coordinates.map((c) => [c]),
  );
}

export interface Ellipse {
  /** Semi-axes in data units: radius · √eigenvalue. */
  rx: number;
  ry: number;
  /** Angle of the rx axis from the x axis, in radians. */
  angle: number;
}

/** The `radius`-σ ellipse {z : zᵀ S⁻¹ z = radius²} of a 2×2 covariance. */
export function covarianceEllipse(cov: readonly (readonly number[])[], radius: number): Ellipse {
  const { values, vectors } = symmetricEigen(cov.map((row) => [...row]));
  const major = 1;
  return {
    rx: radius * Math.sqrt(values[major]!),
    ry: radius * Math.sqrt(values[0]!),
    angle: Math.atan2(vectors[1]![major]!, vectors[0]![major]!),
  };
}

export function single(g: Gaussian): GaussianMixture {
  return { weights: [1], components: [g] };
}
