/**
 * Parameters of the N-representability scene (`#/n-representability?t=0.3&…`): the two-state toy
 * model of seed 002 (costs U_diag > U_AB, one-body density ρ = (1 − t)δ_A + tδ_B), the largest
 * particle number k of the sweep, and a pair density entered by the user to be checked.
 */
import { linearNumber, type ParamSchema } from '../../params';

export const REPRESENTABILITY_ID = 'n-representability';

const num = linearNumber;
const entry = (label: string, value: number) =>
  num(label, 0, 1, value, 'Entry of your pair density; the four are normalised to total mass 1');

export const representabilityParams = {
  uDiag: num('U_diag = c(A,A) = c(B,B)', 0, 2, 1, 'Cost of two particles in the same state'),
  uAB: num(
    'U_AB = c(A,B)',
    0,
    2,
    0.2,
    'Cost of two particles in different states (must be < U_diag)',
  ),
  t: num('ρ(B) = t', 0, 1, 0.3, 'Weight of state B in the one-body density ρ = (1 − t)δ_A + tδ_B'),
  kmax: {
    kind: 'int',
    label: 'Largest k',
    description: 'The sweep runs k = 2, 3, …, this many particles',
    min: 3,
    max: 60,
    default: 30,
  },
  pAA: entry('Your p₂(A, A)', 0.1),
  pAB: entry('Your p₂(A, B)', 0.4),
  pBA: entry('Your p₂(B, A)', 0.4),
  pBB: entry('Your p₂(B, B)', 0.1),
} as const satisfies ParamSchema;

export type RepresentabilityParams = typeof representabilityParams;
