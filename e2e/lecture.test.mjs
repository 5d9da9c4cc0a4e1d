/**
 * End-to-end tests of the lecture and sharing features every scene gets from the shell
 * (src/app/lecture/): keyboard shortcuts and the help overlay, presenter mode, copy link and the
 * URL round trip, exports (PNG at 2×, SVG, CSV, JSON, and otlab inputs fed to bin/otlab.mjs,
 * including the barycenter and MCOT labs'), hostile URLs, reduced motion, small touch screens,
 * offline use and an axe-core accessibility check of every registered scene. Run after `npx vite build`:
 *
 *   bash scripts/with-swiftshader.sh node --test e2e/lecture.test.mjs
 */
// Functions passed to page.evaluate / waitForFunction run in the browser:
/* global window, document, getComputedStyle, requestAnimationFrame, DOMParser, Image,
   createImageBitmap, OffscreenCanvas */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, ROOT, saveDownload, seriousViolations, useBuiltApp } from './harness.mjs';

const app = useBuiltApp();
const openApp = app.open;
/** The toy, paused at iteration 0 (reduced motion: nothing starts by itself), for key tests. */
const PAUSED_TOY = ['#/sinkhorn-toy?n=24&m=24', { contextOptions: { reducedMotion: 'reduce' } }];

/**
 * Opens the app at `hash` in a fresh context, runs `body`, checks that the page logged no error
 * and closes the context, whatever happened.
 */
async function withApp(hash, options, body) {
  const { page, context, errors, dialogs } = await openApp(hash, options);
  try {
    await body({ page, context, dialogs });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
}

const frames = (page, count = 6) =>
  page.evaluate(
    (n) =>
      new Promise((resolve) => {
        const tick = (left) =>
          left === 0 ? resolve() : requestAnimationFrame(() => tick(left - 1));
        tick(n);
      }),
    count,
  );

const activeInside = (page, testId) =>
  page.evaluate(
    (id) => document.querySelector(`[data-testid="${id}"]`)?.contains(document.activeElement),
    testId,
  );

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'not a PNG');
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Our CSV has no quoted fields: numbers and plain words. */
function parseCsv(text) {
  assert.ok(!text.includes('"'), 'unexpected quoted field');
  const [header, ...rows] = text.trimEnd().split('\r\n');
  return { columns: header.split(','), rows: rows.map((line) => line.split(',')) };
}

