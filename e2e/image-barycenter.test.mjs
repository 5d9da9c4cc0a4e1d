/**
 * End-to-end tests of the image barycenter lab (#/image-barycenter) in headless Chromium. Run after
 * `npx vite build`:
 *
 *   bash scripts/with-swiftshader.sh node --test e2e/image-barycenter.test.mjs
 *
 * Numbers come from `window.__otlab.imageBarycenter` (src/app/testHook.ts). Checked against known
 * facts (MATH.md §2, §5): the W2 barycenter of two translated disks is one disk halfway (its
 * second moment the disk's plus the blur ε), the L2 one has two bumps; the strip moves the centre
 * linearly in t; identical images give the image back up to the blur; the CPU fallback (a Web
 * Worker) agrees; bad uploads get a message.
 */
// Functions passed to page.evaluate / waitForFunction run in the browser:
/* global window, document, DataTransfer */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, READY_TIMEOUT_MS, useBuiltApp } from './harness.mjs';

const app = useBuiltApp();
const SIZE = 24;

/** Two disks of radius 0.1 at x = 0.25 and 0.75 (y = 0.5). */
const TWO_DISKS = {
  k: '2',
  size: String(SIZE),
  eps: '0.002',
  tol: '0.0001',
  shape1: 'disk',
  x1: '0.25',
  y1: '0.5',
  r1: '0.1',
  shape2: 'disk',
  x2: '0.75',
  y2: '0.5',
  r2: '0.1',
  w1: '0.5',
  w2: '0.5',
};

async function openLab(query) {
  const { page, context, errors } = await app.open(
    `#/image-barycenter?${new URLSearchParams(query)}`,
    { viewport: { width: 1400, height: 1300 } },
  );
  await page.waitForFunction(() => window.__otlab.imageBarycenter !== undefined, null, {
    timeout: READY_TIMEOUT_MS,
  });
  return { page, context, errors };
}

/** Runs every barycenter to its tolerance; returns the numbers and the densities. */
const converge = (page) =>
  page.evaluate(async () => {
    const hook = await window.__otlab.imageBarycenter.runToConvergence();
    const { step, runToConvergence, densities, ...numbers } = hook;
    void step;
    void runToConvergence;
    return { numbers, densities: densities() };
  });

function massNear(density, cx, cy, r) {
  let mass = 0;
  for (let i = 0; i < SIZE * SIZE; i += 1) {
    const dx = ((i % SIZE) + 0.5) / SIZE - cx;
    const dy = (Math.floor(i / SIZE) + 0.5) / SIZE - cy;
    if (dx * dx + dy * dy <= r * r) mass += density[i];
  }
  return mass;
}

