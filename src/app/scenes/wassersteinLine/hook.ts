/** The scene's numbers in `window.__otlab.wassersteinLine` (see src/app/testHook.ts). */
import type { SequenceDrivers } from '../../sequencePlayer';
import type { PopulationValues, SweepPoint } from './model';

export interface WassersteinLineNumbers {
  /** Samples per law in the pictures, and the order p. */
  n: number;
  p: number;
  /** ν has no outlier bump (the Gaussian formula is exact). */
  gaussian: boolean;
  samples: {
    /** Sorted samples of μ and ν. */
    x: number[];
    y: number[];
    /** W1 as the area between the CDFs, and from the quantiles; W2 and W_p from the quantiles. */
    w1ByCdf: number;
    w1: number;
    w2: number;
    wp: number;
  };
  /** Values of the laws (quadrature) and the Gaussian formula with their exact moments. */
  population: PopulationValues;
  /** Convergence sweep: sizes done so far (position + 1 of them). */
  position: number;
  finished: boolean;
  sweep: SweepPoint[];
}

export type WassersteinLineHook = WassersteinLineNumbers & SequenceDrivers<WassersteinLineNumbers>;
