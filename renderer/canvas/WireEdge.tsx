/**
 * A wire. Projections carry a compact label (rule · weight · receptor) and are
 * drawn by receptor (inhibitory in a different colour); observe wires are dashed;
 * current wires are green. A wire with issues is red.
 */
import { memo, useMemo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath } from '@xyflow/react';
import { openContextMenu } from './ContextMenu.tsx';
import type { EdgeProps } from '@xyflow/react';
import type { WireFlowEdge } from './flow-mapping.ts';
import { projectionLabel } from './flow-mapping.ts';
import { useEditorState, useServices } from '../app/EditorContext.tsx';
import { LABEL_T, labelPoint, wirePoint } from './wire-geometry.ts';
import { WireTraffic } from './ActivityBadge.tsx';

function WireEdgeImpl(props: EdgeProps<WireFlowEdge>) {
  const { id, data, selected, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const { editor } = useServices();
  const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const role = data?.role ?? null;
  const holder = data?.heldBy ?? null;
  // A plastic projection's params live on its plasticity node, not on this wire.
  const params = holder?.params ?? data?.edge.params ?? {};
  const text = role === 'projection' ? `${holder ? `${holder.label || holder.id} · ` : ''}${projectionLabel(params, data?.weightUnit)}` : '';
  const nodes = useEditorState((s) => s.doc.nodes);
  // Labels stay clear of nodes: they are drawn under them, so a covered label would be lost.
  const { x: labelX, y: labelY } = useMemo(() => {
    if (role !== 'projection') return wirePoint(sourceX, sourceY, targetX, targetY, LABEL_T);
    const boxes = nodes.map((n) => ({ ...n.position, ...editor.sizeOf(n) }));
    const own = nodes.find((n) => n.id === data?.edge.source.node);
    return labelPoint(sourceX, sourceY, targetX, targetY, { width: text.length * 6.2 + 14, height: 18 }, boxes, own ? { ...own.position, ...editor.sizeOf(own) } : undefined);
  }, [role, nodes, editor, sourceX, sourceY, targetX, targetY, text, data?.edge.source.node]);
  const inh = role === 'projection' && params.receptor === 'inh';
  const hasIssues = (data?.issues.length ?? 0) > 0;
  const cls = ['sf-wire', role ? `role-${role}` : 'role-unknown', holder ? 'is-plastic' : '', inh ? 'receptor-inh' : '', hasIssues ? 'has-issues' : '', selected ? 'is-selected' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <BaseEdge id={id} path={path} className={cls} interactionWidth={16} />
      {role === 'projection' && <WireTraffic edgeId={id} path={path} inh={inh} />}
      {role === 'projection' && (
        <EdgeLabelRenderer>
          <div
            className={`sf-wire-label nodrag nopan${holder ? ' is-plastic' : ''}${inh ? ' receptor-inh' : ''}${hasIssues ? ' has-issues' : ''}${selected ? ' is-selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={hasIssues ? data!.issues.join('\n') : holder ? `Plastic projection through ${holder.label || holder.id} (its params are on that node)` : `Projection ${id} (click to edit)`}
            data-testid={`wire-label-${id}`}
            onClick={() => editor.setSelection({ nodes: [], edges: [id] })}
            onContextMenu={(e) => {
              e.preventDefault();
              e.stopPropagation();
              editor.setSelection({ nodes: [], edges: [id] });
              openContextMenu('edge', { x: e.clientX, y: e.clientY });
            }}
          >
            {text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const WireEdge = memo(WireEdgeImpl);
