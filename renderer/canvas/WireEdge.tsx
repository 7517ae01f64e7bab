/**
 * A wire. Projections carry a compact label (rule · weight · receptor) and are
 * drawn by receptor (inhibitory in a different colour); observe wires are dashed;
 * current wires are green. A wire with issues is red.
 */
import { memo, useMemo, useRef } from 'react';
import { BaseEdge, EdgeLabelRenderer } from '@xyflow/react';
import { openContextMenu } from './ContextMenu.tsx';
import type { EdgeProps } from '@xyflow/react';
import type { WireFlowEdge } from './flow-mapping.ts';
import { wireLabelSize, wireLabelText } from './flow-mapping.ts';
import { useServices } from '../app/EditorContext.tsx';
import { keptRoutes, labelPlace, shapeWire } from './wire-route.ts';
import type { PreviousShape } from './wire-route.ts';
import { useWireSurroundings } from './obstacles.ts';
import { WireTraffic } from './ActivityBadge.tsx';
import { explicitWeightsLabel } from './node-summary.ts';

function WireEdgeImpl(props: EdgeProps<WireFlowEdge>) {
  const { id, data, selected, sourceX, sourceY, targetX, targetY } = props;
  const { editor } = useServices();
  const role = data?.role ?? null;
  const holder = data?.heldBy ?? null;
  // A plastic projection's params live on its plasticity node, not on this wire.
  const params = holder?.params ?? data?.edge.params ?? {};
  // A wire holding explicit weights says what it holds (its `weight` param is unused then).
  const stored = role === 'projection' && !holder ? explicitWeightsLabel(data?.edge.weights, data?.weightUnit) : null;
  const text = stored ? `${stored} · ${String(params.receptor ?? 'exc')}` : wireLabelText(role, holder, data?.edge.params ?? {}, data?.weightUnit);
  // Around the nodes in its way (wire-route.ts), from the boxes of its own corridor only.
  const s = useMemo(() => ({ x: sourceX, y: sourceY }), [sourceX, sourceY]);
  const t = useMemo(() => ({ x: targetX, y: targetY }), [targetX, targetY]);
  const near = useWireSurroundings(s, t, props.source, props.target);
  // The last shape, so a route far from what changed is kept without a new search.
  const previous = useRef<PreviousShape | undefined>(undefined);
  const shape = useMemo(() => {
    const next = shapeWire(s, t, near.obstacles, near.corridor, keptRoutes.get(id), previous.current);
    previous.current = { shape: next, obstacles: near.obstacles };
    return next;
  }, [s, t, near, id]);
  const path = shape.path;
  // Labels stay clear of nodes: they are drawn under them, so a covered label would be lost.
  const label = useMemo(() => (role === 'projection' ? labelPlace(shape, wireLabelSize(text), near.obstacles) : null), [role, shape, text, near]);
  const inh = role === 'projection' && params.receptor === 'inh';
  const hasIssues = (data?.issues.length ?? 0) > 0;
  const cls = ['sf-wire', role ? `role-${role}` : 'role-unknown', holder ? 'is-plastic' : '', inh ? 'receptor-inh' : '', hasIssues ? 'has-issues' : '', selected ? 'is-selected' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <BaseEdge id={id} path={path} className={cls} interactionWidth={16} data-route={shape.kind} />
      {role === 'projection' && <WireTraffic edgeId={id} path={path} inh={inh} />}
      {label && (
        <EdgeLabelRenderer>
          <div
            className={`sf-wire-label nodrag nopan${holder ? ' is-plastic' : ''}${inh ? ' receptor-inh' : ''}${hasIssues ? ' has-issues' : ''}${selected ? ' is-selected' : ''}${label.clear ? '' : ' is-over'}`}
            style={{ transform: `translate(-50%, -50%) translate(${label.x}px, ${label.y}px)` }}
            data-route={shape.kind}
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
