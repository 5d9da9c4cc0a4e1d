/**
 * Scene "W1 vs W2 in 1D" (seed 004): the CDF picture (W1 = area between the CDFs), the quantile
 * picture (W_p from the quantile functions, W1 = area between them), population values next to the
 * sample values, and the Gaussian (FID) formula against sample-based estimates for n = 10 … 10⁵.
 */
import { useCallback, useMemo } from 'react';
import { Formula } from '../../components/Formula';
import { FormulaPanel, SceneFrame, SequenceControlBar } from '../../components/SceneFrame';
import { useParamSetter } from '../../sceneHooks';
import { LineChart, type Band } from '../../components/LineChart';
import { ParamControls } from '../../components/ParamControls';
import '../../components/figures.css';
import { useSceneExports } from '../../lecture/sceneExports';
import { useSequencePlayer, useSequenceTestHook } from '../../sequencePlayer';
import { useSceneParams } from '../../store';
import { lineOtlabRun, lineTables } from './exports';
import type { WassersteinLineNumbers } from './hook';
import {
  lineLaws,
  populationValues,
  samplePictures,
  sweepDefinition,
  type SamplePictures,
} from './model';
import { WASSERSTEIN_LINE_ID, wassersteinLineParams } from './params';

const schema = wassersteinLineParams;
const COLORS = {
  mu: '#1d4ed8',
  nu: '#c2410c',
  area: '#7c3aed',
  formula: '#0f172a',
  plugIn: '#15803d',
};

const fmt = (value: number) => value.toPrecision(5);

type Point = [number, number];

/** Staircase of the empirical CDF of sorted samples, from lo to hi. */
function cdfStairs(sorted: Float64Array, lo: number, hi: number): Point[] {
  const n = sorted.length;
  const points: Point[] = [[lo, 0]];
  sorted.forEach((v, k) => {
    points.push([v, k / n], [v, (k + 1) / n]);
  });
  points.push([hi, 1]);
  return points;
}

/** Staircase of the quantile function s ↦ x_(⌈ns⌉) of sorted samples. */
function quantileStairs(sorted: Float64Array): Point[] {
  const n = sorted.length;
  return Array.from(sorted).flatMap((v, k): Point[] => [
    [k / n, v],
    [(k + 1) / n, v],
  ]);
}

/** Rectangles between the two empirical CDFs over the merged breakpoints (their area is W1). */
function cdfGap(x: Float64Array, y: Float64Array): [number, number, number, number][] {
  const events = [...x, ...y].sort((p, q) => p - q);
  const rects: [number, number, number, number][] = [];
  let i = 0;
  let j = 0;
  for (let k = 0; k + 1 < events.length; k += 1) {
    while (i < x.length && x[i]! <= events[k]!) i += 1;
    while (j < y.length && y[j]! <= events[k]!) j += 1;
    const f = i / x.length;
    const g = j / y.length;
    if (f !== g && events[k + 1]! > events[k]!) {
      rects.push([events[k]!, events[k + 1]!, Math.min(f, g), Math.max(f, g)]);
    }
  }
  return rects;
}

/** Rectangles between the two quantile functions (equal sample sizes: the same level steps). */
function quantileGap(x: Float64Array, y: Float64Array): [number, number, number, number][] {
  const n = x.length;
  return Array.from(x, (v, k) => [k / n, (k + 1) / n, Math.min(v, y[k]!), Math.max(v, y[k]!)]);
}

