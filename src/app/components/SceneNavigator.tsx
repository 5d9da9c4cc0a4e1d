/**
 * The scene navigator in the header: one entry per scene group (SceneDefinition.group), in the
 * order of SCENE_GROUPS, so that the bar keeps one short row however many scenes register. Each
 * group is a disclosure button (aria-expanded) that opens a list of its scenes' links with their
 * summaries (readable on touch screens, where there is no hover). The current scene's link has
 * aria-current and its group's button is marked. Keyboard: Enter / Space or ↓ opens, ↑ ↓ Home End
 * move between links, Escape closes and returns to the button; following a link, clicking
 * elsewhere or leaving the navigator with Tab closes it. Links carry each scene's current
 * parameters (sceneHash).
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { SCENE_GROUPS, type SceneDefinition, type SceneGroup } from '../scenes';
import { sceneHash } from '../urlSync';
import './sceneNavigator.css';

/** Least distance between an open menu and the window's edges, in CSS pixels. */
const EDGE = 8;

function sceneGroups(
  scenes: readonly SceneDefinition[],
): { group: SceneGroup; scenes: SceneDefinition[] }[] {
  return SCENE_GROUPS.map((group) => ({
    group,
    scenes: scenes.filter((scene) => scene.group === group),
  })).filter((entry) => entry.scenes.length > 0);
}

export function SceneNavigator({
  scenes,
  currentId,
}: {
  scenes: readonly SceneDefinition[];
  currentId: string | undefined;
}) {
  // The open group, remembered with the scene it was opened on: following a link (or any route
  // change) closes it.
  const [opened, setOpened] = useState<{ group: SceneGroup; on: string | undefined }>();
  const open = opened?.on === currentId ? opened?.group : undefined;
  const setOpen = (group: SceneGroup | undefined) => {
    setOpened(group && { group, on: currentId });
  };
  const nav = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!nav.current?.contains(event.target as Node)) setOpened(undefined);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <nav
      ref={nav}
      className="scene-nav"
      aria-label="Scenes"
      onBlur={(event) => {
        if (!nav.current?.contains(event.relatedTarget)) setOpen(undefined);
      }}
    >
      <ul className="scene-nav__groups">
        {sceneGroups(scenes).map(({ group, scenes: members }) => (
          <li key={group} className="scene-nav__group">
            <GroupMenu
              group={group}
              scenes={members}
              currentId={currentId}
              open={open === group}
              onOpenChange={(next) => {
                setOpen(next ? group : undefined);
              }}
            />
          </li>
        ))}
      </ul>
    </nav>
  );
}

function SceneLink({
  scene,
  currentId,
}: {
  scene: SceneDefinition;
  currentId: string | undefined;
}) {
  return (
    <a
      className="scene-nav__link"
      href={sceneHash(scene)}
      aria-current={scene.id === currentId ? 'page' : undefined}
    >
      <span className="scene-nav__title">{scene.title}</span>
      <span className="scene-nav__summary">{scene.summary}</span>
    </a>
  );
}

function GroupMenu({
  group,
  scenes,
  currentId,
  open,
  onOpenChange,
}: {
  group: SceneGroup;
  scenes: readonly SceneDefinition[];
  currentId: string | undefined;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const current = scenes.find((scene) => scene.id === currentId);

  // Keep the open menu inside the window (a group near the right edge, or a wrapped header).
  useLayoutEffect(() => {
    const list = menu.current;
    if (!open || !list) return;
    list.style.translate = '';
    const box = list.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const shift = Math.max(Math.min(0, width - EDGE - box.right), EDGE - box.left);
    list.style.translate = `${shift}px 0`;
  }, [open]);

  const links = () => [...(menu.current?.querySelectorAll('a') ?? [])];
  const onMenuKey = (event: KeyboardEvent) => {
    const all = links();
    const index = all.indexOf(document.activeElement as HTMLAnchorElement);
    const target = {
      ArrowDown: (index + 1) % all.length,
      ArrowUp: (index - 1 + all.length) % all.length,
      Home: 0,
      End: all.length - 1,
    }[event.key];
    if (event.key === 'Escape') {
      onOpenChange(false);
      button.current?.focus();
    } else if (target !== undefined) {
      all[target]?.focus();
    } else {
      return;
    }
    // Handled here: not a shell shortcut (Escape would leave presenter mode).
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="scene-nav__button"
        aria-expanded={open}
        aria-controls={menuId}
        data-current={current ? 'true' : undefined}
        onClick={() => {
          onOpenChange(!open);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            // Show the menu now, so that its first (or last) link can take the focus.
            flushSync(() => {
              onOpenChange(true);
            });
            links()
              .at(event.key === 'ArrowDown' ? 0 : -1)
              ?.focus();
          } else if (event.key === 'Escape' && open) {
            onOpenChange(false);
          } else {
            return;
          }
          event.preventDefault();
          event.stopPropagation();
        }}
      >
        {group}
        {current && <span className="visually-hidden">, current: {current.title}</span>}
        <svg className="scene-nav__caret" width="10" height="10" viewBox="0 0 10 10" aria-hidden>
          <path d="M1 3 L5 7 L9 3" fill="none" stroke="currentColor" strokeWidth="1.8" />
        </svg>
      </button>
      <ul
        ref={menu}
        id={menuId}
        className="scene-nav__menu"
        hidden={!open}
        aria-label={group}
        onKeyDown={onMenuKey}
      >
        {scenes.map((scene) => (
          <li key={scene.id}>
            <SceneLink scene={scene} currentId={currentId} />
          </li>
        ))}
      </ul>
    </>
  );
}
