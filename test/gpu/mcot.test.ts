/**
 * shaders/mcot.wgsl against the float64 reference (src/ot/mcot/particles.ts, langevin.ts): every
 * kernel on fresh random input (the seed is printed), buffers poisoned with NaN, then the whole
 * GPU solver against the CPU solver over tens of steps (noiseless, and with the same noise).
 */
import { describe, expect, it } from 'vitest';
import { cpuVelocityField } from '../../src/ot/mcot/initialisation';
import { fillLangevinNoise } from '../../src/ot/mcot/langevin';
import { buildMcotSetup, parseMcotParams, type McotSetup } from '../../src/ot/mcot/params';
import {
  ParticleKernels,
  costGradient,
  createState,
  particleCost,
  type ParticleState,
} from '../../src/ot/mcot/particles';
import { seededRandom } from '../../src/ot/random';
import { createMcotSolver } from '../../src/solvers/mcot';
import { gpuLangevinSettings } from '../../src/solvers/mcot/gpu';
import {
  McotGpuKernels,
  PHASE,
  STATUS,
  decodeState,
  packState,
  type StateFields,
} from '../../src/solvers/mcot/gpuKernels';
import { gpuRuntime, maxRelativeError } from './runtime';
import { MCOT_STATE } from '../../src/solvers/mcot/layouts';

const SEED = Date.now() % 100000;
console.info(`mcot GPU tests: seed ${SEED}`);

const CASES = [
  { label: '1D fixed, Legendre M = 8', json: { N: 3, K: 37, M: 8 } },
  {
    label: '3D fixed, anisotropic normal, H_5',
    json: { dimension: 3, N: 4, K: 23, D: 5, marginal: { kind: 'normal', sd: [1, 0.6, 1.4] } },
  },
  {
    label: '3D adaptive e^z, ball, H_4',
    json: {
      dimension: 3,
      N: 3,
      K: 19,
      D: 4,
      weights: 'adaptive',
      omega: 'exp',
      marginal: { kind: 'ball', radius: 1.2 },
    },
  },
] as const;

function randomState(setup: McotSetup, random: () => number, spread = 1): ParticleState {
  const state = createState(setup.problem);
  const sample = setup.marginal.sample(setup.problem.particles * setup.problem.electrons, 7);
  state.x.forEach((_, e) => (state.x[e] = sample[e]! + spread * 0.1 * (random() - 0.5)));
  state.z.forEach(
    (_, k) => (state.z[k] = Math.log(1 / setup.problem.particles) + 0.3 * (random() - 0.5)),
  );
  return state;
}

/** float32 values of a state, widened back: what the GPU actually sees. */
function rounded(state: ParticleState): ParticleState {
  return {
    x: Float64Array.from(Float32Array.from(state.x)),
    z: Float64Array.from(Float32Array.from(state.z)),
  };
}

const packed = packState;

const stateFields = (fields: Partial<StateFields>): StateFields => ({
  phase: PHASE.newton,
  cur: 0,
  step: 0,
  halt_at: 1000,
  newton_iter: 0,
  status: STATUS.idle,
  accepted: 0,
  rejected: 0,
  history_count: 0,
  fail_code: 0,
  slots: 0,
  dt: 0.01,
  tol: 1e-5,
  sigma: 0,
  residual: 0,
  cost: 0,
  last_dt: 0,
  last_newton: 0,
  ...fields,
});

