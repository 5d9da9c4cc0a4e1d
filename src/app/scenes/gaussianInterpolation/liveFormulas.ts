/** W2² of the current endpoints with their means and covariances written out (MATH.md §2, §4). */
import type { Gaussian } from '../../../ot/gaussian';
import { mixtureTransport } from '../../../ot/gmm';
import { texMatrix, texNumber, texVector } from '../../lecture/tex';
import type { LabModel } from './model';

function w2GaussiansTex(g0: Gaussian, g1: Gaussian, model: LabModel): string {
  return String.raw`\begin{aligned}
W_2^2 &= \Bigl\lVert ${texVector(g0.mean, 3)} - ${texVector(g1.mean, 3)} \Bigr\rVert^2
+ \operatorname{tr}\Bigl(S_0 + S_1 - 2\bigl(S_0^{1/2} S_1 S_0^{1/2}\bigr)^{1/2}\Bigr) \\
S_0 &= ${texMatrix(g0.cov, 3)},\quad S_1 = ${texMatrix(g1.cov, 3)} \\
W_2^2 &= ${texNumber(model.meanTerm)} + ${texNumber(model.covarianceTerm)} = ${texNumber(model.w2Squared)}
\end{aligned}`;
}

function mw2Tex(model: LabModel): string {
  const { plan } = mixtureTransport(model.rho0, model.rho1);
  return String.raw`\begin{aligned}
MW_2^2 &= \textstyle\sum_{k,l} \pi_{kl}\, W_2^2(\mathcal N_k^0, \mathcal N_l^1),\quad \pi = ${texMatrix(plan, 3)} \\
MW_2^2 &= ${texNumber(model.meanTerm)} + ${texNumber(model.covarianceTerm)} = ${texNumber(model.w2Squared)}
\end{aligned}`;
}

export function liveW2Tex(model: LabModel): string {
  const [g0, g1] = [model.rho0.components[0], model.rho1.components[0]];
  if (model.mode === 'mixtures' || !g0 || !g1) return mw2Tex(model);
  return w2GaussiansTex(g0, g1, model);
}
