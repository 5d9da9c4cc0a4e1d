/**
 * The lecture and sharing bar above every scene: copy link, export, presenter mode and the key
 * help, with the shell's shortcuts F (presenter), ? (help) and Escape (leave presenter mode).
 */
import { useEffect, useRef, useState } from 'react';
import type { SceneDefinition } from '../scenes';
import { ExportDialog } from './ExportDialog';
import { HelpDialog } from './HelpDialog';
import { isShortcut } from './keys';
import {
  followFullscreenExit,
  setPresenter,
  togglePresenter,
  usePresenterStore,
} from './presenter';
import './lecture.css';

type Copy = { state: 'idle' } | { state: 'copied' } | { state: 'manual'; url: string };

/** How long "Link copied" stays visible. */
const COPIED_MESSAGE_MS = 4000;

export function LectureBar({ scene }: { scene: SceneDefinition }) {
  const presenter = usePresenterStore((state) => state.presenter);
  const fullscreen = usePresenterStore((state) => state.fullscreen);
  const [dialog, setDialog] = useState<'help' | 'export' | undefined>();
  const [copy, setCopy] = useState<Copy>({ state: 'idle' });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcut(event)) return;
      if ((event.key === 'f' || event.key === 'F') && !event.repeat) {
        togglePresenter();
      } else if (event.key === '?') {
        setDialog('help');
      } else if (event.key === 'Escape' && usePresenterStore.getState().presenter) {
        setPresenter(false);
      } else {
        return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    const stopFollowing = followFullscreenExit();
    return () => {
      window.removeEventListener('keydown', onKey);
      stopFollowing();
    };
  }, []);

  useEffect(() => {
    if (copy.state !== 'copied') return;
    const timer = setTimeout(() => {
      setCopy({ state: 'idle' });
    }, COPIED_MESSAGE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [copy]);

  const copyLink = async () => {
    // The address bar always holds the canonical hash of the scene and its parameters.
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      setCopy({ state: 'copied' });
    } catch {
      // No clipboard (insecure context, permission refused): show the link to copy by hand.
      setCopy({ state: 'manual', url });
    }
  };

  return (
    <div className="lecture-bar" role="group" aria-label="Share, export and present">
      {presenter && (
        <p className="presenter-badge" data-testid="presenter-indicator">
          <span className="presenter-badge__dot" aria-hidden="true" />
          Presenter mode{fullscreen ? ', full screen' : ''}: <kbd>F</kbd> or <kbd>Esc</kbd> to leave
        </p>
      )}
      <button
        type="button"
        className="button button--small"
        data-testid="copy-link"
        onClick={() => {
          void copyLink();
        }}
      >
        Copy link
      </button>
      <button
        type="button"
        className="button button--small"
        aria-haspopup="dialog"
        data-testid="open-export"
        onClick={() => {
          setDialog('export');
        }}
      >
        Export…
      </button>
      <button
        type="button"
        className="button button--small"
        aria-pressed={presenter}
        aria-keyshortcuts="F"
        data-testid="presenter-toggle"
        onClick={togglePresenter}
      >
        Presenter <kbd aria-hidden="true">F</kbd>
      </button>
      <button
        type="button"
        className="button button--small"
        aria-haspopup="dialog"
        aria-keyshortcuts="?"
        data-testid="open-help"
        onClick={() => {
          setDialog('help');
        }}
      >
        Keys <kbd aria-hidden="true">?</kbd>
      </button>
      <span className="lecture-bar__status" role="status" data-testid="copy-status">
        {copy.state === 'copied' && 'Link copied to the clipboard.'}
      </span>
      {copy.state === 'manual' && (
        <ManualCopy
          url={copy.url}
          onDone={() => {
            setCopy({ state: 'idle' });
          }}
        />
      )}
      {dialog === 'help' && (
        <HelpDialog
          onClose={() => {
            setDialog(undefined);
          }}
        />
      )}
      {dialog === 'export' && (
        <ExportDialog
          scene={scene}
          onClose={() => {
            setDialog(undefined);
          }}
        />
      )}
    </div>
  );
}

/** The link in a selected field, for copying by hand when the clipboard is unavailable. */
function ManualCopy({ url, onDone }: { url: string; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);
  return (
    <div className="copy-fallback" role="alert" data-testid="copy-fallback">
      <label>
        The clipboard is not available here; copy the link with Ctrl+C (⌘C):
        <input ref={field} type="text" readOnly value={url} data-testid="copy-fallback-url" />
      </label>
      <button type="button" className="button button--small" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
