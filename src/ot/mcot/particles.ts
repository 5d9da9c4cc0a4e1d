/**
 * The MCOT particle problem (MATH.md §7; seed 003 (28) fixed weights, (29) adaptive weights) in
 * float64: K particles, each a configuration of N electrons x^k = (x_1^k, …, x_N^k) ∈ R^{N·d}.
 *
 *   cost      f(X) = Σ_k w_k c(x^k),   c(x^k) = Σ_{i<j} c_η(|x_i^k − x_j^k|),
 *             c_η(r) = 1/√(r² + η²) (our documented regularisation; η = 0 is Coulomb)
 *   moments   ξ_m(X) = Σ_k (w_k/N) Σ_i φ_m(x_i^k) − μ(φ_m)
 *   weights   fixed: w_k = 1/K (the set must not contain the constant, whose constraint is void);
 *             adaptive: w_k = ω(z_k), ω(z) = z² or e^z, and the set contains the constant φ_0 = 1,
 *             whose constraint ξ_0 = Σ_k ω(z_k) − 1 is the normalisation Σ w_k = 1.
 *
 * The state is (X, z): x[((k·N + i)·d + j] is coordinate j of electron i of particle k, z[k] the
 * weight variable of particle k (z is empty with fixed weights). The constraint Jacobian
 * J = ∇ξ (state dimension × M) is never formed: it is applied as J λ and Jᵀ v, and the Newton
 * matrix J(a)ᵀ J(b) is accumulated electron by electron (O(K·N·M²·d), no K·N·M·d storage).
 */
import { createEvaluator, type TestFunctionEvaluator, type TestFunctionSet } from './testFunctions';

export type WeightMode = 'fixed' | 'adaptive';
/** ω(z) = z² ('square') or e^z ('exp') (seed 003 §5.1.2). */
export type WeightFunction = 'square' | 'exp';

export interface ParticleProblem {
  /** d: 1 or 3. */
  readonly dimension: number;
  /** N: electrons (marginals) per particle. */
  readonly electrons: number;
  /** K: particles. */
  readonly particles: number;
  /** Test functions; with adaptive weights the first one is the constant. */
  readonly set: TestFunctionSet;
  /** μ(φ_m), exact (see marginals.ts). */
  readonly targets: Float64Array;
  readonly weights: WeightMode;
  readonly omega: WeightFunction;
  /** η ≥ 0 of c_η. */
  readonly eta: number;
}

export interface ParticleState {
  x: Float64Array;
  z: Float64Array;
}

/** Number of constraints M' (the size of the Newton systems). */
export const constraintCount = (problem: ParticleProblem) => problem.set.count;

const isConstant = (set: TestFunctionSet, m: number) => {
  for (let j = 0; j < set.dimension; j += 1)
    if (set.indices[m * set.dimension + j] !== 0) return false;
  return true;
};

/** Checks the problem's sizes and its constant function against the weight mode. */
export function validateParticleProblem(problem: ParticleProblem): void {
  const { dimension: d, electrons: N, particles: K, set, targets, weights, eta } = problem;
  if (set.dimension !== d) throw new RangeError(`test functions are ${set.dimension}D, not ${d}D`);
  if (!Number.isInteger(N) || N < 2) throw new RangeError(`N must be an integer >= 2, got ${N}`);
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`K must be an integer >= 1, got ${K}`);
  if (targets.length !== set.count) throw new RangeError('one target per test function');
  if (!(eta >= 0 && Number.isFinite(eta))) throw new RangeError(`eta must be >= 0, got ${eta}`);
  const constants = Array.from({ length: set.count }, (_, m) => m).filter((m) =>
    isConstant(set, m),
  );
  if (weights === 'fixed' && constants.length > 0) {
    throw new RangeError('with fixed weights the constant test function must be left out');
  }
  if (weights === 'adaptive' && (constants.length !== 1 || constants[0] !== 0)) {
    throw new RangeError('with adaptive weights the first test function must be the constant');
  }
  if (stateDimension(problem) < set.count) {
    throw new RangeError(
      `${set.count} constraints need at least as many coordinates; K·N·d = ${K * N * d} is too few`,
    );
  }
}

