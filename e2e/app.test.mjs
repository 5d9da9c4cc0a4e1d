/**
 * End-to-end tests of the built app (dist/) in headless Chromium on WebGPU (SwiftShader without a
 * GPU). Run after `npx vite build`:
 *
 *   bash scripts/with-swiftshader.sh node --test e2e/
 *
 * The suite serves dist/ with `vite preview` on a free 127.0.0.1 port, drives the app through its
 * test hook `window.__otlab` (src/app/testHook.ts) and leaves screenshots in e2e/artifacts/.
 */
// Functions passed to page.evaluate / waitForFunction run in the browser:
/* global window, document, location, createImageBitmap, OffscreenCanvas, MutationObserver */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, useBuiltApp } from './harness.mjs';

const app = useBuiltApp();
const openApp = app.open;
/** GPU (float32) and CPU (float64) transport costs must agree to this relative difference. */
const COST_AGREEMENT = 1e-3;
// The toy's colours (src/app/scenes/sinkhornToy/PlanCanvas.tsx): source and target points.
const SOURCE_RGB = [29, 78, 216];
const TARGET_RGB = [194, 65, 12];

const hook = (page) =>
  page.evaluate(() => {
    const { runtime, scene, params, paramIssues, playing } = window.__otlab;
    return { runtime, scene, params, paramIssues, playing };
  });
const runToConvergence = (page) => page.evaluate(() => window.__otlab.sinkhorn.runToConvergence());

