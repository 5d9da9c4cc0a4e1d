/**
 * End-to-end tests of the MCOT lab (#/mcot) in headless Chromium on WebGPU (SwiftShader without a
 * GPU). Run after `npx vite build`:
 *
 *   bash scripts/with-swiftshader.sh node --test e2e/mcot.test.mjs
 *
 * Numbers are read through the test hook window.__otlab.mcot (src/app/scenes/mcot/hook.ts): the
 * 1D run keeps ‖ξ‖∞ below the tolerance after every accepted step, ends below the exact SCE cost,
 * and its GPU (float32) and CPU (float64) lanes agree step by step; a 3D run with N = 100 draws a moving cloud, and the frame intervals with the solver running
 * and idle are printed as a diagnostic (no timing assertion: the machine is shared); a step-size
 * collapse shows its message and keeps the last valid state. Screenshots go to e2e/artifacts/.
 */
// Functions passed to page.evaluate / waitForFunction run in the browser:
/* global window, location, createImageBitmap, OffscreenCanvas */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, READY_TIMEOUT_MS, useBuiltApp } from './harness.mjs';

const app = useBuiltApp();

/** The lab's hook as plain data (functions dropped). */
const labState = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.__otlab.mcot)));

/** Waits until `predicate(hook)` holds in the page (the predicate's source runs there). */
function waitForLab(page, predicate) {
  return page.waitForFunction(
    `(() => { const hook = window.__otlab?.mcot; return hook !== undefined && (${predicate.toString()})(hook); })()`,
    undefined,
    { timeout: READY_TIMEOUT_MS },
  );
}

/** Counts non-white pixels and distinct colours of a PNG, decoded in the page. */
function pixelCensus(page, png) {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    const distinct = new Set();
    let inked = 0;
    for (let p = 0; p < data.length; p += 4) {
      const [r, g, b] = [data[p], data[p + 1], data[p + 2]];
      if (r < 235 || g < 235 || b < 235) inked += 1;
      distinct.add((r >> 3) * 1024 + (g >> 3) * 32 + (b >> 3));
    }
    return { pixels: data.length / 4, inked, distinct: distinct.size };
  }, png.toString('base64'));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

