/**
 * End-to-end tests of the Gaussian barycenter lab (#/gaussian-barycenter) in headless Chromium.
 * Run after `npx vite build`:
 *
 *   bash scripts/with-swiftshader.sh node --test e2e/gaussian-barycenter.test.mjs
 *
 * Numbers are read through `window.__otlab.gaussianBarycenter` (src/app/testHook.ts) and checked
 * against closed forms computed here; screenshots go to e2e/artifacts/.
 */
// Functions passed to page.evaluate / waitForFunction run in the browser:
/* global window, document */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, READY_TIMEOUT_MS, useBuiltApp } from './harness.mjs';

const app = useBuiltApp();
/** Relative tolerance of the fixed point against the closed form (it stops at ~1e-12). */
const CLOSED_FORM_TOLERANCE = 1e-9;

// Commuting (diagonal) covariances: the barycenter covariance is (Σ λ_k S_k^{1/2})² (MATH.md §2).
const DIAGONAL = {
  m1x: -1.5,
  m1y: -1,
  v1x: 1.6,
  v1y: 0.2,
  c1: 0,
  m2x: 1.5,
  m2y: -1,
  v2x: 0.1,
  v2y: 1.2,
  c2: 0,
  m3x: 0,
  m3y: 1.5,
  v3x: 0.5,
  v3y: 0.5,
  c3: 0,
};

/** Opens the lab with `query` and waits for its part of the test hook. */
async function openLab(query) {
  const { page, context, errors } = await app.open(
    `#/gaussian-barycenter?${new URLSearchParams(query)}`,
    { viewport: { width: 1440, height: 1100 } },
  );
  await page.waitForFunction(() => window.__otlab.gaussianBarycenter !== undefined, null, {
    timeout: READY_TIMEOUT_MS,
  });
  return { page, context, errors };
}

const numbers = (page) => page.evaluate(() => window.__otlab.gaussianBarycenter);

/** (Σ λ_k S_k^{1/2})² for diagonal S_k, and the mean Σ λ_k m_k. */
function diagonalBarycenter(inputs, weights) {
  const root = (i) => inputs.reduce((s, g, k) => s + weights[k] * Math.sqrt(g.cov[i][i]), 0);
  const mean = (i) => inputs.reduce((s, g, k) => s + weights[k] * g.mean[i], 0);
  return {
    mean: [mean(0), mean(1)],
    cov: [
      [root(0) ** 2, 0],
      [0, root(1) ** 2],
    ],
  };
}

function assertBarycenterMatches(result, expected) {
  for (let i = 0; i < 2; i += 1) {
    assert.ok(Math.abs(result.mean[i] - expected.mean[i]) < 1e-12, `mean[${i}]`);
    for (let j = 0; j < 2; j += 1) {
      const scale = Math.max(Math.abs(expected.cov[i][j]), 1);
      const difference = Math.abs(result.cov[i][j] - expected.cov[i][j]) / scale;
      assert.ok(
        difference < CLOSED_FORM_TOLERANCE,
        `cov[${i}][${j}] ${result.cov[i][j]} vs closed form ${expected.cov[i][j]} (${difference})`,
      );
    }
  }
}

/** Distinct colours (quantised) in each canvas of a panel: a blank canvas has one. */
async function canvasColourCounts(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.gb-panel canvas')].map((canvas) => {
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const colours = new Set();
      for (let i = 0; i < data.length; i += 16) {
        colours.add(((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4));
      }
      return colours.size;
    }),
  );
}

