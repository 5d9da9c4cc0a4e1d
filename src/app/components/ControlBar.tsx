/**
 * Play / pause / step / reset for any scene's SolverController, with keyboard shortcuts:
 * Space play/pause, → step, R reset (ignored while typing in a field or with modifier keys).
 */
import { useEffect } from 'react';
import { isShortcut, useKeyHelp, type KeyHelp } from '../lecture/keys';

export interface PlayControls {
  toggle: () => void;
  step: () => Promise<void>;
  reset: () => Promise<void>;
}

interface ControlBarProps {
  controls: PlayControls;
  playing: boolean;
  /** Every solver stopped: play starts again from the initial iterate. */
  finished: boolean;
  /** Why the solvers stopped, or a notice (e.g. after a GPU device loss). */
  messages: readonly string[];
  onError: (message: string) => void;
}

type IconName = 'play' | 'pause' | 'step' | 'reset';

/** Inline SVG icons: no icon font, identical on every system. */
function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      {name === 'play' && <path d="M4 2.5 13.5 8 4 13.5Z" fill="currentColor" />}
      {name === 'pause' && (
        <path d="M3.5 2.5h3.2v11H3.5zM9.3 2.5h3.2v11H9.3z" fill="currentColor" />
      )}
      {name === 'step' && (
        <path d="M2.5 2.5 10 8l-7.5 5.5ZM11 2.5h2.6v11H11z" fill="currentColor" />
      )}
      {name === 'reset' && (
        <>
          <path
            d="M3.2 9.2A5 5 0 1 0 4.6 4.3"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
          />
          <path d="M2.2 1.8 7 3.6 3.4 7.4Z" fill="currentColor" />
        </>
      )}
    </svg>
  );
}

/** The keys listed in the help overlay (?) while a control bar is shown. */
const CONTROL_KEYS: readonly KeyHelp[] = [
  { keys: ['Space'], action: 'Play / pause the solvers' },
  { keys: ['→'], action: 'Step: one frame of iterations' },
  { keys: ['R'], action: 'Reset to the initial iterate' },
];

export function ControlBar({ controls, playing, finished, messages, onError }: ControlBarProps) {
  useKeyHelp(CONTROL_KEYS);
  useEffect(() => {
    const report = (promise: Promise<void>) => {
      promise.catch((error: unknown) => {
        onError(error instanceof Error ? error.message : String(error));
      });
    };
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcut(event)) return;
      if (event.key === ' ') {
        controls.toggle();
      } else if (event.key === 'ArrowRight') {
        report(controls.step());
      } else if (event.key === 'r' || event.key === 'R') {
        report(controls.reset());
      } else {
        return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [controls, onError]);

  const playLabel = playing ? 'Pause' : finished ? 'Replay from the start' : 'Play';
  return (
    <div className="control-bar" role="group" aria-label="Solver controls">
      <button
        type="button"
        className="button button--primary"
        aria-label={playLabel}
        aria-keyshortcuts="Space"
        data-testid="play-toggle"
        data-playing={playing}
        onClick={() => {
          controls.toggle();
        }}
      >
        <Icon name={playing ? 'pause' : finished ? 'reset' : 'play'} />
        {playing ? 'Pause' : finished ? 'Replay' : 'Play'}
      </button>
      <button
        type="button"
        className="button"
        aria-label="Step one frame of iterations"
        aria-keyshortcuts="ArrowRight"
        onClick={() => {
          controls.step().catch((error: unknown) => {
            onError(String(error));
          });
        }}
      >
        <Icon name="step" />
        Step
      </button>
      <button
        type="button"
        className="button"
        aria-label="Reset to the initial iterate"
        aria-keyshortcuts="R"
        onClick={() => {
          controls.reset().catch((error: unknown) => {
            onError(String(error));
          });
        }}
      >
        <Icon name="reset" />
        Reset
      </button>
      <span className="control-bar__keys" aria-hidden="true">
        <kbd>Space</kbd> play/pause · <kbd>→</kbd> step · <kbd>R</kbd> reset
      </span>
      {messages.length > 0 && (
        <ul className="control-bar__messages" aria-live="polite">
          {messages.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