function runOtlab(solver, path) {
  const stdout = execFileSync(process.execPath, ['bin/otlab.mjs', solver, '--input', path], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(stdout);
}

function assertClose(actual, expected, relative, what) {
  const difference = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(difference <= relative, `${what}: ${actual} vs ${expected} (relative ${difference})`);
}

async function openExport(page) {
  await page.getByTestId('open-export').click();
  await page.getByTestId('export-dialog').waitFor();
}

/** Saves the otlab input, runs it through bin/otlab.mjs and returns the input, command and output. */
async function exportedOtlabRun(page) {
  const command = await page.getByTestId('otlab-command').innerText();
  const file = await saveDownload(page, () => page.getByTestId('export-otlab').click());
  const [, , solver] = command.split(' ');
  assert.match(command, new RegExp(`^npx otlab ${solver} --input ${file.name}$`));
  return { input: JSON.parse(file.bytes), output: runOtlab(solver, file.path) };
}

/** Counts pixels that are not near-white in a PNG, decoded in the page. */
function inkedShare(page, bytes) {
  return page.evaluate(async (base64) => {
    const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([data], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let inked = 0;
    for (let p = 0; p < pixels.length; p += 4) {
      if (pixels[p] < 235 || pixels[p + 1] < 235 || pixels[p + 2] < 235) inked += 1;
    }
    return inked / (pixels.length / 4);
  }, bytes.toString('base64'));
}

/**
 * Checks that a PNG export of `element` is 2× its CSS size and not blank (at least `minInked` of
 * its pixels drawn: sparse point clouds ink well under the default 1 %).
 */
async function assertPngOf(page, element, bytes, label, minInked = 0.01) {
  const box = await element.boundingBox();
  const size = pngSize(bytes);
  assert.ok(
    Math.abs(size.width - 2 * box.width) <= 1 && Math.abs(size.height - 2 * box.height) <= 1,
    `${label}: PNG ${size.width}×${size.height} is not 2× the element (${box.width}×${box.height})`,
  );
  const inked = await inkedShare(page, bytes);
  assert.ok(inked > minInked, `${label}: PNG is blank (${inked} inked)`);
}

test('keys: ? opens the help overlay (focus trapped, Escape closes, focus restored); shortcuts pause while it is open', async () => {
  await withApp(...PAUSED_TOY, async ({ page }) => {
    const opener = page.getByTestId('open-help');
    await opener.focus();
    await page.keyboard.press('Shift+Slash'); // "?"
    const dialog = page.getByTestId('help-dialog');
    await dialog.waitFor();
    const text = await dialog.innerText();
    for (const key of ['Space', '→', 'R', 'F', '?', 'Esc']) assert.ok(text.includes(key), key);
    assert.match(text, /Play \/ pause/);
    assert.ok(await activeInside(page, 'help-dialog'), 'focus is not in the dialog');
    for (let k = 0; k < 5; k += 1) {
      await page.keyboard.press(k % 2 ? 'Shift+Tab' : 'Tab');
      assert.ok(await activeInside(page, 'help-dialog'), `Tab ${k} left the dialog`);
    }
    // Keys belong to the dialog: no shortcut fires behind it (→ would step, F present).
    for (const key of ['f', 'ArrowRight']) await page.keyboard.press(key);
    await frames(page);
    assert.ok(await dialog.isVisible());
    const behind = await page.evaluate(() => ({
      presenter: window.__otlab.presenter,
      iteration: window.__otlab.sinkhorn.cpu?.iteration ?? 0,
    }));
    assert.deepEqual(behind, { presenter: false, iteration: 0 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(
      await page.evaluate(() => document.activeElement?.dataset.testid),
      'open-help',
      'focus did not return to the Keys button',
    );
    // A scene without solver controls lists only the shell's keys.
    await page.evaluate(() => {
      window.location.hash = '#/gaussian-interpolation';
    });
    await page.getByRole('heading', { name: /Gaussian interpolation/ }).waitFor();
    await page.locator('body').press('?');
    await dialog.waitFor();
    assert.equal(await page.getByTestId('help-scene-keys').count(), 0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});

test('keys: Tab reaches every control with a visible focus ring; sliders move with arrows, other keys stay shortcuts', async () => {
  await withApp(...PAUSED_TOY, async ({ page }) => {
    const seen = new Map();
    for (let k = 0; k < 60; k += 1) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement;
        const style = getComputedStyle(element);
        return {
          key: `${element.tagName}#${element.id}|${element.dataset.testid ?? ''}|${element.textContent.slice(0, 30)}`,
          tag: element.tagName,
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          type: element.getAttribute('type'),
        };
      });
      if (focused.tag === 'BODY') break;
      if (seen.has(focused.key)) break; // wrapped around
      seen.set(focused.key, focused);
      assert.ok(focused.outline, `no visible focus ring on ${focused.key}`);
    }
    const keys = [...seen.keys()].join('\n');
    for (const name of [
      'copy-link',
      'open-export',
      'presenter-toggle',
      'open-help',
      'play-toggle',
    ]) {
      assert.ok(keys.includes(name), `${name} is not reachable with Tab:\n${keys}`);
    }
    assert.ok([...seen.values()].filter((f) => f.type === 'range').length >= 4, keys);
    // Arrow keys move a focused slider and the URL follows.
    await page.getByLabel('Regularisation ε').focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => window.__otlab.params.eps < 0.05);
    // Other shortcuts still work while a slider has focus.
    await page.keyboard.press('f');
    await page.waitForFunction(() => window.__otlab.presenter === true);
    await page.keyboard.press('f');
    await page.waitForFunction(() => window.__otlab.presenter === false);
  });
});

test('presenter mode: F and the button toggle it; large type, thick lines, indicator, no clutter, navigator in one row; links unchanged', async (t) => {
  await withApp('#/sinkhorn-toy?n=32&m=32&seed=4', {}, async ({ page }) => {
    await page.evaluate(() => window.__otlab.sinkhorn.runToConvergence());
    const chartCurve = page.locator('[data-testid="error-chart"] .chart__curve[data-series="cpu"]');
    await chartCurve.waitFor();
    const before = {
      hash: await page.evaluate(() => window.location.hash),
      font: await page.evaluate(() => getComputedStyle(document.documentElement).fontSize),
      stroke: Number(await chartCurve.getAttribute('stroke-width')),
    };
    await page.locator('body').press('f');
    await page.waitForFunction(() => window.__otlab.presenter === true);
    await page.getByTestId('presenter-indicator').waitFor();
    t.diagnostic(`full screen granted: ${await page.evaluate(() => !!document.fullscreenElement)}`);
    const on = await page.evaluate(() => ({
      font: getComputedStyle(document.documentElement).fontSize,
      lineScale: getComputedStyle(document.documentElement).getPropertyValue('--line-scale').trim(),
      ink: getComputedStyle(document.body).color,
      brand: getComputedStyle(document.querySelector('.brand')).display,
      navigatorRows: new Set(
        [...document.querySelectorAll('.scene-nav__groups > li')].map((li) =>
          Math.round(li.getBoundingClientRect().top),
        ),
      ).size,
      description: getComputedStyle(document.querySelector('.scene__header p')).display,
      hash: window.location.hash,
    }));
    assert.ok(parseFloat(on.font) >= 1.25 * parseFloat(before.font), `type: ${on.font}`);
    assert.equal(on.lineScale, '2');
    assert.equal(on.ink, 'rgb(0, 0, 0)');
    assert.equal(on.brand, 'none');
    assert.equal(on.navigatorRows, 1, 'the navigator stays one slim row');
    assert.equal(on.description, 'none');
    assert.equal(on.hash, before.hash, 'presenter mode changed the link');
    await page.waitForFunction(
      (stroke) =>
        Number(
          document
            .querySelector('[data-testid="error-chart"] .chart__curve[data-series="cpu"]')
            ?.getAttribute('stroke-width'),
        ) ===
        2 * stroke,
      before.stroke,
    );
    assert.equal(await page.getByTestId('presenter-toggle').getAttribute('aria-pressed'), 'true');
    await frames(page);
    writeFileSync(join(ARTIFACTS, 'presenter-mode.png'), await page.screenshot());
    await page.locator('body').press('f');
    await page.waitForFunction(() => window.__otlab.presenter === false);
    assert.equal(await page.getByTestId('presenter-indicator').count(), 0);
    await page.waitForFunction(() => document.fullscreenElement === null);
    // The button and Escape work too.
    await page.getByTestId('presenter-toggle').click();
    await page.waitForFunction(() => window.__otlab.presenter === true);
    await page.locator('body').press('Escape');
    await page.waitForFunction(() => window.__otlab.presenter === false);
    assert.equal(
      await page.evaluate(() => getComputedStyle(document.documentElement).fontSize),
      before.font,
    );
  });
});

test('navigator: scene groups in one row at 1280 px; menus open by keyboard and mouse, close on Escape, outside clicks and navigation; axe-clean open', async () => {
  await withApp('#/duality', { viewport: { width: 1280, height: 800 } }, async ({ page }) => {
    const nav = page.getByRole('navigation', { name: 'Scenes' });
    const groups = nav.locator('.scene-nav__button');
    const layout = await page.evaluate(() => {
      const buttons = [...document.querySelectorAll('.scene-nav__button')];
      return {
        names: buttons.map((b) => b.textContent.replace(/,.*$/, '')),
        rows: new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top))).size,
        heights: buttons.map((b) => b.getBoundingClientRect().height),
        header: document.querySelector('.app-header').getBoundingClientRect().height,
      };
    });
    assert.deepEqual(layout.names, [
      'Foundations',
      'Sinkhorn lab',
      'First principles',
      'Gaussian lab',
      'Barycenter lab',
      'MCOT lab',
    ]);
    assert.equal(layout.rows, 1);
    assert.ok(layout.header < 80, `header ${layout.header} px tall`);
    assert.ok(
      layout.heights.every((h) => h >= 44),
      `touch targets: ${layout.heights}`,
    );
    // Every registered scene has exactly one link, in its group's menu.
    const scenes = await page.evaluate(() => window.__otlab.scenes);
    assert.equal(await nav.locator('a').count(), scenes.length);
    const principles = nav.getByRole('button', { name: /^First principles/ });
    assert.equal(await principles.getAttribute('data-current'), 'true');
    assert.match(await principles.innerText(), /First principles/);

    // Keyboard: Enter opens (focus ring visible), the current scene is marked, Escape closes.
    await principles.focus();
    assert.ok(
      await principles.evaluate((b) => {
        const style = getComputedStyle(b);
        return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      }),
      'no visible focus ring on the group button',
    );
    await page.keyboard.press('Enter');
    assert.equal(await principles.getAttribute('aria-expanded'), 'true');
    const menu = nav.getByRole('list', { name: 'First principles' });
    await menu.waitFor();
    assert.equal(await menu.getByRole('link').count(), 6);
    assert.match(await menu.locator('a[aria-current="page"]').innerText(), /^Duality/);
    assert.deepEqual(await seriousViolations(page), [], 'open navigator menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent),
      'First principles, current: Duality',
    );

    // ↓ opens a group at its first link, ↓ moves on, Enter follows and closes the menu.
    const gaussian = nav.getByRole('button', { name: /^Gaussian lab/ });
    await gaussian.focus();
    await page.keyboard.press('ArrowDown');
    const focused = () =>
      page.evaluate(() => document.activeElement?.querySelector('.scene-nav__title')?.textContent);
    assert.equal(await focused(), 'Gaussian interpolation');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'Gaussian barycenters');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__otlab.scene === 'gaussian-barycenter');
    await nav.locator('.scene-nav__menu:visible').waitFor({ state: 'detached' });
    assert.equal(await gaussian.getAttribute('data-current'), 'true');

    // Mouse: a click opens, a click elsewhere closes.
    await groups.first().click();
    const foundations = nav.getByRole('list', { name: 'Foundations' });
    await foundations.waitFor();
    await page.locator('main h1').first().click();
    await foundations.waitFor({ state: 'hidden' });
    assert.equal(await groups.first().getAttribute('aria-expanded'), 'false');
  });
});

