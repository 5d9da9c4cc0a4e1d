import { describe, expect, it } from 'vitest';
import {
  ConstraintFlow,
  DEFAULT_FLOW_SETTINGS,
  bogackiShampineAttempt,
  sampleInitialState,
  subdivisionCounts,
  tchakaloffInitialState,
  type RkStages,
} from '../../src/ot/mcot/initialisation';
import {
  McotFailure,
  createLangevinWorkspace,
  fillLangevinNoise,
  initialControl,
  langevinStep,
  noiseLevel,
} from '../../src/ot/mcot/langevin';
import { buildMcotSetup, parseMcotParams } from '../../src/ot/mcot/params';
import {
  ParticleKernels,
  costGradient,
  createState,
  particleWeights,
  type ParticleState,
} from '../../src/ot/mcot/particles';

const scalar = (value: number): ParticleState => ({
  x: Float64Array.of(value),
  z: new Float64Array(0),
});

describe('Bogacki–Shampine RK3', () => {
  const stages = (): RkStages => ({
    k1: scalar(0),
    k2: scalar(0),
    k3: scalar(0),
    k4: scalar(0),
    trial: scalar(0),
    next: scalar(0),
  });
  const decay = (at: ParticleState, out: ParticleState) => {
    out.x[0] = -at.x[0]!;
  };

  it('y′ = −y: local error O(h⁴), embedded estimate O(h³) ≈ h³/72 (third-order pair)', async () => {
    for (const h of [0.1, 0.05, 0.025]) {
      const s = stages();
      s.k1.x[0] = -1;
      const estimate = await bogackiShampineAttempt(decay, scalar(1), h, s);
      // Exact e^{−h}; the third-order solution is 1 − h + h²/2 − h³/6.
      expect(s.next.x[0]).toBeCloseTo(1 - h + h ** 2 / 2 - h ** 3 / 6, 15);
      expect(Math.abs(s.next.x[0]! - Math.exp(-h))).toBeLessThan(h ** 4 / 20);
      expect(estimate / h ** 3).toBeCloseTo(1 / 72, 1);
      expect(s.k4.x[0]).toBeCloseTo(-s.next.x[0]!, 15);
    }
  });
});

describe('noise', () => {
  it('schedules σ₀, σ₀/√(n+1), 0', () => {
    expect(noiseLevel('constant', 0.3, 99)).toBe(0.3);
    expect(noiseLevel('sqrt', 0.3, 3)).toBeCloseTo(0.15, 15);
    expect(noiseLevel('zero', 0.3, 0)).toBe(0);
  });

  it('Gⁿ is reproducible, differs between steps, and looks standard normal', () => {
    const { problem } = buildMcotSetup(parseMcotParams({ dimension: 3, N: 5, K: 400, D: 2 }));
    const a = createState(problem);
    const b = createState(problem);
    fillLangevinNoise(problem, 7, 3, a);
    fillLangevinNoise(problem, 7, 3, b);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    fillLangevinNoise(problem, 7, 4, b);
    expect(a.x[0]).not.toBe(b.x[0]);
    const n = a.x.length;
    const mean = a.x.reduce((s, v) => s + v, 0) / n;
    const variance = a.x.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(10 / Math.sqrt(n));
  });
});

/** A small fixed-weight problem initialised on the manifold. */
async function onManifold(json: Record<string, unknown>) {
  const setup = buildMcotSetup(parseMcotParams({ M: 5, K: 10, ...json }));
  const state = sampleInitialState(setup.problem, setup.marginal, setup.params.seed);
  const flow = await ConstraintFlow.start(setup.problem, state, setup.flow);
  while (!flow.done) await flow.step();
  return { setup, state, flow };
}

