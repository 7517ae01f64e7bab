/**
 * The top bar: file actions and examples, undo/redo, run controls with progress,
 * and the simulation settings. Buttons dispatch actions (app/actions.ts).
 */
import { useEffect, useState } from 'react';
import { useAction, useEditorState, useServices } from '../app/EditorContext.tsx';
import { ACTIONS, perform, titleOf } from '../app/actions.ts';
import type { ActionName } from '../app/actions.ts';
import { selectDirty } from '../store/editor.ts';
import { isRunActive } from '../store/run-state.ts';
import { Dropdown } from '../ui/Dropdown.tsx';
import type { MenuItem } from '../ui/Dropdown.tsx';
import { Icon } from '../ui/Icon.tsx';
import type { IconName } from '../ui/Icon.tsx';
import { EXAMPLES, openExample } from '../examples/examples.ts';
import { ParsedInput } from '../inspector/fields.tsx';
import { formatNumber, parseNumber } from '../inspector/param-text.ts';
import { SIMULATION_FIELDS } from '../inspector/simulation-fields.ts';
import { documentIssues } from '../store/issues.ts';
import { buildWhat, isBuilding, progressFraction, runClockText, runStatusText } from '../results/run-format.ts';
import { useActivity } from '../canvas/useActivity.ts';
import { BackendPicker } from './BackendPicker.tsx';

function ActionButton({ name, icon, testId, label, primary }: { name: ActionName; icon?: IconName; testId: string; label?: string; primary?: boolean }) {
  const { app, action, enabled } = useAction(name);
  return (
    <button
      type="button"
      className={`sf-btn${primary ? ' is-primary' : ''}`}
      data-testid={testId}
      title={titleOf(action)}
      aria-label={action.label}
      disabled={!enabled}
      onClick={() => perform(name, app)}
    >
      {icon && <Icon name={icon} />}
      {label !== undefined && <span>{label}</span>}
    </button>
  );
}