test('copy link: the copied URL reproduces the scene, its parameters and seed in a new page', async () => {
  const contextOptions = { permissions: ['clipboard-read', 'clipboard-write'] };
  let link;
  let numbers;
  await withApp(
    '#/sinkhorn-toy?n=40&m=36&eps=0.08&seed=11',
    { contextOptions },
    async ({ page }) => {
      // A change made with the controls is part of the link.
      await page.getByLabel('Seed').fill('12');
      await page.getByLabel('Seed').press('Enter');
      await page.waitForFunction(() => window.__otlab.params.seed === 12);
      await page.getByTestId('copy-link').click();
      await page.getByText('Link copied to the clipboard.').waitFor();
      link = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(link, page.url());
      assert.match(link, /#\/sinkhorn-toy\?n=40&m=36&seed=12&eps=0\.08&/);
      numbers = await page.evaluate(() => window.__otlab.sinkhorn.runToConvergence());
    },
  );
  await withApp(link.slice(app.baseUrl.length), {}, async ({ page }) => {
    assert.deepEqual(await page.evaluate(() => window.__otlab.paramIssues), []);
    const again = await page.evaluate(() => window.__otlab.sinkhorn.runToConvergence());
    assert.deepEqual(again.cpu, numbers.cpu, 'CPU numbers differ when the link is opened');
    assert.deepEqual(again.gpu, numbers.gpu, 'GPU numbers differ when the link is opened');
  });
});

test('copy link without a clipboard: the link is shown selected for copying by hand', async () => {
  await withApp(
    '#/gaussian-interpolation?t=0.3',
    {
      init: () => {
        Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
      },
    },
    async ({ page }) => {
      await page.getByTestId('copy-link').click();
      const field = page.getByTestId('copy-fallback-url');
      await field.waitFor();
      assert.equal(await field.inputValue(), page.url());
      assert.equal(
        await page.evaluate(() => document.activeElement?.dataset.testid),
        'copy-fallback-url',
      );
      const url = new URL(await field.inputValue());
      assert.match(url.hash, /^#\/gaussian-interpolation\?preset=translation&t=0\.3&/);
    },
  );
});

test('exports, Sinkhorn toy: PNG at 2×, SVG chart, CSV and JSON numbers, otlab input reproduces the run', async (t) => {
  await withApp('#/sinkhorn-toy?n=30&m=26&eps=0.06&seed=9', {}, async ({ page }) => {
    const numbers = await page.evaluate(() => window.__otlab.sinkhorn.runToConvergence());
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="error-chart"] .chart__curve').length === 2,
    );
    await openExport(page);
    const dialog = page.getByTestId('export-dialog');
    const views = {
      'transport-plan-computed-on-the-gpu': page.getByTestId('plan-canvas-gpu'),
      'transport-plan-computed-on-the-cpu': page.getByTestId('plan-canvas-cpu'),
      'marginal-error-per-iteration-log-scale': page.getByTestId('error-chart'),
    };
    for (const [id, element] of Object.entries(views)) {
      const png = await saveDownload(page, () => dialog.getByTestId(`export-png-${id}`).click());
      assert.equal(png.name, `sinkhorn-toy-${id}.png`);
      writeFileSync(join(ARTIFACTS, png.name), png.bytes);
      await assertPngOf(page, element, png.bytes, id);
    }
    const svg = await saveDownload(page, () =>
      dialog.getByTestId('export-svg-marginal-error-per-iteration-log-scale').click(),
    );
    const parsed = await page.evaluate(async (text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const image = new Image();
      image.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
      await image.decode();
      const curve = doc.querySelector('path[data-series="cpu"]');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.localName,
        curves: doc.querySelectorAll('path[data-series]').length,
        styled: curve?.getAttribute('style')?.includes('stroke:') ?? false,
        width: image.width,
      };
    }, svg.bytes.toString('utf8'));
    assert.deepEqual(
      { error: parsed.error, root: parsed.root, curves: parsed.curves, styled: parsed.styled },
      { error: null, root: 'svg', curves: 2, styled: true },
    );
    assert.ok(parsed.width > 300, `SVG renders ${parsed.width} px wide`);

    const csv = async (table) => {
      const file = await saveDownload(page, () =>
        dialog.getByTestId(`export-csv-${table}`).click(),
      );
      assert.equal(file.name, `sinkhorn-toy-${table}.csv`);
      return parseCsv(file.bytes.toString('utf8'));
    };
    const points = await csv('points');
    assert.deepEqual(points.columns, ['set', 'index', 'x', 'y', 'weight']);
    assert.equal(points.rows.length, 30 + 26);
    const plan = await csv('plan');
    assert.deepEqual(plan.columns, ['lane', 'i', 'j', 'mass']);
    assert.equal(plan.rows.length, 2 * 30 * 26);
    const cpuMass = plan.rows.filter((r) => r[0] === 'cpu').reduce((s, r) => s + Number(r[3]), 0);
    assertClose(cpuMass, 1, 1e-4, 'CPU plan mass');
    const history = await csv('history');
    assert.equal(
      history.rows.filter((r) => r[0] === 'cpu').length,
      numbers.cpu.iteration / 10,
      'one error check per 10 iterations',
    );
    const potentials = await csv('potentials');
    assert.equal(potentials.rows.length, 2 * (30 + 26));
    assert.ok(potentials.rows.every((r) => Number.isFinite(Number(r[3]))));
    const parameters = await csv('parameters');
    assert.deepEqual(Object.fromEntries(parameters.rows).seed, '9');

    const json = JSON.parse(
      (await saveDownload(page, () => dialog.getByTestId('export-json').click())).bytes,
    );
    assert.equal(json.scene, 'sinkhorn-toy');
    assert.deepEqual(json.params, await page.evaluate(() => window.__otlab.params));
    assert.equal(json.url, page.url());
    assert.equal(json.data.cpu.transportCost, numbers.cpu.transportCost);
    assert.ok(
      json.formulas.some((tex) => tex.includes('0.06 \\log')),
      'live formula missing',
    );
    assert.equal(json.tables.plan.rows.length, 2 * 30 * 26);

    const { input, output } = await exportedOtlabRun(page);
    assert.equal(input.epsilon, 0.06);
    const result = output.results[0];
    t.diagnostic(
      `page CPU: ${numbers.cpu.iteration} it, cost ${numbers.cpu.transportCost}; otlab: ${result.iterations} it, cost ${result.transportCost}`,
    );
    assert.equal(result.iterations, numbers.cpu.iteration);
    assertClose(result.transportCost, numbers.cpu.transportCost, 1e-12, 'transport cost');
    assertClose(result.marginalError, numbers.cpu.marginalError, 1e-9, 'marginal error');
  });
});