describe('RK3 flow onto {ξ = 0}', () => {
  it('reaches the tolerance in a few dozen steps and ‖ξ‖ decreases along the way', async () => {
    const setup = buildMcotSetup(parseMcotParams({ dimension: 3, N: 3, K: 20, D: 5 }));
    const state = sampleInitialState(setup.problem, setup.marginal, 3);
    const flow = await ConstraintFlow.start(setup.problem, state, setup.flow);
    const residuals = [flow.residual];
    while (!flow.done) if (await flow.step()) residuals.push(flow.residual);
    expect(flow.residual).toBeLessThan(setup.params.tolerance);
    expect(flow.attempts).toBeLessThan(60);
    expect(residuals.at(-1)! / residuals[0]!).toBeLessThan(1e-4);
    const xi = new Float64Array(setup.problem.set.count);
    expect(new ParticleKernels(setup.problem).constraints(state, xi)).toBe(flow.residual);
  });

  it('declares unattainable moments (impossible targets) instead of looping', async () => {
    const setup = buildMcotSetup(parseMcotParams({ M: 2, K: 10 }));
    // √5 P_2(u) ≥ −√5/2 ≈ −1.118 everywhere: a mean of −2 cannot be reached.
    const targets = Float64Array.of(0, -2);
    const problem = { ...setup.problem, targets };
    const state = sampleInitialState(problem, setup.marginal, 1);
    let failure: unknown;
    try {
      const flow = await ConstraintFlow.start(problem, state, {
        ...DEFAULT_FLOW_SETTINGS,
        maxSteps: 300,
      });
      while (!flow.done) await flow.step();
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(McotFailure);
    expect((failure as McotFailure).code).toBe('unattainable');
    expect((failure as Error).message).toMatch(/unattainable moment set/);
  });
});

describe('Carathéodory–Tchakaloff initialisation', () => {
  it('subdivision counts: ≥ 1 each, proportional, summing to K', () => {
    expect(subdivisionCounts([0.5, 0.25, 0.25], 10)).toEqual([5, 3, 2]);
    expect(subdivisionCounts([0.9, 0.1], 2)).toEqual([1, 1]);
    expect(() => subdivisionCounts([0.5, 0.5], 1)).toThrow(/do not fit/);
  });

  it('NNLS keeps ≤ M′ atoms whose weighted moments nearly hit the targets', () => {
    const setup = buildMcotSetup(
      parseMcotParams({ N: 2, K: 30, M: 6, weights: 'adaptive', omega: 'exp' }),
    );
    const { problem, marginal } = setup;
    const outcome = tchakaloffInitialState(problem, marginal, {
      samples: 400,
      perturbation: 0,
      seed: 5,
    });
    expect(outcome.atoms).toBeLessThanOrEqual(problem.set.count);
    expect(outcome.nnlsResidual).toBeLessThan(1e-10);
    const weights = particleWeights(problem, outcome.state);
    expect(weights.every((w) => w > 0)).toBe(true);
    // Unperturbed copies: the moments are the NNLS fit itself.
    const xi = new Float64Array(problem.set.count);
    expect(new ParticleKernels(problem).constraints(outcome.state, xi)).toBeLessThan(1e-10);
  });
});

describe('projected Langevin step', () => {
  it('keeps ‖ξ‖∞ below the tolerance after every accepted step, with noise', async () => {
    const { setup, state, flow } = await onManifold({ N: 3, noise: 'constant', sigma0: 0.05 });
    const { problem, langevin } = setup;
    const ws = createLangevinWorkspace(problem);
    const control = initialControl(langevin, flow.residual);
    control.cost = costGradient(problem, state, ws.gradient);
    const xi = new Float64Array(problem.set.count);
    for (let n = 0; n < 30; n += 1) {
      const tolerance = control.tolerance;
      langevinStep(problem, state, control, langevin, ws);
      expect(control.residual).toBeLessThan(tolerance);
      expect(ws.kernels.constraints(state, xi)).toBeLessThan(langevin.tolerance);
    }
    expect(control.step).toBe(30);
  });

  it('halves Δt after a failed Newton projection and grows it after fast ones', async () => {
    const { setup, state, flow } = await onManifold({ timeStep: 1e4, maxTimeStep: 1e5 });
    const { problem, langevin } = setup;
    const ws = createLangevinWorkspace(problem);
    const control = initialControl(langevin, flow.residual);
    control.cost = costGradient(problem, state, ws.gradient);
    langevinStep(problem, state, control, langevin, ws);
    expect(control.rejected).toBeGreaterThan(0);
    expect(control.acceptedTimeStep).toBe(1e4 / 2 ** control.rejected);
    const small = await onManifold({ timeStep: 1e-4, fastNewtonIterations: 8 });
    const ws2 = createLangevinWorkspace(small.setup.problem);
    const c2 = initialControl(small.setup.langevin, small.flow.residual);
    c2.cost = costGradient(small.setup.problem, small.state, ws2.gradient);
    langevinStep(small.setup.problem, small.state, c2, small.setup.langevin, ws2);
    expect(c2.timeStep).toBeCloseTo(1e-4 * small.setup.langevin.timeStepGrowth, 15);
    expect(c2.tolerance).toBeLessThan(small.setup.langevin.tolerance);
  });

  it('stops with a step-size collapse when Newton cannot converge above the Δt floor', async () => {
    const { setup, state, flow } = await onManifold({
      timeStep: 1,
      minTimeStep: 0.3,
      maxNewtonIterations: 1,
      tolerance: 1e-12,
    });
    const ws = createLangevinWorkspace(setup.problem);
    const control = initialControl(setup.langevin, flow.residual);
    control.cost = costGradient(setup.problem, state, ws.gradient);
    const before = state.x.slice();
    expect(() => {
      langevinStep(setup.problem, state, control, setup.langevin, ws);
    }).toThrow(/step-size collapse/);
    expect(Array.from(state.x)).toEqual(Array.from(before));
  });

  it('stops on a singular Newton system (all electrons on one point)', () => {
    const { problem, langevin } = buildMcotSetup(parseMcotParams({ M: 3, K: 4 }));
    const state = createState(problem);
    state.x.fill(0.5);
    const ws = createLangevinWorkspace(problem);
    const control = initialControl(langevin, 1);
    costGradient(problem, state, ws.gradient);
    let failure: unknown;
    try {
      langevinStep(problem, state, control, langevin, ws);
    } catch (error) {
      failure = error;
    }
    expect((failure as McotFailure).code).toBe('singular');
    expect((failure as Error).message).toMatch(/singular Newton system/);
  });

  it('stops on a non-finite gradient (η = 0 and two electrons at one point)', () => {
    const { problem, langevin } = buildMcotSetup(parseMcotParams({ M: 3, K: 4, eta: 0 }));
    const state = createState(problem);
    state.x.forEach((_, e) => (state.x[e] = e / 8));
    state.x[1] = state.x[0]!;
    const ws = createLangevinWorkspace(problem);
    costGradient(problem, state, ws.gradient);
    expect(() => {
      langevinStep(problem, state, initialControl(langevin, 1), langevin, ws);
    }).toThrow(/non-finite cost or gradient at step 0.*use eta > 0/);
  });
});
