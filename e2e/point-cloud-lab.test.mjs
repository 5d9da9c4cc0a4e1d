/**
 * End-to-end tests of the Point-cloud lab (#/point-cloud-lab) in headless Chromium on WebGPU
 * (SwiftShader without a GPU). Run after `npx vite build`:
 *
 *   bash scripts/with-swiftshader.sh node --test e2e/point-cloud-lab.test.mjs
 *
 * Numbers come from `window.__otlab.pointCloudLab` (src/app/scenes/pointCloudLab/hook.ts). Checked:
 * the scene loads its problem from the URL and runs on the WebGPU adapter; the GPU (float32) and
 * CPU (float64) backends agree on the marginal error and the cost; the dual checks and the exact
 * plan make sense; clicking adds a point that the copied link reproduces; a hostile `pts` is
 * rejected; large sets draw the top-k per row; axe-core finds no serious violation.
 */
// Functions passed to page.evaluate / waitForFunction run in the browser:
/* global window, document */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ARTIFACTS,
  READY_TIMEOUT_MS,
  ROOT,
  saveDownload,
  seriousViolations,
  useBuiltApp,
} from './harness.mjs';

const app = useBuiltApp();
/** GPU (float32) and CPU (float64) transport costs must agree to this relative difference. */
const COST_AGREEMENT = 1e-3;

const PROBLEM = {
  preset: 'moons',
  n: '60',
  m: '50',
  seed: '3',
  eps: '0.05',
  tol: '1e-5',
  maxIter: '5000',
  exact: 'on',
};

async function openHash(hash) {
  const opened = await app.open(hash, { viewport: { width: 1400, height: 1300 } });
  await opened.page.waitForFunction(() => window.__otlab.pointCloudLab !== undefined, null, {
    timeout: READY_TIMEOUT_MS,
  });
  return opened;
}

const openLab = (query) => openHash(`#/point-cloud-lab?${new URLSearchParams(query)}`);

/** The hook's plain numbers (the drivers stripped); `driver` runs one first. */
function numbers(page, driver, argument) {
  return page.evaluate(
    async ([name, arg]) => {
      const lab = window.__otlab.pointCloudLab;
      const fresh = name ? await lab[name](arg) : lab;
      const { step, runToConvergence, reset, ...plain } = fresh;
      void step;
      void runToConvergence;
      void reset;
      return plain;
    },
    [driver, argument],
  );
}

/** Distinct colours (quantised) in the lab's canvas: a blank one has a single colour. */
function canvasColours(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="point-cloud-canvas"]');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const colours = new Set();
    for (let i = 0; i < data.length; i += 16) {
      colours.add(((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4));
    }
    return colours.size;
  });
}

async function converged(backend, t) {
  const { page, context, errors } = await openLab({ ...PROBLEM, backend });
  try {
    const runtime = await page.evaluate(() => window.__otlab.runtime);
    if (backend === 'gpu') {
      t.diagnostic(`adapter: ${JSON.stringify(runtime.adapter)}`);
      assert.equal(runtime.status, 'ready', `WebGPU did not start: ${runtime.reason}`);
    }
    const start = await numbers(page);
    assert.equal(start.backend, backend);
    assert.equal(start.problemError, undefined);
    assert.equal(start.points.x.length, 60);
    assert.equal(start.points.y.length, 50);
    const done = await numbers(page, 'runToConvergence');
    assert.equal(done.error, undefined, done.error);
    assert.ok(done.converged, `${backend} did not converge: ${done.stopReason}`);
    assert.ok(done.marginalError < 1e-5, `${backend} marginal error ${done.marginalError}`);
    return { page, context, errors, done };
  } catch (error) {
    await context.close();
    throw error;
  }
}