test('exports, Gaussian interpolation: panel PNG and SVG, 3D (WebGL) PNG, otlab gaussian/gmm reproduce W2', async () => {
  await withApp(
    '#/gaussian-interpolation?preset=rotation-stretch&t=0.35&x0=-1.5&y0=-1&a0=20&sa0=1.6&sb0=0.35&x1=1.5&y1=1&a1=110&sa1=0.9&sb1=0.5',
    {},
    async ({ page }) => {
      await page.waitForFunction(() => window.__otlab.gaussianInterpolation?.densityUpdates > 0);
      const lab = await page.evaluate(() => window.__otlab.gaussianInterpolation);
      await openExport(page);
      const dialog = page.getByTestId('export-dialog');
      const plane = page.getByTestId('panel-w2').locator('.gi-plane');
      const png = await saveDownload(page, () =>
        dialog.getByTestId('export-png-w2-displacement-interpolation').click(),
      );
      writeFileSync(join(ARTIFACTS, png.name), png.bytes);
      await assertPngOf(page, plane, png.bytes, 'W2 panel');
      const svg = (
        await saveDownload(page, () =>
          dialog.getByTestId('export-svg-w2-displacement-interpolation').click(),
        )
      ).bytes.toString('utf8');
      assert.match(
        svg,
        /<image [^>]*href="data:image\/png;base64,/,
        'heatmap missing from the SVG',
      );
      assert.match(svg, /class="gi-ellipse/);
      const { output } = await exportedOtlabRun(page);
      assert.equal(output.op, 'interpolate');
      assertClose(output.w2 ** 2, lab.w2Squared, 1e-12, 'W2²');
      assertClose(output.path[0].w2FromA, lab.w2FromStart, 1e-9, 'W2(ρ₀, ρ_t)');
      await page.keyboard.press('Escape');

      // The mixtures preset exports an `otlab gmm` input.
      await page.getByTestId('preset-mixtures').click();
      await page.waitForFunction(() => window.__otlab.gaussianInterpolation.mode === 'mixtures');
      const mixtures = await page.evaluate(() => window.__otlab.gaussianInterpolation.w2Squared);
      await openExport(page);
      const gmm = await exportedOtlabRun(page);
      assert.equal(gmm.output.solver, 'gmm');
      assertClose(gmm.output.mw2 ** 2, mixtures, 1e-12, 'MW2²');
      await page.keyboard.press('Escape');

      // The 3D tab's WebGL canvas renders and copies itself for the export.
      await page.getByTestId('tab-3d').click();
      const three = page.getByTestId('three-canvas');
      await three.waitFor();
      await openExport(page);
      const threePng = await saveDownload(page, () =>
        page.getByTestId('export-dialog').locator('[data-testid^="export-png-3d-view"]').click(),
      );
      writeFileSync(join(ARTIFACTS, 'gaussian-interpolation-3d.png'), threePng.bytes);
      await assertPngOf(page, three, threePng.bytes, '3D view');
    },
  );
});

test('exports, Gaussian barycenters: each view has an otlab input that gives the page numbers', async () => {
  await withApp('#/gaussian-barycenter?w1=0.5&w2=0.2&w3=0.3', {}, async ({ page }) => {
    const hook = () => page.evaluate(() => window.__otlab.gaussianBarycenter);
    await openExport(page);
    const panel = page.getByTestId('panel-w2').locator('.gb-panel__grid');
    const png = await saveDownload(page, () =>
      page.getByTestId('export-dialog').getByTestId('export-png-w2-barycenter').click(),
    );
    await assertPngOf(page, panel, png.bytes, 'W2 barycenter panel');
    const plain = await exportedOtlabRun(page);
    const { w2 } = await hook();
    assert.deepEqual(plain.input.weights, [0.5, 0.2, 0.3]);
    w2.gaussian.cov.flat().forEach((v, k) => {
      assertClose(plain.output.gaussian.cov.flat()[k], v, 1e-10, `S*[${k}]`);
    });
    assert.deepEqual(plain.output.gaussian.mean, w2.gaussian.mean);
    await page.keyboard.press('Escape');

    await page.getByTestId('tab-rom').click();
    await page.waitForFunction(() => window.__otlab.gaussianBarycenter?.view === 'rom');
    const { rom } = await hook();
    await openExport(page);
    const romRun = await exportedOtlabRun(page);
    assert.equal(romRun.input.op, 'fokker-planck');
    for (const key of ['plain', 'constrained', 'preserving']) {
      assertClose(romRun.output[key].errors.full, rom.errors[key].full, 1e-9, `ROM ${key}`);
    }
  });
});

test('exports, k-means (first principles): PNG, CSV, JSON and an otlab kmeans input that replays Lloyd; presenter strokes', async () => {
  await withApp('#/kmeans?n=120&k=3&seed=5', {}, async ({ page }) => {
    const numbers = await page.evaluate(() => window.__otlab.kmeans.runToEnd());
    await openExport(page);
    const dialog = page.getByTestId('export-dialog');
    const png = await saveDownload(page, () =>
      dialog.getByTestId('export-png-k-means-plan').click(),
    );
    assert.equal(png.name, 'kmeans-k-means-plan.png');
    await assertPngOf(page, page.getByTestId('kmeans-plane'), png.bytes, 'k-means plan');
    const objectives = parseCsv(
      (
        await saveDownload(page, () => dialog.getByTestId('export-csv-objectives').click())
      ).bytes.toString('utf8'),
    );
    assert.deepEqual(objectives.columns, ['half_step', 'round', 'phase', 'w2_squared', 'exact_ot']);
    assert.deepEqual(
      objectives.rows.map((r) => Number(r[3])),
      numbers.objectives,
    );
    const json = JSON.parse(
      (await saveDownload(page, () => dialog.getByTestId('export-json').click())).bytes,
    );
    assert.equal(json.data.stage.objective, numbers.stage.objective);
    assert.equal(json.tables.points.rows.length, 120);
    const { input, output } = await exportedOtlabRun(page);
    assert.deepEqual(input.start, numbers.start);
    assert.deepEqual(
      output.history.map((h) => h.objective),
      numbers.objectives,
    );
    assert.deepEqual(output.atoms, numbers.stage.atoms);
    await page.keyboard.press('Escape');
    // Presenter mode doubles the plan's strokes (--line-scale), as on the other scenes.
    const stroke = () =>
      page.evaluate(() =>
        parseFloat(
          getComputedStyle(document.querySelector('[data-testid="kmeans-plane"] line')).strokeWidth,
        ),
      );
    const before = await stroke();
    await page.locator('body').press('f');
    await page.waitForFunction(() => window.__otlab.presenter === true);
    assert.equal(await stroke(), 2 * before);
  });
});

/** Saves a table of the open export dialog as CSV and parses it. */
async function exportedCsv(page, sceneId, table) {
  const file = await saveDownload(page, () =>
    page.getByTestId('export-dialog').getByTestId(`export-csv-${table}`).click(),
  );
  assert.equal(file.name, `${sceneId}-${table}.csv`);
  return parseCsv(file.bytes.toString('utf8'));
}

async function exportedJson(page) {
  const file = await saveDownload(page, () =>
    page.getByTestId('export-dialog').getByTestId('export-json').click(),
  );
  return JSON.parse(file.bytes);
}

/** Saves the PNG of the view whose id starts with `prefix` and checks it is 2× `element`. */
async function assertViewPng(page, prefix, element, label, minInked) {
  const png = await saveDownload(page, () =>
    page.getByTestId('export-dialog').locator(`[data-testid^="export-png-${prefix}"]`).click(),
  );
  writeFileSync(join(ARTIFACTS, png.name), png.bytes);
  await assertPngOf(page, element, png.bytes, label, minInked);
}

/**
 * Element-wise relative closeness: otlab runs in Node, the lab in the browser, the same float64
 * code, but the engines' Math.exp / Math.pow may round differently in the last bits.
 */
function assertAllClose(actual, expected, relative, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((v, k) => {
    assertClose(v, expected[k], relative, `${what}[${k}]`);
  });
}

test('lab exports, generic-cost barycenter: PNG, V history CSV, JSON, otlab barycenter replays V', async () => {
  await withApp(
    '#/generic-barycenter?preset=pq&n=30&m=24&maxIter=5&seed=3&pace=0',
    { viewport: { width: 1400, height: 1200 } },
    async ({ page }) => {
      await page.waitForFunction(() => window.__otlab.genericBarycenter?.V.length >= 1);
      const numbers = await page.evaluate(async () => {
        const { step, runToConvergence, ...plain } =
          await window.__otlab.genericBarycenter.runToConvergence();
        void step;
        void runToConvergence;
        return plain;
      });
      await openExport(page);
      await assertViewPng(
        page,
        'the-measures',
        page.getByTestId('barycenter-canvas'),
        'barycenter points',
        1e-3,
      );
      const history = await exportedCsv(page, 'generic-barycenter', 'history');
      assert.deepEqual(history.columns, ['iteration', 'V', 'support_size', 'marginal_error']);
      assert.deepEqual(
        history.rows.map((r) => Number(r[1])),
        numbers.V,
      );
      const barycenter = await exportedCsv(page, 'generic-barycenter', 'barycenter');
      assert.equal(barycenter.rows.length, 30);
      assert.deepEqual(
        barycenter.rows.map((r) => [Number(r[1]), Number(r[2])]),
        numbers.points,
      );
      const json = await exportedJson(page);
      assert.deepEqual(json.data.V, numbers.V);
      assert.equal(json.tables.measures.rows.length, 3 * 24);
      assert.ok(
        json.formulas.some((tex) => tex.includes('V(\\mu_0)')),
        'live V formula missing',
      );
      const { input, output } = await exportedOtlabRun(page);
      assert.deepEqual(input.cost, { p: 1.5, q: 1.5 });
      assert.equal(output.iterations, numbers.iteration);
      assertAllClose(
        output.history.map((r) => r.V),
        numbers.V,
        1e-12,
        'V',
      );
      assertAllClose(output.support.flat(), numbers.points.flat(), 1e-12, 'support');
    },
  );
});

test('lab exports, image barycenter: PNG, densities CSV, JSON, otlab grid-barycenter gives the CPU barycenter', async () => {
  const query = new URLSearchParams({
    k: '2',
    size: '20',
    eps: '0.004',
    tol: '1e-6',
    strip: 'off',
    backend: 'cpu',
    shape1: 'disk',
    x1: '0.3',
    y1: '0.5',
    r1: '0.15',
    shape2: 'square',
    x2: '0.7',
    y2: '0.5',
    r2: '0.15',
  });
  await withApp(
    `#/image-barycenter?${query}`,
    { viewport: { width: 1400, height: 1300 } },
    async ({ page }) => {
      await page.waitForFunction(() => window.__otlab.imageBarycenter !== undefined);
      const { numbers, densities } = await page.evaluate(async () => {
        const hook = await window.__otlab.imageBarycenter.runToConvergence();
        const { step, runToConvergence, densities: all, ...plain } = hook;
        void step;
        void runToConvergence;
        return { numbers: plain, densities: all() };
      });
      assert.equal(numbers.backend, 'cpu');
      assert.ok(numbers.w2.converged, 'the W2 barycenter converged');
      await openExport(page);
      await assertViewPng(
        page,
        'entropic-wasserstein-barycenter',
        page.getByTestId('w2-barycenter'),
        'W2 barycenter',
      );
      const table = await exportedCsv(page, 'image-barycenter', 'densities');
      assert.deepEqual(
        table.columns,
        'row col x y input_1 input_2 l2_barycenter w2_barycenter'.split(' '),
      );
      assert.equal(table.rows.length, 400);
      assert.deepEqual(
        table.rows.map((r) => Number(r[7])),
        densities.w2,
      );
      const summary = await exportedCsv(page, 'image-barycenter', 'summary');
      const w2Row = summary.rows.find((r) => r[0] === 'w2_barycenter');
      assertClose(Number(w2Row[1]), numbers.w2.mass, 1e-12, 'W2 mass');
      const json = await exportedJson(page);
      assert.deepEqual(json.data.weights, numbers.weights);
      assert.ok(
        json.formulas.some((tex) => tex.includes(`after ${numbers.w2.iteration} iterations`)),
      );
      const { input, output } = await exportedOtlabRun(page);
      assert.equal(input.epsilon, 0.004);
      assert.equal(output.iterations, numbers.w2.iteration);
      assertAllClose(output.barycenter.flat(), densities.w2, 1e-9, 'barycenter');
    },
  );
});

test('lab exports, MCOT: pair-plot and 3D PNG, particles/history/moment CSV, JSON, otlab mcot replays the CPU lane', async () => {
  await withApp(
    '#/mcot?d=1&N=3&law1=uniform&M=6&K=20&steps=30&backend=cpu',
    {},
    async ({ page }) => {
      await page.waitForFunction(() => window.__otlab.mcot?.lanes.length === 1);
      await page.evaluate(() => window.__otlab.mcot.reset());
      const [lane] = await page.evaluate(() => window.__otlab.mcot.step(100));
      assert.match(lane.stopReason, /step budget of 30 Langevin steps/);
      const history = await page.evaluate(() => window.__otlab.mcot.history('cpu'));
      const particles = await page.evaluate(() => window.__otlab.mcot.particles('cpu'));
      await openExport(page);
      await assertViewPng(
        page,
        'electron-pairs',
        page.locator('.mcot-plot').first(),
        'electron pairs',
      );
      const rows = await exportedCsv(page, 'mcot', 'particles');
      assert.deepEqual(rows.columns, ['lane', 'particle', 'electron', 'weight', 'x']);
      assert.deepEqual(
        rows.rows.map((r) => Number(r[4])),
        particles.x,
      );
      const steps = await exportedCsv(page, 'mcot', 'history');
      assert.deepEqual(
        steps.rows.map((r) => Number(r[2])),
        history.cost,
      );
      const moments = await exportedCsv(page, 'mcot', 'moment_errors');
      assert.equal(moments.rows.length, 6);
      const worst = Math.max(...moments.rows.map((r) => Math.abs(Number(r[4]))));
      assertClose(worst, lane.residual, 1e-6, '‖ξ‖∞ from the exported moments');
      const json = await exportedJson(page);
      assert.equal(json.data.lanes[0].iteration, 30);
      const { input, output } = await exportedOtlabRun(page);
      assert.equal(input.K, 20);
      assert.equal(output.steps, 30);
      assertAllClose(output.history.cost, history.cost, 1e-12, 'cost history');
      assertAllClose(output.particles.flat(), particles.x, 1e-9, 'particles');
      await page.keyboard.press('Escape');
      // Presenter mode doubles the co-motion graphs' strokes (--line-scale).
      const graphStroke = () =>
        page.evaluate(() =>
          parseFloat(getComputedStyle(document.querySelector('.mcot-graphs path')).strokeWidth),
        );
      const thin = await graphStroke();
      await page.locator('body').press('f');
      await page.waitForFunction(() => window.__otlab.presenter === true);
      assert.equal(await graphStroke(), 2 * thin);
      await page.locator('body').press('f');
      await page.waitForFunction(() => window.__otlab.presenter === false);

      // 3D: the three.js cloud renders itself for the export.
      await page.evaluate(() => {
        window.location.hash = '#/mcot?d=3&N=2&K=12&steps=20&backend=cpu';
      });
      const cloud = page.getByTestId('mcot-cloud-canvas');
      await cloud.waitFor();
      await page.waitForFunction(() => window.__otlab.mcot?.problem?.dimension === 3);
      await page.evaluate(() => window.__otlab.mcot.step(60));
      await frames(page);
      await openExport(page);
      await assertViewPng(page, '3d-view-of-the-pooled', cloud, '3D cloud', 5e-4);
      const cloudRows = await exportedCsv(page, 'mcot', 'particles');
      assert.deepEqual(cloudRows.columns, 'lane particle electron weight x y z'.split(' '));
      assert.equal(cloudRows.rows.length, 24);
    },
  );
});

test('hostile URLs: prototype keys, markup, huge and non-finite values rejected; nothing injected', async () => {
  const flood = Array.from({ length: 300 }, (_, k) => `k${k}=1`).join('&');
  const hash =
    '#/sinkhorn-toy?__proto__[polluted]=1&constructor[prototype][polluted]=1&__proto__=x' +
    '&n=%3Csvg%20onload%3Dalert(1)%3E&m=99999999999999999999999&eps=-Infinity&seed=1e400&tol=' +
    `&${flood}&ipf=${'9'.repeat(20_000)}`;
  await withApp(hash, {}, async ({ page, dialogs }) => {
    const { params, paramIssues } = await page.evaluate(() => window.__otlab);
    assert.deepEqual(
      { n: params.n, m: params.m, eps: params.eps, seed: params.seed, tol: params.tol },
      { n: 64, m: 64, eps: 0.05, seed: 1, tol: 1e-5 },
    );
    assert.equal(paramIssues.length, 9, 'issues are capped, with a count of the rest');
    assert.match(paramIssues.at(-1), /and \d+ more rejected URL parameters/);
    assert.ok(
      paramIssues.every((issue) => issue.length < 200),
      'long text is cut',
    );
    const notice = await page.getByTestId('param-issues').innerText();
    assert.ok(notice.includes('"<svg onload=alert(1)>"'), notice);
    const page_ = await page.evaluate(() => ({
      polluted: {}.polluted ?? Object.prototype.polluted ?? null,
      svgOnload: document.querySelectorAll('svg[onload]').length,
      hash: window.location.hash,
    }));
    assert.deepEqual(page_.polluted, null);
    assert.equal(page_.svgOnload, 0);
    assert.ok(!/proto|onload|k299/.test(decodeURIComponent(page_.hash)), page_.hash);
    assert.deepEqual(dialogs, []);
    // Unknown or prototype scene ids fall back to the default scene with a message.
    for (const [id, shown] of [
      ['__proto__', '"__proto__"'],
      ['constructor', '"constructor"'],
      ['%3Cimg%20src%3Dx%3E', '"<img src=x>"'],
    ]) {
      await page.evaluate((next) => {
        window.location.hash = `#/${next}?n=3`;
      }, id);
      await page.waitForFunction(
        (quoted) =>
          window.__otlab.scene === 'sinkhorn-toy' &&
          window.__otlab.paramIssues[0] ===
            `Unknown scene ${quoted}; showing Entropic OT toy instead.`,
        shown,
      );
    }
    assert.equal(await page.locator('img[src="x"]').count(), 0);
  });
});

test('reduced motion: the solvers wait for Play instead of animating by themselves', async () => {
  await withApp(
    '#/sinkhorn-toy?n=24&m=24',
    {
      contextOptions: { reducedMotion: 'reduce' },
    },
    async ({ page }) => {
      await frames(page, 20);
      const state = await page.evaluate(() => ({
        playing: window.__otlab.playing,
        cpu: window.__otlab.sinkhorn.cpu?.iteration ?? 0,
      }));
      assert.deepEqual(state, { playing: false, cpu: 0 });
      await page.getByText('Reduced motion is on: the solvers wait for Play (Space).').waitFor();
      await page.locator('body').press(' ');
      await page.waitForFunction(() => window.__otlab.sinkhorn.cpu?.iteration > 0);
    },
  );
});

test('auto-pause: a converged solver stops the loop and says why', async () => {
  await withApp('#/sinkhorn-toy?n=24&m=24&eps=0.1&ipf=50', {}, async ({ page }) => {
    await page.waitForFunction(
      () => window.__otlab.sinkhorn.cpu?.converged && window.__otlab.playing === false,
      null,
      { timeout: 60_000 },
    );
    const messages = page.locator('.control-bar__messages');
    await messages.getByText(/CPU: converged: marginal error below 0\.00001/).waitFor();
    assert.equal(
      await page.getByTestId('play-toggle').getAttribute('aria-label'),
      'Replay from the start',
    );
  });
});

test('small touch screen: "desktop recommended" notice, taps and touch drags work', async () => {
  await withApp(
    '#/gaussian-barycenter',
    {
      viewport: { width: 390, height: 844 },
      contextOptions: { hasTouch: true, isMobile: true },
    },
    async ({ page, context }) => {
      const notice = page.getByTestId('small-screen-notice');
      await notice.waitFor();
      assert.match(await notice.innerText(), /Desktop recommended/);
      await notice.getByRole('button', { name: 'Dismiss' }).tap();
      await notice.waitFor({ state: 'detached' });
      // Drag the simplex point towards the first vertex with one finger.
      const picker = page.getByTestId('simplex-picker');
      await picker.scrollIntoViewIfNeeded();
      const box = await picker.boundingBox();
      const before = (await page.evaluate(() => window.__otlab.gaussianBarycenter.weights))[0];
      const session = await context.newCDPSession(page);
      const touch = (type, x, y) =>
        session.send('Input.dispatchTouchEvent', {
          type,
          touchPoints: type === 'touchEnd' ? [] : [{ x, y }],
        });
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height * 0.55];
      await touch('touchStart', cx, cy);
      for (let k = 1; k <= 5; k += 1) await touch('touchMove', cx + 12 * k, cy + 10 * k);
      await touch('touchEnd');
      await page.waitForFunction(
        (w) => Math.abs(window.__otlab.gaussianBarycenter.weights[0] - w) > 0.02,
        before,
      );
      // Tapping a tab switches the view.
      await page.getByTestId('tab-marginals').tap();
      await page.waitForFunction(() => window.__otlab.gaussianBarycenter.view === 'marginals');
    },
  );
});

