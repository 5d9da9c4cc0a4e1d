/**
 * The MCOT lab's model (src/app/scenes/mcot/): scene values → the same runs as the CLI (presets
 * reproduce MCOT_PRESETS exactly), clear messages for invalid combinations, exact references,
 * chart and view summaries, the radial density of any 3D law against closed forms, the text
 * parameter kind, and the CPU worker protocol driven through a MessageChannel against the solver
 * run directly.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { defaultValues, formatParams, parseParams, type ParamSchema } from '../../src/app/params';
import {
  LAB_PRESETS,
  activePreset,
  coMotionSegments,
  electronColours,
  exactReference,
  historyPoints,
  labSetup,
  pairChoice,
  parseMixtureText,
  problemTex,
  radialHistogram,
  stepTex,
  type LabValues,
} from '../../src/app/scenes/mcot/model';
import { mcotLabParams } from '../../src/app/scenes/mcot/params';
import { HandoffSolver } from '../../src/app/scenes/mcot/handoffSolver';
import { gpuUnsuitable, lanePlan } from '../../src/app/scenes/mcot/lanes';
import {
  McotWorkerHost,
  WorkerMcotSolver,
  type MessageEndpoint,
} from '../../src/app/scenes/mcot/workerSolver';
import {
  anisotropicNormal,
  gaussianMixture,
  normalRadialLaw,
  uniformDensity,
} from '../../src/ot/mcot/marginals';
import { MCOT_PRESETS, buildMcotSetup, parseMcotParams } from '../../src/ot/mcot/params';
import { gaussLegendreOn } from '../../src/ot/mcot/quadrature';
import { coMotion, radialSceCostN2, uniformSceCost } from '../../src/ot/mcot/sce';
import { radialDensity } from '../../src/ot/radialDensity';
import { InputError } from '../../src/ot/validate';
import { CpuMcotSolver } from '../../src/solvers/mcot/cpu';
import type { ParticleSnapshot } from '../../src/solvers/mcot/types';

const defaults = defaultValues(mcotLabParams);
const values = (patch: Partial<Record<keyof LabValues, number | string>>): LabValues =>
  ({ ...defaults, ...patch }) as LabValues;

/** ∫₀^R f by a 200-node Gauss–Legendre rule (smooth integrands). */
function integrate(f: (r: number) => number, R: number): number {
  const rule = gaussLegendreOn(200, 0, R);
  return rule.nodes.reduce((sum, r, q) => sum + rule.weights[q]! * f(r), 0);
}

describe('radialDensity (law of |x| for a 3D density)', () => {
  it('matches the χ₃ law of an isotropic normal', () => {
    const sigma = 1.3;
    const p = radialDensity(
      gaussianMixture([
        {
          weight: 1,
          mean: [0, 0, 0],
          covariance: [
            [sigma ** 2, 0, 0],
            [0, sigma ** 2, 0],
            [0, 0, sigma ** 2],
          ],
        },
      ]),
    );
    const exact = normalRadialLaw(sigma);
    for (const r of [0.05, 0.5, 1.3, 2.7, 5]) {
      expect(Math.abs(p(r) - exact.pdf(r))).toBeLessThan(1e-12 * Math.max(exact.pdf(r), 1e-3));
    }
    expect(p(0)).toBe(0);
  });

  it('integrates to 1 with E|x|² = tr Σ for an anisotropic normal and a mixture', () => {
    const aniso = radialDensity(anisotropicNormal([1, 0.7, 0.5]));
    expect(integrate(aniso, 9)).toBeCloseTo(1, 9);
    expect(integrate((r) => r * r * aniso(r), 9)).toBeCloseTo(1 + 0.49 + 0.25, 8);
    const mixture = radialDensity(
      gaussianMixture([
        {
          weight: 0.5,
          mean: [-1.5, 0, 0],
          covariance: [
            [0.49, 0, 0],
            [0, 0.49, 0],
            [0, 0, 0.49],
          ],
        },
        {
          weight: 0.5,
          mean: [1.5, 0, 0],
          covariance: [
            [0.49, 0, 0],
            [0, 0.49, 0],
            [0, 0, 0.49],
          ],
        },
      ]),
    );
    expect(integrate(mixture, 8)).toBeCloseTo(1, 9);
    expect(integrate((r) => r * r * mixture(r), 8)).toBeCloseTo(2.25 + 3 * 0.49, 8);
  });

  it('refuses laws that are not 3D', () => {
    expect(() => radialDensity(uniformDensity(0, 1))).toThrow(/3D laws/);
  });
});