export function WassersteinLine() {
  const params = useSceneParams(WASSERSTEIN_LINE_ID, schema);
  // The laws depend on six parameters only: n, p and the seed do not redo the quadratures.
  const { m1, s1, m2, s2, w, outlier } = params;
  const laws = useMemo(
    () => lineLaws({ m1, s1, m2, s2, w, outlier }),
    [m1, s1, m2, s2, w, outlier],
  );
  const pictures = useMemo(() => samplePictures(laws, params), [laws, params]);
  const population = useMemo(() => populationValues(laws, params.p), [laws, params.p]);
  const definition = useMemo(() => sweepDefinition(laws, params.seed), [laws, params.seed]);
  const player = useSequencePlayer(definition);
  const { solver } = player;
  const sweep = player.state.points;

  const numbers = useCallback(
    (): WassersteinLineNumbers => ({
      n: pictures.x.length,
      p: params.p,
      gaussian: laws.gaussian,
      samples: {
        x: [...pictures.x],
        y: [...pictures.y],
        w1ByCdf: pictures.w1ByCdf,
        w1: pictures.w1,
        w2: pictures.w2,
        wp: pictures.wp,
      },
      population,
      position: solver.position,
      finished: solver.summary.converged,
      sweep: solver.currentState().points,
    }),
    [pictures, params.p, laws, population, solver],
  );
  useSequenceTestHook('wassersteinLine', player, numbers);
  const { n, p, seed } = params;
  useSceneExports(
    useMemo(
      () => ({
        tables: () => lineTables(pictures, population, solver.currentState().points),
        json: numbers,
        otlab: () => lineOtlabRun(laws, { n, p, seed }, solver.currentState().points),
      }),
      [pictures, population, solver, numbers, laws, n, p, seed],
    ),
  );

  const onParam = useParamSetter(WASSERSTEIN_LINE_ID, schema);

  const orderP = (value: number) =>
    params.p === 1 || params.p === 2 ? '' : String.raw`, \quad W_{${params.p}} = ${fmt(value)}`;
  const last = sweep.at(-1)!;
  const formulaTex = String.raw`\begin{aligned}
W_2^2\big(\mathcal N(m_1, \sigma_1^2), \mathcal N(m_2, \sigma_2^2)\big) &= (m_1 - m_2)^2 + \operatorname{tr}\big(\Sigma_1 + \Sigma_2 - 2(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2}\big) \\
&= (m_1 - m_2)^2 + (\sigma_1 - \sigma_2)^2 = ${fmt(population.meanTerm)} + ${fmt(population.spreadTerm)} = ${fmt(population.formula)} \\
\widehat{W}_2^2(n = ${last.n}) &= ${fmt(last.empirical)}, \qquad \text{plug-in FID} = ${fmt(last.plugIn)}
\end{aligned}`;
  const quantileTex = String.raw`\begin{aligned}
W_p^p &= \int_0^1 \big|F^{-1}(s) - G^{-1}(s)\big|^p\, ds, \qquad W_1 = \int_{\mathbb R} |F(x) - G(x)|\, dx \\
\text{samples: } W_1 &= ${fmt(pictures.w1ByCdf)}\ (\text{CDFs}) = ${fmt(pictures.w1)}\ (\text{quantiles}), \quad W_2 = ${fmt(pictures.w2)}${orderP(pictures.wp)} \\
\text{laws: } W_1 &= ${fmt(population.w1)}, \quad W_2 = ${fmt(population.w2)}${orderP(population.wp)}
\end{aligned}`;

  const [lo, hi] = extent(pictures);
  const areaBand = (rects: [number, number, number, number][]): Band[] => [
    { id: 'gap', label: 'area = W₁', color: COLORS.area, rects },
  ];
  return (
    <SceneFrame
      title="W1 vs W2 on the line"
      intro={
        <>
          On the line, optimal transport matches quantiles. W1 is the area between the two CDFs,
          which is also the area between the quantile functions; W_p averages the p-th power of the
          gap between quantiles, so W2 weighs far-travelling mass (an outlier bump) more. For
          Gaussians the W2 distance has a closed form, the formula behind FID.
        </>
      }
      controls={
        <>
          <h2>Parameters</h2>
          <ParamControls schema={schema} values={params} onChange={onParam} />
        </>
      }
    >
      <div className="figures">
        <div className="figure-panel">
          <LineChart
            title={`CDFs of ${pictures.x.length} samples each: W₁ = area = ${fmt(pictures.w1ByCdf)}`}
            description={`Empirical CDFs F (μ) and G (ν); the shaded area between them is W1 = ${fmt(pictures.w1ByCdf)}.`}
            xLabel="x"
            yLabel="F(x), G(x)"
            series={[
              {
                id: 'F',
                label: 'F (μ samples)',
                color: COLORS.mu,
                points: cdfStairs(pictures.x, lo, hi),
              },
              {
                id: 'G',
                label: 'G (ν samples)',
                color: COLORS.nu,
                dash: '7 4',
                points: cdfStairs(pictures.y, lo, hi),
              },
            ]}
            bands={areaBand(cdfGap(pictures.x, pictures.y))}
            yDomain={[0, 1]}
            testId="w-cdf"
            exportLabel="Empirical CDFs"
          />
        </div>
        <div className="figure-panel">
          <LineChart
            title={`Quantile functions: W₁ = ${fmt(pictures.w1)}, W₂ = ${fmt(pictures.w2)}`}
            description={`Empirical quantile functions; the shaded area is W1 = ${fmt(pictures.w1)}; W2 = ${fmt(pictures.w2)}.`}
            xLabel="level s"
            yLabel="F⁻¹(s), G⁻¹(s)"
            series={[
              {
                id: 'Finv',
                label: 'F⁻¹ (μ samples)',
                color: COLORS.mu,
                points: quantileStairs(pictures.x),
              },
              {
                id: 'Ginv',
                label: 'G⁻¹ (ν samples)',
                color: COLORS.nu,
                dash: '7 4',
                points: quantileStairs(pictures.y),
              },
            ]}
            bands={areaBand(quantileGap(pictures.x, pictures.y))}
            xDomain={[0, 1]}
            testId="w-quantiles"
            exportLabel="Quantile functions"
          />
        </div>
      </div>
      <h2 className="section-title">The Gaussian formula against samples</h2>
      <SequenceControlBar player={player} />
      <LineChart
        title={`W₂² estimated from n samples per law (n = 10 … ${last.n.toLocaleString('en-US')})`}
        description={`At n = ${last.n} the empirical W2² is ${fmt(last.empirical)} and the plug-in FID ${fmt(last.plugIn)}; the Gaussian formula gives ${fmt(population.formula)}${laws.gaussian ? '' : ` and the true W2² is ${fmt(population.w2 ** 2)}`}.`}
        xLabel="samples per law n (log scale)"
        yLabel="W₂²"
        xScale="log"
        xDomain={[8, 125_000]}
        series={[
          {
            id: 'empirical',
            label: 'W₂² between samples',
            color: COLORS.area,
            dots: true,
            points: sweep.map((s) => [s.n, s.empirical]),
          },
          {
            id: 'plugin',
            label: 'plug-in FID estimate',
            color: COLORS.plugIn,
            dash: '5 4',
            dots: true,
            points: sweep.map((s) => [s.n, s.plugIn]),
          },
        ]}
        references={[
          {
            id: 'formula',
            label: laws.gaussian ? 'Gaussian formula (exact)' : 'Gaussian formula (lower bound)',
            value: population.formula,
            color: COLORS.formula,
          },
          ...(laws.gaussian
            ? []
            : [
                {
                  id: 'exact',
                  label: 'true W₂² (quadrature)',
                  value: population.w2 ** 2,
                  color: COLORS.nu,
                  dash: '2 3',
                },
              ]),
        ]}
        testId="w-convergence"
        exportLabel="W2 squared against the sample size"
      />
      <FormulaPanel>
        <Formula tex={quantileTex} />
        <Formula tex={formulaTex} />
        {!laws.gaussian && (
          <p className="note">
            ν is not Gaussian: the formula with its mean and variance is only a lower bound of W₂²
            (Gelbrich), so the estimates converge above the formula line.
          </p>
        )}
      </FormulaPanel>
    </SceneFrame>
  );
}

/** The plotted x range: all samples, with a margin. */
function extent(pictures: SamplePictures): [number, number] {
  const lo = Math.min(pictures.x[0]!, pictures.y[0]!);
  const hi = Math.max(pictures.x.at(-1)!, pictures.y.at(-1)!);
  const pad = 0.05 * (hi - lo || 1);
  return [lo - pad, hi + pad];
}
