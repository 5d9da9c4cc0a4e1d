/** The shell: header with the scene navigator, the lecture bar, notices, the active scene, the status line. */
import { Component, useRef, type ErrorInfo, type ReactNode } from 'react';
import { SceneNavigator } from './components/SceneNavigator';
import { StatusLine } from './components/StatusLine';
import { LectureBar } from './lecture/LectureBar';
import { SmallScreenNotice } from './lecture/SmallScreenNotice';
import { findScene, scenes } from './scenes';
import { useAppStore } from './store';

export function App() {
  const sceneId = useAppStore((state) => state.route.sceneId);
  // Subscribed so navigator links carry each scene's current parameters.
  useAppStore((state) => state.sceneParams);
  const scene = findScene(sceneId);
  const main = useRef<HTMLElement>(null);
  const Scene = scene?.component;
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          // The hash holds the route: focus the scene instead of following the link.
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to the scene
      </a>
      <header className="app-header">
        <p className="brand">
          <img src="./favicon.svg" alt="" width={28} height={28} />
          <span>OT Lab</span>
          <span className="brand__tagline">optimal transport, live</span>
        </p>
        <SceneNavigator scenes={scenes} currentId={sceneId} />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {scene && <LectureBar scene={scene} />}
        <Notices />
        {Scene && (
          <div data-scene-root>
            <SceneErrorBoundary key={sceneId}>
              <Scene />
            </SceneErrorBoundary>
          </div>
        )}
      </main>
      <StatusLine />
    </div>
  );
}

/** WebGPU unavailable, rejected URL parameters, device recovered, small screen: all as plain text. */
function Notices() {
  const runtime = useAppStore((state) => state.runtime);
  const issues = useAppStore((state) => state.route.issues);
  const dismissIssues = useAppStore((state) => state.dismissIssues);
  const setRuntime = useAppStore((state) => state.setRuntime);
  return (
    <div className="notices">
      <SmallScreenNotice />
      {runtime.status === 'unavailable' && (
        <div className="notice notice--warn" role="alert" data-testid="webgpu-unavailable">
          <strong>WebGPU is unavailable; the CPU backend is running.</strong>{' '}
          <span>{runtime.reason}</span> Results come from the float64 reference on the main thread,
          so large problems run slower.
        </div>
      )}
      {issues.length > 0 && (
        <div className="notice notice--error" role="alert" data-testid="param-issues">
          <strong>Some URL parameters were rejected:</strong>
          <ul>
            {issues.map((issue) => (
              <li key={issue}>{issue}</li>
            ))}
          </ul>
          <button type="button" className="button button--small" onClick={dismissIssues}>
            Dismiss
          </button>
        </div>
      )}
      {runtime.notice && (
        <div className="notice notice--info" role="status" data-testid="runtime-notice">
          <span>{runtime.notice}</span>{' '}
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setRuntime({ notice: undefined });
            }}
          >
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

/** A scene that throws while rendering shows its error instead of blanking the whole app. */
class SceneErrorBoundary extends Component<{ children: ReactNode }, { error: Error | undefined }> {
  override state = { error: undefined as Error | undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    useAppStore.getState().reportError(`The scene crashed: ${error.message}`);
    console.error(error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="notice notice--error" role="alert">
        <strong>This scene stopped with an error:</strong> {this.state.error.message}{' '}
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            this.setState({ error: undefined });
          }}
        >
          Try again
        </button>
      </div>
    );
  }
}
