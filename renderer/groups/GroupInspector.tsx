/**
 * The inspector for a selected group (its name, its ports' names, open / ungroup / save
 * to the library), and the Group button shown for a selection of several nodes.
 */
import type { GroupNode } from '../../engine/format/groups.ts';
import { isGroupNode } from '../../engine/format/groups.ts';
import { useServices } from '../app/EditorContext.tsx';
import { enterGroup, groupSelection, removePort, renamePort, saveGroupToLibrary, ungroup } from './commands.ts';
import { GROUP_SHORTCUT } from './shortcuts.ts';
import './groups.css';

function count(g: GroupNode): number {
  return g.nodes.reduce((n, x) => n + (isGroupNode(x) ? count(x) : 1), 0);
}

export function GroupInspector({ group }: { group: GroupNode }) {
  const { editor } = useServices();
  const seal = () => editor.sealHistory();
  return (
    <div className="sf-inspector-body" data-testid="group-inspector">
      <div className="sf-panel-title">
        <span className="sf-cat-chip">group</span>
        <span className="sf-title-text">Group · {count(group)} nodes</span>
      </div>
      <div className="sf-form">
        <div className="sf-field">
          <span className="sf-field-label">Id</span>
          <div className="sf-field-control">
            <code className="sf-id" data-testid="node-id">
              {group.id}
            </code>
          </div>
        </div>
        <label className="sf-field">
          <span className="sf-field-label">Name</span>
          <div className="sf-field-control">
            <input
              className="sf-input"
              data-testid="group-label"
              value={group.label}
              onChange={(e) => editor.setNodeLabel(group.id, e.target.value, { mergeKey: `${group.id}.label` })}
              onBlur={seal}
            />
          </div>
        </label>
      </div>
      <div className="sf-panel-title">Ports</div>
      {group.ports.length === 0 && <p className="sf-muted sf-pad">No wire crosses this group's boundary.</p>}
      <div className="sf-group-ports">
        {group.ports.map((p) => (
          <label key={p.id} title={`Stands for ${p.node}.${p.port} inside; wires use the id "${p.id}"`}>
            <span className="sf-group-dir">{p.direction === 'in' ? 'in ◂' : 'out ▸'}</span>
            <input
              className="sf-input"
              data-testid={`port-name-${p.id}`}
              value={p.label}
              onChange={(e) => renamePort(editor, group.id, p.id, e.target.value, `${group.id}.port.${p.id}`)}
              onBlur={seal}
            />
            <button
              type="button"
              className="sf-group-btn"
              data-testid={`port-remove-${p.id}`}
              title="Remove this port (and the wires outside that end at it)"
              onClick={() => removePort(editor, group.id, p.id)}
            >
              ×
            </button>
          </label>
        ))}
      </div>
      <div className="sf-group-actions">
        <button type="button" className="sf-btn" data-testid="group-open" onClick={() => enterGroup(editor, group.id)}>
          Open
        </button>
        <button type="button" className="sf-btn" data-testid="group-ungroup" title="Ctrl+Shift+G" onClick={() => ungroup(editor, group.id)}>
          Ungroup
        </button>
        <button type="button" className="sf-btn" data-testid="group-save-library" onClick={() => saveGroupToLibrary(editor, group.id)}>
          Save to library
        </button>
      </div>
    </div>
  );
}

/** For a selection of nodes: group them (the same as Ctrl+G). */
export function GroupSelectionButton() {
  const { editor } = useServices();
  return (
    <div className="sf-group-actions">
      <button type="button" className="sf-btn" data-testid="group-selection" title={GROUP_SHORTCUT} onClick={() => groupSelection(editor)}>
        Group ({GROUP_SHORTCUT})
      </button>
    </div>
  );
}