async function screenshot(page, name, expectedCanvases) {
  const counts = await canvasColourCounts(page);
  assert.equal(counts.length, expectedCanvases, `expected ${expectedCanvases} density canvases`);
  for (const count of counts) assert.ok(count > 20, `a canvas looks blank: ${counts}`);
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

test('barycenter view: simplex weights move the W2 barycenter to the closed form', async (t) => {
  const { page, context, errors } = await openLab({
    view: 'barycenter',
    w1: '0.5',
    w2: '0.3',
    w3: '0.2',
    ...DIAGONAL,
  });
  try {
    const first = await numbers(page);
    assert.deepEqual(first.issues, []);
    assert.deepEqual(
      first.weights.map((w) => Number(w.toFixed(6))),
      [0.5, 0.3, 0.2],
    );
    assertBarycenterMatches(first.w2.gaussian, diagonalBarycenter(first.inputs, first.weights));
    assert.ok(
      first.w2.iterations >= 1 && first.w2.residual < 1e-10,
      `residual ${first.w2.residual}`,
    );
    assert.equal(await page.getByTestId('w2-iterations').innerText(), String(first.w2.iterations));

    // Arrow keys on the triangle picker: right and up (towards inputs 3 and 1).
    const picker = page.getByTestId('simplex-picker');
    await picker.focus();
    for (let i = 0; i < 10; i += 1) await picker.press('ArrowRight');
    for (let i = 0; i < 5; i += 1) await picker.press('ArrowUp');
    await page.waitForFunction(
      (w1) => window.__otlab.gaussianBarycenter.weights[0] !== w1,
      first.weights[0],
    );
    const moved = await numbers(page);
    t.diagnostic(`weights ${first.weights.join(', ')} → ${moved.weights.join(', ')}`);
    assert.ok(Math.abs(moved.weights.reduce((s, w) => s + w, 0) - 1) < 1e-12);
    assert.ok(moved.weights[2] > first.weights[2], 'ArrowRight moves towards input 3');
    assertBarycenterMatches(moved.w2.gaussian, diagonalBarycenter(moved.inputs, moved.weights));
    assert.ok(Math.abs(moved.w2.gaussian.cov[0][0] - first.w2.gaussian.cov[0][0]) > 1e-3);

    // A click on a vertex gives all the weight to that input: the barycenter is that input.
    const box = await picker.boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + 4);
    await page.waitForFunction(() => window.__otlab.gaussianBarycenter.weights[0] > 0.99);
    const vertex = await numbers(page);
    assertBarycenterMatches(vertex.w2.gaussian, diagonalBarycenter(vertex.inputs, vertex.weights));

    // A weight slider renormalises the others; the URL follows.
    await page.getByTestId('weight-slider-1').fill('0.6');
    await page.waitForFunction(
      () => Math.abs(window.__otlab.gaussianBarycenter.weights[1] - 0.6) < 1e-3,
    );
    const slid = await numbers(page);
    assertBarycenterMatches(slid.w2.gaussian, diagonalBarycenter(slid.inputs, slid.weights));
    assert.match(page.url(), /w2=0\.6/);
    await screenshot(page, 'gaussian-barycenter-w2.png', 2);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('K = 4: sliders renormalise the weights; mixture inputs give an MW2 barycenter', async () => {
  const { page, context, errors } = await openLab({
    k: '4',
    w1: '0.25',
    w2: '0.25',
    w3: '0.25',
    w4: '0.25',
    ...DIAGONAL,
    m4x: '2',
    m4y: '2',
    v4x: '0.3',
    v4y: '0.9',
    c4: '0',
  });
  try {
    assert.equal(await page.getByTestId('simplex-picker').count(), 0, 'no triangle for K = 4');
    await page.getByTestId('weight-slider-3').fill('0.7');
    await page.waitForFunction(
      () => Math.abs(window.__otlab.gaussianBarycenter.weights[3] - 0.7) < 1e-3,
    );
    const slid = await numbers(page);
    assert.equal(slid.inputs.length, 4);
    for (let k = 0; k < 3; k += 1) assert.ok(Math.abs(slid.weights[k] - 0.1) < 1e-3);
    assertBarycenterMatches(slid.w2.gaussian, diagonalBarycenter(slid.inputs, slid.weights));
    assert.equal(slid.mw2, undefined);

    await page.getByLabel('Inputs are').selectOption('mixtures');
    await page.waitForFunction(() => window.__otlab.gaussianBarycenter.mw2 !== undefined);
    const mixed = await numbers(page);
    assert.equal(mixed.l2.components.length, 8);
    const mass = mixed.mw2.weights.reduce((s, w) => s + w, 0);
    assert.ok(Math.abs(mass - 1) < 1e-9, `MW2 barycenter mass ${mass}`);
    await screenshot(page, 'gaussian-barycenter-mixtures.png', 2);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('marginal view: the constrained barycenter matches the prescribed marginals exactly', async () => {
  const { page, context, errors } = await openLab({ view: 'marginals' });
  try {
    const { marginalErrors } = await numbers(page);
    assert.equal(marginalErrors.constrained.x, 0);
    assert.equal(marginalErrors.constrained.y, 0);
    assert.ok(
      marginalErrors.plain.x + marginalErrors.plain.y > 1e-2,
      JSON.stringify(marginalErrors),
    );
    assert.ok(marginalErrors.preserving.x + marginalErrors.preserving.y > 1e-2);
    const shown = await page.getByTestId('marginal-error-constrained').innerText();
    assert.match(shown, /x marginal error\s+0\s+y marginal error\s+0/);
    assert.doesNotMatch(await page.getByTestId('marginal-error-plain').innerText(), /error\s+0\s/);

    // Editing a prescribed marginal keeps the constrained error at exactly 0.
    await page.getByLabel('Prescribed mean x').fill('-1.2');
    await page.waitForFunction(
      () => window.__otlab.gaussianBarycenter.prescribed.x.mean[0] === -1.2,
    );
    const edited = await numbers(page);
    assert.deepEqual(edited.marginalErrors.constrained, { x: 0, y: 0 });
    await screenshot(page, 'gaussian-barycenter-marginals.png', 3);

    // Mixture inputs: the component-wise constrained barycenter keeps the prescribed marginals in
    // every component (exact MW2 error 0); the plain MW2 barycenter misses them.
    await page.getByLabel('Inputs are').selectOption('mixtures');
    await page.waitForFunction(
      () => window.__otlab.gaussianBarycenter.marginalResults.constrained.components.length > 1,
    );
    const mixed = await numbers(page);
    assert.deepEqual(mixed.marginalErrors.constrained, { x: 0, y: 0 });
    assert.ok(mixed.marginalErrors.plain.x + mixed.marginalErrors.plain.y > 1e-2);
    for (const g of mixed.marginalResults.constrained.components) {
      assert.deepEqual([g.mean[0], g.cov[0][0]], [-1.2, mixed.prescribed.x.cov[0][0]]);
      assert.deepEqual(
        [g.mean[1], g.cov[1][1]],
        [mixed.prescribed.y.mean[0], mixed.prescribed.y.cov[0][0]],
      );
    }
    const total = mixed.marginalResults.constrained.weights.reduce((s, w) => s + w, 0);
    assert.ok(Math.abs(total - 1) < 1e-12);
    assert.match(
      await page.getByTestId('marginal-error-constrained').innerText(),
      /error\s+0\s+y marginal error\s+0/,
    );
    await page.getByTestId('mixture-marginal-note').waitFor();
    await screenshot(page, 'gaussian-barycenter-marginals-mixtures.png', 3);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('ROM view: the constraint removes the marginal error of the prediction', async (t) => {
  const { page, context, errors } = await openLab({
    view: 'rom',
    t: '1.3',
    snaps: '4',
    horizon: '3',
  });
  try {
    const { rom } = await numbers(page);
    t.diagnostic(`ROM errors ${JSON.stringify(rom.errors)}`);
    assert.equal(rom.targetTime, 1.3);
    assert.ok(rom.errors.constrained.x < 1e-7 && rom.errors.constrained.y < 1e-7);
    assert.ok(rom.errors.plain.x + rom.errors.plain.y > 1e-3);
    assert.equal(await page.getByTestId('rom-timeline').locator('circle').count(), 4);
    await screenshot(page, 'gaussian-barycenter-rom.png', 3);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('invalid URL parameters show a message and fall back to defaults', async () => {
  const { page, context } = await openLab({
    w1: '0.9',
    w2: '0.9',
    w3: '0.1',
    v1x: '1',
    v1y: '1',
    c1: '2',
    m2x: 'NaN',
  });
  try {
    const issues = await page.getByTestId('scene-issues').innerText();
    assert.match(issues, /not on the simplex/);
    assert.match(issues, /not positive definite/);
    const paramIssues = await page.getByTestId('param-issues').innerText();
    assert.match(paramIssues, /m2x/);
    const result = await numbers(page);
    assert.deepEqual(result.weights, [1 / 3, 1 / 3, 1 / 3]);
    assert.deepEqual(result.inputs[0].cov, [
      [1.2, 0.3],
      [0.3, 0.2],
    ]);
    assert.equal(result.inputs[1].mean[0], 1.5);
    await page.screenshot({ path: join(ARTIFACTS, 'gaussian-barycenter-invalid.png') });
  } finally {
    await context.close();
  }
});
