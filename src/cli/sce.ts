/**
 * `otlab sce`, two operations (MATH.md §6, seed 002):
 * - `exact` (the default): the exact 1D strictly-correlated-electrons solution of a density on
 *   [a, b]: co-motion functions T_i(x) = F^{-1}(F(x) + i/N mod 1) on a grid, the exact SCE cost and
 *   the mean-field value it approaches per pair as N grows;
 * - `two-state`: the two-state toy model ("Optimal cost per particle pair as fctn of particle
 *   no."): for k = 2..kmax the optimal k-representable pair density with marginal ρ and its cost per
 *   pair, rising to the mean-field value; optionally a pair density checked for k-representability.
 */
import { parseDensity1D, type Density1D } from '../ot/mcot/marginals';
import {
  meanField1D,
  sampleCoMotions,
  sceCost1D,
  twoStateMaxMixed,
  twoStateMeanField,
  twoStateOptimal,
  twoStateRepresentability,
  type TwoStateModel,
  type TwoStatePair,
} from '../ot/mcot/sce';
import {
  requireFiniteNumber,
  requireInteger,
  requireObject,
  requireOneOf,
  InputError,
} from '../ot/validate';
import { cliSolver } from './registry';

interface ExactInput {
  op: 'exact';
  density: Density1D;
  densitySpec: unknown;
  N: number;
  eta: number;
  samples: number;
}

interface TwoStateInput {
  op: 'two-state';
  model: TwoStateModel;
  kmax: number;
  pair: TwoStatePair | undefined;
}

/** The cost quadrature evaluates N(N−1)/2 pairs per node: beyond this N it takes many seconds. */
const MAX_N = 200;
/** The two-state optimum enumerates O(k²) vertices per k. */
const MAX_K = 500;

function parseExact(input: Record<string, unknown>): ExactInput {
  const density = parseDensity1D(input.density, 'density');
  const N = requireInteger(input.N, 'N', 2, MAX_N);
  const eta = input.eta === undefined ? 0 : requireFiniteNumber(input.eta, 'eta');
  if (eta < 0) throw new InputError('eta', `must be >= 0 (0 is Coulomb), got ${eta}`);
  const samples =
    input.samples === undefined ? 200 : requireInteger(input.samples, 'samples', 1, 100_000);
  return { op: 'exact', density, densitySpec: input.density, N, eta, samples };
}

function parseTwoState(input: Record<string, unknown>): TwoStateInput {
  const model = requireObject(input.model, 'model');
  const uDiag = requireFiniteNumber(model.uDiag, 'model.uDiag');
  const uAB = requireFiniteNumber(model.uAB, 'model.uAB');
  if (!(uDiag > uAB)) {
    throw new InputError('model.uAB', `must be < uDiag (same state costs more), got ${uAB}`);
  }
  const t = requireFiniteNumber(model.t, 'model.t');
  if (t < 0 || t > 1) throw new InputError('model.t', `must be in [0, 1], got ${t}`);
  const kmax = requireInteger(input.kmax, 'kmax', 2, MAX_K);
  let pair: TwoStatePair | undefined;
  if (input.pair !== undefined) {
    const given = requireObject(input.pair, 'pair');
    const entry = (key: keyof TwoStatePair) => {
      const value = requireFiniteNumber(given[key], `pair.${key}`);
      if (value < 0) throw new InputError(`pair.${key}`, `must be >= 0, got ${value}`);
      return value;
    };
    pair = { AA: entry('AA'), AB: entry('AB'), BA: entry('BA'), BB: entry('BB') };
    if (!(pair.AA + pair.AB + pair.BA + pair.BB > 0)) {
      throw new InputError('pair', 'has no mass: give at least one entry a positive value');
    }
  }
  return { op: 'two-state', model: { uDiag, uAB, t }, kmax, pair };
}

function runExact({ density, densitySpec, N, eta, samples }: ExactInput) {
  const pairs = (N * (N - 1)) / 2;
  const comotion = sampleCoMotions(density, N, samples);
  const cost = sceCost1D(density, N, eta);
  const meanField = meanField1D(density, eta);
  const finite = Number.isFinite(meanField.value);
  return {
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
  };
}

/** The pair density's checks; JSON has no Infinity, so "every k" is a flag. */
function pairCheck(pair: TwoStatePair, kmax: number) {
  const check = twoStateRepresentability(pair, kmax);
  return {
    pair,
    ...check,
    largestK: Number.isFinite(check.largestK) ? check.largestK : null,
    everyK: check.largestK === Infinity,
  };
}

function runTwoState({ model, kmax, pair }: TwoStateInput) {
  return {
    solver: 'sce',
    op: 'two-state',
    backend: 'cpu', // exact enumeration of the LP's vertices
    model,
    kmax,
    meanField: twoStateMeanField(model),
    curve: Array.from({ length: kmax - 1 }, (_, index) => {
      const solution = twoStateOptimal(model, index + 2);
      return {
        k: solution.k,
        costPerPair: solution.costPerPair,
        pair: solution.pair,
        // At most two symmetric k-particle states carry mass (a vertex of a two-row LP).
        components: [...solution.weights.entries()]
          .filter(([, weight]) => weight > 0)
          .map(([inB, weight]) => ({ inB, weight })),
        maxMixed: twoStateMaxMixed(model.t, solution.k),
      };
    }),
    ...(pair ? { pairCheck: pairCheck(pair, kmax) } : {}),
  };
}

export const sceCli = cliSolver<ExactInput | TwoStateInput>({
  name: 'sce',
  summary: 'exact 1D SCE (co-motion functions, Coulomb MMOT cost), two-state N-representability',
  parse(json) {
    const input = requireObject(json, 'input');
    const op =
      input.op === undefined ? 'exact' : requireOneOf(input.op, 'op', ['exact', 'two-state']);
    return op === 'exact' ? parseExact(input) : parseTwoState(input);
  },
  run(input) {
    return Promise.resolve(input.op === 'exact' ? runExact(input) : runTwoState(input));
  },
});
