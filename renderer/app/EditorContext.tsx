/**
 * React access to the app services and the editor store. Components read state
 * through `useEditorState(selector)` and change it only through editor commands
 * or actions, never by writing the store.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { EditorState } from '../store/editor.ts';
import type { Action, ActionName, AppServices } from './actions.ts';
import { ACTIONS, isEnabled } from './actions.ts';

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside <ServicesContext.Provider>');
  return s;
}

/** Subscribe to a slice of editor state (re-renders when the slice changes by `Object.is`). */
export function useEditorState<T>(selector: (s: EditorState) => T): T {
  return useStore(useServices().editor.store, selector);
}

/** As `useEditorState`, for selectors that build a new object or array each time (shallow compare). */
export function useEditorShallow<T extends object>(selector: (s: EditorState) => T): T {
  return useStore(useServices().editor.store, useShallow(selector));
}

/** An action from `ACTIONS`, whether it is enabled now, and the services to perform it with. */
export function useAction(name: ActionName): { app: AppServices; action: Action; enabled: boolean } {
  const app = useServices();
  const action = ACTIONS[name];
  const enabled = useEditorState((s) => isEnabled(action, s));
  return { app, action, enabled };
}
