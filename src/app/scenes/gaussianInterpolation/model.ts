/**
 * What the lab shows, as pure float64 functions of its parameters: the endpoints ρ₀, ρ₁ (Gaussians
 * or mixtures of up to four ellipses), the W2 (McCann / MW2) and L2 interpolants at t, the W2² value with its
 * mean and covariance terms, and arrows of the optimal map. No DOM.
 */
import {
  gaussianW2,
  mccannInterpolation,
  mongeMap,
  type Gaussian,
  type GaussianMixture,
} from '../../../ot/gaussian';
import { mixtureInterpolation, mixtureTransport } from '../../../ot/gmm';
import { sqrtm } from '../../../ot/linalg';
import type { Endpoint, Endpoints } from './endpoints';
import { gaussianFromEllipse } from './geometry';
import { SIDE_NAMES, type Preset, type Side } from './params';

export interface LabInput {
  preset: Preset;
  t: number;
  endpoints: Endpoints;
}

export interface LabModel {
  mode: 'gaussians' | 'mixtures';
  rho0: GaussianMixture;
  rho1: GaussianMixture;
  /** The W2 geodesic at t: McCann's interpolant, or the MW2 one for mixtures (MATH.md §2, §4). */
  w2Interpolant: GaussianMixture;
  /** (1 − t) ρ₀ + t ρ₁. */
  l2Interpolant: GaussianMixture;
  /** W2²(ρ₀, ρ₁) = mean term + covariance term (for mixtures: MW2², terms summed over the plan). */
  w2Squared: number;
  meanTerm: number;
  covarianceTerm: number;
  /** W2(ρ₀, ρ_t) along the geodesic: equals t · W2(ρ₀, ρ₁). */
  w2FromStart: number;
  /** Arrows x → T(x) of the optimal map, with the point (1 − t) x + t T(x) it reaches at t. */
  arrows: MapArrow[];
}

export interface MapArrow {
  from: [number, number];
  to: [number, number];
  at: [number, number];
  /** Index of the transported component pair (0 for single Gaussians). */
  pair: number;
}

/** An endpoint as a mixture; an InputError names the bad ellipse (e.g. `ρ₁[2].sa`). */
export function endpointMixture(endpoint: Endpoint, side: Side): GaussianMixture {
  return {
    weights: [...endpoint.weights],
    components: endpoint.ellipses.map((e, k) =>
      gaussianFromEllipse(e, `${SIDE_NAMES[side]}[${k + 1}]`),
    ),
  };
}

/** Polar sample of the 2σ disc of a Gaussian: the arrow tails. */
function samplePoints(g: Gaussian, rings: number, perRing: number): [number, number][] {
  const root = sqrtm(g.cov);
  const points: [number, number][] = [[g.mean[0]!, g.mean[1]!]];
  for (let r = 1; r <= rings; r += 1) {
    const radius = (2 * r) / rings;
    const count = perRing * r;
    for (let k = 0; k < count; k += 1) {
      const phi = (2 * Math.PI * k) / count + r * 0.3;
      const u = [radius * Math.cos(phi), radius * Math.sin(phi)];
      points.push([
        g.mean[0]! + root[0]![0]! * u[0]! + root[0]![1]! * u[1]!,
        g.mean[1]! + root[1]![0]! * u[0]! + root[1]![1]! * u[1]!,
      ]);
    }
  }
  return points;
}

function arrowsBetween(a: Gaussian, b: Gaussian, t: number, pair: number, rings: number) {
  const map = mongeMap(a, b);
  return samplePoints(a, rings, 6).map((from): MapArrow => {
    const to = map.apply(from) as [number, number];
    return {
      from,
      to,
      at: [(1 - t) * from[0] + t * to[0], (1 - t) * from[1] + t * to[1]],
      pair,
    };
  });
}

export function computeLab(input: LabInput): LabModel {
  const { t } = input;
  const rho0 = endpointMixture(input.endpoints[0], 0);
  const rho1 = endpointMixture(input.endpoints[1], 1);
  const l2Interpolant: GaussianMixture = {
    weights: [...rho0.weights.map((w) => (1 - t) * w), ...rho1.weights.map((w) => t * w)],
    components: [...rho0.components, ...rho1.components],
  };
  if (rho0.components.length === 1 && rho1.components.length === 1) {
    const g0 = rho0.components[0]!;
    const g1 = rho1.components[0]!;
    const terms = gaussianW2(g0, g1);
    const gt = mccannInterpolation(g0, g1, t);
    return {
      mode: 'gaussians',
      rho0,
      rho1,
      w2Interpolant: { weights: [1], components: [gt] },
      l2Interpolant,
      ...terms,
      w2FromStart: Math.sqrt(gaussianW2(g0, gt).w2Squared),
      arrows: arrowsBetween(g0, g1, t, 0, 3),
    };
  }
  // MW2 (seed 001, "OT between GMMs"): discrete OT between components with cost W2².
  const transport = mixtureTransport(rho0, rho1);
  let meanTerm = 0;
  let covarianceTerm = 0;
  const arrows: MapArrow[] = [];
  transport.plan.forEach((row, k) => {
    row.forEach((mass, l) => {
      if (mass <= 1e-12) return;
      const a = rho0.components[k]!;
      const b = rho1.components[l]!;
      const terms = gaussianW2(a, b);
      meanTerm += mass * terms.meanTerm;
      covarianceTerm += mass * terms.covarianceTerm;
      arrows.push(...arrowsBetween(a, b, t, k * rho1.components.length + l, 1));
    });
  });
  const w2Interpolant = mixtureInterpolation(rho0, rho1, t, transport);
  const fromStart = mixtureTransport(rho0, w2Interpolant).w2Squared;
  return {
    mode: 'mixtures',
    rho0,
    rho1,
    w2Interpolant,
    l2Interpolant,
    w2Squared: transport.w2Squared,
    meanTerm,
    covarianceTerm,
    w2FromStart: Math.sqrt(fromStart),
    arrows,
  };
}
