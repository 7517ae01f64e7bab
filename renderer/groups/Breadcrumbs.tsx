/** Where the canvas is: Document › Group › Inner group; each crumb goes back out to it. */
import { useEditorState, useServices } from '../app/EditorContext.tsx';
import { isGroupNode } from '../../engine/format/groups.ts';
import type { DocNode } from '../../engine/format/document.ts';
import { leaveTo } from './commands.ts';
import './groups.css';

export function GroupBreadcrumbs() {
  const { editor } = useServices();
  const doc = useEditorState((s) => s.doc);
  const path = useEditorState((s) => s.groupPath);
  if (path.length === 0) return null;
  const names: string[] = [];
  let nodes: readonly DocNode[] = doc.nodes;
  for (const id of path) {
    const g = nodes.find((n) => n.id === id);
    names.push(g?.label || id);
    nodes = isGroupNode(g) ? g.nodes : [];
  }
  return (
    <nav className="sf-breadcrumbs" aria-label="Group path" data-testid="group-breadcrumbs">
      <button type="button" data-testid="breadcrumb-0" title="Back to the whole document" onClick={() => leaveTo(editor, 0)}>
        {doc.meta.name || 'Document'}
      </button>
      {names.map((name, i) => (
        <span key={path[i]}>
          <span className="sf-crumb-sep"> › </span>
          {i === names.length - 1 ? (
            <span className="is-current" data-testid={`breadcrumb-${i + 1}`}>
              {name}
            </span>
          ) : (
            <button type="button" data-testid={`breadcrumb-${i + 1}`} onClick={() => leaveTo(editor, i + 1)}>
              {name}
            </button>
          )}
        </span>
      ))}
    </nav>
  );
}
