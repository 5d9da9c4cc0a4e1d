/**
 * The 3D companions of the 2D endpoints: each ellipse becomes a 3D Gaussian with a z axis, ρ₁'s
 * components tilted about the x axis, so the McCann / MW2 interpolant (MATH.md §2, §4, any
 * dimension) really turns in space. Pure functions; the three.js drawing is in ThreeView.tsx.
 */
import type { Gaussian, GaussianMixture } from '../../../ot/gaussian';
import { mixtureInterpolation, mixtureTransport } from '../../../ot/gmm';
import { matmulAll, symmetricEigen, transpose, type Matrix } from '../../../ot/linalg';
import type { Endpoint, Endpoints } from './endpoints';
import { covarianceFromEllipse, type EllipseParams } from './geometry';
import { SIDE_NAMES, type Side } from './params';

/** Standard deviation along z of ρ₀ and ρ₁, and the tilt of ρ₁ about x (degrees). */
const Z_SCALES = [0.5, 1.3] as const;
const TILT = 40;
const Z_OFFSETS = [-0.8, 0.8] as const;

function rotationX(degrees: number): Matrix {
  const c = Math.cos((degrees * Math.PI) / 180);
  const s = Math.sin((degrees * Math.PI) / 180);
  return [
    [1, 0, 0],
    [0, c, -s],
    [0, s, c],
  ];
}

export function liftTo3d(e: EllipseParams, side: Side, field: string = SIDE_NAMES[side]): Gaussian {
  const s = covarianceFromEllipse(e, field);
  const z = Z_SCALES[side];
  const flat: Matrix = [
    [s[0]![0]!, s[0]![1]!, 0],
    [s[1]![0]!, s[1]![1]!, 0],
    [0, 0, z * z],
  ];
  const r = rotationX(side === 0 ? 0 : TILT);
  return { mean: [e.cx, e.cy, Z_OFFSETS[side]], cov: matmulAll(r, flat, transpose(r)) };
}

function liftEndpoint(endpoint: Endpoint, side: Side): GaussianMixture {
  return {
    weights: [...endpoint.weights],
    components: endpoint.ellipses.map((e, k) => liftTo3d(e, side, `${SIDE_NAMES[side]}[${k + 1}]`)),
  };
}

/**
 * The lifted endpoints and their W2 geodesic: `at(t)` is McCann's interpolant for single
 * Gaussians and the MW2 one for mixtures (the component plan is solved once, here).
 */
export function spacePath(endpoints: Endpoints) {
  const a = liftEndpoint(endpoints[0], 0);
  const b = liftEndpoint(endpoints[1], 1);
  const transport = mixtureTransport(a, b);
  return { a, b, at: (t: number) => mixtureInterpolation(a, b, t, transport) };
}

/**
 * Column-major 4×4 affine map sending the unit sphere to the `radius`-σ ellipsoid of g:
 * x ↦ m + radius · V diag(√λ) x, with V made a proper rotation (det +1) so normals stay outward.
 */
export function ellipsoidMatrix(g: Gaussian, radius: number): number[] {
  const { values, vectors } = symmetricEigen(g.cov);
  const v = vectors.map((row) => [...row]);
  const det =
    v[0]![0]! * (v[1]![1]! * v[2]![2]! - v[1]![2]! * v[2]![1]!) -
    v[0]![1]! * (v[1]![0]! * v[2]![2]! - v[1]![2]! * v[2]![0]!) +
    v[0]![2]! * (v[1]![0]! * v[2]![1]! - v[1]![1]! * v[2]![0]!);
  if (det < 0) for (const row of v) row[2] = -row[2]!;
  const columns = [0, 1, 2].map((k) =>
    [0, 1, 2].map((i) => radius * Math.sqrt(Math.max(values[k]!, 0)) * v[i]![k]!),
  );
  return [...columns[0]!, 0, ...columns[1]!, 0, ...columns[2]!, 0, ...g.mean, 1];
}