describe('MCOT lab parameters → runs', () => {
  it('every preset gives exactly the run of otlab mcot {"preset": …}', () => {
    expect(LAB_PRESETS.map((p) => p.id)).toEqual(Object.keys(MCOT_PRESETS));
    for (const preset of LAB_PRESETS) {
      const { setup, error } = labSetup(preset.values);
      expect(error).toBeUndefined();
      expect(setup!.params).toEqual(parseMcotParams({ preset: preset.id }));
      expect(activePreset(preset.values)).toBe(preset.id);
    }
    expect(activePreset(defaults)).toBe('1d-uniform-n3');
    expect(activePreset(values({ K: 61 }))).toBeUndefined();
  });

  it.each([
    [{ init: 'tchakaloff' }, /^Initialisation: .*adaptive/],
    [{ K: 1, M: 10 }, /^Particles K: 10 constraints need more than/],
    [{ tol: 1e-8, minTol: 1e-6 }, /^Smallest tolerance: must be <= tolerance/],
    [{ dt: 1, dtMax: 0.1 }, /^Initial step Δt₀: must lie in \[minTimeStep, maxTimeStep\]/],
    [
      { d: '3', law3: 'mixture', mixture: '1: 0 0 0: 0' },
      /^mixture component 1 sd: must be > 0, got 0/,
    ],
    [
      { d: '3', law3: 'mixture', mixture: '1: 0 0: 1' },
      /^mixture component 1 mean: expected 3 numbers, got 2/,
    ],
    [{ d: '3', law3: 'mixture', mixture: '' }, /^mixture: give 1 to 8 components/],
    [{ d: '3', law3: 'mixture', mixture: '1: 0 0 x: 1' }, /"x" is not a number/],
  ])('explains the invalid combination %j', (patch, message) => {
    const { setup, error } = labSetup(values(patch));
    expect(setup).toBeUndefined();
    expect(error).toMatch(message);
  });

  it('reads a typed mixture with one or three standard deviations', () => {
    expect(parseMixtureText('0.5: -1 0 0: 0.6; 0.5: 1,0,0: 0.5 0.5 1')).toEqual({
      kind: 'gaussianMixture',
      components: [
        { weight: 0.5, mean: [-1, 0, 0], sd: 0.6 },
        { weight: 0.5, mean: [1, 0, 0], sd: [0.5, 0.5, 1] },
      ],
    });
    expect(() => parseMixtureText('1; 2')).toThrow(InputError);
    const { setup } = labSetup(values({ d: '3', law3: 'mixture', N: 2, K: 40 }));
    expect(setup!.marginal.label).toBe('mixture of 2 Gaussians');
  });

  it('typesets the particle problem and the step with the run’s numbers', () => {
    for (const patch of [{}, { weights: 'adaptive', noise: 'sqrt' }, { d: '3', N: 10, K: 100 }]) {
      const { setup } = labSetup(values(patch));
      for (const tex of [problemTex(setup!), stepTex(setup!)]) {
        expect(() => katex.renderToString(tex, { throwOnError: true })).not.toThrow();
      }
      expect(problemTex(setup!)).toContain(`\\sum_{k=1}^{${setup!.params.K}}`);
    }
  });
});

