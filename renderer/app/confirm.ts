/**
 * In-page confirmation ("Discard unsaved changes?"). Not `window.confirm`: that
 * blocks the page, and automated browsers dismiss it.
 */
import { createStore } from 'zustand/vanilla';

export interface ConfirmRequest {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly resolve: (ok: boolean) => void;
}

export const confirmStore = createStore<{ request: ConfirmRequest | null }>()(() => ({ request: null }));

/** Ask the user; resolves true when they confirm. A second question cancels the first. */
export function askConfirm(title: string, message: string, confirmLabel = 'Discard'): Promise<boolean> {
  confirmStore.getState().request?.resolve(false);
  return new Promise((resolve) => {
    confirmStore.setState({
      request: {
        title,
        message,
        confirmLabel,
        resolve: (ok) => {
          confirmStore.setState({ request: null });
          resolve(ok);
        },
      },
    });
  });
}
