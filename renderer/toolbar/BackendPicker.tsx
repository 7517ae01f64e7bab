/**
 * Next to Run: which engine Run uses (Spikeflow's, or NEST, NEURON or Brian2
 * through a PyNN script), with MPI processes and threads, a running job's
 * progress and Cancel, and why the last one failed. Disabled, with the reason,
 * in a plain browser (renderer/backend/backend-runs.ts).
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useHistory } from '../history/HistoryContext.tsx';
import { BACKEND_CHOICES, NO_HOST_REASON, backendRuns, type BackendChoice } from '../backend/backend-runs.ts';
import '../backend/backend.css';

function Workers({ field, value, label, title, disabled }: { field: 'mpi' | 'threads'; value: number; label: string; title: string; disabled: boolean }) {
  const runs = backendRuns();
  return (
    <label className="sf-sim-field" title={title}>
      <span className="sf-sim-label">{label}</span>
      <input
        className="sf-input sf-backend-workers"
        type="number"
        min={1}
        step={1}
        value={value}
        disabled={disabled}
        data-testid={`backend-${field}`}
        aria-label={title}
        onChange={(e) => runs.setWorkers(field, Number(e.target.value))}
      />
    </label>
  );
}

export function BackendPicker() {
  const runs = backendRuns();
  const history = useHistory();
  const s = useStore(runs.store);
  useEffect(() => {
    runs.attach(history);
    return () => runs.attach(null);
  }, [runs, history]);
  const available = runs.host !== null;
  const busy = s.job !== null;
  const pct = s.job && s.job.totalMs > 0 ? Math.floor((100 * s.job.doneMs) / s.job.totalMs) : 0;
  return (
    <div className="sf-backend" data-testid="backend-picker">
      <label className="sf-sim-field" title={available ? 'The engine Run uses: Spikeflow, or a PyNN script run on NEST, NEURON or Brian2' : NO_HOST_REASON}>
        <span className="sf-sim-label">on</span>
        <select
          className="sf-backend-select"
          data-testid="backend-select"
          aria-label="Run on"
          value={available ? s.choice : 'spikeflow'}
          disabled={!available || busy}
          onChange={(e) => runs.choose(e.target.value as BackendChoice)}
        >
          {BACKEND_CHOICES.map((c) => (
            <option key={c.id} value={c.id} title={c.title}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      {available && s.choice !== 'spikeflow' && (
        <>
          <Workers field="mpi" value={s.mpi} label="np" title="MPI processes (mpirun -np); 1 runs without mpirun" disabled={busy} />
          <Workers field="threads" value={s.threads} label="thr" title="Threads per process (NEST uses them)" disabled={busy} />
        </>
      )}
      {s.job && (
        <>
          <span className="sf-backend-progress" role="status" data-testid="backend-progress" data-pct={pct}>
            {s.job.label} {pct} %
          </span>
          <button type="button" className="sf-btn" data-testid="backend-cancel" title={`Stop the ${s.job.label} run`} onClick={() => void runs.cancel()}>
            Cancel
          </button>
        </>
      )}
      {(s.failure || s.notes.length > 0) && (
        <div className={`sf-backend-failure${s.failure ? '' : ' is-notes'}`} role={s.failure ? 'alert' : 'status'} data-testid={s.failure ? 'backend-failure' : 'backend-notes'}>
          <div className="sf-backend-failure-head">
            <span>{s.failure ? s.failure.title : 'What the PyNN script does not do as Spikeflow does'}</span>
            <button type="button" className="sf-btn" data-testid="backend-failure-dismiss" onClick={() => runs.dismissFailure()}>
              Dismiss
            </button>
          </div>
          <pre>{s.failure ? s.failure.text : s.notes.join('\n')}</pre>
        </div>
      )}
    </div>
  );
}
