/**
 * SinkhornState runs the stabilised kernel scheme with absorption (src/ot/sinkhorn.ts); in exact
 * arithmetic its iterates are the plain log-domain updates (MATH.md §1), written out here as the
 * oracle.
 */
import { describe, expect, it } from 'vitest';
import { costMatrix } from '../../src/ot/costs';
import { seededRandom } from '../../src/ot/random';
import { SinkhornState, costScale, logSumExp, type SinkhornProblem } from '../../src/ot/sinkhorn';

/** f_i = −ε log Σ_j b_j e^{(g_j − C_ij)/ε}, then g_j = −ε log Σ_i a_i e^{(f_i − C_ij)/ε}. */
function logDomainIteration(
  p: SinkhornProblem,
  cost: Float64Array,
  eps: number,
  f: Float64Array,
  g: Float64Array,
) {
  const n = p.x.length;
  const m = p.y.length;
  for (let i = 0; i < n; i += 1) {
    f[i] = -eps * logSumExp(p.b.map((b, j) => Math.log(b) + (g[j]! - cost[i * m + j]!) / eps));
  }
  for (let j = 0; j < m; j += 1) {
    g[j] = -eps * logSumExp(p.a.map((a, i) => Math.log(a) + (f[i]! - cost[i * m + j]!) / eps));
  }
}

/** Σ_i a_i |exp((f_i − f̃_i)/ε) − 1|, f̃ the row update from g. */
function logDomainError(
  p: SinkhornProblem,
  cost: Float64Array,
  eps: number,
  f: Float64Array,
  g: Float64Array,
) {
  const m = p.y.length;
  return p.a.reduce((sum, a, i) => {
    const fTilde =
      -eps * logSumExp(p.b.map((b, j) => Math.log(b) + (g[j]! - cost[i * m + j]!) / eps));
    return sum + a * Math.abs(Math.expm1((f[i]! - fTilde) / eps));
  }, 0);
}

function farApartProblem(seed: number, n: number, m: number): SinkhornProblem {
  const random = seededRandom(seed);
  const weights = (count: number) => {
    const w = Array.from({ length: count }, () => 0.2 + random());
    const total = w.reduce((s, v) => s + v, 0);
    return w.map((v) => v / total);
  };
  // Two clouds 10 apart: C_ij ≈ 100–200 while ε ≈ 0.24, so e^{−C/ε} is 0 in float64 and the first
  // iterations from f = g = 0 can only run in the log domain.
  const x = Array.from({ length: n }, () => [random(), 2 * random()]);
  const y = Array.from({ length: m }, () => [10 + 2 * random(), 3 + random()]);
  const problem = {
    x,
    y,
    a: weights(n),
    b: weights(m),
    epsilon: 1,
    cost: { kind: 'sqeuclidean' as const },
  };
  return { ...problem, epsilon: 1e-3 * costScale(problem) };
}

function relativeGap(actual: Float64Array, expected: Float64Array) {
  const scale = expected.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
  return actual.reduce((max, v, k) => Math.max(max, Math.abs(v - expected[k]!)), 0) / scale;
}

describe('SinkhornState (stabilised kernel scheme with absorption)', () => {
  it('follows the log-domain iterates at small ε through underflow, absorptions and an ε change', () => {
    const problem = farApartProblem(3, 37, 29);
    const cost = costMatrix(problem.cost, problem.x, problem.y);
    const state = new SinkhornState(problem);
    const f = new Float64Array(37);
    const g = new Float64Array(29);
    let eps = problem.epsilon;
    for (let t = 1; t <= 400; t += 1) {
      if (t === 301) {
        // Annealing-style warm restart at a smaller ε: the kernel must be rebuilt.
        eps = problem.epsilon / 2;
        state.setEpsilon(eps);
      }
      state.iterate();
      logDomainIteration(problem, cost, eps, f, g);
      if (t % 25 === 0) {
        expect(relativeGap(state.f, f)).toBeLessThan(1e-9);
        expect(relativeGap(state.g, g)).toBeLessThan(1e-9);
        const error = state.marginalError();
        const expected = logDomainError(problem, cost, eps, f, g);
        // Relative, down to the rounding floor of an L1 sum of masses (≈ 1e-14).
        expect(Math.abs(error - expected)).toBeLessThan(1e-9 * expected + 1e-12);
      }
    }
    expect([...state.f, ...state.g].every(Number.isFinite)).toBe(true);
    // The first half-iterations underflow in the kernel domain, and the potentials move by more
    // than τε over the run, so both fallbacks have been exercised.
    expect(state.logDomainUpdates).toBeGreaterThan(0);
    expect(state.absorptions).toBeGreaterThan(0);
    // Converging: the last error is far below the first.
    expect(state.marginalError()).toBeLessThan(1e-3);
  });

  it('reset() restarts from f = g = 0 and repeats the same iterates', () => {
    const problem = farApartProblem(5, 12, 15);
    const state = new SinkhornState(problem);
    for (let t = 0; t < 20; t += 1) state.iterate();
    const first = { f: state.f.slice(), g: state.g.slice() };
    state.reset();
    expect(state.f.every((v) => v === 0)).toBe(true);
    for (let t = 0; t < 20; t += 1) state.iterate();
    expect(state.f).toEqual(first.f);
    expect(state.g).toEqual(first.g);
  });
});
