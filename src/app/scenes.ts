/**
 * The scene registry. A lab adds itself with one entry: its id (the hash route), title, component
 * and parameter schema, which defines the scene's slice of the store and its URL parameters.
 */
import type { ComponentType } from 'react';
import type { ParamSchema } from './params';
import { GaussianBarycenter } from './scenes/gaussianBarycenter/GaussianBarycenter';
import {
  GAUSSIAN_BARYCENTER_ID,
  gaussianBarycenterParams,
} from './scenes/gaussianBarycenter/params';
import { GaussianInterpolation } from './scenes/gaussianInterpolation/GaussianInterpolation';
import {
  GAUSSIAN_INTERPOLATION_ID,
  gaussianInterpolationParams,
} from './scenes/gaussianInterpolation/params';
import { McotLab } from './scenes/mcot/McotLab';
import { MCOT_LAB_ID, mcotLabParams } from './scenes/mcot/params';
import { SinkhornToy } from './scenes/sinkhornToy/SinkhornToy';
import { SINKHORN_TOY_ID, sinkhornToyParams } from './scenes/sinkhornToy/params';

export interface SceneDefinition {
  /** Route and store key, e.g. `sinkhorn-toy` for `#/sinkhorn-toy?…`. */
  id: string;
  title: string;
  /** One line for the navigator. */
  summary: string;
  /** The scene's parameters: its store slice and URL query. */
  params: ParamSchema;
  component: ComponentType;
}

export const scenes: readonly SceneDefinition[] = [
  {
    id: SINKHORN_TOY_ID,
    title: 'Entropic OT toy',
    summary: 'Log-domain Sinkhorn between two point clouds, GPU and CPU side by side',
    params: sinkhornToyParams,
    component: SinkhornToy,
  },
  {
    id: GAUSSIAN_INTERPOLATION_ID,
    title: 'Gaussian interpolation',
    summary: 'Drag two Gaussians: W2 (McCann) against L2 interpolation, W2² and its terms live',
    params: gaussianInterpolationParams,
    component: GaussianInterpolation,
  },
  {
    id: GAUSSIAN_BARYCENTER_ID,
    title: 'Gaussian barycenters',
    summary: 'W2 barycenters of Gaussians, prescribed marginals and a reduced-order model',
    params: gaussianBarycenterParams,
    component: GaussianBarycenter,
  },
  {
    id: MCOT_LAB_ID,
    title: 'MCOT lab',
    summary:
      'Coulomb multi-marginal OT by constrained Langevin: particle clouds evolving live, 1D and 3D',
    params: mcotLabParams,
    component: McotLab,
  },
];

/** The scene shown for an empty hash. */
export const defaultScene: SceneDefinition = scenes[0]!;

export function findScene(id: string | undefined): SceneDefinition | undefined {
  return scenes.find((scene) => scene.id === id);
}
