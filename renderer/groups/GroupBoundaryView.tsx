/** A group's inputs or outputs, seen from inside it (see boundary.ts). */
import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import type { BoundaryFlowNode } from './boundary.ts';
import { NEW_PORT } from './boundary.ts';
import { innerPortSpec } from './level.ts';
import './groups.css';

function GroupBoundaryViewImpl({ data }: NodeProps<BoundaryFlowNode>) {
  const { group, direction } = data;
  const inn = direction === 'in';
  const ports = group.ports.filter((p) => p.direction === direction);
  // Inputs leave the boundary node (a source handle), outputs enter it.
  const type = inn ? 'source' : 'target';
  const side = inn ? Position.Right : Position.Left;
  return (
    <div className={`sf-node sf-group-boundary is-${direction}`} data-testid={`group-boundary-${direction}`}>
      <div className="sf-node-head">
        <span className="sf-node-label">{inn ? 'Group inputs' : 'Group outputs'}</span>
      </div>
      <div className="sf-node-kind">{group.label || group.id}</div>
      <div className="sf-node-ports">
        {ports.map((p) => (
          <div className={`sf-port-row`} key={p.id}>
            <div className={`sf-port ${inn ? 'sf-port-out' : 'sf-port-in'}`}>
              {!inn && <Handle type={type} position={side} id={p.id} className={`sf-handle port-${innerPortSpec(group, p.id, direction)?.type ?? 'spikes'}`} title={p.label} />}
              <span className="sf-port-label">{p.label || p.id}</span>
              {inn && <Handle type={type} position={side} id={p.id} className={`sf-handle port-${innerPortSpec(group, p.id, direction)?.type ?? 'spikes'}`} title={p.label} />}
            </div>
          </div>
        ))}
        <div className="sf-port-row">
          <div className={`sf-port ${inn ? 'sf-port-out' : 'sf-port-in'}`}>
            {!inn && <Handle type={type} position={side} id={NEW_PORT} className="sf-handle sf-handle-new" title="Wire an inner output here to add an output port" />}
            <span className="sf-port-label sf-muted">{inn ? 'wire from + to add an input' : 'wire to + to add an output'}</span>
            {inn && <Handle type={type} position={side} id={NEW_PORT} className="sf-handle sf-handle-new" title="Wire from here to an inner input to add an input port" />}
          </div>
        </div>
      </div>
    </div>
  );
}

export const GroupBoundaryView = memo(GroupBoundaryViewImpl);
