/**
 * Leaving the page (a reload, a closed tab) in the middle of work. A run or a
 * sweep lives in the page's Web Workers and ends with the page; its results
 * are not kept. So while one is under way a browser asks before the page goes
 * (`beforeunload`), and if it goes anyway the next start says what was
 * discarded (a notice), rather than coming back as if nothing had happened.
 * The document itself is kept by the autosave journal (journal.ts).
 *
 * Work registers a probe ({@link whileBusy}) that says what is under way, or
 * null; the sweep panel's runner and the run controller do.
 */

/** What is under way now ("a sweep (3 of 46 runs done)"), or null. */
export type BusyProbe = () => string | null;

const probes = new Set<BusyProbe>();

/** Ask `probe` before the page goes; returns a function that stops asking it. */
export function whileBusy(probe: BusyProbe): () => void {
  probes.add(probe);
  return () => void probes.delete(probe);
}

/** Everything under way now. */
export function busyWork(): string[] {
  return [...probes].map((p) => p()).filter((w): w is string => w !== null);
}

/** Where the page notes, as it goes, the work it discards (a tab's session storage survives a reload). */
export const LEFT_BUSY_KEY = 'spikeflow.left-busy';

/** The notice for work a page discarded when it went. */
export function discardedNotice(work: string): string {
  return `The page was left during ${work}: its results were discarded (the document is kept).`;
}

type GuardedWindow = Pick<Window, 'addEventListener' | 'removeEventListener'> & { readonly sessionStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> };

/**
 * Guard `win`: say (through `onDiscarded`) what the last page discarded, if anything;
 * ask before leaving while work is under way; note it when the page goes anyway.
 * Returns a function that removes the guard.
 */
export function installLeaveGuard(win: GuardedWindow, onDiscarded: (text: string) => void): () => void {
  const storage = win.sessionStorage;
  const left = storage.getItem(LEFT_BUSY_KEY);
  if (left !== null) {
    storage.removeItem(LEFT_BUSY_KEY);
    onDiscarded(discardedNotice(left));
  }
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (busyWork().length === 0) return;
    e.preventDefault();
    // Older browsers need returnValue set to show the prompt.
    e.returnValue = '';
  };
  const onPageHide = () => {
    const work = busyWork();
    if (work.length > 0) storage.setItem(LEFT_BUSY_KEY, work.join(' and '));
    else storage.removeItem(LEFT_BUSY_KEY);
  };
  win.addEventListener('beforeunload', onBeforeUnload);
  win.addEventListener('pagehide', onPageHide);
  return () => {
    win.removeEventListener('beforeunload', onBeforeUnload);
    win.removeEventListener('pagehide', onPageHide);
  };
}