test('1D run from the URL: ‖ξ‖∞ < tol after every accepted step, cost below the exact SCE cost, GPU = CPU', async (t) => {
  const tolerance = 1e-5;
  // Fixed Δt and tolerance (growth 1, factor 1): the float32 and float64 runs take the same
  // steps, so their costs can be compared step by step.
  const { page, context, errors } = await app.open(
    `#/mcot?d=1&N=3&law1=uniform&M=10&K=20&dt=0.05&growth=1&tol=${tolerance}&tolFactor=1&steps=40&backend=both`,
  );
  try {
    const before = await labState(page);
    assert.equal(before.setupError, undefined);
    assert.deepEqual(before.problem, {
      dimension: 1,
      N: 3,
      K: 20,
      constraints: 10,
      label: 'uniform on [0, 1]',
    });
    // The exact 1D SCE cost for the uniform law, N = 3, η = 0.1 (closed form, MATH.md §6):
    // Σ_{k=1}^{N−1} (N − k) c_η(k/N).
    const c = (r) => 1 / Math.sqrt(r * r + 0.01);
    const exact = 2 * c(1 / 3) + c(2 / 3);
    assert.ok(Math.abs(before.exactCost - exact) < 1e-10, `exact cost ${before.exactCost}`);

    // Deterministic from here: back to the start, then the whole budget (RK3 steps count too).
    await page.evaluate(() => window.__otlab.mcot.reset());
    const lanes = await page.evaluate(() => window.__otlab.mcot.step(60));
    const webGpu = (await page.evaluate(() => window.__otlab.runtime.backend)) === 'gpu';
    assert.deepEqual(
      lanes.map((lane) => lane.id),
      webGpu ? ['gpu', 'cpu'] : ['cpu'],
    );
    const histories = {};
    for (const lane of lanes) {
      assert.equal(lane.failure, undefined, `${lane.id}: ${lane.failure?.message}`);
      assert.equal(lane.iteration, 40);
      assert.match(lane.stopReason, /step budget of 40 Langevin steps/);
      const history = await page.evaluate((id) => window.__otlab.mcot.history(id), lane.id);
      histories[lane.id] = history;
      assert.equal(history.residual.length, 41);
      // ‖ξ‖∞ as each backend measured it when it accepted the step.
      const worst = Math.max(...history.residual);
      t.diagnostic(`${lane.id}: max ‖ξ‖∞ over the 41 states = ${worst.toExponential(2)}`);
      assert.ok(worst < tolerance, `${lane.id}: ‖ξ‖∞ = ${worst} after an accepted step`);
      // Noiseless: the cost descends (within the descent check's slack) ...
      for (let n = 1; n < history.cost.length; n += 1) {
        assert.ok(
          history.cost[n] <= history.cost[n - 1] * (1 + 1e-5),
          `${lane.id}: cost rose at step ${n}`,
        );
      }
      // ... and ends below the exact SCE cost (MCOT relaxes the marginal constraint).
      const result = await page.evaluate((id) => window.__otlab.mcot.result(id), lane.id);
      t.diagnostic(
        `${lane.id}: cost ${result.cost} (re-evaluated in float64), exact SCE ${exact}, ‖ξ‖∞ ${result.residual.toExponential(2)}`,
      );
      assert.ok(
        result.cost <= exact,
        `${lane.id}: MCOT cost ${result.cost} above the SCE cost ${exact}`,
      );
      // float32 positions re-evaluated in float64 may sit a rounding above the tolerance.
      assert.ok(result.residual < (lane.id === 'gpu' ? 2 : 1) * tolerance);
    }
    if (webGpu) {
      let worst = 0;
      histories.cpu.cost.forEach((cost, n) => {
        worst = Math.max(worst, Math.abs(histories.gpu.cost[n] - cost) / cost);
      });
      t.diagnostic(
        `GPU against CPU: largest relative cost difference over 40 steps ${worst.toExponential(2)}`,
      );
      assert.ok(worst < 1e-4, `GPU and CPU costs differ by ${worst}`);
    } else {
      t.diagnostic('WebGPU unavailable: the CPU lane ran alone');
    }
    // The pair plot drew the particles over the co-motion graphs.
    await waitForLab(page, (hook) => hook.draws.pairs > 0);
    const png = await page.getByTestId('mcot-pairs-canvas').screenshot();
    const census = await pixelCensus(page, png);
    t.diagnostic(`pair plot: ${JSON.stringify(census)}`);
    assert.ok(census.inked > 200, 'the pair plot has no particles');
    await page.screenshot({ path: join(ARTIFACTS, 'mcot-1d.png'), fullPage: true });

    // A preset button sets the problem and the URL (the backend choice is kept).
    await page.getByTestId('mcot-preset-1d-two-bumps-n3').click();
    await waitForLab(
      page,
      (hook) => hook.problem?.label.startsWith('two bumps') && hook.problem.K === 60,
    );
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /law1=twoBumps/);
    assert.match(hash, /backend=both/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('3D, N = 100: the cloud moves while the solver runs; frame intervals running vs idle', async (t) => {
  const { page, context, errors } = await app.open(
    '#/mcot?d=3&N=100&law3=ball&D=6&K=12&steps=100000&spf=2&colour=electron',
    { viewport: { width: 1440, height: 1800 } },
  );
  try {
    // Autoplay: wait for a first Langevin step (the GPU lane is set up by then) and a few
    // redraws of the cloud with new particles.
    await waitForLab(page, (hook) => hook.lanes[0]?.iteration >= 1 && hook.draws.cloud >= 3);
    const moving = await labState(page);
    assert.equal(moving.problem.N, 100);
    const lane = moving.lanes[0];

    // Main-thread tasks over 50 ms, summed (the rest of a slow frame is compositing).
    await page.evaluate(() => {
      window.__longTasks = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks += entry.duration;
      }).observe({ type: 'longtask' });
    });
    /** Frames during the next 2.5 s: count, elapsed time, intervals, long-task time. */
    const sample = async () => {
      const start = await page.evaluate(() => ({
        count: window.__otlab.mcot.frames().count,
        at: performance.now(),
        busy: window.__longTasks,
      }));
      await page.waitForTimeout(2500);
      return page.evaluate((before) => {
        const { count, intervals } = window.__otlab.mcot.frames();
        const frames = count - before.count;
        return {
          frames,
          elapsed: performance.now() - before.at,
          intervals: frames > 0 ? intervals.slice(-Math.min(frames, intervals.length)) : [],
          busy: window.__longTasks - before.busy,
        };
      }, start);
    };
    const describe = ({ frames, elapsed, intervals, busy }) =>
      `${frames} frames in ${elapsed.toFixed(0)} ms (mean ${(elapsed / Math.max(frames, 1)).toFixed(1)} ms, ` +
      `median ${median(intervals).toFixed(1)} ms, longest ${Math.max(0, ...intervals).toFixed(0)} ms; ` +
      `main-thread long tasks ${busy.toFixed(0)} ms)`;
    const running = await sample();
    // The solver advances and the cloud is redrawn with the new particles while it runs.
    await waitForLab(
      page,
      `(hook) => hook.lanes[0].iteration > ${lane.iteration} && hook.draws.cloud > ${moving.draws.cloud}`,
    );
    const afterRun = await labState(page);
    const ran = afterRun.lanes[0];
    t.diagnostic(
      `${ran.label}: step ${ran.iteration}, ${ran.rate.toFixed(2)} steps/s shown in the UI (emulated, shared machine)`,
    );
    assert.ok(afterRun.draws.projections > 0 && afterRun.draws.radial > 0);
    // Paused, once the step in flight has landed: nothing runs but the page.
    await page.evaluate(() => window.__otlab.mcot.pause());
    await page.evaluate(() => window.__otlab.mcot.idle());
    const idle = await sample();
    const meanOf = ({ frames, elapsed }) => elapsed / Math.max(frames, 1);
    t.diagnostic(
      `frame intervals (emulated, SwiftShader): ${ran.label} running ${describe(running)}; idle ${describe(idle)}; ` +
        `ratio of mean intervals running/idle = ${(meanOf(running) / meanOf(idle)).toFixed(2)}`,
    );

    const particles = await page.evaluate((id) => window.__otlab.mcot.particles(id), ran.id);
    assert.equal(particles.x.length, 12 * 100 * 3);
    assert.ok(particles.x.every(Number.isFinite));
    const png = await page.getByTestId('mcot-cloud-canvas').screenshot();
    writeFileSync(join(ARTIFACTS, 'mcot-3d-cloud.png'), png);
    const census = await pixelCensus(page, png);
    t.diagnostic(`cloud canvas: ${JSON.stringify(census)}`);
    assert.ok(census.inked > 0.005 * census.pixels, 'the cloud canvas is nearly blank');
    assert.ok(census.distinct > 20, 'the cloud has too few colours');
    const projection = await pixelCensus(
      page,
      await page.getByTestId('mcot-projection-12').screenshot(),
    );
    t.diagnostic(`(x1, x2) projection: ${JSON.stringify(projection)}`);
    assert.ok(projection.inked > 1000, 'the (x1, x2) projection is nearly blank');
    await page.screenshot({ path: join(ARTIFACTS, 'mcot-3d.png'), fullPage: true });

    // The same run on the float64 CPU backend, which steps in a worker.
    if (ran.id === 'gpu') {
      await page.evaluate(() => {
        location.hash = location.hash.replace('backend=auto', 'backend=cpu');
      });
      await waitForLab(page, (hook) => hook.lanes[0]?.id === 'cpu' && hook.lanes[0].iteration >= 1);
      const cpuRunning = await sample();
      const cpu = (await labState(page)).lanes[0];
      t.diagnostic(
        `frame intervals (emulated machine): ${cpu.label} running ${describe(cpuRunning)}, ` +
          `${cpu.rate.toFixed(2)} steps/s shown; ratio of mean intervals running/idle = ` +
          `${(meanOf(cpuRunning) / meanOf(idle)).toFixed(2)}`,
      );
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a step-size collapse stops the run with its message and keeps the last state; invalid input explains itself', async (t) => {
  const { page, context, errors } = await app.open(
    '#/mcot?d=1&N=2&K=10&M=4&dt=50&dtMin=10&dtMax=100&steps=100',
  );
  try {
    await waitForLab(
      page,
      (hook) => hook.lanes[0]?.failure !== undefined && hook.playing === false,
    );
    const state = await labState(page);
    const lane = state.lanes[0];
    t.diagnostic(`${lane.label}: ${lane.stopReason}`);
    assert.equal(lane.failure.code, 'collapse');
    assert.match(lane.stopReason, /^failed: step-size collapse/);
    const alert = await page.getByTestId(`mcot-failure-${lane.id}`).textContent();
    t.diagnostic(alert);
    assert.match(alert, /step-size collapse/);
    assert.match(alert, /last valid state stays on screen/);
    // The last valid state: finite particles on the constraint manifold, still drawn.
    const particles = await page.evaluate((id) => window.__otlab.mcot.particles(id), lane.id);
    assert.ok(particles.version > 0 && particles.x.every(Number.isFinite));
    const result = await page.evaluate((id) => window.__otlab.mcot.result(id), lane.id);
    assert.ok(result.residual < 2e-5, `residual ${result.residual}`);
    await waitForLab(page, (hook) => hook.draws.pairs > 0);
    const census = await pixelCensus(
      page,
      await page.getByTestId('mcot-pairs-canvas').screenshot(),
    );
    assert.ok(census.inked > 50, 'the last state is not drawn');
    assert.doesNotMatch(await page.locator('main').innerText(), /NaN/);
    await page.screenshot({ path: join(ARTIFACTS, 'mcot-failure.png'), fullPage: true });

    // An invalid combination: a message naming the control, no run, no NaN.
    await page.evaluate(() => {
      location.hash = '#/mcot?init=tchakaloff';
    });
    await waitForLab(page, (hook) => hook.setupError !== undefined);
    const message = await page.getByTestId('mcot-setup-error').textContent();
    assert.match(message, /Initialisation: .*adaptive/);
    assert.deepEqual((await labState(page)).lanes, []);
    assert.doesNotMatch(await page.locator('main').innerText(), /NaN/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
