/**
 * The law of |x| for any 3D law given by its density, for radial histograms (MATH.md §7, "radial
 * distributions"; seed 003 §5.2 plots them): p_R(r) = r² ∫_{S²} ρ(r ω) dω.
 *
 * The sphere integral is a product rule: Gauss–Legendre in cos θ and the trapezoid rule in φ
 * (spectrally accurate for periodic integrands). Radial laws with a closed form (normalRadialLaw,
 * ballRadialLaw in mcot/marginals.ts) should be used when the law has one; this is for anisotropic
 * normals and mixtures, whose densities are smooth.
 */
import type { Marginal } from './mcot/marginals';
import { gaussLegendre } from './mcot/quadrature';

/** Nodes in cos θ and azimuths: enough for normals with axis ratios up to ~4 within r ≤ 5 sd. */
const POLAR_NODES = 48;
const AZIMUTHS = 96;

/** r ↦ p_R(r), the density of |x| when x has the law `marginal` (3D). */
export function radialDensity(
  marginal: Pick<Marginal, 'dimension' | 'density'>,
): (r: number) => number {
  if (marginal.dimension !== 3) {
    throw new RangeError(`radial densities are for 3D laws, got dimension ${marginal.dimension}`);
  }
  const polar = gaussLegendre(POLAR_NODES);
  const directions = new Float64Array(POLAR_NODES * AZIMUTHS * 3);
  const weights = new Float64Array(POLAR_NODES * AZIMUTHS);
  let q = 0;
  polar.nodes.forEach((u, j) => {
    const s = Math.sqrt(Math.max(0, 1 - u * u));
    for (let k = 0; k < AZIMUTHS; k += 1) {
      const phi = (2 * Math.PI * k) / AZIMUTHS;
      directions[3 * q] = s * Math.cos(phi);
      directions[3 * q + 1] = s * Math.sin(phi);
      directions[3 * q + 2] = u;
      weights[q] = (polar.weights[j]! * 2 * Math.PI) / AZIMUTHS;
      q += 1;
    }
  });
  const point = new Float64Array(3);
  return (r) => {
    if (!(r > 0)) return 0;
    let sum = 0;
    for (let p = 0; p < weights.length; p += 1) {
      point[0] = r * directions[3 * p]!;
      point[1] = r * directions[3 * p + 1]!;
      point[2] = r * directions[3 * p + 2]!;
      sum += weights[p]! * marginal.density(point, 0);
    }
    return r * r * sum;
  };
}