describe('MCOT lab references and summaries', () => {
  it('takes the exact SCE cost in 1D and for radial N = 2 in 3D, none otherwise', () => {
    const oneD = labSetup(values({ N: 2, eta: 0.1 })).setup!;
    expect(exactReference(oneD)!.value).toBeCloseTo(uniformSceCost(2, 0.1), 10);
    const threeD = labSetup(values({ d: '3', N: 2, K: 100 })).setup!;
    expect(exactReference(threeD)!.value).toBeCloseTo(
      radialSceCostN2(normalRadialLaw(1), 0.1).value,
      12,
    );
    expect(exactReference(labSetup(values({ d: '3', N: 3, K: 100 })).setup!)).toBeUndefined();
  });

  it('draws the co-motion graphs as segments on y = T_m(x), cut at their jumps', () => {
    const density = uniformDensity(0, 1);
    const segments = coMotionSegments(density, 3, 300);
    expect(segments).toHaveLength(4); // T_1 and T_2 jump once each
    for (const segment of segments) {
      for (let j = 1; j < segment.length; j += 1) {
        expect(segment[j]![0]).toBeGreaterThan(segment[j - 1]![0]);
        expect(Math.abs(segment[j]![1] - segment[j - 1]![1])).toBeLessThan(0.01);
      }
    }
    const [x, y] = segments[0]![10]!;
    expect(y).toBeCloseTo(coMotion(density, 3, 1, x), 12);
  });

  it('decimates histories for the charts and keeps the last point', () => {
    const n = 10_001;
    const column = Array.from({ length: n }, (_, k) => k * 2);
    const history = {
      iteration: Array.from({ length: n }, (_, k) => k),
      cost: column,
      residual: column,
      timeStep: column,
      sigma: column,
      newtonIterations: column,
    };
    const points = historyPoints(history, 'cost', 1000);
    expect(points.length).toBeLessThanOrEqual(1001);
    expect(points[0]).toEqual({ iteration: 0, error: 0 });
    expect(points.at(-1)).toEqual({ iteration: n - 1, error: 2 * (n - 1) });
    expect(historyPoints({ ...history, cost: [], iteration: [] }, 'cost')).toEqual([]);
  });

  it('lists electron pairs and explains impossible ones', () => {
    const all = pairChoice(4, 0, 2);
    expect('pairs' in all && all.pairs).toHaveLength(12);
    expect(pairChoice(4, 3, 1)).toEqual({ pairs: [[2, 0]], label: '(x3, x1)' });
    expect(pairChoice(3, 2, 2)).toEqual({
      error: 'Choose two different electrons for the pair plot.',
    });
    const missing = pairChoice(3, 1, 5);
    expect('error' in missing && missing.error).toMatch(/electrons 1 … N = 3/);
  });

  it('bins weighted radii into a density that integrates to the mass inside', () => {
    const snapshot: ParticleSnapshot = {
      version: 1,
      dimension: 3,
      electrons: 2,
      particles: 2,
      // particle 0: radii 0.5 and 1.5; particle 1: radii 2.5 and 9 (outside)
      x: Float64Array.from([0.5, 0, 0, 0, 1.5, 0, 0, 0, -2.5, 9, 0, 0]),
      weights: Float64Array.from([0.75, 0.25]),
    };
    const histogram = radialHistogram(snapshot, 3, 3);
    expect(Array.from(histogram.edges)).toEqual([0, 1, 2, 3]);
    expect(Array.from(histogram.density)).toEqual([0.375, 0.375, 0.125]);
  });

  it('colours electrons by particle or by electron, in [0, 1]', () => {
    const byElectron = electronColours(3, 4, 'electron');
    expect(byElectron).toHaveLength(36);
    expect(byElectron.every((c) => c >= 0 && c <= 1)).toBe(true);
    // Same electron index, different particles: same colour; different electrons differ.
    expect(Array.from(byElectron.subarray(0, 3))).toEqual(Array.from(byElectron.subarray(12, 15)));
    expect(Array.from(byElectron.subarray(0, 3))).not.toEqual(
      Array.from(byElectron.subarray(3, 6)),
    );
    const byParticle = electronColours(3, 4, 'particle');
    expect(Array.from(byParticle.subarray(0, 3))).toEqual(Array.from(byParticle.subarray(3, 6)));
    expect(Array.from(byParticle.subarray(0, 3))).not.toEqual(
      Array.from(byParticle.subarray(12, 15)),
    );
  });
});

describe('text parameters', () => {
  const schema = {
    mixture: { kind: 'text', label: 'mixture', maxLength: 16, default: '1: 0 0 0: 1' },
  } as const satisfies ParamSchema;

  it('accept bounded printable text and round-trip through the URL', () => {
    const parsed = parseParams(schema, new URLSearchParams('mixture=0.5%3A+1+2+3%3A+1'));
    expect(parsed).toEqual({ values: { mixture: '0.5: 1 2 3: 1' }, issues: [] });
    expect(
      parseParams(schema, new URLSearchParams(formatParams(schema, parsed.values))).values,
    ).toEqual(parsed.values);
  });

  it('reject text too long or with control characters', () => {
    const long = parseParams(schema, new URLSearchParams(`mixture=${'1'.repeat(17)}`));
    expect(long.values.mixture).toBe('1: 0 0 0: 1');
    expect(long.issues[0]).toMatch(/at most 16 characters, got 17/);
    const control = parseParams(schema, new URLSearchParams('mixture=1%0A2'));
    expect(control.issues[0]).toMatch(/control characters/);
  });
});

