/**
 * Parameters of the MCOT lab (`#/mcot?d=1&N=3&…`): the problem (dimension, electrons, marginal,
 * test functions, particles, weights, cost), the Langevin settings (Δt, tolerances, noise, seed),
 * the backend and the view options. Every one is in the URL, so a link reproduces a run.
 */
import type { ParamSchema } from '../../params';

export const MCOT_LAB_ID = 'mcot';

const logNumber = (
  label: string,
  description: string,
  min: number,
  max: number,
  def: number,
  digits = 2,
) =>
  ({ kind: 'number', label, description, min, max, default: def, scale: 'log', digits }) as const;

export const mcotLabParams = {
  d: {
    kind: 'enum',
    label: 'Dimension d',
    description: 'Electrons on a line (1) or in space (3)',
    options: ['1', '3'],
    default: '1',
  },
  N: {
    kind: 'int',
    label: 'Electrons N',
    description: 'Marginals of the multi-marginal problem: electrons per particle',
    min: 2,
    max: 100,
    default: 3,
  },
  law1: {
    kind: 'enum',
    label: 'Marginal μ (1D, on [0, 1])',
    description: 'Uniform, a bump (1 − u²)² or two bumps with a zero at x = 0.4',
    options: ['uniform', 'bump', 'twoBumps'],
    default: 'uniform',
  },
  law3: {
    kind: 'enum',
    label: 'Marginal μ (3D)',
    description:
      'Standard normal, anisotropic normal (sd 1, 0.7, 0.5), sum of two normals, uniform ball, or the mixture typed below',
    options: ['normal', 'anisotropic', 'sumOfNormals', 'ball', 'mixture'],
    default: 'normal',
  },
  mixture: {
    kind: 'text',
    label: 'Gaussian mixture (3D)',
    description:
      'Components "weight: mean x y z: sd" (or three sds) separated by ";", e.g. 0.5: -1 0 0: 0.6; 0.5: 1 0 0: 0.6',
    maxLength: 400,
    default: '0.6: 0 0 0: 1; 0.4: 2 1 0: 0.5 0.5 1',
  },
  M: {
    kind: 'int',
    label: 'Test functions M (1D)',
    description: 'Scaled Legendre polynomials φ₁ … φ_M on the support',
    min: 1,
    max: 40,
    default: 10,
  },
  tests: {
    kind: 'enum',
    label: 'Test functions (3D)',
    description: 'Hyperbolic cross H_D of tensor polynomials, or the mean and covariance only',
    options: ['hyperbolicCross', 'meanCovariance'],
    default: 'hyperbolicCross',
  },
  D: {
    kind: 'int',
    label: 'Hyperbolic cross D (3D)',
    description: '(α₁+1)(α₂+1)(α₃+1) ≤ D + 1: |H_D| = 28, 38, 44, 53, 56, 74 for D = 6 … 11',
    min: 1,
    max: 11,
    default: 6,
  },
  K: {
    kind: 'int',
    label: 'Particles K',
    description: 'Particles of the discrete measure; each holds N electrons',
    min: 1,
    max: 20000,
    default: 60,
    control: 'number',
  },
  weights: {
    kind: 'enum',
    label: 'Weights',
    description: 'Fixed 1/K, or adaptive w_k = ω(z_k) optimised with the positions',
    options: ['fixed', 'adaptive'],
    default: 'fixed',
  },
  omega: {
    kind: 'enum',
    label: 'Weight function ω',
    description: 'ω(z) = z² or eᶻ (adaptive weights)',
    options: ['square', 'exp'],
    default: 'square',
  },
  init: {
    kind: 'enum',
    label: 'Initialisation',
    description:
      'Samples of μ driven onto the constraints by RK3, or Carathéodory–Tchakaloff (adaptive weights)',
    options: ['rk3', 'tchakaloff'],
    default: 'rk3',
  },
  eta: logNumber('Regularisation η', 'c_η(r) = 1/√(r² + η²)', 1e-3, 1, 0.1),
  noise: {
    kind: 'enum',
    label: 'Noise schedule σ_n',
    description: 'Zero (gradient flow), constant σ₀, or σ₀/√(n+1)',
    options: ['zero', 'constant', 'sqrt'],
    default: 'zero',
  },
  sigma0: logNumber('Noise σ₀', 'Noise level of the Langevin steps', 1e-4, 1, 0.01),
  dt: logNumber(
    'Initial step Δt₀',
    'Adapted: halved on failure, grown on fast Newton',
    1e-6,
    100,
    0.01,
  ),
  dtMin: logNumber('Smallest Δt', 'Below it the run stops (step-size collapse)', 1e-12, 10, 1e-12),
  dtMax: logNumber('Largest Δt', 'Cap of the growing step', 1e-3, 1e6, 1e6),
  growth: {
    kind: 'number',
    label: 'Δt growth',
    description: 'Factor on Δt after a fast Newton convergence (1 keeps Δt fixed)',
    min: 1,
    max: 3,
    default: 1.2,
    scale: 'linear',
    digits: 3,
  },
  tol: logNumber(
    'Tolerance',
    'Every accepted step has ‖ξ‖∞ below it (the float32 GPU backend needs ≥ 1e-5)',
    1e-12,
    1e-2,
    1e-5,
  ),
  tolFactor: {
    kind: 'number',
    label: 'Tolerance factor',
    description: 'Factor on the tolerance after a fast Newton convergence (1 keeps it fixed)',
    min: 0.5,
    max: 1,
    default: 0.9,
    scale: 'linear',
    digits: 3,
  },
  minTol: logNumber(
    'Smallest tolerance',
    'The tolerance tightens down to this',
    1e-13,
    1e-2,
    1e-10,
  ),
  steps: {
    kind: 'int',
    label: 'Langevin steps',
    description: 'Step budget of the run',
    min: 0,
    max: 10_000_000,
    default: 500,
    control: 'number',
  },
  seed: {
    kind: 'int',
    label: 'Seed',
    description: 'Seed of the sampling and of the noise: the same seed replays the same run',
    min: 0,
    max: 1_000_000_000,
    default: 1,
    control: 'number',
  },
  backend: {
    kind: 'enum',
    label: 'Backend',
    description:
      'auto: the GPU when WebGPU works, else the CPU; both: GPU and CPU side by side on the same run',
    options: ['auto', 'gpu', 'cpu', 'both'],
    default: 'auto',
  },
  spf: {
    kind: 'int',
    label: 'Steps per frame',
    description: 'Langevin steps per animation frame and GPU submit (the CPU lane may do fewer)',
    min: 1,
    max: 200,
    default: 10,
  },
  colour: {
    kind: 'enum',
    label: 'Colour (3D)',
    description: 'Colour the cloud by particle k or by electron i',
    options: ['particle', 'electron'],
    default: 'particle',
  },
  highlight: {
    kind: 'int',
    label: 'Highlighted particle k (3D)',
    description: 'Its N electrons are joined as a polygon',
    min: 1,
    max: 20000,
    default: 1,
    control: 'number',
  },
  pi: {
    kind: 'int',
    label: 'Horizontal electron (1D)',
    description: '0: every ordered pair (x_i, x_j), i ≠ j; else the electron on the x axis',
    min: 0,
    max: 100,
    default: 0,
  },
  pj: {
    kind: 'int',
    label: 'Vertical electron (1D)',
    description: 'The electron on the y axis (when a horizontal electron is chosen)',
    min: 1,
    max: 100,
    default: 2,
  },
} as const satisfies ParamSchema;

export type McotLabParams = typeof mcotLabParams;

/** Keys of the parameter panel, in order, by group (view options are drawn by the views). */
export const PROBLEM_KEYS = ['d', 'N', 'law1', 'law3', 'mixture', 'M', 'tests', 'D', 'K'] as const;
export const WEIGHT_KEYS = ['weights', 'omega', 'init', 'eta'] as const;
export const LANGEVIN_KEYS = [
  'noise',
  'sigma0',
  'dt',
  'dtMin',
  'dtMax',
  'growth',
  'tol',
  'minTol',
  'tolFactor',
  'steps',
  'seed',
] as const;
export const RUN_KEYS = ['backend', 'spf'] as const;
