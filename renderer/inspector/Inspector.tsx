/**
 * The inspector: a form for what is selected, generated from declarations.
 * - a node: label, its kind's params (only those whose `when` holds), presets, help;
 * - a wire: projection params (weight in the target port's unit), or a note for
 *   observe/inject wires, which have none;
 * - nothing: the document's name, description and simulation settings.
 */
import { useMemo, useState } from 'react';
import { PROJECTION_PARAMS, getKind, paramActive } from '../../engine/kinds/index.ts';
import type { NodeKind, ParamSpec } from '../../engine/kinds/index.ts';
import type { DocEdge, DocIssue, DocNode, GraphDocument } from '../../engine/format/document.ts';
import { useEditorState, useServices } from '../app/EditorContext.tsx';
import { documentIssues, fieldIssue, indexIssues } from '../store/issues.ts';
import { ParamField } from './ParamField.tsx';
import { sweepFieldMenu } from '../sweep/field-action.ts';
import { FieldRow, ParsedField } from './fields.tsx';
import { formatNumber, matchingPreset, parseNumber } from './param-text.ts';
import type { Parsed } from './param-text.ts';
import { SAME_STEP_FIELD, SIMULATION_FIELDS } from './simulation-fields.ts';
import { importersFor } from './importers.ts';
import type { Importer } from './importers.ts';
import { ImportControl } from './ImportControl.tsx';
import { DATASET_FILE_FIELDS, DatasetFileControl } from './DatasetFileControl.tsx';
import { WireWeightsControl } from './WireWeightsControl.tsx';
import { helpBlocks } from './help-text.ts';
import { flattenDocument, isGroupNode } from '../../engine/format/groups.ts';
import { GroupInspector, GroupSelectionButton } from '../groups/GroupInspector.tsx';
import { levelView, wiringOf } from '../groups/level.ts';

const parseText = (t: string): Parsed<string> => ({ ok: true, value: t });
const formatText = (v: unknown) => (typeof v === 'string' ? v : '');

/** Issue messages trimmed of the "Node "x" (…), field y:" prefix when shown under that very field. */
function shortIssue(issue: DocIssue | undefined): string | null {
  if (!issue) return null;
  const m = /, field [^:]+: (.*)$/s.exec(issue.message);
  return m ? m[1] : issue.message;
}

function useIssues() {
  const doc = useEditorState((s) => s.doc);
  const runIssues = useEditorState((s) => s.run.issues);
  return useMemo(() => indexIssues(documentIssues(doc), runIssues), [doc, runIssues]);
}

export function Inspector() {
  // The level shown on the canvas: inside a group, its nodes (renderer/groups).
  const doc = useEditorState((s) => levelView(s.doc, s.groupPath));
  const selection = useEditorState((s) => s.selection);
  const single = selection.nodes.length + selection.edges.length === 1;
  const node = single && selection.nodes.length === 1 ? doc.nodes.find((n) => n.id === selection.nodes[0]) : undefined;
  const edge = single && selection.edges.length === 1 ? doc.edges.find((e) => e.id === selection.edges[0]) : undefined;
  let body;
  if (node && isGroupNode(node)) body = <GroupInspector key={node.id} group={node} />;
  else if (node) body = <NodeInspector key={node.id} node={node} />;
  else if (edge) body = <EdgeInspector key={edge.id} edge={edge} />;
  else if (!single && selection.nodes.length + selection.edges.length > 1) body = <MultiInspector nodes={selection.nodes.length} edges={selection.edges.length} />;
  else body = <DocumentInspector />;
  return (
    <aside className="sf-inspector" aria-label="Inspector" data-testid="inspector">
      {body}
    </aside>
  );
}

function MultiInspector({ nodes, edges }: { nodes: number; edges: number }) {
  return (
    <div className="sf-inspector-body">
      <div className="sf-panel-title">Selection</div>
      <p className="sf-muted sf-pad">
        {nodes} node{nodes === 1 ? '' : 's'}, {edges} wire{edges === 1 ? '' : 's'} selected. Press Delete to remove them.
      </p>
      {nodes > 0 && <GroupSelectionButton />}
    </div>
  );
}

function IssueList({ issues, exclude }: { issues: readonly DocIssue[] | undefined; exclude: (i: DocIssue) => boolean }) {
  const rest = (issues ?? []).filter((i) => !exclude(i));
  if (rest.length === 0) return null;
  return (
    <ul className="sf-issue-list">
      {rest.map((i) => (
        <li key={`${i.pointer}|${i.message}`}>{i.message}</li>
      ))}
    </ul>
  );
}

