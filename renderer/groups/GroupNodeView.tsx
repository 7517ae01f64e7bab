/**
 * A group on the canvas: its name, what it holds, and its ports (the wires that cross
 * its boundary), typed like the inner ports they stand for. Double-click or ⤢ enters it;
 * ▾/▸ collapses it to its header and ports.
 */
import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { getKind } from '../../engine/kinds/index.ts';
import type { GroupNode, GroupPort } from '../../engine/format/groups.ts';
import { isGroupNode } from '../../engine/format/groups.ts';
import { useServices } from '../app/EditorContext.tsx';
import type { SpikeFlowNode } from '../canvas/flow-mapping.ts';
import { enterGroup, setCollapsed } from './commands.ts';
import { innerPortSpec } from './level.ts';
import './groups.css';

function PortHandle({ g, port }: { g: GroupNode; port: GroupPort }) {
  const spec = innerPortSpec(g, port.id, port.direction);
  const inn = port.direction === 'in';
  return (
    <>
      {!inn && <span className="sf-port-label">{port.label || port.id}</span>}
      <Handle
        type={inn ? 'target' : 'source'}
        position={inn ? Position.Left : Position.Right}
        id={port.id}
        className={`sf-handle port-${spec?.type ?? 'spikes'}`}
        title={`${port.label || port.id}: ${spec?.type ?? '?'} ${inn ? 'input' : 'output'} — ${port.node}.${port.port} inside`}
      />
      {inn && <span className="sf-port-label">{port.label || port.id}</span>}
    </>
  );
}

function count(g: GroupNode): number {
  return g.nodes.reduce((n, x) => n + (isGroupNode(x) ? count(x) : 1), 0);
}

function GroupNodeViewImpl({ data, selected }: NodeProps<SpikeFlowNode>) {
  const { editor } = useServices();
  const g = data.node as GroupNode;
  const ins = g.ports.filter((p) => p.direction === 'in');
  const outs = g.ports.filter((p) => p.direction === 'out');
  const rows = Math.max(ins.length, outs.length);
  const collapsed = g.collapsed === true;
  const issues = data.issues;
  return (
    <div
      className={`sf-node sf-group-node${collapsed ? ' is-collapsed' : ''}${selected ? ' is-selected' : ''}${issues.length ? ' has-issues' : ''}`}
      data-testid={`node-${g.id}`}
      onDoubleClick={(e) => {
        e.stopPropagation();
        enterGroup(editor, g.id);
      }}
    >
      <div className="sf-node-head">
        <button
          type="button"
          className="sf-group-btn nodrag"
          data-testid={`group-collapse-${g.id}`}
          title={collapsed ? 'Expand: list what the group holds' : 'Collapse to the header and ports'}
          aria-expanded={!collapsed}
          onClick={() => setCollapsed(editor, g.id, !collapsed)}
        >
          {collapsed ? '▸' : '▾'}
        </button>
        <span className="sf-node-label" title={g.id}>
          {g.label || g.id}
        </span>
        {issues.length > 0 && (
          <span className="sf-node-badge" title={issues.join('\n')}>
            {issues.length}
          </span>
        )}
        <button type="button" className="sf-group-btn nodrag" data-testid={`group-enter-${g.id}`} title="Open the group to edit it (or double-click)" onClick={() => enterGroup(editor, g.id)}>
          ⤢
        </button>
      </div>
      <div className="sf-node-kind">
        Group · {count(g)} node{count(g) === 1 ? '' : 's'}
      </div>
      {!collapsed && g.nodes.length > 0 && (
        <ul className="sf-group-contents" data-testid={`group-contents-${g.id}`}>
          {g.nodes.map((n) => (
            <li key={n.id}>
              <span className="sf-group-item">{n.label || n.id}</span>
              <span className="sf-group-kind">{isGroupNode(n) ? 'group' : (getKind(n.kind)?.label ?? n.kind)}</span>
            </li>
          ))}
        </ul>
      )}
      {rows > 0 && (
        <div className="sf-node-ports">
          {Array.from({ length: rows }, (_, i) => (
            <div className="sf-port-row" key={i}>
              <div className="sf-port sf-port-in">{ins[i] && <PortHandle g={g} port={ins[i]} />}</div>
              <div className="sf-port sf-port-out">{outs[i] && <PortHandle g={g} port={outs[i]} />}</div>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const GroupNodeView = memo(GroupNodeViewImpl);
