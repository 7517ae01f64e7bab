/**
 * Subscribe a canvas component to the run's activity (rates and traffic). It
 * re-renders at most once per animation frame while a run streams progress, and
 * when the activity toggle changes; the editor store is not involved.
 */
import { useSyncExternalStore } from 'react';
import { useServices } from '../app/EditorContext.tsx';
import type { ActivityTracker } from '../engine/activity.ts';

export function useActivity(): ActivityTracker {
  const tracker = useServices().runner.activity;
  useSyncExternalStore(tracker.subscribe, tracker.getVersion);
  return tracker;
}
