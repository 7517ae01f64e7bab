/**
 * The one node view: renders any kind from its declaration (label, kind, key
 * params, typed ports). Ports are handles whose ids are the port ids; inputs on
 * the left, outputs on the right, coloured by type.
 */
import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { getKind } from '../../engine/kinds/index.ts';
import type { PortSpec } from '../../engine/kinds/index.ts';
import type { SpikeFlowNode } from './flow-mapping.ts';
import { nodeSummary } from './node-summary.ts';
import { ActivityBadge } from './ActivityBadge.tsx';

const ROLE_TEXT: Record<string, string> = {
  projection: 'projection: wire a spike source here',
  observe: 'observes what is wired in',
  inject: 'injected current',
  plastic: 'presynaptic side of a plastic projection: wire a spike source here',
};

function portTitle(port: PortSpec, dir: 'in' | 'out'): string {
  const role = port.role ? ` — ${ROLE_TEXT[port.role] ?? port.role}` : '';
  const unit = port.weightUnit ? ` (weights in ${port.weightUnit})` : '';
  return `${port.label}: ${port.type} ${dir === 'in' ? 'input' : 'output'}${role}${unit}`;
}

function NodeViewImpl({ data, selected }: NodeProps<SpikeFlowNode>) {
  const { node, issues } = data;
  const kind = getKind(node.kind);
  if (!kind) {
    return (
      <div className="sf-node has-issues" title={`Unknown kind "${node.kind}"`}>
        <div className="sf-node-head">
          <span className="sf-node-label">{node.label || node.id}</span>
        </div>
        <div className="sf-node-kind">unknown kind {node.kind}</div>
      </div>
    );
  }
  const summary = nodeSummary(kind, node.params);
  const rows = Math.max(kind.inputs.length, kind.outputs.length);
  const hasIssues = issues.length > 0;
  return (
    <div className={`sf-node cat-${kind.category}${hasIssues ? ' has-issues' : ''}${selected ? ' is-selected' : ''}`} data-testid={`node-${node.id}`}>
      <div className="sf-node-head">
        <span className="sf-node-label" title={node.id}>
          {node.label || node.id}
        </span>
        {hasIssues && (
          <span className="sf-node-badge" title={issues.join('\n')} data-testid={`node-issues-${node.id}`}>
            {issues.length}
          </span>
        )}
      </div>
      <div className="sf-node-kind" title={kind.help}>
        {kind.label}
      </div>
      <ActivityBadge nodeId={node.id} />
      {summary.length > 0 && (
        <dl className="sf-node-params">
          {summary.map((s) => (
            <div key={s.name}>
              <dt>{s.label}</dt>
              <dd>{s.text}</dd>
            </div>
          ))}
        </dl>
      )}
      {rows > 0 && (
        <div className="sf-node-ports">
          {Array.from({ length: rows }, (_, i) => {
            const inp = kind.inputs[i];
            const out = kind.outputs[i];
            return (
              <div className="sf-port-row" key={i}>
                <div className="sf-port sf-port-in">
                  {inp && (
                    <>
                      <Handle type="target" position={Position.Left} id={inp.id} className={`sf-handle port-${inp.type}`} title={portTitle(inp, 'in')} />
                      <span className="sf-port-label">{inp.label}</span>
                    </>
                  )}
                </div>
                <div className="sf-port sf-port-out">
                  {out && (
                    <>
                      <span className="sf-port-label">{out.label}</span>
                      <Handle type="source" position={Position.Right} id={out.id} className={`sf-handle port-${out.type}`} title={portTitle(out, 'out')} />
                    </>
                  )}
                </div>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

export const NodeView = memo(NodeViewImpl);
