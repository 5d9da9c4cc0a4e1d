/**
 * Shared set-up of the end-to-end suites: serves the built app (dist/) with `vite preview` on a free
 * 127.0.0.1 port and launches Debian's Chromium with the flags that give WebGPU compute, canvases
 * and WebGL together (shared/TESTING.md). `useBuiltApp()` registers the node:test hooks.
 */
// Functions passed to page.waitForFunction run in the browser:
/* global window, document, axe */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
const CHROMIUM = '/usr/bin/chromium';
// shared/TESTING.md: all four of the last flags are needed for WebGPU with canvases in headless mode.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
  '--use-angle=swiftshader',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
];
export const READY_TIMEOUT_MS = 60_000;
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForServer(server, url, timeoutMs, log) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) break;
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`vite preview did not serve ${url}:\n${log()}`);
}

/**
 * Starts the server and the browser before the file's tests and stops them after. The returned
 * object's `browser` and `baseUrl` are set once the `before` hook has run.
 */
export function useBuiltApp() {
  const app = {
    browser: undefined,
    baseUrl: undefined,
    open: (hash, options) => openApp(app, hash, options),
  };
  let server;
  let serverLog = '';

  before(async () => {
    if (!existsSync(join(ROOT, 'dist', 'index.html'))) {
      throw new Error('dist/index.html is missing: build the app first with `npx vite build`');
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: run \`bash scripts/ensure-system-deps.sh\` (apt chromium)`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const port = await freePort();
    app.baseUrl = `http://127.0.0.1:${port}/`;
    server = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules/vite/bin/vite.js'),
        'preview',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--strictPort',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout.on('data', (chunk) => (serverLog += chunk));
    server.stderr.on('data', (chunk) => (serverLog += chunk));
    await waitForServer(server, app.baseUrl, 30_000, () => serverLog);
    app.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });

  after(async () => {
    await app.browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    }
  });

  return app;
}

/**
 * Opens the app at `hash` in a fresh context and waits for the test hook. Collects page errors
 * and dialogs (a dialog would mean injected script ran). `contextOptions` go to
 * `browser.newContext` (e.g. reducedMotion, hasTouch, permissions).
 */
async function openApp(
  app,
  hash,
  { init, viewport = { width: 1440, height: 1000 }, contextOptions = {} } = {},
) {
  const context = await app.browser.newContext({ viewport, ...contextOptions });
  const page = await context.newPage();
  const errors = [];
  const dialogs = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  if (init) await page.addInitScript(init);
  await page.goto(app.baseUrl + hash);
  await page.waitForFunction(() => window.__otlab?.isReady === true, null, {
    timeout: READY_TIMEOUT_MS,
  });
  return { page, context, errors, dialogs };
}

/** axe-core violations of impact serious or critical on the current page. */
export async function seriousViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  });
}

/** Clicks `trigger` and returns the downloaded file's name, path and bytes. */
export async function saveDownload(page, trigger) {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), path, bytes: readFileSync(path) };
}