test('two translated disks: one disk halfway (W2), two bumps (L2), a linear strip', async (t) => {
  const { page, context, errors } = await openLab(TWO_DISKS);
  try {
    const { numbers, densities } = await converge(page);
    assert.equal(numbers.backend, 'gpu', 'the barycenters run on WebGPU');
    assert.deepEqual(numbers.issues, []);
    const { w2, l2 } = numbers;
    t.diagnostic(
      `W2: ${w2.iteration} iterations, error ${w2.marginalError.toExponential(2)}, centre ${w2.mean}`,
    );
    assert.equal(w2.converged, true, w2.stopReason);
    assert.ok(Math.abs(w2.mass - 1) < 1e-3, `mass ${w2.mass}`);
    assert.ok(Math.abs(w2.mean[0] - 0.5) < 5e-3 && Math.abs(w2.mean[1] - 0.5) < 5e-3, `${w2.mean}`);
    // One bump at the midpoint, nothing left at the original centres.
    assert.ok(massNear(densities.w2, 0.5, 0.5, 0.17) > 0.9);
    assert.ok(massNear(densities.w2, 0.25, 0.5, 0.08) < 0.02);
    assert.ok(massNear(densities.w2, 0.75, 0.5, 0.08) < 0.02);
    // Entropic blur, quantified: second moment = the disk's + ε (float32: to 2e-4).
    const disk = numbers.inputs[0].secondMoment;
    assert.ok(Math.abs(w2.secondMoment - (disk + 0.002)) < 2e-4, `${w2.secondMoment} vs ${disk}`);
    // L2: two bumps of mass ½, none in between.
    assert.ok(massNear(densities.l2, 0.5, 0.5, 0.1) < 1e-9);
    assert.ok(Math.abs(massNear(densities.l2, 0.25, 0.5, 0.12) - 0.5) < 1e-9);
    assert.ok(Math.abs(l2.mean[0] - 0.5) < 1e-9, 'the L2 average keeps the centre of mass');
    // Strip: the centre moves linearly, x_t = 0.25 + t/2.
    assert.deepEqual(numbers.stripPair, [0, 1]);
    for (const lane of numbers.strip) {
      assert.equal(lane.converged, true, `t = ${lane.t}: ${lane.stopReason}`);
      assert.ok(Math.abs(lane.mean[0] - (0.25 + lane.t / 2)) < 5e-3, `t = ${lane.t}: ${lane.mean}`);
    }
    const download = page.waitForEvent('download');
    await page.getByTestId('export-strip').click();
    const file = await (await download).path();
    const png = readFileSync(file);
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(png.readUInt32BE(16) > 5 * 150, `strip width ${png.readUInt32BE(16)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'image-barycenter-disks.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('K = 3 identical images: the image back, blurred by ε (plain) or nearly not (debiased)', async () => {
  const same = { shape: 'disk', x: '0.5', y: '0.5', r: '0.25' };
  const query = { k: '3', size: '24', eps: '0.004', strip: 'off', w1: '0.2', w2: '0.3', w3: '0.5' };
  for (const k of [1, 2, 3]) {
    for (const [key, value] of Object.entries(same)) query[`${key}${k}`] = value;
  }
  const l1 = (p, q) => p.reduce((s, v, i) => s + Math.abs(v - q[i]), 0);
  const results = {};
  for (const debiased of ['off', 'on']) {
    const { page, context, errors } = await openLab({ ...query, debiased });
    try {
      const { numbers, densities } = await converge(page);
      assert.equal(numbers.w2.converged, true, numbers.w2.stopReason);
      results[debiased] = {
        l1: l1(densities.w2, densities.inputs[0]),
        spread: numbers.w2.secondMoment - numbers.inputs[0].secondMoment,
      };
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  // Plain: the blur (variance ε/2 per axis) adds ε to the second moment; debiased: the second
  // moment is the image's to within 5% of ε, and the L1 distance to the image is smaller
  // (measured on SwiftShader: excess 0.0040000 plain and 3.6e-5 debiased; L1 0.227 and 0.088).
  assert.ok(Math.abs(results.off.spread - 0.004) < 2e-4, JSON.stringify(results));
  assert.ok(Math.abs(results.on.spread) < 0.05 * 0.004, JSON.stringify(results));
  assert.ok(results.on.l1 < 0.7 * results.off.l1, JSON.stringify(results));
});

test('CPU fallback (Web Worker) finds the same barycenter', async () => {
  const { page, context, errors } = await openLab({
    ...TWO_DISKS,
    backend: 'cpu',
    strip: 'off',
    size: '24',
  });
  try {
    const { numbers } = await converge(page);
    assert.equal(numbers.backend, 'cpu');
    assert.equal(numbers.w2.converged, true, numbers.w2.stopReason);
    assert.ok(Math.abs(numbers.w2.mean[0] - 0.5) < 5e-3, `${numbers.w2.mean}`);
    assert.ok(numbers.w2.marginalError < 1e-4);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('uploads: a PNG becomes the image; a non-PNG and an empty PNG get a message', async () => {
  const { page, context, errors } = await openLab({ ...TWO_DISKS, strip: 'off' });
  try {
    /** Uploads a file made in the page (a canvas PNG, or text) into slot 2's file input. */
    const upload = (kind) =>
      page.evaluate(async (what) => {
        let file;
        if (what === 'text') {
          file = new File(['not an image'], 'notes.txt', { type: 'text/plain' });
        } else {
          const canvas = document.createElement('canvas');
          canvas.width = 64;
          canvas.height = 64;
          const context = canvas.getContext('2d');
          context.fillStyle = '#ffffff';
          context.fillRect(0, 0, 64, 64);
          if (what === 'square') {
            context.fillStyle = '#000000';
            context.fillRect(40, 24, 16, 16); // dark square centred at (0.75, 0.5)
          }
          const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
          file = new File([blob], `${what}.png`, { type: 'image/png' });
        }
        const input = document.querySelector('[data-testid="upload-2"]');
        const transfer = new DataTransfer();
        transfer.items.add(file);
        input.files = transfer.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }, kind);

    await upload('text');
    await page.getByTestId('upload-error-2').waitFor();
    assert.match(
      await page.getByTestId('upload-error-2').innerText(),
      /^image 2: upload a PNG image \(got text\/plain\)/,
    );
    await upload('white');
    await page.waitForFunction(() =>
      /no dark pixels/.test(
        document.querySelector('[data-testid="upload-error-2"]')?.textContent ?? '',
      ),
    );
    await upload('square');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="upload-error-2"]') === null,
    );
    await page.waitForFunction(() => {
      const input = window.__otlab.imageBarycenter.inputs[1];
      return input && Math.abs(input.mean[0] - 0.75) < 0.02;
    });
    const { numbers } = await converge(page);
    assert.ok(Math.abs(numbers.inputs[1].mean[1] - 0.5) < 0.02, `${numbers.inputs[1].mean}`);
    assert.ok(Math.abs(numbers.w2.mean[0] - 0.5) < 0.02, `${numbers.w2.mean}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
