/** GPU runtime for the browser: shaders bundled by Vite as raw strings. */
import { GpuRuntime } from './runtime';
import type { ShaderSources } from './shaderLibrary';

const modules = import.meta.glob<string>('../../shaders/**/*.wgsl', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export const browserShaderSources: ShaderSources = Object.fromEntries(
  Object.entries(modules).map(([path, text]) => [path.replace('../../shaders/', ''), text]),
);

export function createBrowserRuntime(): Promise<GpuRuntime> {
  const gpu = typeof navigator !== 'undefined' ? navigator.gpu : undefined;
  return GpuRuntime.create({ gpu, sources: browserShaderSources, platform: 'this browser' });
}
