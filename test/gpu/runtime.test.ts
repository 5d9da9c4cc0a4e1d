/** The runtime itself on a real adapter: diagnostics, pipeline cache, limits. */
import { describe, expect, it } from 'vitest';
import { GpuLimitError, ShaderCompileError } from '../../src/gpu/errors';
import { GpuRuntime } from '../../src/gpu/runtime';
import { gpuRuntime } from './runtime';

describe('GpuRuntime', () => {
  it('reports the adapter it runs on', async () => {
    const { adapter } = await gpuRuntime();
    expect(adapter.vendor.length).toBeGreaterThan(0);
    expect(typeof adapter.emulated).toBe('boolean');
  });

  it('caches pipelines by shader, entry point and constants', async () => {
    const runtime = await gpuRuntime();
    const first = runtime.pipeline('sinkhorn.wgsl', 'update_f');
    expect(runtime.pipeline('sinkhorn.wgsl', 'update_f')).toBe(first);
    expect(runtime.pipeline('sinkhorn.wgsl', 'update_g')).not.toBe(first);
    await first;
  });

  it('reports WGSL errors with the file, line and column of the source, through includes', async () => {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    const runtime = await GpuRuntime.create({
      gpu: create([]),
      platform: 'Node',
      sources: {
        'broken.wgsl': '//!include lib/ok.wgsl\n\nfn main() -> f32 {\n  return undefined_name;\n}',
        'lib/ok.wgsl': 'fn ok() -> f32 {\n  return 1.0;\n}',
      },
    });
    try {
      const error = await runtime.shaderModule('broken.wgsl').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShaderCompileError);
      const [diagnostic] = (error as ShaderCompileError).diagnostics;
      expect(diagnostic).toMatchObject({ file: 'shaders/broken.wgsl', line: 4, column: 10 });
      expect((error as Error).message).toMatch(/shaders\/broken\.wgsl:4:10: .*undefined_name/);
    } finally {
      runtime.dispose();
    }
  });

  it('refuses buffers larger than the binding limit, naming the buffer and the fix', async () => {
    const runtime = await gpuRuntime();
    const tooBig = runtime.limits.maxStorageBufferBindingSize + 4;
    expect(() => runtime.createBuffer('huge-points', tooBig, GPUBufferUsage.STORAGE)).toThrow(
      GpuLimitError,
    );
    expect(() => runtime.createBuffer('huge-points', tooBig, GPUBufferUsage.STORAGE)).toThrow(
      /huge-points needs .* MiB .* reduce the problem size or use the CPU backend/,
    );
  });
});