test('offline: every scene loads without a request leaving 127.0.0.1; KaTeX fonts are bundled', async () => {
  const outside = [];
  const local = [];
  await withApp('#/sinkhorn-toy', {}, async ({ page, context }) => {
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') {
        local.push(url.pathname);
        return route.continue();
      }
      outside.push(url.href);
      return route.abort();
    });
    const scenes = await page.evaluate(() => window.__otlab.scenes);
    assert.ok(scenes.length >= 3, `scenes: ${scenes}`);
    await page.reload();
    await page.waitForFunction(() => window.__otlab?.isReady === true);
    await page.evaluate(() => document.fonts.ready);
    assert.ok(await page.evaluate(() => document.fonts.check('16px KaTeX_Main')));
    assert.ok(
      local.some((path) => /KaTeX_Main-Regular.*\.woff2$/.test(path)),
      'KaTeX font not served locally',
    );
    // Every web font is fetched once the app is idle; after that no request is needed at all.
    await page.waitForFunction(() => [...document.fonts].every((f) => f.status === 'loaded'));
    const late = [];
    page.on('request', (request) => late.push(request.url()));
    await context.setOffline(true);
    for (const id of scenes) {
      await page.evaluate((next) => {
        window.location.hash = `#/${next}`;
      }, id);
      await page.waitForFunction((next) => window.__otlab.scene === next, id);
      await page.locator('[data-scene-root] h1').first().waitFor();
      assert.equal(await page.locator('[data-scene-root] [role="alert"]:visible').count(), 0, id);
    }
    assert.deepEqual(outside, []);
    assert.deepEqual(late, [], 'requests made after the first load');
  });
});

test('accessibility: axe-core finds no serious or critical violation on any registered scene', async (t) => {
  await withApp('#/', {}, async ({ page }) => {
    const scenes = await page.evaluate(() => window.__otlab.scenes);
    for (const id of scenes) {
      await page.evaluate((next) => {
        window.location.hash = `#/${next}`;
      }, id);
      await page.waitForFunction((next) => window.__otlab.scene === next, id);
      await page.locator('[data-scene-root] h1').first().waitFor();
      await frames(page);
      const found = await seriousViolations(page);
      t.diagnostic(`${id}: ${found.length} serious/critical violations`);
      assert.deepEqual(found, [], id);
    }
    // The lecture UI itself: presenter mode with the export dialog open.
    await page.locator('body').press('f');
    await page.waitForFunction(() => window.__otlab.presenter === true);
    await openExport(page);
    assert.deepEqual(await seriousViolations(page), [], 'presenter mode + export dialog');
  });
});
