/**
 * `otlab sce`: the exact 1D strictly-correlated-electrons solution (MATH.md §6, seed 002) of a
 * density on [a, b]: co-motion functions T_i(x) = F^{-1}(F(x) + i/N mod 1) on a grid, the exact
 * SCE cost and the mean-field value it approaches per pair as N grows.
 */
import { parseDensity1D, type Density1D } from '../ot/mcot/marginals';
import { meanField1D, sampleCoMotions, sceCost1D } from '../ot/mcot/sce';
import { requireFiniteNumber, requireInteger, requireObject, InputError } from '../ot/validate';
import { cliSolver } from './registry';

interface SceCliInput {
  density: Density1D;
  densitySpec: unknown;
  N: number;
  eta: number;
  samples: number;
}

/** The cost quadrature evaluates N(N−1)/2 pairs per node: beyond this N it takes many seconds. */
const MAX_N = 200;

export const sceCli = cliSolver<SceCliInput>({
  name: 'sce',
  summary: 'exact 1D SCE: co-motion functions, Coulomb multi-marginal OT cost, mean-field value',
  parse(json) {
    const input = requireObject(json, 'input');
    const density = parseDensity1D(input.density, 'density');
    const N = requireInteger(input.N, 'N', 2, MAX_N);
    const eta = input.eta === undefined ? 0 : requireFiniteNumber(input.eta, 'eta');
    if (eta < 0) throw new InputError('eta', `must be >= 0 (0 is Coulomb), got ${eta}`);
    const samples =
      input.samples === undefined ? 200 : requireInteger(input.samples, 'samples', 1, 100_000);
    return { density, densitySpec: input.density, N, eta, samples };
  },
  run({ density, densitySpec, N, eta, samples }) {
    const pairs = (N * (N - 1)) / 2;
    const comotion = sampleCoMotions(density, N, samples);
    const cost = sceCost1D(density, N, eta);
    const meanField = meanField1D(density, eta);
    const finite = Number.isFinite(meanField.value);
    return Promise.resolve({
      solver: 'sce',
      backend: 'cpu', // float64 closed forms and quadrature only
      density: { spec: densitySpec, label: density.label, a: density.a, b: density.b },
      N,
      eta,
      s: Array.from(comotion.s),
      x: Array.from(comotion.x),
      densityValues: Array.from(comotion.x, (x) => density.pdf(x)),
      maps: comotion.maps.map((map) => Array.from(map)),
      cost: cost.value,
      costPerPair: cost.costPerPair,
      costErrorEstimate: cost.errorEstimate,
      meanFieldPerPair: finite ? meanField.value : null,
      meanFieldTotal: finite ? meanField.value * pairs : null,
      ...(finite
        ? {}
        : { meanFieldNote: '∫∫ ρ(x)ρ(y)/|x − y| diverges in 1D; give eta > 0 for a finite value' }),
    });
  },
});
