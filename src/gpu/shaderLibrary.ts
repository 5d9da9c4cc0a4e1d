/**
 * WGSL sources and a one-directive preprocessor.
 *
 * WGSL has no include mechanism; shared helpers (workgroup reductions, random numbers) live in
 * `shaders/lib/*.wgsl` and are pulled in with a line `//!include lib/name.wgsl`. Each output
 * line remembers the file and line it came from, so compiler messages point at the real source.
 */

/** Maps a shader path relative to `shaders/` (e.g. `sinkhorn.wgsl`) to its text. */
export type ShaderSources = Readonly<Record<string, string>>;

export interface ExpandedShader {
  code: string;
  /** origin[i] is the source file and 1-based line of output line i + 1. */
  origin: { file: string; line: number }[];
}

const INCLUDE = /^\s*\/\/!include\s+(\S+)\s*$/;

export function expandShader(sources: ShaderSources, file: string): ExpandedShader {
  const lines: string[] = [];
  const origin: ExpandedShader['origin'] = [];
  const included = new Set<string>();

  const visit = (name: string, stack: string[]): void => {
    const text = sources[name];
    if (text === undefined) {
      const from = stack.length > 0 ? ` (included from ${stack.join(' -> ')})` : '';
      throw new Error(`WGSL file shaders/${name} not found${from}`);
    }
    if (stack.includes(name))
      throw new Error(`WGSL include cycle: ${[...stack, name].join(' -> ')}`);
    if (included.has(name)) return; // each library once, like #pragma once
    included.add(name);
    text.split('\n').forEach((line, index) => {
      const match = INCLUDE.exec(line);
      if (match) {
        visit(match[1]!, [...stack, name]);
      } else {
        lines.push(line);
        origin.push({ file: name, line: index + 1 });
      }
    });
  };

  visit(file, []);
  return { code: lines.join('\n'), origin };
}