export const stateDimension = (p: ParticleProblem) =>
  p.particles * p.electrons * p.dimension + (p.weights === 'adaptive' ? p.particles : 0);

export function createState(problem: ParticleProblem): ParticleState {
  const { particles: K, electrons: N, dimension: d } = problem;
  return {
    x: new Float64Array(K * N * d),
    z: new Float64Array(problem.weights === 'adaptive' ? K : 0),
  };
}

export function copyState(from: ParticleState, to: ParticleState): void {
  to.x.set(from.x);
  to.z.set(from.z);
}

export function cloneState(state: ParticleState): ParticleState {
  return { x: state.x.slice(), z: state.z.slice() };
}

/** to ← a + s·b, coordinate-wise over x and z. */
export function axpyState(a: ParticleState, s: number, b: ParticleState, to: ParticleState): void {
  for (let e = 0; e < to.x.length; e += 1) to.x[e] = a.x[e]! + s * b.x[e]!;
  for (let k = 0; k < to.z.length; k += 1) to.z[k] = a.z[k]! + s * b.z[k]!;
}

/** max |v| over x and z. */
export function maxAbsState(state: ParticleState): number {
  let max = 0;
  for (const v of state.x) max = Math.max(max, Math.abs(v));
  for (const v of state.z) max = Math.max(max, Math.abs(v));
  return max;
}

export function isFiniteState(state: ParticleState): boolean {
  return state.x.every(Number.isFinite) && state.z.every(Number.isFinite);
}

// ------------------------------------------------------------------------------------ weights

export function omega(kind: WeightFunction, z: number): number {
  return kind === 'square' ? z * z : Math.exp(z);
}

export function omegaDerivative(kind: WeightFunction, z: number): number {
  return kind === 'square' ? 2 * z : Math.exp(z);
}

/** z with ω(z) = w > 0 (the non-negative root for z²). */
export function omegaInverse(kind: WeightFunction, w: number): number {
  if (!(w > 0)) throw new RangeError(`a weight must be > 0 to invert ω, got ${w}`);
  return kind === 'square' ? Math.sqrt(w) : Math.log(w);
}

/** w_k of particle k. */
export function particleWeight(problem: ParticleProblem, state: ParticleState, k: number): number {
  return problem.weights === 'fixed' ? 1 / problem.particles : omega(problem.omega, state.z[k]!);
}

export function particleWeights(problem: ParticleProblem, state: ParticleState): Float64Array {
  return Float64Array.from({ length: problem.particles }, (_, k) =>
    particleWeight(problem, state, k),
  );
}

// ---------------------------------------------------------------------------------------- cost

/** |x[a..a+d) − x[b..b+d)|² + η². */
function regularizedSquaredDistance(
  x: Float64Array,
  a: number,
  b: number,
  d: number,
  eta2: number,
) {
  let r2 = eta2;
  for (let c = 0; c < d; c += 1) {
    const delta = x[a + c]! - x[b + c]!;
    r2 += delta * delta;
  }
  return r2;
}

/** c(x^k) = Σ_{i<j} c_η(|x_i − x_j|) of particle k. */
export function configurationCost(problem: ParticleProblem, x: Float64Array, k: number): number {
  const { electrons: N, dimension: d, eta } = problem;
  const base = k * N * d;
  let sum = 0;
  for (let i = 0; i < N; i += 1)
    for (let j = i + 1; j < N; j += 1)
      sum += 1 / Math.sqrt(regularizedSquaredDistance(x, base + i * d, base + j * d, d, eta * eta));
  return sum;
}

/** f(X) = Σ_k w_k c(x^k). */
export function particleCost(problem: ParticleProblem, state: ParticleState): number {
  let sum = 0;
  for (let k = 0; k < problem.particles; k += 1) {
    sum += particleWeight(problem, state, k) * configurationCost(problem, state.x, k);
  }
  return sum;
}

/**
 * ∇f into `out` and returns f. ∂/∂x_i c_η(|x_i − x_j|) = −(x_i − x_j)/(r² + η²)^{3/2};
 * ∂f/∂z_k = ω'(z_k) c(x^k).
 */
