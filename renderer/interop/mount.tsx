/**
 * The dialogs live in their own React root on <body>, made on first use, so the app's tree
 * needs no change and their code (and the NIR mapping) loads only when a dialog opens.
 */
import { createRoot } from 'react-dom/client';

let mounted: Promise<void> | null = null;

export function mountInteropDialog(): Promise<void> {
  mounted ??= import('./InteropDialog.tsx').then(({ InteropDialog }) => {
    const host = document.createElement('div');
    host.dataset.testid = 'interop-root';
    document.body.append(host);
    createRoot(host).render(<InteropDialog />);
  });
  return mounted;
}
