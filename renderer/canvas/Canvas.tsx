/**
 * The graph canvas (React Flow, controlled). React Flow reports gestures as
 * change data; this component turns them into editor commands:
 * - position changes during a drag → `dragNodes` (live, unrecorded), drag end → `endDrag` (one entry);
 * - selection changes → session selection;
 * - a new wire → `connect`, refused while dragging when `connectionProblem` objects;
 * - a palette item dropped on the pane → `addNode` at the drop position.
 * Deleting goes through the Delete action (one entry for nodes and their wires).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import type * as React from 'react';
import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import type { Connection, EdgeChange, FinalConnectionState, IsValidConnection, NodeChange, OnConnectEnd } from '@xyflow/react';
import { getKind } from '../../engine/kinds/index.ts';
import type { GraphDocument } from '../../engine/format/document.ts';
import { useEditorState, useServices } from '../app/EditorContext.tsx';
import type { XY } from '../store/editor.ts';
import { documentIssues, indexIssues } from '../store/issues.ts';
import { FlowMapper } from './flow-mapping.ts';
import type { Measured, SpikeFlowNode, WireFlowEdge } from './flow-mapping.ts';
import { NodeView } from './NodeView.tsx';
import { WireEdge } from './WireEdge.tsx';
import { CATEGORY_COLORS, KIND_MIME, NODE_WIDTH } from './constants.ts';
import { GroupNodeView } from '../groups/GroupNodeView.tsx';
import { GroupBreadcrumbs } from '../groups/Breadcrumbs.tsx';
import { GROUP_MIME, findGroupDefinition } from '../groups/GroupPalette.tsx';
import { exposePort, placeGroup } from '../groups/commands.ts';
import { GroupBoundaryView } from '../groups/GroupBoundaryView.tsx';
import { boundaryFlow, boundaryProblem, exposedBy, isBoundaryId, openGroup } from '../groups/boundary.ts';
import { levelConnectionProblem, levelView } from '../groups/level.ts';
import { canvasPointer } from './pointer.ts';
import { openContextMenu } from './ContextMenu.tsx';
import { openQuickAdd } from '../quick-add/quick-add.ts';
import { estimateSize } from '../layout/placement.ts';
import { ObstacleIndex, canvasObstacles, canvasPorts } from './obstacles.ts';
import { keptRoutes } from './wire-route.ts';

/** Defined once at module level, as React Flow asks: a new object each render remounts every node. */
const nodeTypes = { spike: NodeView, group: GroupNodeView, groupBoundary: GroupBoundaryView } as const;
const edgeTypes = { wire: WireEdge } as const;

function problemOf(doc: GraphDocument, c: Connection | { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }): string | null {
  const source = { node: c.source, port: c.sourceHandle ?? '' };
  const target = { node: c.target, port: c.targetHandle ?? '' };
  // Inside a group, wires to its boundary add ports (renderer/groups/boundary.ts).
  if (isBoundaryId(source.node) || isBoundaryId(target.node)) return boundaryProblem(source, target);
  return levelConnectionProblem(doc, source, target);
}