/** Loads Xⁿ (half `cur`) and a candidate P (the other half) with sums and gradients. */
async function loaded(setup: McotSetup, cur: number, X: ParticleState, P: ParticleState) {
  const rt = await gpuRuntime();
  const kernels = await McotGpuKernels.create(
    rt,
    setup.problem,
    gpuLangevinSettings(setup.langevin),
    4,
  );
  const { layout } = kernels;
  const cpu = new ParticleKernels(setup.problem);
  const M = layout.constraints;
  const halves = cur === 0 ? [X, P] : [P, X];
  const sums = new Float32Array(2 * setup.problem.particles * M);
  const sumRow = new Float64Array(M);
  halves.forEach((state, h) => {
    kernels.write('coords', packed(state), h * layout.coordStride);
    for (let k = 0; k < setup.problem.particles; k += 1) {
      cpu.particleSums(state.x, k, sumRow);
      sums.set(sumRow, (h * setup.problem.particles + k) * M);
    }
  });
  kernels.write('sums', sums);
  const gradient = createState(setup.problem);
  costGradient(setup.problem, X, gradient);
  kernels.write('grad', packed(gradient), cur * layout.coordStride);
  return { kernels, layout, cpu, M, gradient };
}

describe.each(CASES)('mcot.wgsl kernels: $label', ({ json }) => {
  const setup = buildMcotSetup(parseMcotParams(json));
  const { problem } = setup;
  const random = seededRandom(SEED + problem.set.count);
  const X = rounded(randomState(setup, random));
  const P = rounded(randomState(setup, random, 2));

  it('predict: Y = X − Δt∇f + σ√Δt G with the CPU Philox noise', async () => {
    const sigma = 0.2;
    const noisy = buildMcotSetup(parseMcotParams({ ...json, noise: 'constant', sigma0: sigma }));
    const { kernels, layout, gradient } = await loaded(noisy, 1, X, P);
    const dt = 0.03;
    kernels.writeState(stateFields({ phase: PHASE.start, cur: 1, step: 5, dt }));
    kernels.dispatch(['predict']);
    const [work] = await kernels.read([{ buffer: 'work', words: layout.coordStride }]);
    const noise = createState(problem);
    fillLangevinNoise(problem, setup.params.seed, 5, noise);
    const scale = sigma * Math.sqrt(dt);
    const expected = packed({
      x: X.x.map((x, e) => x - dt * gradient.x[e]! + scale * noise.x[e]!),
      z: X.z.map((z, k) => z - dt * gradient.z[k]! + scale * noise.z[k]!),
    });
    expect(maxRelativeError(new Float32Array(work!), expected)).toBeLessThan(1e-5);
    kernels.destroy();
  });

  it('candidate: P = Y + J(X)λ', async () => {
    const { kernels, layout, cpu, M } = await loaded(setup, 0, X, P);
    const Y = rounded(randomState(setup, random));
    const lambda = Float64Array.from(Float32Array.from({ length: M }, () => random() - 0.5));
    kernels.write('work', packed(Y));
    kernels.write('work', Float32Array.from(lambda), layout.lambda);
    kernels.writeState(stateFields({ phase: PHASE.newton, cur: 0 }));
    kernels.dispatch(['candidate']);
    const [coords] = await kernels.read([{ buffer: 'coords', words: 2 * layout.coordStride }]);
    const jl = createState(problem);
    cpu.applyJacobian(X, lambda, jl);
    const expected = packed({
      x: Y.x.map((y, e) => y + jl.x[e]!),
      z: Y.z.map((y, k) => y + jl.z[k]!),
    });
    const got = new Float32Array(coords!).subarray(layout.coordStride);
    expect(maxRelativeError(got, expected)).toBeLessThan(1e-5);
    // The correction itself, relative to its own size.
    const correction = packed(jl);
    const gotCorrection = got.map((v, i) => v - packed(Y)[i]!);
    expect(maxRelativeError(gotCorrection, correction)).toBeLessThan(1e-3);
    kernels.destroy();
  });

  it('particle_sums and residual: S^k(P), ξ(P), ‖ξ‖∞ and the Newton decision', async () => {
    const { kernels, layout, cpu, M } = await loaded(setup, 1, X, P);
    kernels.write('sums', new Float32Array(problem.particles * M).fill(Number.NaN));
    kernels.writeState(stateFields({ phase: PHASE.newton, cur: 1, newton_iter: 2, tol: 1e-5 }));
    kernels.dispatch(['particle_sums', 'residual']);
    const [sums, work, state] = await kernels.read([
      { buffer: 'sums', words: problem.particles * M },
      { buffer: 'work', words: layout.workLength },
      { buffer: 'state', words: MCOT_STATE.size / 4 },
    ]);
    const expectedSums = new Float64Array(problem.particles * M);
    for (let k = 0; k < problem.particles; k += 1) cpu.particleSums(P.x, k, expectedSums, k * M);
    expect(maxRelativeError(new Float32Array(sums!), expectedSums)).toBeLessThan(1e-5);
    const xi = new Float64Array(M);
    const norm = cpu.constraints(P, xi);
    const gotXi = new Float32Array(work!).subarray(layout.xi, layout.xi + M);
    const scale = Math.max(...problem.targets.map(Math.abs), 1);
    expect(maxRelativeError(gotXi, xi, scale)).toBeLessThan(1e-5);
    const gpu = decodeState(state!);
    expect(gpu.residual).toBeCloseTo(norm, 5);
    expect(gpu.status).toBe(STATUS.continue);
    const [launchB] = await kernels.read([{ buffer: 'launchB', words: 12 }]);
    const groups = Array.from(new Uint32Array(launchB!)).filter((_, i) => i % 3 === 0);
    expect(groups).toEqual([layout.gramGroups, 1, 0, 0]);
    kernels.destroy();
  });

  it('gram_partial and solve: A = J(P)ᵀJ(X) and λ ← λ − A⁻¹ξ', async () => {
    const { kernels, layout, cpu, M } = await loaded(setup, 0, X, P);
    const xi = Float64Array.from(Float32Array.from({ length: M }, () => 0.01 * (random() - 0.5)));
    const lambda = Float64Array.from(Float32Array.from({ length: M }, () => random() - 0.5));
    kernels.write('work', Float32Array.from(lambda), layout.lambda);
    kernels.write('work', Float32Array.from(xi), layout.xi);
    kernels.writeState(stateFields({ phase: PHASE.newton, cur: 0, status: STATUS.continue }));
    kernels.dispatch(['gram_partial', 'solve']);
    const [gram, work, state] = await kernels.read([
      { buffer: 'gram', words: layout.lu },
      { buffer: 'work', words: layout.workLength },
      { buffer: 'state', words: MCOT_STATE.size / 4 },
    ]);
    const A = new Float64Array(M * M);
    cpu.newtonMatrix(P, X, A);
    const assembled = new Float32Array(gram!).subarray(layout.assembled, layout.assembled + M * M);
    expect(maxRelativeError(assembled, A)).toBeLessThan(1e-5);
    const { solveLinearSystem } = await import('../../src/ot/mcot/dense');
    const delta = solveLinearSystem(A, M, xi);
    const expected = lambda.map((l, m) => l - delta[m]!);
    const got = new Float32Array(work!).subarray(layout.lambda, layout.lambda + M);
    expect(maxRelativeError(got, expected)).toBeLessThan(1e-3);
    expect(decodeState(state!).status).toBe(STATUS.continue);
    kernels.destroy();
  });

  it('energy, particle_energy and control: ∇f(P), f(P), acceptance and the history row', async () => {
    const { kernels, layout } = await loaded(setup, 0, X, P);
    kernels.writeState(
      stateFields({
        phase: PHASE.newton,
        cur: 0,
        status: STATUS.converged,
        cost: 1e30,
        step: 4,
        newton_iter: 2,
        residual: 3e-6,
      }),
    );
    kernels.dispatch(['energy', 'particle_energy', 'control']);
    const [grad, state, history] = await kernels.read([
      { buffer: 'grad', words: 2 * layout.coordStride },
      { buffer: 'state', words: MCOT_STATE.size / 4 },
      { buffer: 'history', words: 6 },
    ]);
    const gradient = createState(problem);
    const cost = costGradient(problem, P, gradient);
    const got = new Float32Array(grad!).subarray(layout.coordStride);
    expect(maxRelativeError(got, packed(gradient))).toBeLessThan(1e-5);
    const gpu = decodeState(state!);
    expect(gpu.cost).toBeCloseTo(cost, 4);
    expect(gpu.cur).toBe(1);
    expect(gpu.step).toBe(5);
    expect(gpu.phase).toBe(PHASE.start);
    expect(Array.from(new Float32Array(history!))).toEqual(
      Array.from(Float32Array.from([5, gpu.cost, gpu.residual, 0.01, 0, 2])),
    );
    expect(particleCost(problem, P)).toBeCloseTo(cost, 12);
    kernels.destroy();
  });
});