function relativeDifference(a, b) {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

function assertAgreement(numbers, tolerance) {
  const { gpu, cpu } = numbers;
  assert.ok(gpu && cpu, `both backends should run: ${JSON.stringify(numbers)}`);
  for (const [name, lane] of Object.entries({ gpu, cpu })) {
    assert.equal(lane.error, undefined, `${name} failed: ${lane.error}`);
    assert.ok(lane.converged, `${name} did not converge: ${lane.stopReason}`);
    assert.ok(
      lane.marginalError < tolerance,
      `${name} marginal error ${lane.marginalError} is not below ${tolerance}`,
    );
    assert.ok(Number.isFinite(lane.transportCost) && lane.transportCost > 0, `${name} cost`);
  }
  const difference = relativeDifference(gpu.transportCost, cpu.transportCost);
  assert.ok(
    difference < COST_AGREEMENT,
    `GPU cost ${gpu.transportCost} and CPU cost ${cpu.transportCost} differ by ${difference}`,
  );
  return difference;
}

test('runs on a WebGPU adapter, not on the CPU fallback', async (t) => {
  const { page, context, errors } = await openApp('#/sinkhorn-toy');
  try {
    const { runtime } = await hook(page);
    t.diagnostic(`adapter: ${JSON.stringify(runtime.adapter)}`);
    assert.equal(runtime.status, 'ready', `WebGPU did not start: ${runtime.reason}`);
    assert.equal(runtime.backend, 'gpu', `expected the GPU backend, got ${runtime.backend}`);
    const status = await page.getByTestId('status-line').innerText();
    assert.match(status, /GPU \(WebGPU\)/);
    assert.match(status, new RegExp(runtime.adapter.vendor));
    if (runtime.adapter.emulated) assert.match(status, /\(emulated\)/);
    assert.equal(await page.getByTestId('webgpu-unavailable').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('Sinkhorn toy: GPU and CPU converge to the same transport cost', async (t) => {
  const { page, context, errors } = await openApp('#/sinkhorn-toy?n=48&m=56&eps=0.05&seed=3');
  try {
    const { params } = await hook(page);
    const numbers = await runToConvergence(page);
    const difference = assertAgreement(numbers, params.tol);
    t.diagnostic(
      `GPU ${numbers.gpu.iteration} it, cost ${numbers.gpu.transportCost}; ` +
        `CPU ${numbers.cpu.iteration} it, cost ${numbers.cpu.transportCost}; relative difference ${difference.toExponential(2)}`,
    );
    // The page shows the same numbers.
    await page.getByTestId('cost-comparison').waitFor();
    const shown = await page.getByTestId('cost-comparison').innerText();
    assert.match(shown, /difference/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a URL with parameters reproduces the same numbers in a fresh page', async () => {
  const hash = '#/sinkhorn-toy?n=40&eps=0.1&seed=7';
  const runs = [];
  for (let k = 0; k < 2; k += 1) {
    const { page, context, errors } = await openApp(hash);
    try {
      const { params, paramIssues } = await hook(page);
      assert.deepEqual(paramIssues, []);
      assert.equal(params.n, 40);
      assert.equal(params.eps, 0.1);
      assert.equal(params.seed, 7);
      // The address bar holds the canonical form with every parameter.
      const url = new URL(page.url());
      assert.match(url.hash, /^#\/sinkhorn-toy\?n=40&m=64&seed=7&eps=0\.1&/);
      runs.push(await runToConvergence(page));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  assertAgreement(runs[0], 1e-5);
  assert.deepEqual(runs[1].cpu, runs[0].cpu, 'CPU numbers differ between two loads of the URL');
  assert.deepEqual(runs[1].gpu, runs[0].gpu, 'GPU numbers differ between two loads of the URL');
});

test('hostile URL parameters are rejected with a message, defaults used, no script run', async () => {
  const payload =
    '#/sinkhorn-toy?n=<script>alert(1)</script>&m=1e9&eps=NaN' +
    '&seed=<img src=x onerror="window.__xss=1">&bogus=1';
  const { page, context, errors, dialogs } = await openApp(payload);
  try {
    const { params, paramIssues } = await hook(page);
    const defaults = { n: 64, m: 64, seed: 1, eps: 0.05 };
    for (const [key, value] of Object.entries(defaults)) assert.equal(params[key], value, key);
    const notice = page.getByTestId('param-issues');
    await notice.waitFor();
    const text = await notice.innerText();
    assert.ok(text.includes('n: expected a number, got "<script>alert(1)</script>"'), text);
    assert.match(text, /m: must be an integer in \[2, 512\], got 1000000000/);
    assert.match(text, /eps: expected a number, got "NaN"/);
    assert.match(text, /seed: expected a number, got "<img src=x onerror=/);
    assert.match(text, /unknown URL parameter "bogus"/);
    assert.equal(paramIssues.length, 5);
    writeFileSync(join(ARTIFACTS, 'rejected-params.png'), await page.screenshot());
    // Shown as text, never parsed as HTML; nothing ran.
    const injected = await page.evaluate(() => ({
      scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
      images: document.querySelectorAll('img[src="x"]').length,
      xss: 'xss' in window || '__xss' in window,
      hash: location.hash,
    }));
    assert.deepEqual(
      { scripts: injected.scripts, images: injected.images, xss: injected.xss },
      { scripts: 0, images: 0, xss: false },
    );
    assert.deepEqual(dialogs, []);
    assert.ok(!/script|img|bogus/i.test(decodeURIComponent(injected.hash)), injected.hash);
    // A later hash change is validated the same way.
    await page.evaluate(() => {
      location.hash = '#/sinkhorn-toy?n=1e9';
    });
    await page.waitForFunction(() =>
      window.__otlab.paramIssues.some((s) => s.startsWith('Rejected URL parameter n:')),
    );
    assert.equal((await hook(page)).params.n, 64);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** Decodes a PNG in the page and counts pixels near the given colours and non-white pixels. */
async function pixelCensus(page, png, colours) {
  return page.evaluate(
    async ({ base64, colours }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
      const near = colours.map(() => 0);
      const distinct = new Set();
      let inked = 0;
      for (let p = 0; p < data.length; p += 4) {
        const [r, g, b] = [data[p], data[p + 1], data[p + 2]];
        if (r < 240 || g < 240 || b < 240) inked += 1;
        distinct.add((r >> 3) * 1024 + (g >> 3) * 32 + (b >> 3));
        colours.forEach(([cr, cg, cb], k) => {
          if (Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(b - cb) < 40) near[k] += 1;
        });
      }
      return { pixels: data.length / 4, inked, near, distinct: distinct.size };
    },
    { base64: png.toString('base64'), colours },
  );
}

test('screenshot: both plan canvases and the error chart are drawn', async (t) => {
  const { page, context, errors } = await openApp('#/sinkhorn-toy?n=64&m=64&eps=0.03&seed=1', {
    viewport: { width: 1440, height: 1400 },
  });
  try {
    const numbers = await runToConvergence(page);
    assertAgreement(numbers, 1e-5);
    // Let the throttled drawings catch up with the final state.
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="error-chart"] .chart__curve').length === 2,
    );
    await page.waitForTimeout(400);
    writeFileSync(join(ARTIFACTS, 'sinkhorn-toy.png'), await page.screenshot({ fullPage: true }));
    for (const lane of ['gpu', 'cpu']) {
      const png = await page.getByTestId(`plan-canvas-${lane}`).screenshot();
      writeFileSync(join(ARTIFACTS, `plan-${lane}.png`), png);
      const census = await pixelCensus(page, png, [SOURCE_RGB, TARGET_RGB]);
      t.diagnostic(`${lane} canvas: ${JSON.stringify(census)}`);
      assert.ok(census.inked > 0.02 * census.pixels, `${lane} canvas is nearly blank`);
      assert.ok(census.near[0] > 200, `${lane} canvas: source points missing`);
      assert.ok(census.near[1] > 200, `${lane} canvas: target points missing`);
      assert.ok(census.distinct > 20, `${lane} canvas: too few colours (no plan lines?)`);
    }
    writeFileSync(
      join(ARTIFACTS, 'error-chart.png'),
      await page.getByTestId('error-chart').screenshot(),
    );
    // One curve per backend, through every error check (one per 10 iterations).
    const curves = await page.$$eval('[data-testid="error-chart"] .chart__curve', (paths) =>
      paths.map((p) => ({
        id: p.dataset.series,
        points: (p.getAttribute('d') ?? '').split(/[ML]/).length - 1,
      })),
    );
    assert.deepEqual(curves, [
      { id: 'gpu', points: numbers.gpu.iteration / 10 },
      { id: 'cpu', points: numbers.cpu.iteration / 10 },
    ]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('keyboard: R resets, Space toggles play/pause, ArrowRight steps', async () => {
  // Small ε and tolerance: still far from convergence while the test presses keys.
  const { page, context, errors } = await openApp(
    '#/sinkhorn-toy?n=32&m=32&eps=0.002&tol=1e-7&ipf=1&maxIter=100000',
  );
  const state = () =>
    page.evaluate(() => ({
      playing: window.__otlab.playing,
      cpu: window.__otlab.sinkhorn.cpu?.iteration ?? 0,
      gpu: window.__otlab.sinkhorn.gpu?.iteration ?? 0,
    }));
  const button = page.getByTestId('play-toggle');
  try {
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('r');
    await page.waitForFunction(
      () =>
        !window.__otlab.playing &&
        window.__otlab.sinkhorn.cpu.iteration === 0 &&
        window.__otlab.sinkhorn.gpu.iteration === 0,
    );
    assert.equal(await button.getAttribute('data-playing'), 'false');
    assert.equal(await button.getAttribute('aria-label'), 'Play');
    const reset = await state();
    assert.deepEqual({ cpu: reset.cpu, gpu: reset.gpu }, { cpu: 0, gpu: 0 });

    await page.keyboard.press(' ');
    await page.waitForFunction(() => window.__otlab.playing === true);
    assert.equal(await button.getAttribute('aria-label'), 'Pause');
    await page.waitForFunction(
      () => window.__otlab.sinkhorn.cpu.iteration > 0 && window.__otlab.sinkhorn.gpu.iteration > 0,
    );
    // React sees throttled summaries (about 4 per second), not every frame: count the renders
    // that touch a lane's numbers during one second of play, one iteration per frame.
    const renders = await page.evaluate(async () => {
      const numbers = document.querySelector('[data-testid="numbers-cpu"]');
      const start = window.__otlab.sinkhorn.cpu.iteration;
      let count = 0;
      const observer = new MutationObserver(() => (count += 1));
      observer.observe(numbers, { subtree: true, childList: true, characterData: true });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      observer.disconnect();
      return { count, iterations: window.__otlab.sinkhorn.cpu.iteration - start };
    });
    assert.ok(renders.iterations > 10, `the loop barely ran: ${JSON.stringify(renders)}`);
    assert.ok(renders.count <= 8, `lane numbers re-rendered ${renders.count} times in 1 s`);

    await page.keyboard.press(' ');
    await page.waitForFunction(() => window.__otlab.playing === false);
    // A step in flight when pausing may still land (slow under SwiftShader on a busy machine):
    // wait until the counts settle, then they must stay put. A loop that kept running never settles.
    let paused = await state();
    for (let tries = 0; tries < 10; tries += 1) {
      await page.waitForTimeout(1000);
      const now = await state();
      if (now.cpu === paused.cpu && now.gpu === paused.gpu) break;
      paused = now;
    }
    await page.waitForTimeout(400);
    assert.deepEqual(await state(), paused, 'iterations advanced while paused');

    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      (before) => window.__otlab.sinkhorn.cpu.iteration === before + 1,
      paused.cpu,
    );
    await page.waitForFunction(
      (before) => window.__otlab.sinkhorn.gpu.iteration === before + 1,
      paused.gpu,
    );

    // Controls write their values back to the URL (and restart the solvers on the new problem).
    await page.getByLabel('Source points n').focus();
    await page.keyboard.press('ArrowRight');
    await page.getByLabel('Seed').fill('42');
    await page.getByLabel('Seed').press('Enter');
    await page.waitForFunction(() => window.__otlab.params.seed === 42);
    const url = new URL(page.url());
    assert.match(url.hash, /^#\/sinkhorn-toy\?n=33&m=32&seed=42&eps=0\.002&/);
    assert.equal((await hook(page)).params.n, 33);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('without WebGPU: a banner explains why and the CPU backend runs, labelled', async () => {
  const { page, context, errors } = await openApp('#/sinkhorn-toy?n=24&m=24', {
    init: () => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
    },
  });
  try {
    const { runtime } = await hook(page);
    assert.equal(runtime.backend, 'cpu');
    assert.equal(runtime.status, 'unavailable');
    const banner = await page.getByTestId('webgpu-unavailable').innerText();
    assert.match(banner, /WebGPU is unavailable; the CPU backend is running/);
    assert.match(banner, /navigator\.gpu is missing/);
    assert.match(await page.getByTestId('status-backend').innerText(), /CPU/);
    const numbers = await runToConvergence(page);
    await page.waitForTimeout(300);
    writeFileSync(join(ARTIFACTS, 'cpu-fallback.png'), await page.screenshot());
    assert.equal(numbers.gpu, undefined);
    assert.ok(numbers.cpu.converged, numbers.cpu.stopReason);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a lost GPU device is recreated and the GPU solver resumes', async () => {
  const { page, context } = await openApp('#/sinkhorn-toy?n=40&m=40&eps=0.05&seed=5');
  try {
    await page.evaluate(() => window.__otlab.sinkhorn.step(20));
    await page.evaluate(() => window.__otlab.sinkhorn.loseDevice());
    await page.getByTestId('runtime-notice').waitFor({ timeout: 30_000 });
    assert.match(
      await page.getByTestId('runtime-notice').innerText(),
      /GPU device was lost and recreated/,
    );
    const numbers = await runToConvergence(page);
    assertAgreement(numbers, 1e-5);
  } finally {
    await context.close();
  }
});
