/**
 * End-to-end tests of the Gaussian interpolation lab (#/gaussian-interpolation) in headless
 * Chromium on WebGPU (SwiftShader without a GPU). Run after `npx vite build`:
 *
 *   bash scripts/with-swiftshader.sh node --test e2e/gaussian-interpolation.test.mjs
 *
 * Numbers are read through the test hook window.__otlab.gaussianInterpolation
 * (src/app/scenes/gaussianInterpolation/hook.ts) and checked against closed forms computed here;
 * screenshots go to e2e/artifacts/. Frame times while dragging are printed as diagnostics.
 */
// Functions passed to page.evaluate / waitForFunction run in the browser:
/* global window, document, requestAnimationFrame, location */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, READY_TIMEOUT_MS, useBuiltApp } from './harness.mjs';

const app = useBuiltApp();
const openApp = app.open;

const SCENE = '#/gaussian-interpolation';
/** Float64 in the page, float64 here: the geodesic identity holds to rounding. */
const CLOSED_FORM_TOLERANCE = 1e-9;

/** Waits until the lab drew a heatmap at least `count` times; returns its hook (plain data). */
async function labHook(page, minUpdates = 1) {
  await page.waitForFunction(
    (n) => (window.__otlab?.gaussianInterpolation?.densityUpdates ?? 0) >= n,
    minUpdates,
    { timeout: READY_TIMEOUT_MS },
  );
  return page.evaluate(() => JSON.parse(JSON.stringify(window.__otlab.gaussianInterpolation)));
}

/** Waits for the next heatmap after the current one. */
async function nextLabHook(page) {
  const seen = await page.evaluate(() => window.__otlab.gaussianInterpolation.densityUpdates);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  return labHook(page, seen + 1);
}

// ---- 2×2 closed forms, independent of src/ot (MATH.md §2) ------------------------------------

/** √M of a 2×2 SPD matrix: (M + √det I) / √(tr + 2√det). */
function sqrt2(m) {
  const s = Math.sqrt(m[0][0] * m[1][1] - m[0][1] * m[1][0]);
  const d = Math.sqrt(m[0][0] + m[1][1] + 2 * s);
  return [
    [(m[0][0] + s) / d, m[0][1] / d],
    [m[1][0] / d, (m[1][1] + s) / d],
  ];
}
const mul = (a, b) => a.map((row) => b[0].map((_, j) => row[0] * b[0][j] + row[1] * b[1][j]));
const tr = (m) => m[0][0] + m[1][1];

function w2Squared(a, b) {
  const meanTerm = (a.mean[0] - b.mean[0]) ** 2 + (a.mean[1] - b.mean[1]) ** 2;
  const r = sqrt2(a.cov);
  const covTerm = Math.max(tr(a.cov) + tr(b.cov) - 2 * tr(sqrt2(mul(mul(r, b.cov), r))), 0);
  return { total: meanTerm + covTerm, meanTerm, covTerm };
}

function covFromEllipse(angleDeg, sa, sb) {
  const c = Math.cos((angleDeg * Math.PI) / 180);
  const s = Math.sin((angleDeg * Math.PI) / 180);
  const off = (sa * sa - sb * sb) * c * s;
  return [
    [sa * sa * c * c + sb * sb * s * s, off],
    [off, sa * sa * s * s + sb * sb * c * c],
  ];
}

/** Non-background pixels of a canvas (the heatmap's paper colour is #fbfaf7). */
function heatmapInk(page, testId) {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"]`);
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let k = 0; k < data.length; k += 4) {
      if (Math.abs(data[k] - 251) + Math.abs(data[k + 1] - 250) + Math.abs(data[k + 2] - 247) > 30)
        ink += 1;
    }
    return { ink, pixels: data.length / 4 };
  }, testId);
}

