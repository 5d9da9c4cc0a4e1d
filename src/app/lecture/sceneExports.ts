/**
 * What a scene offers for export, registered with one hook while it is mounted:
 *
 *   useSceneExports(useMemo(() => ({
 *     tables: () => ({ points: { columns: ['x', 'y'], rows: [[0.1, 0.2]] } }),  // CSV + JSON
 *     json: () => ({ cost: 0.42 }),                                              // JSON only
 *     otlab: () => ({ solver: 'sinkhorn', input: { x, y, epsilon } }),          // otlab input
 *   }), [deps]));
 *
 * Every function is called when the user exports, so it should read the scene's latest state
 * (solver controller, refs), not a value captured at registration. Views (PNG/SVG) need no
 * registration: see exportViews.ts. A scene that registers nothing still exports its parameters
 * and the formulas shown on the page.
 */
import { useEffect } from 'react';

export type Cell = number | string | null;

/** A rectangular table of current numbers: one CSV file, one entry of the JSON export. */
export interface DataTable {
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
}

/** An input file for `otlab <solver> --input FILE` that reproduces the run headless. */
export interface OtlabRun {
  solver: string;
  input: Readonly<Record<string, unknown>>;
}

export interface SceneExports {
  tables?: () => Readonly<Record<string, DataTable>>;
  json?: () => unknown;
  otlab?: () => OtlabRun;
}

let active: SceneExports | undefined;

/** Registers the scene's exports while the calling component is mounted. */
export function useSceneExports(exports: SceneExports): void {
  useEffect(() => {
    active = exports;
    return () => {
      if (active === exports) active = undefined;
    };
  }, [exports]);
}

/** The mounted scene's exports (an empty object when it registered none). */
export function activeSceneExports(): SceneExports {
  return active ?? {};
}
