import { describe, expect, it } from 'vitest';
import { buildMcotSetup, parseMcotParams } from '../../src/ot/mcot/params';
import {
  ParticleKernels,
  configurationCost,
  costGradient,
  createState,
  omega,
  omegaDerivative,
  omegaInverse,
  particleCost,
  validateParticleProblem,
  type ParticleProblem,
  type ParticleState,
} from '../../src/ot/mcot/particles';
import { seededRandom } from '../../src/ot/random';

const SEED = Date.now() % 100000;
console.info(`mcot-particles tests: seed ${SEED}`);

const CASES = [
  { label: '1D fixed', json: { dimension: 1, N: 3, K: 4, M: 5 } },
  { label: '1D adaptive z²', json: { dimension: 1, N: 2, K: 3, M: 4, weights: 'adaptive' } },
  {
    label: '3D fixed, normal, H_4',
    json: { dimension: 3, N: 3, K: 2, D: 4, marginal: { kind: 'normal', sd: [1, 0.7, 1.3] } },
  },
  {
    label: '3D adaptive e^z, ball, H_3',
    json: {
      dimension: 3,
      N: 2,
      K: 3,
      D: 3,
      weights: 'adaptive',
      omega: 'exp',
      marginal: { kind: 'ball', radius: 1.5 },
    },
  },
] as const;

function randomState(problem: ParticleProblem, random: () => number): ParticleState {
  const state = createState(problem);
  state.x.forEach((_, e) => (state.x[e] = 2 * random() - 1));
  state.z.forEach((_, k) => (state.z[k] = 0.3 + random()));
  return state;
}

/** f(s + h v) for a direction v. */
function shifted(s: ParticleState, v: ParticleState, h: number): ParticleState {
  return {
    x: s.x.map((x, e) => x + h * v.x[e]!),
    z: s.z.map((z, k) => z + h * v.z[k]!),
  };
}

const dot = (a: ParticleState, b: ParticleState) =>
  a.x.reduce((s, v, e) => s + v * b.x[e]!, 0) + a.z.reduce((s, v, k) => s + v * b.z[k]!, 0);