describe.each(CASES)('initialisation flow velocity on the GPU: $label', ({ json }) => {
  it('F = −J(JᵀJ)⁻¹ξ(X) and ‖ξ(X)‖∞ match the float64 reference', async () => {
    const setup = buildMcotSetup(parseMcotParams(json));
    const { problem } = setup;
    const random = seededRandom(SEED + 17);
    const X = rounded(randomState(setup, random, 3));
    const rt = await gpuRuntime();
    const settings = gpuLangevinSettings(setup.langevin);
    const kernels = await McotGpuKernels.create(rt, problem, settings, 4);
    const gpu = createState(problem);
    const residual = await kernels.velocity(X, gpu);
    kernels.destroy();
    const reference = createState(problem);
    const expected = await cpuVelocityField(problem)(X, reference);
    expect(maxRelativeError(packed(gpu), packed(reference))).toBeLessThan(1e-3);
    expect(Math.abs(residual - expected) / expected).toBeLessThan(1e-4);
  });
});

describe('mcot.wgsl control transitions', () => {
  const setup = buildMcotSetup(parseMcotParams({ N: 2, K: 8, M: 3 }));

  async function afterControl(fields: Partial<StateFields>) {
    const rt = await gpuRuntime();
    const kernels = await McotGpuKernels.create(
      rt,
      setup.problem,
      gpuLangevinSettings(setup.langevin),
      2,
    );
    kernels.write('work', new Float32Array(kernels.layout.workLength).fill(1));
    kernels.writeState(stateFields(fields));
    kernels.dispatch(['control']);
    const [state, work, launchA, launchB] = await kernels.read([
      { buffer: 'state', words: MCOT_STATE.size / 4 },
      { buffer: 'work', words: kernels.layout.workLength },
      { buffer: 'launchA', words: 12 },
      { buffer: 'launchB', words: 12 },
    ]);
    kernels.destroy();
    // Workgroup counts of the next slot's gated kernels (the y, z of each triplet are 1).
    const counts = (bytes: ArrayBuffer) =>
      Array.from(new Uint32Array(bytes)).filter((_, i) => i % 3 === 0);
    return {
      state: decodeState(state!),
      work: new Float32Array(work!),
      layout: kernels.layout,
      launchA: counts(launchA!),
      launchB: counts(launchB!),
    };
  }

  it('continue: next Newton iteration; failure: Δt/2 and λ = 0; below the floor: failed', async () => {
    const next = await afterControl({ status: STATUS.continue, newton_iter: 1 });
    expect(next.state.phase).toBe(PHASE.newton);
    expect(next.state.newton_iter).toBe(2);
    // K·N = 16 electrons and K = 8 particles: one workgroup each; no predict within an attempt.
    expect(next.launchA).toEqual([0, 1, 1, 1]);
    expect(next.launchB).toEqual([0, 0, 0, 0]);
    const retry = await afterControl({ status: STATUS.failNewton, dt: 0.5 });
    expect(retry.state.phase).toBe(PHASE.start);
    expect(retry.state.dt).toBe(0.25);
    expect(retry.state.rejected).toBe(1);
    expect(retry.launchA).toEqual([1, 1, 1, 1]);
    const lambda = retry.work.subarray(retry.layout.lambda, retry.layout.lambda + 3);
    expect(Array.from(lambda)).toEqual([0, 0, 0]);
    const collapse = await afterControl({ status: STATUS.failSingular, dt: 1e-12 });
    expect(collapse.state.phase).toBe(PHASE.failed);
    expect(collapse.state.fail_code).toBe(2);
    expect(collapse.launchA).toEqual([0, 0, 0, 0]);
  });

  it('a noiseless step that raises the cost is rejected; reaching halt_at halts', async () => {
    // Every particle's weighted cost reads 1 (work filled with ones): f(P) = K = 8.
    const ascent = await afterControl({ status: STATUS.converged, cost: 7, dt: 0.5 });
    expect(ascent.state.rejected).toBe(1);
    expect(ascent.state.dt).toBe(0.25);
    const halt = await afterControl({ status: STATUS.converged, cost: 9, step: 3, halt_at: 4 });
    expect(halt.state.phase).toBe(PHASE.halt);
    expect(halt.state.cost).toBe(8);
    expect(halt.launchA).toEqual([0, 0, 0, 0]);
  });
});