export function Canvas() {
  const { editor } = useServices();
  const doc = useEditorState((s) => s.doc);
  // The level shown: the document, or the inside of the group entered (renderer/groups).
  const groupPath = useEditorState((s) => s.groupPath);
  const level = useMemo(() => levelView(doc, groupPath), [doc, groupPath]);
  const selection = useEditorState((s) => s.selection);
  const runIssues = useEditorState((s) => s.run.issues);
  const docEpoch = useEditorState((s) => s.docEpoch);
  const [measured, setMeasured] = useState<Record<string, Measured>>({});
  const rf = useReactFlow<SpikeFlowNode, WireFlowEdge>();
  const [mapper] = useState(() => new FlowMapper());

  const issues = useMemo(() => indexIssues(documentIssues(doc), runIssues), [doc, runIssues]);
  const levelNodes = useMemo(() => mapper.mapNodes(level, selection, issues, measured), [mapper, level, selection, issues, measured]);
  const levelEdges = useMemo(() => mapper.mapEdges(level, selection, issues), [mapper, level, selection, issues]);
  // Inside a group: its inputs and outputs beside its contents (renderer/groups/boundary.ts).
  const open = useMemo(() => openGroup(doc, groupPath), [doc, groupPath]);
  const nodes = useMemo(() => (open ? [...levelNodes, ...(boundaryFlow(open).nodes as unknown as SpikeFlowNode[])] : levelNodes), [open, levelNodes]);
  const edges = useMemo(() => (open ? [...levelEdges, ...(boundaryFlow(open).edges as WireFlowEdge[])] : levelEdges), [open, levelEdges]);

  // A different document: show all of it (React Flow queues this until the nodes are measured).
  // Not the `fitView` prop: on an empty canvas it would wait for, and jump to, the first dropped node.
  useEffect(() => {
    if (editor.view.nodes.length > 0) void rf.fitView({ padding: 0.2, maxZoom: 1.2, duration: 0 });
  }, [docEpoch, groupPath, rf, editor]);

  const onNodesChange = useCallback(
    (changes: NodeChange<SpikeFlowNode>[]) => {
      const moved: Record<string, XY> = {};
      let anyMoved = false;
      let dragEnded = false;
      let dims: Record<string, Measured> | null = null;
      let nodesSel: Set<string> | null = null;
      for (const c of changes) {
        if ('id' in c && isBoundaryId(c.id)) continue;
        switch (c.type) {
          case 'position':
            if (c.position) {
              moved[c.id] = c.position;
              anyMoved = true;
            }
            if (c.dragging === false) dragEnded = true;
            break;
          case 'dimensions':
            if (c.dimensions) (dims ??= {})[c.id] = { width: c.dimensions.width, height: c.dimensions.height };
            break;
          case 'select':
            nodesSel ??= new Set(editor.state.selection.nodes);
            if (c.selected) nodesSel.add(c.id);
            else nodesSel.delete(c.id);
            break;
          case 'remove':
          case 'add':
          case 'replace':
            // The document is the source of truth: nodes come and go by editor commands only.
            break;
        }
      }
      if (anyMoved) editor.dragNodes(moved);
      if (dragEnded) editor.endDrag();
      if (dims) {
        const d = dims;
        setMeasured((m) => ({ ...m, ...d }));
      }
      if (nodesSel) {
        const order = editor.view.nodes.map((n) => n.id).filter((id) => nodesSel.has(id));
        editor.setSelection({ nodes: order, edges: editor.state.selection.edges });
      }
    },
    [editor],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<WireFlowEdge>[]) => {
      let edgesSel: Set<string> | null = null;
      for (const c of changes) {
        if (c.type !== 'select' || c.id.startsWith('\u0001')) continue;
        edgesSel ??= new Set(editor.state.selection.edges);
        if (c.selected) edgesSel.add(c.id);
        else edgesSel.delete(c.id);
      }
      if (edgesSel) {
        const order = editor.view.edges.map((e) => e.id).filter((id) => edgesSel.has(id));
        editor.setSelection({ nodes: editor.state.selection.nodes, edges: order });
      }
    },
    [editor],
  );

  const onNodeDragStop = useCallback(() => editor.endDrag(), [editor]);

  const isValidConnection: IsValidConnection<WireFlowEdge> = useCallback(
    (c) => {
      const problem = problemOf(editor.view, c);
      // Say why while the wire hovers over the port, not only after letting go.
      const text = problem ? `Cannot connect: ${problem}` : null;
      const cur = editor.state.notice;
      if (text && cur?.text !== text) editor.setNotice({ level: 'warning', text });
      if (!text && cur?.text.startsWith('Cannot connect:')) editor.setNotice(null);
      return problem === null;
    },
    [editor],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const source = { node: c.source, port: c.sourceHandle ?? '' };
      const target = { node: c.target, port: c.targetHandle ?? '' };
      const exposed = exposedBy(source, target);
      if (exposed) exposePort(editor, exposed.direction, exposed.inner);
      else editor.connect(source, target);
    },
    [editor],
  );

  const onConnectEnd: OnConnectEnd = useCallback(
    (event, state: FinalConnectionState) => {
      // Let go over empty canvas: offer the kinds that accept this wire, and wire the choice.
      const target = event.target as Element | null;
      if (!state.isValid && state.fromHandle?.id && !state.toHandle && !state.toNode && target?.classList.contains('react-flow__pane')) {
        const pt = 'changedTouches' in event ? event.changedTouches[0] : event;
        const screen = { x: pt.clientX, y: pt.clientY };
        if (editor.state.notice?.text.startsWith('Cannot connect:')) editor.setNotice(null);
        openQuickAdd({ screen, at: rf.screenToFlowPosition(screen), wire: { node: state.fromHandle.nodeId, port: state.fromHandle.id, side: state.fromHandle.type } });
        return;
      }
      if (state.isValid || !state.fromHandle || !state.toHandle) {
        if (!state.isValid && editor.state.notice?.text.startsWith('Cannot connect:')) editor.setNotice(null);
        return;
      }
      // React Flow normalises nothing here: the drag may have started at either end.
      const from = state.fromHandle;
      const to = state.toHandle;
      const [src, tgt] = from.type === 'source' ? [from, to] : [to, from];
      const problem = problemOf(editor.view, { source: src.nodeId, sourceHandle: src.id, target: tgt.nodeId, targetHandle: tgt.id });
      if (problem) editor.setNotice({ level: 'error', text: `Cannot connect: ${problem}` });
    },
    [editor, rf],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(KIND_MIME) && !e.dataTransfer.types.includes(GROUP_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      // A motif or a saved group from the palette (renderer/groups).
      const groupDef = findGroupDefinition(e.dataTransfer.getData(GROUP_MIME));
      if (groupDef) {
        e.preventDefault();
        const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        placeGroup(editor, groupDef, { x: at.x - 100, y: at.y - 16 });
        return;
      }
      const kindId = e.dataTransfer.getData(KIND_MIME);
      if (!kindId || !getKind(kindId)) return;
      e.preventDefault();
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      editor.addNode(kindId, { x: p.x - NODE_WIDTH / 2, y: p.y - 16 });
    },
    [editor, rf],
  );

  // Layout and free-spot placement use the sizes the canvas measured.
  useEffect(() => {
    editor.sizeOf = (n) => measured[n.id] ?? estimateSize(n);
  }, [editor, measured]);

  // Wires route around the boxes of this level's nodes (obstacles.ts, wire-route.ts).
  useLayoutEffect(() => {
    canvasObstacles.set(new ObstacleIndex(level.nodes.map((n) => [n.id, { ...n.position, ...(measured[n.id] ?? estimateSize(n)) }] as const)));
  }, [level.nodes, measured]);
  // Routes kept from an auto-layout belong to the document they were laid out in.
  useEffect(() => keptRoutes.clear(), [docEpoch]);
  // Auto-layout places ports where React Flow draws the handles.
  useEffect(() => {
    canvasPorts.offset = (node, side, port) => {
      const h = rf.getInternalNode(node)?.internals.handleBounds?.[side]?.find((x) => x.id === port);
      return h ? { x: side === 'source' ? h.x + h.width : h.x, y: h.y + h.height / 2 } : null;
    };
    return () => {
      canvasPorts.offset = null;
    };
  }, [rf]);

  // "Here" for paste and quick-add: the pointer over the canvas, else the view's centre.
  const wrapRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    canvasPointer.toFlow = (p) => rf.screenToFlowPosition(p);
    canvasPointer.centre = () => {
      const r = wrapRef.current?.getBoundingClientRect();
      return r ? rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
    };
    return () => {
      canvasPointer.toFlow = null;
      canvasPointer.centre = null;
    };
  }, [rf]);

  const onPaneClick = useCallback(() => editor.setSelection({ nodes: [], edges: [] }), [editor]);

  // Right-click: a node or wire outside the selection becomes the selection first.
  const menuAt = (e: { preventDefault(): void; clientX: number; clientY: number }) => {
    e.preventDefault();
    return { x: e.clientX, y: e.clientY };
  };
  const onNodeContextMenu = useCallback(
    (e: MouseEvent | React.MouseEvent, node: SpikeFlowNode) => {
      const at = menuAt(e);
      if (isBoundaryId(node.id)) return;
      const sel = editor.state.selection;
      if (!sel.nodes.includes(node.id)) editor.setSelection({ nodes: [node.id], edges: [] });
      openContextMenu(editor.state.selection.nodes.length > 1 ? 'selection' : 'node', at);
    },
    [editor],
  );
  const onEdgeContextMenu = useCallback(
    (e: MouseEvent | React.MouseEvent, edge: WireFlowEdge) => {
      const at = menuAt(e);
      if (edge.id.startsWith('\u0001')) return;
      editor.setSelection({ nodes: [], edges: [edge.id] });
      openContextMenu('edge', at);
    },
    [editor],
  );
  const onPaneContextMenu = useCallback((e: MouseEvent | React.MouseEvent) => openContextMenu('pane', menuAt(e)), []);
  const onSelectionContextMenu = useCallback((e: MouseEvent | React.MouseEvent) => openContextMenu('selection', menuAt(e)), []);

  // Double-click on empty canvas: quick-add there (instead of React Flow's zoom).
  const onDoubleClick = useCallback(
    (e: React.MouseEvent) => {
      if (!(e.target as Element).classList.contains('react-flow__pane')) return;
      const screen = { x: e.clientX, y: e.clientY };
      openQuickAdd({ screen, at: rf.screenToFlowPosition(screen) });
    },
    [rf],
  );

  return (
    <div
      className="sf-canvas"
      ref={wrapRef}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onPointerMove={(e) => (canvasPointer.screen = { x: e.clientX, y: e.clientY })}
      onPointerLeave={() => (canvasPointer.screen = null)}
      onDoubleClick={onDoubleClick}
    >
      <ReactFlow<SpikeFlowNode, WireFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onPaneClick={onPaneClick}
        onNodeContextMenu={onNodeContextMenu}
        onEdgeContextMenu={onEdgeContextMenu}
        onPaneContextMenu={onPaneContextMenu}
        onSelectionContextMenu={onSelectionContextMenu}
        zoomOnDoubleClick={false}
        panActivationKeyCode={null}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Meta', 'Control']}
        minZoom={0.1}
        maxZoom={3}
        defaultEdgeOptions={{ type: 'wire' }}
        connectionRadius={24}
        attributionPosition="top-right"
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#cfd4dc" />
        <Controls showInteractive={false} position="bottom-left" />
        <MiniMap
          pannable
          zoomable
          position="bottom-right"
          nodeColor={(n) => CATEGORY_COLORS[getKind((n as SpikeFlowNode).data.node?.kind ?? '')?.category ?? ''] ?? '#adb5bd'}
          nodeStrokeWidth={0}
          maskColor="rgba(240, 242, 245, 0.7)"
          style={{ width: 140, height: 90 }}
          onClick={(_e, p) => void rf.setCenter(p.x, p.y, { zoom: rf.getZoom(), duration: 150 })}
        />
      </ReactFlow>
      <GroupBreadcrumbs />
      {doc.nodes.length === 0 && (
        <div className="sf-canvas-empty">
          <p>Drag a node from the palette onto the canvas, or double-click it.</p>
          <p>Wire an output (right) to an input (left). Try Examples in the toolbar.</p>
        </div>
      )}
    </div>
  );
}
