import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/registry';
import { sceCli } from '../../src/cli/sce';
import { cliSolvers } from '../../src/cli/solvers';
import { InputError } from '../../src/ot/validate';

const cpu: CliContext = { backend: 'cpu', gpu: () => Promise.reject(new Error('CPU only')) };

async function run(json: unknown) {
  return (await sceCli.run(sceCli.parse(json), cpu)) as Record<string, unknown>;
}

function fieldOf(json: unknown): string {
  try {
    sceCli.parse(json);
  } catch (error) {
    if (error instanceof InputError) return error.field;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('otlab sce', () => {
  it('is registered', () => {
    expect(cliSolvers.map((s) => s.name)).toContain('sce');
  });

  it('uniform, N = 2: cost 2 and the half-swap T(x) = x ± ½', async () => {
    const output = await run({ density: { kind: 'uniform' }, N: 2, samples: 10 });
    expect(output.cost).toBeCloseTo(2, 13);
    expect(output.meanFieldPerPair).toBeNull();
    const x = output.x as number[];
    const maps = output.maps as number[][];
    x.forEach((xj, j) => {
      expect(maps[1]![j]).toBeCloseTo(xj < 0.5 ? xj + 0.5 : xj - 0.5, 14);
    });
    expect(JSON.parse(JSON.stringify(output))).toEqual(output);
  });

  it('reports the mean field when η > 0, and total = per pair · N(N−1)/2', async () => {
    const output = await run({ density: { kind: 'uniform' }, N: 4, eta: 0.1, samples: 5 });
    const perPair = 2 * (Math.asinh(10) - Math.sqrt(1.01) + 0.1);
    expect(output.meanFieldPerPair).toBeCloseTo(perPair, 12);
    expect(output.meanFieldTotal).toBeCloseTo(6 * perPair, 11);
    expect(output.costPerPair).toBeCloseTo((output.cost as number) / 6, 14);
  });

  it('names the bad field', () => {
    expect(fieldOf({ density: { kind: 'gauss' }, N: 2 })).toBe('density.kind');
    expect(fieldOf({ density: { kind: 'uniform', a: 2, b: 1 }, N: 2 })).toBe('density.b');
    expect(fieldOf({ density: { kind: 'uniform' }, N: 1 })).toBe('N');
    expect(fieldOf({ density: { kind: 'uniform' }, N: 2, eta: -0.1 })).toBe('eta');
    expect(fieldOf({ density: { kind: 'uniform' }, N: 2, samples: 0 })).toBe('samples');
    expect(fieldOf({ density: { kind: 'twoBumps', gap: 1 }, N: 2 })).toBe('density.gap');
    expect(fieldOf({ N: 2 })).toBe('density');
  });

  it('runs examples/sce.json (the co-motion maps have N rows, the cost is finite)', async () => {
    const example = JSON.parse(
      readFileSync(new URL('../../examples/sce.json', import.meta.url), 'utf8'),
    ) as { N: number; samples: number };
    const output = await run(example);
    const maps = output.maps as number[][];
    expect(maps).toHaveLength(example.N);
    maps.forEach((map) => {
      expect(map).toHaveLength(example.samples);
    });
    expect(Number.isFinite(output.cost)).toBe(true);
    expect(output.costPerPair).toBeGreaterThan(0);
  });
});
