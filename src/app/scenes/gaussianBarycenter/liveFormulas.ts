/** Each view's formula with the current weights and results substituted (MATH.md §2–§3, seed 000). */
import { texMatrix, texNumber, texTuple, texVector } from '../../lecture/tex';
import type { BarycenterResults, MarginalResults, RomResults, SceneInputs } from './model';

export function liveBarycenterTex(inputs: SceneInputs, results: BarycenterResults): string {
  const { w2, mw2 } = results;
  const mixtureLine = mw2
    ? String.raw` \\ \text{MW}_2\ \text{objective} &= ${texNumber(mw2.objective)}\ \text{over}\ ${mw2.tuples}\ \text{tuples}`
    : '';
  return String.raw`\begin{aligned}
\lambda &= ${texTuple(inputs.weights)} \\
m^\ast &= ${texVector(w2.gaussian.mean)},\quad S^\ast = ${texMatrix(w2.gaussian.cov)} \\
&\text{after ${w2.iterations} fixed-point iterations, residual } ${texNumber(w2.residual, 2)}${mixtureLine}
\end{aligned}`;
}

export function liveMarginalTex(results: MarginalResults): string {
  const { mixture, error } = results.constrained;
  // Mixture inputs are constrained component-wise: the formula shows the first component.
  const first = mixture.components[0]!;
  const label =
    mixture.components.length > 1
      ? String.raw`\text{constrained, component 1}`
      : String.raw`\text{constrained}`;
  return String.raw`\begin{aligned}
\Sigma_{${label}} &= ${texMatrix(first.cov)},\quad Z^\ast = ${texNumber(first.cov[0]![1]!)} \\
e_x &= ${texNumber(error.x, 3)},\quad e_y = ${texNumber(error.y, 3)}
\end{aligned}`;
}

export function liveRomTex(target: number, rom: RomResults): string {
  const used = rom.weights.flatMap((w, i) =>
    w > 0 ? [String.raw`${texNumber(w, 3)}\,\rho(t_{${i}})`] : [],
  );
  return String.raw`\begin{aligned}
\hat\rho(${texNumber(target, 3)}) &= \operatorname{bar}_{W_2}\bigl(${used.join(',\\ ')}\bigr) \\
W_2(\hat\rho, \rho) &= ${texNumber(rom.plain.errors.full, 3)}\ \text{(plain)},\quad ${texNumber(rom.constrained.errors.full, 3)}\ \text{(constrained)}
\end{aligned}`;
}