export function costGradient(
  problem: ParticleProblem,
  state: ParticleState,
  out: ParticleState,
): number {
  const { electrons: N, dimension: d, particles: K, eta } = problem;
  const eta2 = eta * eta;
  const { x } = state;
  const g = out.x;
  g.fill(0);
  let total = 0;
  for (let k = 0; k < K; k += 1) {
    const w = particleWeight(problem, state, k);
    const base = k * N * d;
    let configuration = 0;
    for (let i = 0; i < N; i += 1) {
      for (let j = i + 1; j < N; j += 1) {
        const inverse =
          1 / Math.sqrt(regularizedSquaredDistance(x, base + i * d, base + j * d, d, eta2));
        configuration += inverse;
        const factor = w * inverse * inverse * inverse;
        for (let c = 0; c < d; c += 1) {
          const push = factor * (x[base + i * d + c]! - x[base + j * d + c]!);
          g[base + i * d + c]! -= push;
          g[base + j * d + c]! += push;
        }
      }
    }
    total += w * configuration;
    if (problem.weights === 'adaptive') {
      out.z[k] = omegaDerivative(problem.omega, state.z[k]!) * configuration;
    }
  }
  return total;
}

// ------------------------------------------------------------------- moments and the Jacobian

/**
 * Evaluation scratch for one problem: the test-function evaluator and per-electron buffers.
 * One per solver (not shared between concurrent evaluations).
 */
export class ParticleKernels {
  private readonly evaluate: TestFunctionEvaluator;
  private readonly values: Float64Array;
  private readonly gradients: Float64Array;
  private readonly gradientsB: Float64Array;
  private readonly sums: Float64Array;
  private readonly sumsB: Float64Array;

  constructor(readonly problem: ParticleProblem) {
    validateParticleProblem(problem);
    const { set } = problem;
    this.evaluate = createEvaluator(set);
    this.values = new Float64Array(set.count);
    this.gradients = new Float64Array(set.count * set.dimension);
    this.gradientsB = new Float64Array(set.count * set.dimension);
    this.sums = new Float64Array(set.count);
    this.sumsB = new Float64Array(set.count);
  }

  /** S^k_m = Σ_i φ_m(x_i^k) into out[offset + m]. */
  particleSums(x: Float64Array, k: number, out: Float64Array, offset = 0): void {
    const { electrons: N, dimension: d, set } = this.problem;
    const M = set.count;
    for (let m = 0; m < M; m += 1) out[offset + m] = 0;
    for (let i = 0; i < N; i += 1) {
      this.evaluate(x, (k * N + i) * d, this.values, 0);
      for (let m = 0; m < M; m += 1) out[offset + m]! += this.values[m]!;
    }
  }

  /** ξ(X) into `out` (length M'); returns ‖ξ‖∞. */
  constraints(state: ParticleState, out: Float64Array): number {
    const { electrons: N, particles: K, targets } = this.problem;
    const M = targets.length;
    out.fill(0);
    for (let k = 0; k < K; k += 1) {
      const factor = particleWeight(this.problem, state, k) / N;
      this.particleSums(state.x, k, this.sums);
      for (let m = 0; m < M; m += 1) out[m]! += factor * this.sums[m]!;
    }
    let norm = 0;
    for (let m = 0; m < M; m += 1) {
      out[m]! -= targets[m]!;
      norm = Math.max(norm, Math.abs(out[m]!));
    }
    return Number.isNaN(norm) ? Number.NaN : norm;
  }

