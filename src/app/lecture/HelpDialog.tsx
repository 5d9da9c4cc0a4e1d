/** The help overlay (?): the shell's keys and those of the mounted scene and controls. */
import { Dialog } from './Dialog';
import { SHELL_KEYS, useRegisteredKeys, type KeyHelp } from './keys';

function KeyRows({ keys }: { keys: readonly KeyHelp[] }) {
  return keys.map((entry) => (
    <div key={`${entry.keys.join('+')}:${entry.action}`}>
      <dt>
        {entry.keys.map((key, k) => (
          <span key={key}>
            {k > 0 && ' '}
            <kbd>{key}</kbd>
          </span>
        ))}
      </dt>
      <dd>{entry.action}</dd>
    </div>
  ));
}

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const sceneKeys = useRegisteredKeys();
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="help-dialog">
      {sceneKeys.length > 0 && (
        <>
          <h3>This scene</h3>
          <dl className="key-list" data-testid="help-scene-keys">
            <KeyRows keys={sceneKeys} />
          </dl>
        </>
      )}
      <h3>Everywhere</h3>
      <dl className="key-list">
        <KeyRows keys={SHELL_KEYS} />
      </dl>
      <p className="note">
        Shortcuts are ignored while typing in a field. Every control is also reachable with Tab.
      </p>
    </Dialog>
  );
}
