/**
 * The run history service for React: created once from the app services, started
 * while mounted (it follows finished runs and the open document).
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app/EditorContext.tsx';
import { askConfirm } from '../app/confirm.ts';
import { memoryHistoryStore } from './stores.ts';
import { RunHistory } from './run-history.ts';
import type { HistoryState } from './run-history.ts';

const HistoryContext = createContext<RunHistory | null>(null);

/** Window event (detail: height in px) asking the app to make the results area at least that tall. */
export const GROW_RESULTS_EVENT = 'spikeflow:grow-results';

/** Window event asking the results area to show its History tab (a run kept from elsewhere, renderer/backend/). */
export const SHOW_HISTORY_EVENT = 'spikeflow:show-history';

/** Ask for a results area at least `px` tall (the app caps it to the window). */
export function requestResultsHeight(px: number): void {
  window.dispatchEvent(new CustomEvent(GROW_RESULTS_EVENT, { detail: px }));
}

function localSettings(): Pick<Storage, 'getItem' | 'setItem'> | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Provides the {@link RunHistory}; mount once, inside the services provider. */
export function HistoryProvider({ children }: { children: ReactNode }) {
  const { editor, runner, platform } = useServices();
  const [history] = useState(() => new RunHistory(editor, runner, platform.runHistory ?? memoryHistoryStore(), localSettings(), askConfirm));
  useEffect(() => {
    const stop = history.start();
    // For debugging and end-to-end tests (read-mostly; not an API).
    (window as unknown as { __spikeflowHistory?: RunHistory }).__spikeflowHistory = history;
    return stop;
  }, [history]);
  return <HistoryContext.Provider value={history}>{children}</HistoryContext.Provider>;
}

export function useHistory(): RunHistory {
  const h = useContext(HistoryContext);
  if (!h) throw new Error('useHistory outside <HistoryProvider>');
  return h;
}

export function useHistoryState<T>(selector: (s: HistoryState) => T): T {
  return useStore(useHistory().store, selector);
}
