/**
 * The frame the first-principles scenes share: title and introduction, the parameter column, the
 * main column; a panel for the formulas of what the scene computes; the control bar wired to a
 * sequence player (the parameter setter is `useParamSetter` in sceneHooks.ts).
 */
import type { ReactNode } from 'react';
import type { SequencePlayer } from '../sequencePlayer';
import { useAppStore } from '../store';
import { ControlBar } from './ControlBar';

export function SceneFrame({
  title,
  intro,
  controls,
  children,
}: {
  title: string;
  intro: ReactNode;
  controls: ReactNode;
  children: ReactNode;
}) {
  return (
    <article className="scene" aria-labelledby="scene-title">
      <header className="scene__header">
        <h1 id="scene-title">{title}</h1>
        <p>{intro}</p>
      </header>
      <div className="scene__layout">
        <aside className="panel scene__controls" aria-label="Parameters">
          {controls}
        </aside>
        <div className="scene__main">{children}</div>
      </div>
    </article>
  );
}

export function FormulaPanel({
  title = 'What is computed',
  children,
}: {
  title?: string;
  children: ReactNode;
}) {
  return (
    <section className="figure-panel formulas" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** Play / pause / step / reset through a sequence, with its stop reason. */
export function SequenceControlBar<State>({ player }: { player: SequencePlayer<State> }) {
  const reportError = useAppStore((state) => state.reportError);
  return (
    <ControlBar
      controls={player.controller}
      playing={player.playing}
      finished={player.finished}
      messages={player.messages}
      onError={reportError}
    />
  );
}
