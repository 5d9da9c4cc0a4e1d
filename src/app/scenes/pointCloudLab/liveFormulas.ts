/**
 * The lab's formulas with the current cost, ε and results substituted (MATH.md §1, seed 004
 * "Conjugacy"). The Sinkhorn updates and the lane result are the toy's (sinkhornToy/liveFormulas).
 */
import type { CostSpec } from '../../../ot/costs';
import { texNumber } from '../../lecture/tex';

/** The ground cost with its parameters written out. */
export function costTex(cost: CostSpec): string {
  switch (cost.kind) {
    case 'sqeuclidean':
      return String.raw`C_{ij} = \lVert x_i - y_j \rVert_2^2`;
    case 'euclidean':
      return String.raw`C_{ij} = \lVert x_i - y_j \rVert_2`;
    case 'pq':
      return String.raw`C_{ij} = \lVert x_i - y_j \rVert_{${texNumber(cost.p, 3)}}^{${texNumber(cost.q, 3)}}`;
    case 'coulomb':
      return String.raw`C_{ij} = \bigl(\lVert x_i - y_j \rVert_2^2 + ${texNumber(cost.eta, 3)}^2\bigr)^{-1/2}`;
  }
}

/** The two c-transform checks of the current g against f, with their values. */
export function dualCheckTex(epsilon: number, softGap: number, hardGap: number): string {
  const eps = texNumber(epsilon);
  return String.raw`\begin{aligned}
f^{c,\varepsilon}_j &= -${eps} \log \textstyle\sum_i a_i\, e^{(f_i - C_{ij})/${eps}}, &
\max_j \bigl|g_j - f^{c,\varepsilon}_j\bigr| &= ${texNumber(softGap, 3)} \\
f^{c}_j &= \min_i\, C_{ij} - f_i, &
\max_j \bigl|g_j - f^{c}_j\bigr| &= ${texNumber(hardGap, 3)}
\end{aligned}`;
}