/** Centre of an SVG element on the page. */
async function centreOf(page, testId) {
  const box = await page.getByTestId(testId).boundingBox();
  assert.ok(box, `${testId} is not visible`);
  return [box.x + box.width / 2, box.y + box.height / 2];
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

test('loads from URL parameters, draws ellipses over a GPU heatmap, W2 matches closed forms', async (t) => {
  const query =
    'preset=rotation-stretch&t=0.25&x0=-1.5&y0=-1&a0=20&sa0=1.6&sb0=0.35&x1=1.5&y1=1&a1=110&sa1=0.9&sb1=0.5';
  const { page, context, errors } = await openApp(`${SCENE}?${query}`);
  try {
    const lab = await labHook(page);
    assert.equal(lab.error, undefined);
    assert.equal(lab.preset, 'rotation-stretch');
    assert.equal(lab.t, 0.25);
    const runtime = await page.evaluate(() => window.__otlab.runtime);
    assert.equal(lab.densityBackend, runtime.backend === 'gpu' ? 'gpu' : 'cpu');
    t.diagnostic(`heatmap backend: ${lab.densityBackend}`);
    // The endpoints come from the URL, and W2² from an independent 2×2 closed form.
    const a = { mean: [-1.5, -1], cov: covFromEllipse(20, 1.6, 0.35) };
    const b = { mean: [1.5, 1], cov: covFromEllipse(110, 0.9, 0.5) };
    const expected = w2Squared(a, b);
    assert.ok(Math.abs(lab.w2Squared - expected.total) < CLOSED_FORM_TOLERANCE * expected.total);
    assert.ok(Math.abs(lab.meanTerm - expected.meanTerm) < CLOSED_FORM_TOLERANCE * expected.total);
    assert.ok(Math.abs(lab.covarianceTerm - expected.covTerm) < 1e-8 * expected.total);
    // McCann: W2(ρ0, ρt) = t W2(ρ0, ρ1), with ρt read back from the page.
    const at = lab.w2Interpolant.components[0];
    assert.ok(
      Math.abs(Math.sqrt(w2Squared(a, at).total) - 0.25 * Math.sqrt(expected.total)) < 1e-7,
    );
    assert.match(await page.getByTestId('w2-value').innerText(), /^\d+\.\d{4}/);

    // Moving the t slider: the reported value follows t · W2(ρ0, ρ1).
    const slider = page.locator('input[type="range"]').first();
    await slider.fill('0.8');
    const moved = await nextLabHook(page);
    assert.equal(moved.t, 0.8);
    const w2 = Math.sqrt(expected.total);
    assert.ok(
      Math.abs(moved.w2FromStart - 0.8 * w2) < CLOSED_FORM_TOLERANCE * w2,
      `W2(ρ0, ρt) = ${moved.w2FromStart}, expected ${0.8 * w2}`,
    );
    const ellipse = moved.w2Interpolant.components[0];
    assert.ok(Math.abs(Math.sqrt(w2Squared(a, ellipse).total) - 0.8 * w2) < 1e-7);
    assert.ok(Math.abs(Math.sqrt(w2Squared(ellipse, b).total) - 0.2 * w2) < 1e-7);
    assert.match(page.url(), /t=0\.8/);

    // Pixels: both heatmaps carry density; the SVG carries the ellipses and handles.
    for (const id of ['panel-w2-heatmap', 'panel-l2-heatmap']) {
      const { ink, pixels } = await heatmapInk(page, id);
      t.diagnostic(`${id}: ${ink} of ${pixels} pixels above background`);
      assert.ok(ink > 0.05 * pixels && ink < pixels, `${id} shows no density (${ink})`);
    }
    assert.ok((await page.locator('[data-testid="panel-w2-svg"] path.gi-ellipse').count()) >= 3);
    assert.equal(await page.locator('[data-testid="panel-w2-svg"] .gi-handle').count(), 6);
    await page.screenshot({ path: join(ARTIFACTS, 'gaussian-interpolation.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('dragging an ellipse updates W2 every frame; frame times', async (t) => {
  const { page, context, errors } = await openApp(`${SCENE}?preset=translation&t=0.5`);
  try {
    const before = await labHook(page);
    assert.ok(Math.abs(before.w2Squared - 25) < 1e-9, `translation W2² ${before.w2Squared}`);
    assert.ok(before.covarianceTerm < 1e-12);
    const [x, y] = await centreOf(page, 'handle-w2-1-centre');
    await page.evaluate(() => {
      const lab = window.__otlab.gaussianInterpolation;
      window.__giFrames = { deltas: [], last: performance.now(), on: true, draws: lab.frames };
      const tick = (now) => {
        const rec = window.__giFrames;
        rec.deltas.push(now - rec.last);
        rec.last = now;
        if (rec.on) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.mouse.move(x, y);
    await page.mouse.down();
    const steps = 60;
    for (let k = 1; k <= steps; k += 1) {
      await page.mouse.move(x - (80 * k) / steps, y + (50 * k) / steps);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    }
    const during = await page.evaluate(() => {
      const lab = window.__otlab.gaussianInterpolation;
      window.__giFrames.on = false;
      return {
        deltas: window.__giFrames.deltas.slice(1),
        drawTimes: lab.drawTimes.slice(-60),
        densityTimes: lab.densityTimes.slice(-30),
        densityUpdates: lab.densityUpdates,
        drawn: lab.frames - window.__giFrames.draws,
        dragging: lab.dragging,
        w2Squared: lab.w2Squared,
        url: location.hash,
      };
    });
    await page.mouse.up();
    assert.equal(during.dragging, true);
    // Every pointer move was followed by a frame: one draw per move (coalesced, never skipped).
    assert.ok(during.drawn >= steps * 0.9, `only ${during.drawn} draws for ${steps} moves`);
    assert.ok(during.w2Squared < 25, `W2² did not follow the drag: ${during.w2Squared}`);
    // The URL is written when the drag ends, not per move.
    assert.match(during.url, /x1=2\.5&y1=0&/);
    const frameMedian = quantile(during.deltas, 0.5);
    const frameP95 = quantile(during.deltas, 0.95);
    const drawMedian = quantile(during.drawTimes, 0.5);
    const drawP95 = quantile(during.drawTimes, 0.95);
    t.diagnostic(
      `heatmap (request → painted, ${before.densityBackend}) median ` +
        `${quantile(during.densityTimes, 0.5).toFixed(1)} ms, p95 ` +
        `${quantile(during.densityTimes, 0.95).toFixed(1)} ms; ` +
        `${during.densityUpdates - before.densityUpdates} heatmaps during the drag`,
    );
    t.diagnostic(
      `drag: rAF delta median ${frameMedian.toFixed(1)} ms, p95 ${frameP95.toFixed(1)} ms; ` +
        `draw (model + SVG) median ${drawMedian.toFixed(2)} ms, p95 ${drawP95.toFixed(2)} ms ` +
        `over ${during.deltas.length} frames`,
    );
    assert.ok(drawP95 < 16, `drawing takes ${drawP95} ms at p95, more than a frame`);
    // After the drop the URL holds the new centre and the heatmap follows.
    const after = await nextLabHook(page);
    // Dragged left and down on screen: x and y both decrease.
    assert.ok(after.ellipses[1].cx < before.ellipses[1].cx - 0.5, `cx ${after.ellipses[1].cx}`);
    assert.ok(after.ellipses[1].cy < before.ellipses[1].cy - 0.3, `cy ${after.ellipses[1].cy}`);
    assert.ok(after.w2Squared < 25);
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, new RegExp(`x1=${after.ellipses[1].cx}(&|$)`));
    // Closed form after the drag: the covariances are equal, so W2² = |Δm|².
    const dx = after.ellipses[1].cx - after.ellipses[0].cx;
    const dy = after.ellipses[1].cy - after.ellipses[0].cy;
    assert.ok(Math.abs(after.w2Squared - (dx * dx + dy * dy)) < 1e-9);
    await page.screenshot({ path: join(ARTIFACTS, 'gaussian-interpolation-drag.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('invalid URL parameters show a message and fall back to valid values', async () => {
  const { page, context } = await openApp(`${SCENE}?t=NaN&sa0=0&sb1=-1&preset=bogus`);
  try {
    const lab = await labHook(page);
    const issues = await page.getByTestId('param-issues').innerText();
    assert.match(issues, /t: expected a number, got "NaN"/);
    assert.match(issues, /sa0: must be in \[0\.1, 3\]/);
    assert.match(issues, /sb1/);
    assert.match(issues, /preset/);
    assert.equal(lab.error, undefined);
    assert.ok(Number.isFinite(lab.w2Squared));
  } finally {
    await context.close();
  }
});

test('mixtures preset and the 3D tab render', async (t) => {
  const { page, context, errors } = await openApp(`${SCENE}?preset=translation`);
  try {
    await labHook(page);
    await page.getByTestId('preset-mixtures').click();
    await page.waitForFunction(() => window.__otlab.gaussianInterpolation.mode === 'mixtures');
    const lab = await nextLabHook(page);
    assert.equal(lab.rho0.components.length, 2);
    const w2 = Math.sqrt(lab.w2Squared);
    assert.ok(Math.abs(lab.w2FromStart - lab.t * w2) < 1e-6 * w2, 'MW2 geodesic');
    await page.screenshot({ path: join(ARTIFACTS, 'gaussian-interpolation-mixtures.png') });
    await page.getByTestId('tab-3d').click();
    await page.getByTestId('three-canvas').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'gaussian-interpolation-3d.png') });
    await page.getByTestId('tab-2d').click();
    await labHook(page);
    t.diagnostic('3D tab mounted and unmounted');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('without WebGPU the heatmap comes from the CPU reference', async (t) => {
  const { page, context } = await openApp(`${SCENE}?preset=rotation-stretch&t=0.4`, {
    init: () => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
    },
  });
  try {
    const lab = await labHook(page);
    assert.equal(lab.densityBackend, 'cpu');
    const { ink, pixels } = await heatmapInk(page, 'panel-w2-heatmap');
    t.diagnostic(`CPU heatmap: ${ink} of ${pixels} pixels above background`);
    assert.ok(ink > 0.05 * pixels);
    const w2 = Math.sqrt(lab.w2Squared);
    assert.ok(Math.abs(lab.w2FromStart - 0.4 * w2) < CLOSED_FORM_TOLERANCE * w2);
  } finally {
    await context.close();
  }
});
