/**
 * The export dialog: each view of the scene as PNG (2×) or SVG, the current numbers as CSV (one
 * file per table) or JSON (everything), and the otlab input that reproduces the run headless.
 * Views and tables are collected when the dialog opens; numbers are read again at each click.
 */
import { useState } from 'react';
import type { SceneDefinition } from '../scenes';
import { useAppStore } from '../store';
import { Dialog } from './Dialog';
import {
  findViews,
  PNG_SCALE,
  SCENE_ROOT_SELECTOR,
  viewPng,
  viewSvg,
  type ExportView,
} from './exportViews';
import { download, toCsv, toJson } from './files';
import { activeSceneExports, type OtlabRun } from './sceneExports';
import {
  formulasIn,
  otlabCommand,
  otlabFileName,
  sceneJson,
  sceneTables,
  type SceneSnapshot,
} from './sceneFiles';

function snapshot(scene: SceneDefinition, root: Element | null): SceneSnapshot {
  const state = useAppStore.getState();
  return {
    sceneId: scene.id,
    title: scene.title,
    url: window.location.href,
    params: state.sceneParams[scene.id] ?? {},
    formulas: root ? formulasIn(root) : [],
  };
}

const jsonBlob = (value: unknown) => new Blob([toJson(value)], { type: 'application/json' });

interface Catalog {
  views: ExportView[];
  tables: string[];
  otlab: OtlabRun | undefined;
  /** Why the scene's numbers cannot be exported now (e.g. parameters without a result). */
  problem: string | undefined;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What the dialog offers, collected once when it opens. */
function catalogOf(scene: SceneDefinition, root: Element | null): Catalog {
  const views = root ? findViews(root) : [];
  const exports = activeSceneExports();
  try {
    const tables = Object.keys(sceneTables(snapshot(scene, root), exports));
    return { views, tables, otlab: exports.otlab?.(), problem: undefined };
  } catch (error) {
    return { views, tables: ['parameters'], otlab: undefined, problem: messageOf(error) };
  }
}

export function ExportDialog({ scene, onClose }: { scene: SceneDefinition; onClose: () => void }) {
  const [root] = useState(() => document.querySelector(SCENE_ROOT_SELECTOR));
  const [{ views, tables: tableNames, otlab, problem }] = useState(() => catalogOf(scene, root));
  const [message, setMessage] = useState('');

  /** Runs one export, reporting the file written or the error in the status line. */
  const save = (work: () => Promise<string> | string) => {
    setMessage('Preparing…');
    Promise.resolve()
      .then(work)
      .then(
        (done) => {
          setMessage(done);
        },
        (error: unknown) => {
          setMessage(`Export failed: ${messageOf(error)}`);
        },
      );
  };
  const name = (suffix: string) => `${scene.id}-${suffix}`;
  const otlabFile = otlabFileName(scene.id);

  return (
    <Dialog title="Export this scene" onClose={onClose} testId="export-dialog">
      <h3>Views</h3>
      {views.length === 0 ? (
        <p className="note">This scene shows no pictures right now.</p>
      ) : (
        <ul className="export-list">
          {views.map((view) => (
            <li key={view.id}>
              <span className="export-list__label">{view.label}</span>
              <button
                type="button"
                className="button button--small"
                aria-label={`PNG (${PNG_SCALE}×) of ${view.label}`}
                data-testid={`export-png-${view.id}`}
                onClick={() => {
                  save(async () => {
                    const png = await viewPng(view.element);
                    const file = `${name(view.id)}.png`;
                    download(png.blob, file);
                    return `Saved ${file} (${png.width} × ${png.height} pixels).`;
                  });
                }}
              >
                PNG ({PNG_SCALE}×)
              </button>
              {view.hasSvg && (
                <button
                  type="button"
                  className="button button--small"
                  aria-label={`SVG of ${view.label}`}
                  data-testid={`export-svg-${view.id}`}
                  onClick={() => {
                    save(async () => {
                      const svg = await viewSvg(view.element);
                      const file = `${name(view.id)}.svg`;
                      download(new Blob([svg], { type: 'image/svg+xml' }), file);
                      return `Saved ${file}.`;
                    });
                  }}
                >
                  SVG
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3>Numbers</h3>
      {problem && (
        <p className="note" role="alert">
          Only the parameters can be exported now: {problem}
        </p>
      )}
      <div className="export-buttons">
        <button
          type="button"
          className="button button--small"
          data-testid="export-json"
          onClick={() => {
            save(() => {
              const file = `${name('data')}.json`;
              download(jsonBlob(sceneJson(snapshot(scene, root), activeSceneExports())), file);
              return `Saved ${file}.`;
            });
          }}
        >
          JSON (everything)
        </button>
        {tableNames.map((table) => (
          <button
            key={table}
            type="button"
            className="button button--small"
            data-testid={`export-csv-${table}`}
            onClick={() => {
              save(() => {
                const data = sceneTables(snapshot(scene, root), activeSceneExports())[table];
                if (!data) throw new Error(`the ${table} table is no longer available`);
                const file = `${name(table)}.csv`;
                download(new Blob([toCsv(data)], { type: 'text/csv' }), file);
                return `Saved ${file} (${data.rows.length} rows).`;
              });
            }}
          >
            CSV: {table}
          </button>
        ))}
      </div>
      <h3>Run it headless</h3>
      {otlab ? (
        <>
          <p>
            An input file for the <code>otlab</code> command line that reproduces this run:{' '}
            <code data-testid="otlab-command">{otlabCommand(otlab, otlabFile)}</code>
          </p>
          <button
            type="button"
            className="button button--small"
            data-testid="export-otlab"
            onClick={() => {
              save(() => {
                const run = activeSceneExports().otlab?.();
                if (!run) throw new Error('this scene no longer offers an otlab input');
                download(jsonBlob(run.input), otlabFile);
                return `Saved ${otlabFile}; run: ${otlabCommand(run, otlabFile)}`;
              });
            }}
          >
            otlab input ({otlabFile})
          </button>
        </>
      ) : (
        <p className="note">This scene has no otlab solver; the JSON above holds its numbers.</p>
      )}
      <p className="export-status" role="status" data-testid="export-status">
        {message}
      </p>
    </Dialog>
  );
}