describe('GPU solver against the CPU solver', () => {
  const compare = async (json: Record<string, unknown>, loseDevice: boolean) => {
    const setup = buildMcotSetup(parseMcotParams({ tolerance: 1e-5, steps: 20, ...json }));
    const rt = await gpuRuntime();
    const gpu = createMcotSolver(setup, 'gpu', rt);
    const cpu = createMcotSolver(setup, 'cpu');
    while (gpu.summary().iteration < 10) await gpu.step(10);
    if (loseDevice) {
      // Not via dispose(): the runtime treats it as a loss, recreates the device, and the solver
      // rebuilds its buffers from the particles it read back last.
      const restored = new Promise<number>((resolve) => rt.onDeviceRestored(resolve));
      rt.device.destroy();
      await restored;
    }
    const [g, c] = [await gpu.run(), await cpu.run()];
    gpu.dispose();
    expect(g.summary.failure).toBeUndefined();
    expect(g.summary.iteration).toBe(20);
    expect(g.summary.rejected).toBe(c.summary.rejected);
    expect(maxRelativeError(g.x, c.x)).toBeLessThan(1e-3);
    expect(Math.abs(g.cost - c.cost) / c.cost).toBeLessThan(1e-4);
    for (const residual of g.history.residual) expect(residual).toBeLessThan(1e-5);
    expect(g.residual).toBeLessThan(2e-5);
  };

  it('noiseless 1D, fixed Δt, through a device loss at step 10: positions agree within float32 tolerance over 20 steps', async () => {
    await compare({ N: 3, K: 30, M: 6, timeStepGrowth: 1, toleranceFactor: 1 }, true);
  });

  it('GPU initialisation (WGSL velocities in the RK3 flow) reaches the constraints', async () => {
    const setup = buildMcotSetup(parseMcotParams({ dimension: 3, N: 2, K: 10, D: 3, steps: 3 }));
    const gpu = createMcotSolver(setup, 'gpu', await gpuRuntime(), { gpuInitialisation: true });
    const result = await gpu.run();
    gpu.dispose();
    expect(result.summary.failure).toBeUndefined();
    expect(result.summary.initSteps).toBeGreaterThan(0);
    expect(result.history.residual[0]).toBeLessThan(1e-5);
    expect(result.residual).toBeLessThan(2e-5);
  });

  it('same noise, 3D adaptive weights: positions agree within float32 tolerance over 20 steps', async () => {
    await compare(
      {
        dimension: 3,
        N: 3,
        K: 12,
        D: 3,
        weights: 'adaptive',
        noise: 'constant',
        sigma0: 0.05,
        timeStepGrowth: 1,
        toleranceFactor: 1,
      },
      false,
    );
  });
});
