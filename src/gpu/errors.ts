/** Errors raised by the GPU runtime, worded for the person looking at the screen. */

export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
}

export class GpuLimitError extends Error {
  override name = 'GpuLimitError';
}

export interface ShaderDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

export class ShaderCompileError extends Error {
  override name = 'ShaderCompileError';
  constructor(
    readonly shader: string,
    readonly diagnostics: ShaderDiagnostic[],
  ) {
    super(
      `WGSL shader "${shader}" failed to compile:\n` +
        diagnostics.map((d) => `  ${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n'),
    );
  }
}