describe.each(CASES)('particle problem: $label', ({ json }) => {
  const { problem } = buildMcotSetup(parseMcotParams(json));
  const kernels = new ParticleKernels(problem);
  const M = problem.set.count;
  const random = seededRandom(SEED + M);
  const state = randomState(problem, random);
  const direction = randomState(problem, random);
  const h = 1e-6;

  it('∇f matches central differences of f', () => {
    const gradient = createState(problem);
    const f = costGradient(problem, state, gradient);
    expect(f).toBeCloseTo(particleCost(problem, state), 12);
    const fd =
      (particleCost(problem, shifted(state, direction, h)) -
        particleCost(problem, shifted(state, direction, -h))) /
      (2 * h);
    expect(dot(gradient, direction)).toBeCloseTo(fd, 6);
  });

  it('Jᵀv is the directional derivative of ξ, and ⟨Jλ, v⟩ = ⟨λ, Jᵀv⟩', () => {
    const jtv = new Float64Array(M);
    kernels.applyJacobianTranspose(state, direction, jtv);
    const plus = new Float64Array(M);
    const minus = new Float64Array(M);
    kernels.constraints(shifted(state, direction, h), plus);
    kernels.constraints(shifted(state, direction, -h), minus);
    const scale = Math.max(1, ...jtv.map(Math.abs));
    jtv.forEach((v, m) => {
      expect(Math.abs(v - (plus[m]! - minus[m]!) / (2 * h)) / scale).toBeLessThan(1e-7);
    });
    const lambda = Float64Array.from({ length: M }, () => random() - 0.5);
    const jl = createState(problem);
    kernels.applyJacobian(state, lambda, jl);
    const adjoint = lambda.reduce((s, l, m) => s + l * jtv[m]!, 0);
    expect(Math.abs(dot(jl, direction) - adjoint) / Math.max(1, Math.abs(adjoint))).toBeLessThan(
      1e-12,
    );
  });

  it('newtonMatrix(a, b) = J(a)ᵀ J(b), column by column; the symmetric path agrees', () => {
    const other = randomState(problem, random);
    const matrix = new Float64Array(M * M);
    kernels.newtonMatrix(other, state, matrix);
    const unit = new Float64Array(M);
    const column = createState(problem);
    const product = new Float64Array(M);
    for (let l = 0; l < M; l += 1) {
      unit.fill(0);
      unit[l] = 1;
      kernels.applyJacobian(state, unit, column);
      kernels.applyJacobianTranspose(other, column, product);
      const scale = Math.max(...product.map(Math.abs), 1e-300);
      for (let m = 0; m < M; m += 1) {
        expect(Math.abs(matrix[m * M + l]! - product[m]!) / scale).toBeLessThan(1e-12);
      }
    }
    const gram = new Float64Array(M * M);
    kernels.newtonMatrix(state, state, gram);
    const general = new Float64Array(M * M);
    kernels.newtonMatrix(state, { x: state.x.slice(), z: state.z.slice() }, general);
    const gramScale = Math.max(...gram.map(Math.abs));
    gram.forEach((v, i) => {
      expect(Math.abs(v - general[i]!) / gramScale).toBeLessThan(1e-13);
    });
  });

  it('ξ = Σ_k (w_k/N) Σ_i φ_m − μ(φ_m), with fixed w_k = 1/K or ω(z_k)', () => {
    const xi = new Float64Array(M);
    kernels.constraints(state, xi);
    const sums = new Float64Array(M);
    const expected = Float64Array.from(problem.targets, (t) => -t);
    for (let k = 0; k < problem.particles; k += 1) {
      kernels.particleSums(state.x, k, sums);
      const w =
        problem.weights === 'fixed' ? 1 / problem.particles : omega(problem.omega, state.z[k]!);
      sums.forEach((s, m) => (expected[m]! += (w * s) / problem.electrons));
    }
    // Random states reach far outside the support, where high Legendre degrees are large.
    xi.forEach((v, m) => {
      expect(Math.abs(v - expected[m]!) / Math.max(1, Math.abs(expected[m]!))).toBeLessThan(1e-13);
    });
    if (problem.weights === 'adaptive') {
      // Row 0 is the constant: ξ_0 = Σ_k ω(z_k) − 1.
      const total = state.z.reduce((s, z) => s + omega(problem.omega, z), 0);
      expect(xi[0]).toBeCloseTo(total - 1, 13);
    }
  });
});

describe('cost and weight functions', () => {
  it('c(x) = Σ_{i<j} 1/√(r² + η²): three electrons on a line', () => {
    const { problem } = buildMcotSetup(parseMcotParams({ N: 3, K: 1, M: 1, eta: 0.5 }));
    const x = Float64Array.from([0, 1, 3]);
    const c = (r: number) => 1 / Math.sqrt(r * r + 0.25);
    expect(configurationCost(problem, x, 0)).toBeCloseTo(c(1) + c(3) + c(2), 15);
  });

  it('ω, ω′ and ω⁻¹ for z² and e^z', () => {
    expect(omega('square', -3)).toBe(9);
    expect(omegaDerivative('square', -3)).toBe(-6);
    expect(omegaInverse('square', 0.25)).toBe(0.5);
    expect(omega('exp', omegaInverse('exp', 0.3))).toBeCloseTo(0.3, 15);
    expect(omegaDerivative('exp', 1)).toBeCloseTo(Math.E, 15);
    expect(() => omegaInverse('exp', 0)).toThrow(/> 0/);
  });

  it('rejects a constant test function with fixed weights and its absence with adaptive ones', () => {
    const fixed = buildMcotSetup(parseMcotParams({ M: 3 })).problem;
    const adaptive = buildMcotSetup(parseMcotParams({ M: 3, weights: 'adaptive' })).problem;
    expect(() => {
      validateParticleProblem({ ...fixed, set: adaptive.set, targets: adaptive.targets });
    }).toThrow(/constant test function must be left out/);
    expect(() => {
      validateParticleProblem({ ...adaptive, set: fixed.set, targets: fixed.targets });
    }).toThrow(/first test function must be the constant/);
  });
});
