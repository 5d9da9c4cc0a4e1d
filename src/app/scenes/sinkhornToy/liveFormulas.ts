/** The toy's formulas with the current ε, sizes and results substituted (MATH.md §1, seed 004). */
import { texNumber } from '../../lecture/tex';
import type { SinkhornLaneNumbers } from '../../testHook';

/** The two log-domain updates with ε and the uniform weights 1/n, 1/m written out. */
export function liveUpdatesTex(epsilon: number, n: number, m: number): string {
  const eps = texNumber(epsilon);
  return String.raw`\begin{aligned}
f_i &= -${eps} \log \sum_{j=1}^{${m}} \tfrac{1}{${m}}\, e^{(g_j - C_{ij})/${eps}} \\
g_j &= -${eps} \log \sum_{i=1}^{${n}} \tfrac{1}{${n}}\, e^{(f_i - C_{ij})/${eps}}
\end{aligned}`;
}

/** Where a lane is: iteration, transport cost and marginal error. */
export function liveResultTex(label: string, lane: SinkhornLaneNumbers): string {
  return String.raw`\begin{aligned}
&\text{${label}, iteration ${lane.iteration}:} \\
&\langle C, P\rangle = ${texNumber(lane.transportCost, 6)} \\
&\textstyle\sum_i \bigl|\sum_j P_{ij} - a_i\bigr| = ${texNumber(lane.marginalError, 3)}
\end{aligned}`;
}