describe('the CPU worker protocol', () => {
  /** A client and a host joined by a MessageChannel, as the page and the worker are. */
  function connect(setup: ReturnType<typeof buildMcotSetup>) {
    const channel = new MessageChannel();
    const host = new McotWorkerHost();
    channel.port2.onmessage = (event: MessageEvent) => {
      const { id, request } = event.data as {
        id: number;
        request: Parameters<McotWorkerHost['handle']>[1];
      };
      void host.handle(id, request).then(({ reply, transfer }) => {
        channel.port2.postMessage(reply, transfer);
      });
    };
    const port = channel.port1;
    const endpoint: MessageEndpoint = {
      postMessage: (message, transfer) => {
        port.postMessage(message, transfer);
      },
      addEventListener: (type: 'message' | 'error', listener: (event: never) => void) => {
        port.addEventListener(type as 'message', listener as (event: MessageEvent) => void);
        port.start();
      },
    };
    let closed = false;
    const solver = new WorkerMcotSolver(setup, endpoint, () => {
      closed = true;
      channel.port1.close();
      channel.port2.close();
    });
    return { solver, closed: () => closed };
  }

  it('gives the same run as the solver on the main thread, reset included', async () => {
    const setup = buildMcotSetup(parseMcotParams({ N: 3, K: 20, M: 6, steps: 40 }));
    const direct = new CpuMcotSolver(setup);
    const { solver, closed } = connect(setup);
    expect(solver.summary().phase).toBe('initialising');
    for (const units of [5, 12, 30]) {
      expect(await solver.step(units)).toEqual(await direct.step(units));
      expect(solver.particles().x).toEqual(direct.particles().x);
      expect(solver.particles().version).toBe(direct.particles().version);
    }
    expect(solver.history()).toEqual(direct.history());
    const result = await solver.result();
    expect(result.residual).toBeLessThan(setup.params.tolerance);
    expect(result.x).toEqual((await direct.result()).x);

    solver.reset();
    expect(solver.history().iteration).toEqual([]);
    expect(solver.particles().version).toBe(0);
    direct.reset();
    expect(await solver.step(20)).toEqual(await direct.step(20));
    expect(solver.history()).toEqual(direct.history());

    const pending = solver.step(10);
    solver.dispose();
    await expect(pending).rejects.toThrow(/disposed/);
    expect(closed()).toBe(true);
  });

  it('answers a step before creation with the host’s error', async () => {
    const host = new McotWorkerHost();
    const { reply } = await host.handle(1, { kind: 'step', iterations: 1 });
    expect(reply).toEqual({ id: 1, error: 'the MCOT worker has no solver: send "create" first' });
  });
});

describe('lanes', () => {
  it('run the GPU when WebGPU works and the run suits float32, explaining every fallback', () => {
    expect(lanePlan('auto', true, undefined)).toEqual({ gpu: true, cpu: false, notes: [] });
    expect(lanePlan('auto', false, undefined)).toEqual({ gpu: false, cpu: true, notes: [] });
    expect(lanePlan('both', true, undefined)).toEqual({ gpu: true, cpu: true, notes: [] });
    expect(lanePlan('cpu', true, undefined)).toEqual({ gpu: false, cpu: true, notes: [] });
    expect(lanePlan('gpu', false, undefined).notes[0]).toMatch(/WebGPU is unavailable/);
    const issue = gpuUnsuitable(labSetup(values({ tol: 1e-7 })).setup!);
    expect(issue).toMatch(
      /^Tolerance: the GPU backend computes in float32 and needs tolerance >= /,
    );
    expect(lanePlan('both', true, issue)).toEqual({
      gpu: false,
      cpu: true,
      notes: [`The GPU backend cannot run these parameters (${issue!}): the CPU backend runs.`],
    });
    expect(gpuUnsuitable(labSetup(values({})).setup!)).toBeUndefined();
  });

  it('hand the initialised particles over exactly: the same run as one solver', async () => {
    const setup = buildMcotSetup(parseMcotParams({ N: 3, K: 16, M: 6, steps: 30 }));
    const direct = new CpuMcotSolver(setup);
    const created: CpuMcotSolver[] = [];
    const handoff = new HandoffSolver(setup, new CpuMcotSolver(setup), (initialState) => {
      const solver = new CpuMcotSolver(setup, { initialState });
      created.push(solver);
      return solver;
    });
    for (const units of [3, 9, 25]) {
      const [a, b] = [await handoff.step(units), await direct.step(units)];
      expect(a).toEqual(b);
      expect(handoff.particles().x).toEqual(direct.particles().x);
    }
    expect(created).toHaveLength(1);
    expect(handoff.history()).toEqual(direct.history());
    expect((await handoff.result()).cost).toBe((await direct.result()).cost);
    handoff.reset();
    direct.reset();
    expect(await handoff.step(40)).toEqual(await direct.step(40));
    expect(created).toHaveLength(2);
  });
});