/** The outcome of the last import into a field; shown while the field still holds `value`. */
interface ImportOutcome {
  readonly ok: boolean;
  readonly text: string;
  readonly value: unknown;
}

function NodeInspector({ node }: { node: DocNode }) {
  const plasticAcross = useEditorState((s) => plasticAcrossPopulations(s.doc, node.id));
  const app = useServices();
  const { editor, datasets } = app;
  const issues = useIssues().byNode.get(node.id);
  const kind = getKind(node.kind);
  // Per field; the component is keyed by node id, so another node starts afresh.
  const [imports, setImports] = useState<Readonly<Record<string, ImportOutcome>>>({});
  if (!kind) {
    return (
      <div className="sf-inspector-body">
        <div className="sf-panel-title">{node.id}</div>
        <p className="sf-pad sf-error-text">Unknown kind "{node.kind}": this node cannot be edited or run.</p>
      </div>
    );
  }
  const specs = Object.entries(kind.params) as [string, ParamSpec][];
  const active = specs.filter(([name, s]) => paramActive(s, node.params) && (name !== 'allow_autapses' || !plasticAcross));
  const importers = importersFor(kind);
  const preset = matchingPreset(kind.presets, node.params);

  const runImport = (imp: Importer, text: string, fileName: string) => {
    const current = editor.view.nodes.find((n) => n.id === node.id);
    if (!current) return;
    const r = imp.run(text, fileName, current.params);
    if (!r.ok) {
      setImports((m) => ({ ...m, [imp.field]: { ok: false, text: r.message, value: current.params[imp.field] } }));
      return;
    }
    editor.setParams(node.id, r.values, `Import ${fileName} into ${current.label || node.id}`);
    const after = editor.view.nodes.find((n) => n.id === node.id)?.params[imp.field];
    setImports((m) => ({ ...m, [imp.field]: { ok: true, text: `Imported ${r.summary}`, value: after } }));
  };

  const importFor = (name: string) => {
    const imp = importers.find((i) => i.field === name);
    if (!imp && datasets && node.params.input === 'file' && DATASET_FILE_FIELDS.includes(name)) {
      const extra = (
        <DatasetFileControl
          session={datasets}
          field={name}
          value={String(node.params[name] ?? '')}
          onChosen={(v) => editor.setParam(node.id, name, v)}
          onFolderChosen={(v) => editor.setParams(node.id, { [name]: v, [name === 'file' ? 'labels_file' : 'test_labels_file']: '' }, `Choose image folder ${v}`)}
        />
      );
      return { extra, error: null };
    }
    if (!imp) return { extra: undefined, error: null };
    const last = imports[name];
    const current = last && last.value === node.params[name] ? last : undefined;
    const status = current?.ok ? current.text : (imp.describe?.(node.params) ?? null);
    return {
      extra: (
        <ImportControl
          importer={imp}
          status={status}
          onFile={(text, fileName) => runImport(imp, text, fileName)}
          onReadError={(fileName, message) => setImports((m) => ({ ...m, [name]: { ok: false, text: `${fileName}: could not be read (${message})`, value: node.params[name] } }))}
        />
      ),
      error: current && !current.ok ? current.text : null,
    };
  };

  return (
    <div className="sf-inspector-body" data-testid="node-inspector">
      <div className="sf-panel-title">
        <span className={`sf-cat-chip cat-${kind.category}`}>{kind.category}</span>
        <span className="sf-title-text">{kind.label}</span>
      </div>
      <div className="sf-form">
        <div className="sf-field">
          <span className="sf-field-label">Id</span>
          <div className="sf-field-control">
            <code className="sf-id" data-testid="node-id">
              {node.id}
            </code>
          </div>
        </div>
        <ParsedField
          label="Label"
          tooltip="A name for people; shown on the node."
          value={node.label}
          format={formatText}
          parse={parseText}
          sessionKey={`${node.id}.label`}
          testId="node-label"
          onCommit={(v, k) => editor.setNodeLabel(node.id, v, { mergeKey: k })}
        />
        {kind.presets && kind.presets.length > 0 && (
          <div className="sf-field">
            <span className="sf-field-label" title="Sets several parameters at once, as one undo step.">
              Preset
            </span>
            <div className="sf-field-control">
              <select
                className="sf-input"
                data-testid="node-preset"
                value={preset?.name ?? ''}
                title={preset ? `The parameters match the preset ${preset.name}` : 'Set several parameters at once'}
                onChange={(e) => {
                  const chosen = kind.presets?.find((p) => p.name === e.target.value);
                  if (chosen) editor.setParams(node.id, chosen.values, `Apply preset ${chosen.name} to ${node.label || node.id}`);
                }}
              >
                <option value="">{preset ? 'Custom' : 'Custom (choose a preset…)'}</option>
                {kind.presets.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}
        {active.length > 0 && <div className="sf-form-section">Parameters</div>}
        {active.map(([name, spec]) => {
          const imp = importFor(name);
          return (
            <ParamField
              key={name}
              name={name}
              spec={spec}
              value={node.params[name]}
              owner={node.id}
              neurons={typeof node.params.size === 'number' ? node.params.size : undefined}
              issue={shortIssue(fieldIssue(issues, name))}
              extra={imp.extra}
              importError={imp.error}
              onChange={(v, mergeKey) => editor.setParam(node.id, name, v, { mergeKey })}
              onSweep={(e) => sweepFieldMenu(app, e, `${node.id}.${name}`, node.params[name])}
            />
          );
        })}
      </div>
      <IssueList issues={issues} exclude={(i) => i.field !== undefined && active.some(([n]) => n === i.field)} />
      <KindHelp kind={kind} />
    </div>
  );
}

/** The kind's help: prose that wraps, equations one per line in monospace. */
function KindHelp({ kind }: { kind: NodeKind }) {
  const blocks = useMemo(() => helpBlocks(kind.help), [kind]);
  return (
    <details className="sf-help" open data-testid="kind-help">
      <summary>About {kind.label}</summary>
      <div className="sf-help-body">
        {blocks.map((b, i) =>
          b.type === 'text' ? (
            <p key={i}>{b.text}</p>
          ) : (
            <div key={i} className="sf-help-math">
              {b.lines.map((l, j) => (
                <div key={j} className={l.startsWith('(') ? 'sf-help-note' : undefined}>
                  {l}
                </div>
              ))}
            </div>
          ),
        )}
      </div>
    </details>
  );
}

/**
 * Whether a plasticity node's projection joins two different populations (its pre
 * source is not its post target), so the Autapses choice does not apply.
 */
function plasticAcrossPopulations(doc: GraphDocument, nodeId: string): boolean {
  if (getKind(doc.nodes.find((n) => n.id === nodeId)?.kind ?? '')?.runtime.role !== 'plasticity') return false;
  const pre = doc.edges.find((e) => e.target.node === nodeId)?.source.node;
  const post = doc.edges.find((e) => e.source.node === nodeId)?.target.node;
  return pre !== undefined && post !== undefined && pre !== post;
}

function EdgeInspector({ edge }: { edge: DocEdge }) {
  const app = useServices();
  const { editor } = app;
  const level = useEditorState((s) => levelView(s.doc, s.groupPath));
  const issues = useIssues().byEdge.get(edge.id);
  // A wire at a group's port is judged by the inner port it reaches (renderer/groups).
  const w = wiringOf(level, edge.source, edge.target);
  const src = w.doc.nodes.find((n) => n.id === w.source.node);
  const tgt = w.doc.nodes.find((n) => n.id === w.target.node);
  const port = tgt ? getKind(tgt.kind)?.inputs.find((p) => p.id === w.target.port) : undefined;
  const role = port?.role;
  // A plastic projection (pre → plasticity node → target) keeps its params on the node.
  const holder = role === 'plastic' ? tgt : role === 'projection' && src && getKind(src.kind)?.runtime.role === 'plasticity' ? src : undefined;
  const specs = Object.entries(PROJECTION_PARAMS) as [string, ParamSpec][];
  // Autapses only mean something when a population projects onto itself.
  const active = holder ? [] : specs.filter(([name, s]) => paramActive(s, edge.params) && (name !== 'allow_autapses' || edge.source.node === edge.target.node));
  return (
    <div className="sf-inspector-body" data-testid="edge-inspector">
      <div className="sf-panel-title">
        <span className={`sf-cat-chip${holder ? ' cat-plasticity' : ''}`}>{holder ? 'plastic' : role === 'projection' ? 'projection' : (role ?? 'wire')}</span>
        <span className="sf-title-text">{edge.id}</span>
      </div>
      <p className="sf-pad sf-route">
        <code>{src?.label || edge.source.node}</code>.{edge.source.port} → <code>{tgt?.label || edge.target.node}</code>.{edge.target.port}
      </p>
      {holder ? (
        <p className="sf-pad sf-muted" data-testid="edge-held-by">
          {role === 'plastic' ? 'The presynaptic side of a plastic projection.' : 'A plastic projection.'} Its connectivity, weights, delay and learning rule are parameters of{' '}
          <button type="button" className="sf-link" data-testid="edge-select-holder" onClick={() => editor.setSelection({ nodes: [holder.id], edges: [] })}>
            {holder.label || holder.id}
          </button>
          ; this wire has none.
        </p>
      ) : role === 'projection' ? (
        <div className="sf-form">
          {active.map(([name, spec]) => (
            <ParamField
              key={name}
              name={name}
              spec={spec}
              value={edge.params[name]}
              owner={edge.id}
              unit={name === 'weight' ? port?.weightUnit : undefined}
              issue={shortIssue(fieldIssue(issues, name))}
              onChange={(v, mergeKey) => editor.setEdgeParam(edge.id, name, v, { mergeKey })}
              onSweep={(e) => sweepFieldMenu(app, e, `${edge.id}.${name}`, edge.params[name])}
            />
          ))}
          <WireWeightsControl edge={edge} unit={port?.weightUnit} signed={port?.signedWeights === true} />
        </div>
      ) : (
        <p className="sf-pad sf-muted">
          {role === 'observe'
            ? 'An observe wire: the monitor records what flows in. It has no parameters.'
            : role === 'inject'
              ? 'A current wire: the source current is added to every target neuron. It has no parameters.'
              : 'This wire ends at an unknown input.'}
        </p>
      )}
      <IssueList issues={issues} exclude={(i) => i.field !== undefined && active.some(([n]) => n === i.field)} />
    </div>
  );
}

function DocumentInspector() {
  const { editor } = useServices();
  const doc = useEditorState((s) => s.doc);
  const general = useIssues().general;
  const neurons = useMemo(() => {
    let n = 0;
    for (const node of flattenDocument(doc).doc.nodes) {
      const kind = getKind(node.kind);
      if (kind?.category === 'neuron' && typeof node.params.size === 'number') n += node.params.size;
    }
    return n;
  }, [doc]);
  return (
    <div className="sf-inspector-body" data-testid="document-inspector">
      <div className="sf-panel-title">Document</div>
      <div className="sf-form">
        <ParsedField
          label="Name"
          value={doc.meta.name}
          format={formatText}
          parse={parseText}
          sessionKey="doc.name"
          testId="doc-name"
          tooltip="The document's name; also the suggested file name."
          onCommit={(v, k) => editor.setMeta('name', v, { mergeKey: k })}
        />
        <ParsedField
          label="Description"
          value={doc.meta.description}
          format={formatText}
          parse={parseText}
          multiline
          sessionKey="doc.description"
          testId="doc-description"
          onCommit={(v, k) => editor.setMeta('description', v, { mergeKey: k })}
        />
        <div className="sf-form-section">Simulation</div>
        {SIMULATION_FIELDS.map((f) => (
          <ParsedField
            key={f.key}
            label={f.label}
            tooltip={f.tooltip}
            unit={f.unit || undefined}
            value={doc.simulation[f.key]}
            format={formatNumber}
            parse={parseNumber}
            error={shortIssue(general.find((i) => i.field === f.key))}
            sessionKey={`sim.${f.key}`}
            testId={`settings-${f.key}`}
            onCommit={(v, k) => editor.setSimulation(f.key, v, { mergeKey: k })}
          />
        ))}
        <FieldRow
          label={SAME_STEP_FIELD.label}
          tooltip={SAME_STEP_FIELD.tooltip}
          htmlFor="settings-same-step"
          error={shortIssue(general.find((i) => i.field === SAME_STEP_FIELD.key))}
          extra={
            <span className="sf-muted" data-testid="settings-same-step-hint">
              {doc.simulation.same_step_delivery === true ? SAME_STEP_FIELD.on : SAME_STEP_FIELD.off}
            </span>
          }
        >
          <input
            id="settings-same-step"
            type="checkbox"
            className="sf-checkbox"
            data-testid="settings-same_step_delivery"
            checked={doc.simulation.same_step_delivery === true}
            title={SAME_STEP_FIELD.tooltip}
            onChange={(e) => editor.setSameStepDelivery(e.target.checked)}
          />
        </FieldRow>
      </div>
      <IssueList issues={general} exclude={(i) => SIMULATION_FIELDS.some((f) => f.key === i.field) || i.field === SAME_STEP_FIELD.key} />
      <p className="sf-pad sf-muted">
        {doc.nodes.length} node{doc.nodes.length === 1 ? '' : 's'}, {doc.edges.length} wire{doc.edges.length === 1 ? '' : 's'}, {neurons.toLocaleString('en-US')} neurons. Select a node or wire to edit
        it.
      </p>
    </div>
  );
}