  /**
   * out = J(state) λ: x-part (w_k/N) Σ_m λ_m ∇φ_m(x_i^k); z-part ω'(z_k)/N Σ_m λ_m S^k_m
   * (the constant contributes λ_0 ω'(z_k)).
   */
  applyJacobian(state: ParticleState, lambda: ArrayLike<number>, out: ParticleState): void {
    const { electrons: N, particles: K, dimension: d, set } = this.problem;
    const M = set.count;
    const adaptive = this.problem.weights === 'adaptive';
    for (let k = 0; k < K; k += 1) {
      const factor = particleWeight(this.problem, state, k) / N;
      let zSum = 0;
      for (let i = 0; i < N; i += 1) {
        const e = (k * N + i) * d;
        this.evaluate(state.x, e, this.values, 0, this.gradients, 0);
        for (let c = 0; c < d; c += 1) {
          let sum = 0;
          for (let m = 0; m < M; m += 1) sum += lambda[m]! * this.gradients[m * d + c]!;
          out.x[e + c] = factor * sum;
        }
        if (adaptive) for (let m = 0; m < M; m += 1) zSum += lambda[m]! * this.values[m]!;
      }
      if (adaptive) out.z[k] = (omegaDerivative(this.problem.omega, state.z[k]!) / N) * zSum;
    }
  }

  /** out = J(state)ᵀ v (length M'): the directional derivative of ξ along v. */
  applyJacobianTranspose(state: ParticleState, v: ParticleState, out: Float64Array): void {
    const { electrons: N, particles: K, dimension: d, set } = this.problem;
    const M = set.count;
    out.fill(0);
    for (let k = 0; k < K; k += 1) {
      const factor = particleWeight(this.problem, state, k) / N;
      const zFactor =
        this.problem.weights === 'adaptive'
          ? (omegaDerivative(this.problem.omega, state.z[k]!) / N) * v.z[k]!
          : 0;
      for (let i = 0; i < N; i += 1) {
        const e = (k * N + i) * d;
        this.evaluate(state.x, e, this.values, 0, this.gradients, 0);
        for (let m = 0; m < M; m += 1) {
          let dot = 0;
          for (let c = 0; c < d; c += 1) dot += this.gradients[m * d + c]! * v.x[e + c]!;
          out[m]! += factor * dot + zFactor * this.values[m]!;
        }
      }
    }
  }

  /**
   * out (M' × M', row-major) = J(a)ᵀ J(b): the Newton matrix of MATH.md §7 with a = Y + J(Xⁿ)λ,
   * b = Xⁿ, and the Gram matrix JᵀJ of the initialisation flow with a = b (then only the upper
   * triangle is accumulated and mirrored).
   */
  newtonMatrix(a: ParticleState, b: ParticleState, out: Float64Array): void {
    const { electrons: N, particles: K, dimension: d, set, omega: kind } = this.problem;
    const M = set.count;
    const symmetric = a === b;
    const ga = this.gradients;
    const gb = symmetric ? this.gradients : this.gradientsB;
    out.fill(0);
    for (let k = 0; k < K; k += 1) {
      const factor =
        (particleWeight(this.problem, a, k) * particleWeight(this.problem, b, k)) / (N * N);
      for (let i = 0; i < N; i += 1) {
        const e = (k * N + i) * d;
        this.evaluate(a.x, e, this.values, 0, ga, 0);
        if (!symmetric) this.evaluate(b.x, e, this.values, 0, gb, 0);
        for (let m = 0; m < M; m += 1) {
          for (let l = symmetric ? m : 0; l < M; l += 1) {
            let dot = 0;
            for (let c = 0; c < d; c += 1) dot += ga[m * d + c]! * gb[l * d + c]!;
            out[m * M + l]! += factor * dot;
          }
        }
      }
      if (this.problem.weights === 'adaptive') {
        // z-part: ∂ξ_m/∂z_k = ω'(z_k) S^k_m / N at a, times the same at b.
        this.particleSums(a.x, k, this.sums);
        if (!symmetric) this.particleSums(b.x, k, this.sumsB);
        const sb = symmetric ? this.sums : this.sumsB;
        const zFactor = (omegaDerivative(kind, a.z[k]!) * omegaDerivative(kind, b.z[k]!)) / (N * N);
        for (let m = 0; m < M; m += 1)
          for (let l = symmetric ? m : 0; l < M; l += 1)
            out[m * M + l]! += zFactor * this.sums[m]! * sb[l]!;
      }
    }
    if (symmetric)
      for (let m = 0; m < M; m += 1)
        for (let l = 0; l < m; l += 1) out[m * M + l] = out[l * M + m]!;
  }
}
