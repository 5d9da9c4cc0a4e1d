/** `otlab sinkhorn` in-process: ε-scaling, the debiased divergence and the top-k plan fields. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/registry';
import { sinkhornCli } from '../../src/cli/sinkhorn';

const cpu: CliContext = { backend: 'cpu', gpu: () => Promise.reject(new Error('CPU only')) };

interface Result {
  epsilon: number;
  converged: boolean;
  iterations: number;
  entropicCost: number;
  errorHistory: { iteration: number }[];
  divergence?: number;
  selfCosts?: { xx: number; yy: number };
  planTopK?: { k: number; index: number[][]; mass: number[][] };
}

async function run(input: unknown): Promise<Result[]> {
  const output = await sinkhornCli.run(sinkhornCli.parse(input), cpu);
  return (JSON.parse(JSON.stringify(output)) as { results: Result[] }).results;
}

const example = (name: string) =>
  JSON.parse(readFileSync(`examples/${name}.json`, 'utf8')) as Record<string, unknown>;

describe('otlab sinkhorn: new fields', () => {
  it('debiased: S_ε = OT_ε(a,b) − ½OT_ε(a,a) − ½OT_ε(b,b) per ε, 0 for identical clouds', async () => {
    const input = example('sinkhorn-debiased');
    const results = await run(input);
    expect(results.map((r) => r.epsilon)).toEqual([0.05, 0.2]);
    for (const r of results) {
      expect(r.converged).toBe(true);
      expect(r.divergence).toBeCloseTo(
        r.entropicCost - 0.5 * (r.selfCosts!.xx + r.selfCosts!.yy),
        12,
      );
      expect(r.divergence).toBeGreaterThan(0);
    }
    const [same] = await run({ ...input, y: input.x, epsilon: 0.1 });
    expect(Math.abs(same!.divergence!)).toBeLessThan(1e-9);
  });

  it('epsilonScaling: same entropic cost in fewer iterations, checks only at the target ε', async () => {
    const input = example('sinkhorn-annealed');
    const [annealed] = await run(input);
    const [plain] = await run({ ...input, epsilonScaling: undefined });
    expect(annealed!.converged && plain!.converged).toBe(true);
    expect(annealed!.iterations).toBeLessThan(plain!.iterations);
    expect(annealed!.entropicCost).toBeCloseTo(plain!.entropicCost, 5);
    // Cost scale ≈ 9.7 down to 0.02 by halves: 9 stages of 5 iterations before the first check.
    expect(annealed!.errorHistory[0]!.iteration).toBeGreaterThan(45);
  });

  it('topK: k heaviest entries per row, heaviest first', async () => {
    const [r] = await run(example('sinkhorn-annealed'));
    const top = r!.planTopK!;
    expect(top.k).toBe(3);
    expect(top.index).toHaveLength(8);
    for (const masses of top.mass) {
      expect(masses[0]).toBeGreaterThanOrEqual(masses[1]!);
      expect(masses[1]).toBeGreaterThanOrEqual(masses[2]!);
    }
  });

  it.each([
    [{ debiased: 'yes' }, /debiased: expected true or false/],
    [{ topK: 0 }, /topK: /],
    [{ topK: 17 }, /topK: /],
    [{ epsilonScaling: { factor: 2 } }, /epsilonScaling.factor: must be < 1/],
    [{ epsilonScaling: 'fast' }, /epsilonScaling: expected a JSON object/],
  ])('rejects bad field %o', (field, message) => {
    expect(() => sinkhornCli.parse({ ...example('sinkhorn'), ...field })).toThrow(message);
  });
});
