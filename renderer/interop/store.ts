/** Which import/export dialog is open (one at a time), and its progress. */
import { createStore } from 'zustand/vanilla';
import type { AppServices } from '../app/actions.ts';
import type { NirGraph } from '../../engine/interop/nir/model.ts';
import type { NirImportChoices } from '../../engine/interop/nir/convert.ts';

export type InteropRequest =
  | { readonly type: 'import'; readonly app: AppServices; readonly fileName: string; readonly graph: NirGraph; readonly defaults: NirImportChoices }
  | { readonly type: 'import-error'; readonly fileName: string; readonly problems: readonly string[] }
  | { readonly type: 'export'; readonly app: AppServices; readonly format: string };

export const interopStore = createStore<{ request: InteropRequest | null; busy: boolean; error: string | null }>()(() => ({ request: null, busy: false, error: null }));

export function closeInterop(): void {
  interopStore.setState({ request: null, busy: false, error: null });
}
