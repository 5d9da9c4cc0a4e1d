/**
 * Keyboard shortcuts shared by the shell and the scenes: which key presses belong to the focused
 * element rather than to a shortcut, and the list of keys the help overlay (?) shows. The shell
 * owns F, ? and Escape; a scene (or a shared control such as the ControlBar) adds the keys it
 * handles with `useKeyHelp`.
 */
import { useEffect } from 'react';
import { create } from 'zustand';

export interface KeyHelp {
  /** Key names as printed on the keycaps, e.g. ['Space'] or ['←', '→']. */
  keys: readonly string[];
  action: string;
}

/** The shell's own shortcuts, available on every scene. */
export const SHELL_KEYS: readonly KeyHelp[] = [
  { keys: ['F'], action: 'Presenter mode on / off (full screen, large type)' },
  { keys: ['?'], action: 'This list of keys' },
  { keys: ['Esc'], action: 'Close a dialog; leave presenter mode' },
  { keys: ['Tab'], action: 'Move between controls; arrow keys move a focused slider' },
];

/** Keys a focused slider moves with; every other key stays a shortcut (Space, F, R, ?). */
const SLIDER_KEYS = new Set([
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
  'PageUp',
  'PageDown',
]);

/** True when the key press belongs to the focused element (typing, a slider, a dialog). */
export function ownsKeys(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof Element)) return false;
  // An open dialog handles its own keys (Escape, Tab, its buttons).
  if (target.closest('dialog')) return true;
  const slider =
    (target instanceof HTMLInputElement && target.type === 'range') ||
    target.getAttribute('role') === 'slider';
  if (slider) return SLIDER_KEYS.has(key);
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return true;
  // A focused button already activates on Space.
  return key === ' ' && (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY');
}

/** A key press meant for a shortcut: no modifier other than Shift, not owned by the target. */
export function isShortcut(event: KeyboardEvent): boolean {
  return !(event.ctrlKey || event.metaKey || event.altKey || ownsKeys(event.target, event.key));
}

const useKeyHelpStore = create<{ groups: readonly (readonly KeyHelp[])[] }>()(() => ({
  groups: [],
}));

/** Lists keys in the help overlay while the calling component is mounted. */
export function useKeyHelp(keys: readonly KeyHelp[]): void {
  useEffect(() => {
    useKeyHelpStore.setState((state) => ({ groups: [...state.groups, keys] }));
    return () => {
      useKeyHelpStore.setState((state) => ({ groups: state.groups.filter((g) => g !== keys) }));
    };
  }, [keys]);
}

/** The keys registered by the mounted scene and controls. */
export function useRegisteredKeys(): readonly KeyHelp[] {
  const groups = useKeyHelpStore((state) => state.groups);
  return groups.flat();
}
