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
import { Duality } from './scenes/duality/Duality';
import { DUALITY_ID, dualityParams } from './scenes/duality/params';
import { Kmeans } from './scenes/kmeans/Kmeans';
import { KMEANS_ID, kmeansParams } from './scenes/kmeans/params';
import { MongeKantorovich } from './scenes/mongeKantorovich/MongeKantorovich';
import { MONGE_KANTOROVICH_ID, mongeKantorovichParams } from './scenes/mongeKantorovich/params';
import { Representability } from './scenes/representability/Representability';
import { REPRESENTABILITY_ID, representabilityParams } from './scenes/representability/params';
import { GenericBarycenter } from './scenes/genericBarycenter/GenericBarycenter';
import { GENERIC_BARYCENTER_ID, genericBarycenterParams } from './scenes/genericBarycenter/params';
import { ImageBarycenter } from './scenes/imageBarycenter/ImageBarycenter';
import { IMAGE_BARYCENTER_ID, imageBarycenterParams } from './scenes/imageBarycenter/params';
import { McotLab } from './scenes/mcot/McotLab';
import { MCOT_LAB_ID, mcotLabParams } from './scenes/mcot/params';
import { PointCloudLab } from './scenes/pointCloudLab/PointCloudLab';
import { POINT_CLOUD_LAB_ID, pointCloudLabParams } from './scenes/pointCloudLab/params';
import { SinkhornToy } from './scenes/sinkhornToy/SinkhornToy';
import { WassersteinLine } from './scenes/wassersteinLine/WassersteinLine';
import { WASSERSTEIN_LINE_ID, wassersteinLineParams } from './scenes/wassersteinLine/params';
import { StableMatching } from './scenes/stableMatching/StableMatching';
import { STABLE_MATCHING_ID, stableMatchingParams } from './scenes/stableMatching/params';
import { SINKHORN_TOY_ID, sinkhornToyParams } from './scenes/sinkhornToy/params';

/**
 * The navigator's sections, in the order shown; a group appears once a scene names it. A scene
 * picks the lab it belongs to (README, "Adding a scene"); add a name here for a new kind of lab.
 */
export const SCENE_GROUPS = [
  'Foundations',
  'Sinkhorn lab',
  'First principles',
  'Gaussian lab',
  'Barycenter lab',
  'MCOT lab',
] as const;

export type SceneGroup = (typeof SCENE_GROUPS)[number];

export interface SceneDefinition {
  /** Route and store key, e.g. `sinkhorn-toy` for `#/sinkhorn-toy?…`. */
  id: string;
  title: string;
  /** The navigator section the scene is listed under. */
  group: SceneGroup;
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
    group: 'Foundations',
    summary: 'Log-domain Sinkhorn between two point clouds, GPU and CPU side by side',
    params: sinkhornToyParams,
    component: SinkhornToy,
  },
  {
    id: POINT_CLOUD_LAB_ID,
    title: 'Point-cloud lab',
    group: 'Sinkhorn lab',
    summary:
      'Draw, drag or load point sets; any cost and ε, GPU or CPU: potentials, plan, exact plan, c-transforms',
    params: pointCloudLabParams,
    component: PointCloudLab,
  },
  {
    id: GAUSSIAN_INTERPOLATION_ID,
    title: 'Gaussian interpolation',
    group: 'Gaussian lab',
    summary: 'Drag two Gaussians: W2 (McCann) against L2 interpolation, W2² and its terms live',
    params: gaussianInterpolationParams,
    component: GaussianInterpolation,
  },
  {
    id: GAUSSIAN_BARYCENTER_ID,
    title: 'Gaussian barycenters',
    group: 'Gaussian lab',
    summary: 'W2 barycenters of Gaussians, prescribed marginals and a reduced-order model',
    params: gaussianBarycenterParams,
    component: GaussianBarycenter,
  },
  {
    id: GENERIC_BARYCENTER_ID,
    title: 'Generic-cost barycenters',
    group: 'Barycenter lab',
    summary:
      "Seed 001's fixed points H and G: ‖x−y‖_p^q and circle-projection barycenters, V per iteration",
    params: genericBarycenterParams,
    component: GenericBarycenter,
  },
  {
    id: IMAGE_BARYCENTER_ID,
    title: 'Image barycenters',
    group: 'Barycenter lab',
    summary:
      'Entropic W2 against L2 barycenters of painted, chosen or uploaded images; interpolation strip',
    params: imageBarycenterParams,
    component: ImageBarycenter,
  },
  {
    id: STABLE_MATCHING_ID,
    title: 'Stable matching',
    group: 'First principles',
    summary: 'Gale–Shapley round by round, blocking pairs, and the minimum-cost assignment',
    params: stableMatchingParams,
    component: StableMatching,
  },
  {
    id: MONGE_KANTOROVICH_ID,
    title: 'Monge vs Kantorovich',
    group: 'First principles',
    summary: 'Maps against plans, the plan as a matrix and arrows, cyclical monotonicity',
    params: mongeKantorovichParams,
    component: MongeKantorovich,
  },
  {
    id: DUALITY_ID,
    title: 'Duality',
    group: 'First principles',
    summary: 'Potentials f, g in 1D, the c-transform step by step, complementary slackness',
    params: dualityParams,
    component: Duality,
  },
  {
    id: WASSERSTEIN_LINE_ID,
    title: 'W1 vs W2',
    group: 'First principles',
    summary: 'CDF and quantile pictures in 1D, and the Gaussian (FID) formula against samples',
    params: wassersteinLineParams,
    component: WassersteinLine,
  },
  {
    id: KMEANS_ID,
    title: 'k-means',
    group: 'First principles',
    summary: 'Lloyd iterations as optimal transport to k atoms, W2² per half-step',
    params: kmeansParams,
    component: Kmeans,
  },
  {
    id: REPRESENTABILITY_ID,
    title: 'N-representability',
    group: 'First principles',
    summary: 'Two-state model: k-representable pair densities and the cost per pair as k grows',
    params: representabilityParams,
    component: Representability,
  },
  {
    id: MCOT_LAB_ID,
    title: 'MCOT lab',
    group: 'MCOT lab',
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