function FileMenu() {
  const app = useServices();
  const [recent, setRecent] = useState<readonly string[]>([]);
  // The list changes as files are opened and saved: read it again for each new file.
  const file = useEditorState((s) => s.file);
  useEffect(() => {
    let live = true;
    void app.platform.recentFiles().then(
      (r) => {
        if (live) setRecent(r);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [app.platform, file]);
  const items: MenuItem[] = [
    { key: 'new', label: 'New', testId: 'menu-new', onSelect: () => perform('new', app) },
    { key: 'open', label: 'Open…', hint: ACTIONS.open.shortcut, testId: 'menu-open', onSelect: () => perform('open', app) },
    { key: 'save', label: 'Save', hint: ACTIONS.save.shortcut, testId: 'menu-save', onSelect: () => perform('save', app) },
    { key: 'saveAs', label: 'Save as…', hint: ACTIONS.saveAs.shortcut, testId: 'menu-save-as', onSelect: () => perform('saveAs', app) },
    { key: 'export', label: 'Export JSON…', testId: 'menu-export', onSelect: () => perform('export', app) },
    ...(['importNir', 'exportNir', 'exportBrian2', 'importResults', 'sweep'] as const).map((name, i) => ({
      key: name,
      label: ACTIONS[name].label,
      testId: `menu-${name}`,
      separatorBefore: i === 0,
      onSelect: () => perform(name, app),
    })),
    ...recent.slice(0, 8).map((path, i) => ({
      key: `recent-${path}`,
      label: path.slice(path.lastIndexOf('/') + 1),
      title: path,
      separatorBefore: i === 0,
      testId: 'menu-recent-item',
      onSelect: () => void app.files.openRecent(path),
    })),
  ];
  return <Dropdown label="File" items={items} testId="file-menu" title="File" />;
}

function ExamplesMenu() {
  const app = useServices();
  const items: MenuItem[] = EXAMPLES.map((ex) => ({
    key: ex.fileName,
    label: ex.title,
    title: ex.description,
    testId: `example-${ex.fileName.replace(/\.spikeflow\.json$|\.json$/, '')}`,
    onSelect: () => void openExample(app, ex),
  }));
  return (
    <Dropdown
      label={
        <>
          <Icon name="book" />
          <span>Examples</span>
        </>
      }
      items={items}
      testId="examples"
      title="Open an example network"
      empty="No examples found"
    />
  );
}

function RunControls() {
  const app = useServices();
  const run = useEditorState((s) => s.run);
  const sim = useEditorState((s) => s.doc.simulation);
  const active = isRunActive(run.phase);
  const frac = progressFraction(run);
  const shown = run.phase !== 'idle' && run.phase !== 'refused';
  const building = isBuilding(run);
  const paused = run.phase === 'paused';
  return (
    <div className="sf-run">
      <ActionButton name="run" icon="run" testId="run" label="Run" primary />
      {paused ? <ActionButton name="resume" icon="run" testId="pause" label="Resume" /> : <ActionButton name="pause" icon="pause" testId="pause" label="Pause" />}
      <ActionButton name="stop" icon="stop" testId="stop" />
      <div
        className={`sf-progress${active ? ' is-active' : ''}${building ? ' is-building' : ''}`}
        title={building ? `Building the network${run.build ? `: ${buildWhat(run.build)}, ${run.build.done} of ${run.build.total}` : ''} (Cancel stops it)` : `${Math.floor(frac * 100)}%`}
        data-testid="run-progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.floor((shown ? frac : 0) * 100)}
        data-building={building ? `${run.build?.done ?? 0}/${run.build?.total ?? 0}` : undefined}
      >
        <div className="sf-progress-bar" style={{ width: `${(shown ? frac : 0) * 100}%` }} />
      </div>
      <span className="sf-run-time" data-testid="run-time">
        {runClockText(run, sim)}
      </span>
      <span className={`sf-run-status phase-${run.phase}`} data-testid="run-status" role="status" onClick={() => app.editor.setNotice(null)}>
        {runStatusText(run)}
      </span>
      {run.phase === 'starting' && (
        <button type="button" className="sf-btn" data-testid="build-cancel" title="Stop building; the results shown stay as they are" onClick={() => perform('stop', app)}>
          Cancel
        </button>
      )}
    </div>
  );
}

/** Shows or hides firing rates and wire traffic on the canvas (session state). */
function ActivityToggle() {
  const tracker = useActivity();
  const on = tracker.visible;
  return (
    <button
      type="button"
      className={`sf-btn sf-toggle${on ? ' is-on' : ''}`}
      data-testid="activity-toggle"
      aria-pressed={on}
      title={on ? 'Hide firing rates and wire traffic on the canvas' : 'Show firing rates and wire traffic on the canvas'}
      onClick={() => tracker.setVisible(!on)}
    >
      <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
        <path d="M1 11h2.5l1.5-5 2.5 8 2-10 1.5 7H15" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" />
      </svg>
      <span>Activity</span>
    </button>
  );
}

function SimulationSettings() {
  const { editor } = useServices();
  const sim = useEditorState((s) => s.doc.simulation);
  const issues = useEditorState((s) => documentIssues(s.doc));
  const locked = useEditorState((s) => isRunActive(s.run.phase));
  return (
    <div className="sf-sim" aria-label="Simulation settings">
      {SIMULATION_FIELDS.map((f) => {
        const issue = issues.find((i) => i.field === f.key && i.nodeId === undefined && i.edgeId === undefined);
        return (
          <label key={f.key} className="sf-sim-field" title={issue ? issue.message : f.tooltip}>
            <span className="sf-sim-label">{f.short}</span>
            <ParsedInput
              value={sim[f.key]}
              format={formatNumber}
              parse={parseNumber}
              sessionKey={`sim.${f.key}`}
              testId={`sim-${f.key}`}
              invalid={!!issue}
              className={`sf-sim-input sim-${f.key}`}
              title={issue ? issue.message : f.tooltip}
              onCommit={(v, k) => editor.setSimulation(f.key, v, { mergeKey: k })}
            />
            {f.unit && <span className="sf-sim-unit">{f.unit}</span>}
            {locked && <span className="sf-visually-hidden">(applies to the next run)</span>}
          </label>
        );
      })}
    </div>
  );
}

export function Toolbar() {
  const name = useEditorState((s) => s.doc.meta.name);
  const dirty = useEditorState(selectDirty);
  const file = useEditorState((s) => s.file);
  return (
    <header className="sf-toolbar">
      <div className="sf-brand" title="Spikeflow">
        <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
          <path d="M1 12h3l2-8 3 12 2-8 1.5 4H17" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" strokeLinecap="round" />
        </svg>
        <span>Spikeflow</span>
      </div>
      <div className="sf-group">
        <FileMenu />
        <ActionButton name="open" icon="open" testId="open" />
        <ActionButton name="save" icon="save" testId="save" />
        <ExamplesMenu />
      </div>
      <div className="sf-sep" />
      <div className="sf-group">
        <ActionButton name="undo" icon="undo" testId="undo" />
        <ActionButton name="redo" icon="redo" testId="redo" />
      </div>
      <div className="sf-sep" />
      <RunControls />
      <BackendPicker />
      <ActivityToggle />
      <div className="sf-sep" />
      <SimulationSettings />
      <div className="sf-doc-name" title={file.path ?? file.fileName ?? 'Not saved yet'} data-testid="doc-title">
        {name || 'Untitled'}
        {dirty && (
          <span className="sf-dirty" aria-label="unsaved changes">
            {' '}
            •
          </span>
        )}
      </div>
    </header>
  );
}
