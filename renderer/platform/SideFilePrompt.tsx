/**
 * The dialog of side-file-prompt.ts: each file the document needs, who names it (wire and
 * field), and whether it has been picked. One "Choose files…" picks several at once; each
 * is matched by name, and a file whose name the document does not use is refused here.
 * Test ids: `side-file-prompt`, `side-file-row-<n>`, `side-file-choose`, `side-file-input`,
 * `side-file-problem`, `side-file-use`, `side-file-cancel`.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { baseName, matchPicked } from '../store/side-files.ts';
import { sideFileContent, sideFilePromptStore } from './side-file-prompt.ts';
import { FileButton } from '../ui/FileButton.tsx';

export function SideFilePrompt() {
  const request = useStore(sideFilePromptStore, (s) => s.request);
  // Remounted per request (a fresh pick each time).
  return request ? <Prompt key={request.needs.map((n) => n.file).join('|')} /> : null;
}

function Prompt() {
  const request = useStore(sideFilePromptStore, (s) => s.request)!;
  const [picked, setPicked] = useState<ReadonlyMap<string, File>>(new Map());
  const [problem, setProblem] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') request.resolve(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [request]);
  const { needs } = request;
  const choose = (files: readonly File[]) => {
    const { matched, unmatched } = matchPicked(needs, files);
    setPicked((p) => new Map([...p, ...matched]));
    setProblem(
      unmatched.length === 0
        ? null
        : `${unmatched.map((n) => `"${n}"`).join(', ')} ${unmatched.length === 1 ? 'is' : 'are'} not among the files this document names (${needs.map((n) => `"${baseName(n.file)}"`).join(', ')}); pick the file under its own name.`,
    );
  };
  const use = async () => {
    setReading(true);
    try {
      const out = new Map<string, string | Uint8Array>();
      for (const [name, file] of picked) out.set(name, await sideFileContent(file, name));
      request.resolve(out);
    } catch (e) {
      setProblem(`A file could not be read: ${e instanceof Error ? e.message : String(e)}`);
      setReading(false);
    }
  };
  const all = needs.every((n) => picked.has(n.file));
  return (
    <div className="sf-modal-backdrop">
      <div className="sf-modal sf-modal-wide" role="dialog" aria-modal="true" aria-labelledby="sf-side-title" data-testid="side-file-prompt">
        <h2 id="sf-side-title">Pick the files this document uses</h2>
        <p>
          A browser tab cannot read the folder a document came from. The document names {needs.length === 1 ? 'this file' : `these ${needs.length} files`} beside it; pick{' '}
          {needs.length === 1 ? 'it' : 'them'} (several at once is fine), or cancel and keep the weights in the document.
        </p>
        <ul className="sf-side-files">
          {needs.map((n, i) => (
            <li key={n.file} data-testid={`side-file-row-${i}`} className={picked.has(n.file) ? 'is-picked' : undefined}>
              <code>{n.file}</code>
              <span className="sf-muted"> — {n.users.map((u) => `${u.who}, field ${u.field}`).join('; ')}</span>
              <span className="sf-side-file-state">{picked.has(n.file) ? ' ✓ picked' : ' not picked'}</span>
            </li>
          ))}
        </ul>
        {problem && (
          <p className="sf-error-text" role="alert" data-testid="side-file-problem">
            {problem}
          </p>
        )}
        <div className="sf-modal-actions">
          <FileButton className="sf-btn" testId="side-file-choose" inputTestId="side-file-input" multiple onFiles={choose}>
            Choose files…
          </FileButton>
          <span style={{ flex: 1 }} />
          <button type="button" className="sf-btn" data-testid="side-file-cancel" onClick={() => request.resolve(null)}>
            Cancel
          </button>
          <button type="button" className="sf-btn is-primary" data-testid="side-file-use" disabled={!all || reading} onClick={() => void use()}>
            {reading ? 'Reading…' : 'Use these files'}
          </button>
        </div>
      </div>
    </div>
  );
}