test('from the URL on the WebGPU adapter: GPU and CPU agree; dual checks, exact plan, axe, screenshot', async (t) => {
  const gpu = await converged('gpu', t);
  let cpuDone;
  try {
    const { page, errors, done } = gpu;
    // The view is drawn: points coloured by potentials, plan lines, the exact plan.
    await page.waitForFunction(() => window.__otlab.pointCloudLab.planLines > 0);
    assert.ok((await canvasColours(page)) > 12, 'the canvas is drawn');
    assert.match(await page.getByTestId('pcl-numbers').innerText(), /Iteration\s+\d+/i);
    // g = f^{c,ε} after a column update: float32 rounding only. The hard gap is about ε.
    t.diagnostic(`GPU dual: ${JSON.stringify(done.dual)}`);
    assert.ok(done.dual.softY < 1e-4, `soft gap ${done.dual.softY}`);
    assert.ok(done.dual.hardY > 0 && done.dual.hardY < 10 * 0.05, `hard gap ${done.dual.hardY}`);
    // The exact (ε = 0) plan is cheaper than the entropic one, which is within O(ε) of it.
    assert.ok(done.exactCost > 0 && done.exactCost <= done.transportCost + 1e-6);
    assert.ok(done.transportCost - done.exactCost < 0.05, `cost gap at ε = 0.05`);
    assert.deepEqual(await seriousViolations(page), []);
    await page.screenshot({ path: join(ARTIFACTS, 'point-cloud-lab-gpu.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await gpu.context.close();
  }
  const cpu = await converged('cpu', t);
  try {
    cpuDone = cpu.done;
    assert.deepEqual(cpu.errors, []);
  } finally {
    await cpu.context.close();
  }
  const g = gpu.done;
  const difference = Math.abs(g.transportCost - cpuDone.transportCost) / cpuDone.transportCost;
  t.diagnostic(
    `cost GPU ${g.transportCost} (iteration ${g.iteration}, error ${g.marginalError}) vs CPU ${cpuDone.transportCost} (iteration ${cpuDone.iteration}, error ${cpuDone.marginalError}): relative ${difference}`,
  );
  assert.ok(difference < COST_AGREEMENT, `costs differ by ${difference}`);
  assert.ok(Math.abs(g.dualObjective - cpuDone.dualObjective) / cpuDone.dualObjective < 1e-3);
  assert.equal(g.exactCost, cpuDone.exactCost);
  // Converged at nearly the same check (float32 may need one more or one fewer).
  assert.ok(
    Math.abs(g.iteration - cpuDone.iteration) <= 20,
    `${g.iteration} vs ${cpuDone.iteration}`,
  );
});

/**
 * Where a data point is drawn in the canvas (CSS px): the view is the unit square widened to hold
 * every point, padded by 5 %, fitted as a square with y up (PointCanvas.tsx, viewBox).
 */
function canvasPosition(points, box, [px, py]) {
  const all = [...points.x, ...points.y].flat();
  const lo0 = Math.min(0, ...all);
  const hi0 = Math.max(1, ...all);
  const lo = lo0 - 0.05 * (hi0 - lo0);
  const hi = hi0 + 0.05 * (hi0 - lo0);
  const scale = Math.min(box.width, box.height) / (hi - lo);
  const ox = (box.width - scale * (hi - lo)) / 2;
  const oy = (box.height - scale * (hi - lo)) / 2;
  return { x: ox + scale * (px - lo), y: box.height - oy - scale * (py - lo), scale };
}

test('a click adds a point, a drag moves one; the copied link reproduces the sets and the numbers', async () => {
  const { page, context, errors } = await openLab({ ...PROBLEM, backend: 'cpu', n: '8', m: '6' });
  try {
    await page.getByLabel('the target (squares)').check();
    const canvas = page.getByTestId('point-cloud-canvas');
    const box = await canvas.boundingBox();
    // An empty corner of the view (the presets stay inside the unit square).
    await canvas.click({ position: { x: box.width * 0.97, y: box.height * 0.03 } });
    await page.waitForFunction(() => window.__otlab.params.preset === 'custom');
    const added = await numbers(page, 'runToConvergence');
    assert.equal(added.points.x.length, 8);
    assert.equal(added.points.y.length, 7);
    assert.ok(added.converged, added.stopReason);
    // Drag the first source point 30 px to the right.
    const from = canvasPosition(added.points, box, added.points.x[0]);
    await page.mouse.move(box.x + from.x, box.y + from.y);
    await page.mouse.down();
    await page.mouse.move(box.x + from.x + 15, box.y + from.y, { steps: 3 });
    await page.mouse.move(box.x + from.x + 30, box.y + from.y, { steps: 3 });
    await page.mouse.up();
    await page.waitForFunction(
      (x0) => window.__otlab.pointCloudLab.points.x[0][0] > x0,
      added.points.x[0][0],
    );
    const moved = await numbers(page, 'runToConvergence');
    const shift = moved.points.x[0][0] - added.points.x[0][0];
    assert.ok(Math.abs(shift - 30 / from.scale) < 0.01, `moved by ${shift}`);
    assert.deepEqual(moved.points.x.slice(1), added.points.x.slice(1));
    assert.ok(moved.converged, moved.stopReason);
    const link = page.url();
    assert.match(link, /pts=/);
    const again = await openHash(new URL(link).hash);
    try {
      const same = await numbers(again.page, 'runToConvergence');
      assert.deepEqual(same.points, moved.points);
      assert.equal(same.transportCost, moved.transportCost);
      assert.equal(same.iteration, moved.iteration);
    } finally {
      await again.context.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a hostile pts is rejected with a message and the default preset is shown', async () => {
  const { page, context, dialogs } = await openLab({
    preset: 'custom',
    pts: '<img src=x onerror=alert(1)>|0,0',
    backend: 'cpu',
  });
  try {
    const message = await page.getByTestId('pcl-problem-error').innerText();
    assert.match(message, /Drawn points not used: pts: expected points as x,y/);
    const state = await numbers(page);
    assert.equal(state.points.x.length, 80);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.deepEqual(dialogs, []);
  } finally {
    await context.close();
  }
});

test('large sets on the GPU: the plan is drawn as the top-k of each row', async () => {
  const { page, context, errors } = await openLab({
    preset: 'blobs',
    n: '700',
    m: '500',
    eps: '0.05',
    backend: 'gpu',
    exact: 'on',
  });
  try {
    const state = await numbers(page, 'step', 20);
    assert.equal(state.backend, 'gpu');
    assert.equal(state.exactCost, null, 'no exact plan for 700 × 500');
    await page.waitForFunction(() => window.__otlab.pointCloudLab.planLines > 0);
    const { planLines } = await numbers(page);
    // n > 600: one line per row (model.ts linesPerRow), the faintest skipped.
    assert.ok(planLines > 100 && planLines <= 700, `lines drawn: ${planLines}`);
    assert.match(await page.locator('figcaption').first().innerText(), /the 1 heaviest per row/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('keyboard: a point added by its coordinates; exports: PNG at 2×, CSV plan, JSON, and an otlab input that reproduces the run', async () => {
  const { page, context, errors } = await openLab({ ...PROBLEM, backend: 'cpu', n: '12', m: '10' });
  try {
    // The form adds to the chosen set, by keyboard only.
    await page.getByLabel('the target (squares)').focus();
    await page.keyboard.press('Space');
    const x = page.getByRole('form', { name: 'Add a point by its coordinates' }).getByLabel('x');
    await x.fill('0.9');
    await x.press('Enter');
    await page.waitForFunction(() => window.__otlab.pointCloudLab.points.y.length === 11);
    const numbers0 = await numbers(page, 'runToConvergence');
    assert.deepEqual(numbers0.points.y.at(-1), [0.9, 0.5]);
    assert.ok(numbers0.converged, numbers0.stopReason);

    await page.getByTestId('open-export').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    const png = await saveDownload(page, () =>
      dialog.getByTestId('export-png-point-sets-and-plan').click(),
    );
    const width = png.bytes.readUInt32BE(16);
    const shown = await page.getByTestId('point-cloud-canvas').boundingBox();
    assert.equal(png.bytes.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(Math.abs(width - 2 * shown.width) <= 2, `PNG ${width} px for ${shown.width} px`);
    const plan = (
      await saveDownload(page, () => dialog.getByTestId('export-csv-plan').click())
    ).bytes
      .toString('utf8')
      .trimEnd()
      .split('\r\n');
    assert.equal(plan[0], 'lane,i,j,mass');
    assert.equal(plan.length - 1, 12 * 11, 'every entry of a small plan');
    const json = JSON.parse(
      (await saveDownload(page, () => dialog.getByTestId('export-json').click())).bytes,
    );
    assert.equal(json.data.transportCost, numbers0.transportCost);
    assert.equal(json.tables.points.rows.length, 23);

    const command = await page.getByTestId('otlab-command').innerText();
    assert.match(command, /^npx otlab sinkhorn --input /);
    const input = await saveDownload(page, () => page.getByTestId('export-otlab').click());
    const output = JSON.parse(
      execFileSync(process.execPath, ['bin/otlab.mjs', 'sinkhorn', '--input', input.path], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    );
    const [result] = output.results;
    assert.equal(result.converged, true);
    assert.equal(result.iterations, numbers0.iteration);
    assert.ok(
      Math.abs(result.transportCost - numbers0.transportCost) <= 1e-12 * numbers0.transportCost,
      `otlab ${result.transportCost} vs scene ${numbers0.transportCost}`,
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
