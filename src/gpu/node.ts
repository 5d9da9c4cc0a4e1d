/** GPU runtime for Node (CLI, tests, benchmarks): Dawn through the `webgpu` package. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GpuRuntime } from './runtime';
import type { ShaderSources } from './shaderLibrary';

const SHADER_DIR = fileURLToPath(new URL('../../shaders/', import.meta.url));

/** Reads every `shaders/**\/*.wgsl` from disk, keyed by its path relative to `shaders/`. */
export function readShaderSources(dir = SHADER_DIR): ShaderSources {
  const sources: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.wgsl')) {
        sources[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'utf8');
      }
    }
  };
  walk(dir);
  return sources;
}

export async function createNodeRuntime(sources: ShaderSources = readShaderSources()) {
  if (!process.env.VK_ICD_FILENAMES && process.platform === 'linux') {
    // Debian's lavapipe is rejected by Dawn; SwiftShader from the chromium package works.
    const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
    try {
      readFileSync(swiftshader);
      process.env.VK_ICD_FILENAMES = swiftshader;
    } catch {
      // No software driver installed: a hardware Vulkan driver may still be there.
    }
  }
  // Imported lazily so CPU-only CLI runs never load the native Dawn module.
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  return GpuRuntime.create({ gpu: create([]), sources, platform: 'Node (webgpu package)' });
}
