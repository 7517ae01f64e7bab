import { describe, expect, it } from 'vitest';
import { LEFT_BUSY_KEY, busyWork, installLeaveGuard, whileBusy } from './leave-guard.ts';

/** A window with session storage and event listeners, enough for the guard. */
function fakeWindow(stored: Record<string, string> = {}) {
  const listeners = new Map<string, (e: unknown) => void>();
  const items = new Map(Object.entries(stored));
  const win = {
    addEventListener: (type: string, l: (e: unknown) => void) => listeners.set(type, l),
    removeEventListener: (type: string) => listeners.delete(type),
    sessionStorage: {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    },
  };
  const unload = () => {
    const e = {
      prevented: false,
      returnValue: undefined as unknown,
      preventDefault() {
        this.prevented = true;
      },
    };
    listeners.get('beforeunload')?.(e);
    return e.prevented;
  };
  return { win, items, listeners, unload, hide: () => listeners.get('pagehide')?.({}) };
}

describe('leaving the page during a run or a sweep', () => {
  it('asks before leaving only while work is under way, and notes what was discarded when the page goes', () => {
    let sweeping: string | null = null;
    const stop = whileBusy(() => sweeping);
    const w = fakeWindow();
    const notices: string[] = [];
    const remove = installLeaveGuard(w.win as never, (t) => notices.push(t));
    expect(notices).toEqual([]);
    expect(w.unload()).toBe(false);
    w.hide();
    expect(w.items.has(LEFT_BUSY_KEY)).toBe(false);
    sweeping = 'a sweep (3 of 46 runs done)';
    expect(busyWork()).toEqual(['a sweep (3 of 46 runs done)']);
    expect(w.unload()).toBe(true);
    w.hide();
    expect(w.items.get(LEFT_BUSY_KEY)).toBe('a sweep (3 of 46 runs done)');
    remove();
    expect(w.listeners.size).toBe(0);
    stop();
    expect(busyWork()).toEqual([]);
  });

  it('says once, at the next start, what the last page discarded', () => {
    const w = fakeWindow({ [LEFT_BUSY_KEY]: 'a training run (epoch 1 of 4 done)' });
    const notices: string[] = [];
    installLeaveGuard(w.win as never, (t) => notices.push(t));
    expect(notices).toEqual(['The page was left during a training run (epoch 1 of 4 done): its results were discarded (the document is kept).']);
    expect(w.items.has(LEFT_BUSY_KEY)).toBe(false);
    installLeaveGuard(w.win as never, (t) => notices.push(t));
    expect(notices).toHaveLength(1);
  });
});
