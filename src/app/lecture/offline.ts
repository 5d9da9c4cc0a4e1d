/**
 * The build is static and bundles everything (vite.config.ts), but browsers fetch a web font only
 * when some text first needs it. Loading every declared font (KaTeX's) once the app is idle means
 * formulas shown later still get their fonts when the network is gone, e.g. a lecture hall's
 * Wi-Fi dropping after the page was opened.
 */
const IDLE_TIMEOUT_MS = 5000;

export function preloadFonts(): void {
  const load = () => {
    document.fonts.forEach((face) => {
      if (face.status === 'unloaded') void face.load().catch(() => undefined);
    });
  };
  if ('requestIdleCallback' in window) requestIdleCallback(load, { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(load, IDLE_TIMEOUT_MS);
}
