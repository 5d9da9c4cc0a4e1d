/**
 * The files one export produces from the active scene: its parameters, the formulas on the page,
 * the tables and data the scene registered (sceneExports.ts) and its otlab input.
 */
import type { ParamValue } from '../params';
import type { DataTable, OtlabRun, SceneExports } from './sceneExports';

export interface SceneSnapshot {
  sceneId: string;
  title: string;
  url: string;
  params: Readonly<Record<string, ParamValue>>;
  /** TeX of every formula shown in the scene, in page order. */
  formulas: readonly string[];
}

/** The TeX source KaTeX keeps in each rendered formula's MathML annotation. */
export function formulasIn(root: Element): string[] {
  return [...root.querySelectorAll('annotation[encoding="application/x-tex"]')].map(
    (annotation) => annotation.textContent,
  );
}

export function parameterTable(params: Readonly<Record<string, ParamValue>>): DataTable {
  return { columns: ['parameter', 'value'], rows: Object.entries(params) };
}

/** Every table of the export: the parameters first, then the scene's own. */
export function sceneTables(
  snapshot: SceneSnapshot,
  exports: SceneExports,
): Record<string, DataTable> {
  return { parameters: parameterTable(snapshot.params), ...exports.tables?.() };
}

export function otlabFileName(sceneId: string): string {
  return `${sceneId}.otlab.json`;
}

export function otlabCommand(run: OtlabRun, fileName: string): string {
  return `npx otlab ${run.solver} --input ${fileName}`;
}

/** The JSON export: everything the scene shows as numbers, plus how to reproduce it. */
export function sceneJson(snapshot: SceneSnapshot, exports: SceneExports): unknown {
  const run = exports.otlab?.();
  const fileName = otlabFileName(snapshot.sceneId);
  return {
    app: 'OT Lab',
    scene: snapshot.sceneId,
    title: snapshot.title,
    url: snapshot.url,
    params: snapshot.params,
    formulas: snapshot.formulas,
    tables: sceneTables(snapshot, exports),
    ...(exports.json ? { data: exports.json() } : {}),
    ...(run ? { otlab: { command: otlabCommand(run, fileName), ...run } } : {}),
  };
}
