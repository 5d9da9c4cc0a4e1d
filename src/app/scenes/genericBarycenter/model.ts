/**
 * The generic-cost lab's problem from its parameters: seed 001's two examples (src/ot/barycenter/
 * seedExamples.ts) with the chosen sizes, weights and algorithm, and the messages about parameter
 * combinations that had to be adjusted.
 */
import type {
  FixedPointOptions,
  GenericBarycenterProblem,
} from '../../../ot/barycenter/fixedPoint';
import { requireExactSizes } from '../../../ot/barycenter/problem';
import { circlesExample, pqExample } from '../../../ot/barycenter/seedExamples';
import { InputError } from '../../../ot/validate';
import { checkedWeights } from '../../components/simplex';
import type { ParamValues } from '../../params';
import { genericBarycenterParams, WEIGHT_KEYS } from './params';

/** Every parameter but the animation pace, which does not change the problem. */
type Values = Omit<ParamValues<typeof genericBarycenterParams>, 'pace'>;

/** G's support grows each iteration; the lab stops it here (its plans run on one CPU core). */
export const LAB_MAX_SUPPORT = 2000;

export interface LabProblem {
  problem: GenericBarycenterProblem;
  options: FixedPointOptions;
  issues: string[];
}

export function labProblem(values: Values): LabProblem {
  const issues: string[] = [];
  const { n, m, seed } = values;
  const problem =
    values.preset === 'circles'
      ? circlesExample({ n, m, seed })
      : pqExample({
          p: values.p,
          q: values.q,
          n,
          m,
          seed,
          lambdas: checkedWeights(
            WEIGHT_KEYS.map((key) => values[key]),
            issues,
          ),
        });
  const algorithm = values.algorithm === 'G' ? 'G' : 'H';
  let plans: FixedPointOptions['plans'] = { kind: 'exact' };
  if (values.plans === 'entropic') {
    if (algorithm === 'G') {
      issues.push(
        'G glues exact plans (entropic plans would multiply the support at every iteration); using exact plans.',
      );
    } else {
      plans = { kind: 'entropic', epsilon: values.eps };
    }
  }
  const options: FixedPointOptions = {
    algorithm,
    plans,
    maxIterations: values.maxIter,
    tolerance: 1e-9,
    groundTolerance: 1e-10,
    maxSupport: LAB_MAX_SUPPORT,
    sinkhorn: { maxIterations: 3000, tolerance: 1e-7, checkEvery: 10 },
  };
  try {
    requireExactSizes(problem, options);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(error.message);
  }
  return { problem, options, issues };
}

/** Colours of the measures (and of the weight picker's vertices). */
export const MEASURE_COLORS = ['#1d4ed8', '#c2410c', '#7c3aed', '#15803d'] as const;
