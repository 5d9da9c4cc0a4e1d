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

/**
 * Waits until the lab has drawn a state for which `condition` (a JavaScript expression in `lab`,
 * the hook, evaluated in the page) holds, with no frame pending and the heatmap painted for that
 * very drawing (densityFrame === frames); returns the hook as plain data. Waiting on what was
 * drawn, not on a count of heatmap updates, cannot miss a heatmap that lands before the wait.
 */
async function labHook(page, condition = 'true') {
  await page.waitForFunction(
    `(() => {
      const lab = window.__otlab?.gaussianInterpolation;
      return !!lab && lab.frames > 0 && !lab.drawPending && lab.densityFrame === lab.frames &&
        (${condition});
    })()`,
    null,
    { timeout: READY_TIMEOUT_MS },
  );
  return page.evaluate(() => JSON.parse(JSON.stringify(window.__otlab.gaussianInterpolation)));
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

/**
 * Drags the handle `testId` by (dx, dy) CSS pixels in `steps` pointer moves, one animation frame
 * apart, recording the browser's frame intervals (rAF deltas) and the lab's own per-frame drawing
 * times (model + SVG) and heatmap latencies (request → painted). Returns them with the hook as
 * seen just before the pointer is released.
 */
async function measureDrag(page, testId, [dx, dy], steps = 60) {
  const [x, y] = await centreOf(page, testId);
  await page.evaluate(() => {
    const lab = window.__otlab.gaussianInterpolation;
    window.__giFrames = {
      deltas: [],
      last: performance.now(),
      on: true,
      draws: lab.frames,
      heatmaps: lab.densityUpdates,
    };
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
  for (let k = 1; k <= steps; k += 1) {
    await page.mouse.move(x + (dx * k) / steps, y + (dy * k) / steps);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  }
  const during = await page.evaluate((n) => {
    const lab = window.__otlab.gaussianInterpolation;
    const rec = window.__giFrames;
    rec.on = false;
    return {
      deltas: rec.deltas.slice(1),
      drawTimes: lab.drawTimes.slice(-n),
      densityTimes: lab.densityTimes.slice(-n),
      heatmaps: lab.densityUpdates - rec.heatmaps,
      drawn: lab.frames - rec.draws,
      dragging: lab.dragging,
      w2Squared: lab.w2Squared,
      densityBackend: lab.densityBackend,
      url: location.hash,
    };
  }, steps);
  await page.mouse.up();
  return during;
}

/** One diagnostic line of frame times (ms) for the report: rAF deltas, drawing, heatmaps. */
function frameTimes(label, d) {
  const q = (values, p) => quantile(values, p).toFixed(1);
  return (
    `${label}: frame interval (rAF) median ${q(d.deltas, 0.5)} ms, p95 ${q(d.deltas, 0.95)} ms ` +
    `over ${d.deltas.length} frames; draw (model + SVG) median ${quantile(d.drawTimes, 0.5).toFixed(2)} ms, ` +
    `p95 ${quantile(d.drawTimes, 0.95).toFixed(2)} ms over ${d.drawn} draws; heatmap ` +
    `(${d.densityBackend}, request → painted) median ${q(d.densityTimes, 0.5)} ms, ` +
    `p95 ${q(d.densityTimes, 0.95)} ms, ${d.heatmaps} painted`
  );
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
    const moved = await labHook(page, 'lab.t === 0.8');
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
    const steps = 60;
    const during = await measureDrag(page, 'handle-w2-1-0-centre', [-80, 50], steps);
    assert.equal(during.dragging, true);
    // Every pointer move was followed by a frame: one draw per move (coalesced, never skipped).
    assert.ok(during.drawn >= steps * 0.9, `only ${during.drawn} draws for ${steps} moves`);
    assert.ok(during.w2Squared < 25, `W2² did not follow the drag: ${during.w2Squared}`);
    // The URL is written when the drag ends, not per move.
    assert.match(during.url, /x1=2\.5&y1=0&/);
    t.diagnostic(frameTimes('drag, single Gaussians', during));
    // After the drop the heatmap shows the dropped state and the URL holds the new centre.
    const after = await labHook(page, '!lab.dragging');
    const [e0, e1] = after.endpoints.map((e) => e.ellipses[0]);
    // Dragged left and down on screen: x and y both decrease.
    assert.ok(e1.cx < before.endpoints[1].ellipses[0].cx - 0.5, `cx ${e1.cx}`);
    assert.ok(e1.cy < before.endpoints[1].ellipses[0].cy - 0.3, `cy ${e1.cy}`);
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, new RegExp(`x1=${e1.cx}&y1=${e1.cy}(&|$)`));
    // Closed form after the drag: the covariances are equal, so W2² = |Δm|².
    assert.ok(Math.abs(after.w2Squared - ((e1.cx - e0.cx) ** 2 + (e1.cy - e0.cy) ** 2)) < 1e-9);
    await page.screenshot({ path: join(ARTIFACTS, 'gaussian-interpolation-drag.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('invalid URL parameters show a message and fall back to valid values', async () => {
  const { page, context } = await openApp(
    `${SCENE}?t=NaN&sa0=0&sb1=-1&preset=bogus&n1=2&w1_1=0.9&w1_2=0.5`,
  );
  try {
    const lab = await labHook(page);
    const issues = await page.getByTestId('param-issues').innerText();
    assert.match(issues, /t: expected a number, got "NaN"/);
    assert.match(issues, /sa0: must be in \[0\.1, 3\]/);
    assert.match(issues, /sb1/);
    assert.match(issues, /preset/);
    // Weights off the simplex: said in words, uniform weights used.
    assert.match(
      await page.getByTestId('endpoint-issues').innerText(),
      /ρ₁: Weights 0\.9 \+ 0\.5 = 1\.4 are not on the simplex .*using uniform weights/,
    );
    assert.deepEqual(lab.rho1.weights, [0.5, 0.5]);
    assert.equal(lab.error, undefined);
    assert.ok(Number.isFinite(lab.w2Squared));
  } finally {
    await context.close();
  }
});

test('mixtures preset, dragging a component, and the animated 3D tab', async (t) => {
  const { page, context, errors } = await openApp(`${SCENE}?preset=translation`);
  try {
    await labHook(page);
    await page.getByTestId('preset-mixtures').click();
    // The heatmap drawn for the mixtures, however fast it came.
    const lab = await labHook(page, "lab.mode === 'mixtures'");
    assert.equal(lab.rho0.components.length, 2);
    assert.deepEqual(lab.rho1.weights, [0.45, 0.55]);
    const pressed = () => page.getByTestId('preset-mixtures').getAttribute('aria-pressed');
    assert.equal(await pressed(), 'true');
    const w2 = Math.sqrt(lab.w2Squared);
    assert.ok(Math.abs(lab.w2FromStart - lab.t * w2) < 1e-6 * w2, 'MW2 geodesic');
    await page.screenshot({ path: join(ARTIFACTS, 'gaussian-interpolation-mixtures.png') });

    // Each component has its own handles; dragging the second one of ρ₀ moves only it.
    const during = await measureDrag(page, 'handle-w2-0-1-centre', [40, -40], 30);
    t.diagnostic(frameTimes('drag, 2 + 2 mixtures (MW2)', during));
    assert.ok(during.drawn >= 27, `only ${during.drawn} draws for 30 moves`);
    const moved = await labHook(page, '!lab.dragging');
    assert.deepEqual(moved.endpoints[0].ellipses[0], lab.endpoints[0].ellipses[0]);
    assert.ok(moved.endpoints[0].ellipses[1].cx > lab.endpoints[0].ellipses[1].cx + 0.3);
    // No longer the preset's endpoints: its button is released.
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="preset-mixtures"]').getAttribute('aria-pressed') ===
        'false',
    );
    assert.match(
      await page.evaluate(() => location.hash),
      new RegExp(`x0_2=${moved.endpoints[0].ellipses[1].cx}&`),
    );

    // 3D: ellipsoids drawn, play animates t, dragging orbits the camera (the image changes).
    await page.getByTestId('tab-3d').click();
    const canvas = page.getByTestId('three-canvas');
    await canvas.waitFor();
    const shot = () => canvas.screenshot();
    const still = await shot();
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 20, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
    assert.notDeepEqual(await shot(), still, 'orbiting did not change the 3D view');
    const shownT = () => page.getByTestId('three-t').innerText();
    const t0 = await shownT();
    await page.getByTestId('three-play').click();
    const animated = await page.waitForFunction(
      (start) => {
        const shown = document.querySelector('[data-testid="three-t"]')?.textContent;
        return shown !== start && shown;
      },
      t0,
      { timeout: READY_TIMEOUT_MS },
    );
    const t1 = await animated.jsonValue();
    await page.getByTestId('three-play').click();
    await page.screenshot({ path: join(ARTIFACTS, 'gaussian-interpolation-3d.png') });
    await page.getByTestId('tab-2d').click();
    await labHook(page);
    t.diagnostic(`3D tab: t animated from ${t0} to ${t1}, orbit changed the view`);
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

test('fit from points: k = 2 turns two clicked clusters into a mixture ρ1; the link reproduces it', async (t) => {
  const { page, context, errors } = await openApp(`${SCENE}?preset=translation&t=0.5`);
  try {
    const before = await labHook(page);
    // Plane (x, y) ∈ [−5, 5]² → page pixels (y up), as planeView.ts draws it. The box is read
    // per click: pressing a button may scroll the page.
    let box;
    const clickPlane = async ([x, y]) => {
      box = await page.getByTestId('panel-w2-svg').boundingBox();
      assert.ok(box, 'W2 panel is not visible');
      await page.mouse.click(
        box.x + ((x + 5) / 10) * box.width,
        box.y + ((5 - y) / 10) * box.height,
      );
    };
    const pointCount = (n) =>
      page.waitForFunction(
        (count) => window.__otlab.gaussianInterpolation.points.length === count,
        n,
      );
    await page.getByTestId('points-side').selectOption('rho1');
    await page.getByTestId('fit-k').selectOption('2');

    // Too few points for k = 2: the InputError of the fit is shown and ρ1 is untouched.
    for (const p of [
      [0, 3],
      [1, 3.4],
      [0.5, 3.8],
    ]) {
      await clickPlane(p);
    }
    await pointCount(3);
    await page.getByRole('button', { name: 'Fit mixture' }).click();
    assert.match(
      await page.getByTestId('fit-message').innerText(),
      /points: need at least 6 points to fit 2 Gaussians/,
    );
    assert.match(
      await page.evaluate(() => window.__otlab.gaussianInterpolation.fitError),
      /need at least/,
    );
    await page.getByRole('button', { name: 'Clear points' }).click();
    await pointCount(0);

    // Two elongated clusters, 10 points each, far apart: upper left along +30°, lower right.
    const cluster = ([cx, cy], degrees) =>
      Array.from({ length: 10 }, (_, i) => {
        const phi = (2 * Math.PI * i) / 10;
        const [u, v] = [(0.5 + 0.4 * (i % 2)) * Math.cos(phi), 0.3 * Math.sin(phi)];
        const c = Math.cos((degrees * Math.PI) / 180);
        const s = Math.sin((degrees * Math.PI) / 180);
        return [cx + c * u - s * v, cy + s * u + c * v];
      });
    const intended = [...cluster([-1.5, 3], 30), ...cluster([2.5, -3], -20)];
    for (const p of intended) {
      await clickPlane(p);
    }
    // Input reaches a busy renderer (SwiftShader heatmaps) with a delay: wait for all of them.
    await pointCount(20);
    const points = await page.evaluate(() => window.__otlab.gaussianInterpolation.points);
    assert.equal(await page.getByTestId('point-count').innerText(), '20 points');
    // One CSS pixel is 10 / box.width plane units; the points land where they were clicked.
    points.forEach((p, i) => {
      assert.ok(Math.hypot(p[0] - intended[i][0], p[1] - intended[i][1]) < 20 / box.width);
    });
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="panel-w2-svg"] circle.gi-point').length === 20,
    );

    // Keyboard: the button has an accessible name and Enter presses it.
    await page.getByRole('button', { name: 'Fit mixture' }).press('Enter');
    // The drawing (and heatmap) of the fitted endpoint, not merely the fit record.
    const after = await labHook(
      page,
      'lab.fit !== undefined && ' +
        'JSON.stringify(lab.endpoints[1].ellipses) === JSON.stringify(lab.fit.endpoint.ellipses)',
    );
    assert.equal(after.fit.side, 'rho1');
    assert.equal(after.fit.k, 2);
    assert.equal(after.fit.pointCount, 20);
    assert.equal(after.fitError, undefined);
    assert.equal(after.mode, 'mixtures');
    // Separated clusters: EM's components are the clusters' sample means, with weights 1/2.
    const clusters = [points.slice(0, 10), points.slice(10)];
    const sampleMean = (ps) => [0, 1].map((j) => ps.reduce((s, p) => s + p[j], 0) / ps.length);
    for (const ps of clusters) {
      const m = sampleMean(ps);
      const fitted = after.fit.mixture.components.find(
        (g) => Math.hypot(g.mean[0] - m[0], g.mean[1] - m[1]) < 1e-6,
      );
      assert.ok(fitted, `no EM component at the cluster mean ${m}`);
    }
    assert.deepEqual(
      after.rho1.weights.map((w) => w.toFixed(6)),
      ['0.500000', '0.500000'],
    );
    // Elongation: the upper-left cluster's ellipse points along ≈ 30°.
    const upper = after.endpoints[1].ellipses.find((e) => e.cy > 0);
    assert.ok(Math.abs(upper.angle - 30) < 8, `angle ${upper.angle}`);
    assert.ok(upper.sa > 1.5 * upper.sb, `σ ${upper.sa}, ${upper.sb}`);
    // MW2² with a single-Gaussian ρ0: the plan is ρ1's weights, MW2² = Σ_l w_l W2²(ρ0, ρ1_l).
    const rho0 = { mean: [-2.5, 0], cov: covFromEllipse(0, 1, 0.6) };
    const expected = after.endpoints[1].ellipses.reduce(
      (s, e, l) =>
        s +
        after.rho1.weights[l] *
          w2Squared(rho0, { mean: [e.cx, e.cy], cov: covFromEllipse(e.angle, e.sa, e.sb) }).total,
      0,
    );
    assert.ok(Math.abs(after.w2Squared - expected) < 1e-9 * expected, `MW2² ${after.w2Squared}`);
    assert.ok(Math.abs(after.fit.w2SquaredBefore - before.w2Squared) < 1e-12);
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /&n1=2&/);
    t.diagnostic(
      `fit k = 2: weights ${after.rho1.weights.map((w) => w.toFixed(3))}, ` +
        `EM iterations: ${after.fit.iterations}; W2² ${before.w2Squared} → MW2² ${after.w2Squared.toFixed(4)}`,
    );
    await page.screenshot({
      path: join(ARTIFACTS, 'gaussian-interpolation-fit.png'),
      fullPage: true,
    });

    // The link reproduces the view: same endpoints, same MW2².
    const copy = await openApp(hash);
    try {
      const reopened = await labHook(copy.page);
      assert.deepEqual(reopened.endpoints, after.endpoints);
      assert.equal(reopened.w2Squared, after.w2Squared);
    } finally {
      await copy.context.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
