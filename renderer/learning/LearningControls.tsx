/**
 * The Learning tab's buttons: pause or resume the training, continue a stopped
 * one from its last checkpoint, resume from a checkpoint file (the CLI's
 * `--checkpoint` or one saved here), save the checkpoint, and export the
 * trained weights (`.npz`) or the trained network (NIR, through File › Export
 * NIR after the weights are stored in the document).
 * Test ids: `learning-pause`, `learning-resume`, `learning-continue`,
 * `learning-load-checkpoint` (+ `learning-checkpoint-file`), `learning-save-checkpoint`,
 * `learning-export-npz`, `learning-export-nir`.
 */
import { useEditorState, useServices } from '../app/EditorContext.tsx';
import { perform } from '../app/actions.ts';
import { isRunActive } from '../store/run-state.ts';
import type { LearningBuffers } from './learning-buffers.ts';
import { parseCheckpoint, trainedWeightsNpz } from './learning-view.ts';
import { FileButton } from '../ui/FileButton.tsx';

export function LearningControls({ learning: l }: { learning: LearningBuffers }) {
  const app = useServices();
  const { runner, editor, platform } = app;
  const phase = useEditorState((s) => s.run.phase);
  const active = isRunActive(phase);
  const trained = !active && runner.learned.length > 0;
  const name = l.trainerId ?? 'training';
  const fail = (text: string) => editor.setNotice({ level: 'error', text });

  const exportNpz = async () => {
    try {
      const bytes = trainedWeightsNpz(runner.learned);
      const written = await platform.exportBlob(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }), `${name}-weights.npz`);
      if (written) editor.setNotice({ level: 'info', text: `Exported the trained weights to ${written.name}.` });
    } catch (e) {
      fail(`Exporting the trained weights failed: ${(e as Error).message}`);
    }
  };
  const saveCheckpoint = async () => {
    if (!l.checkpoint) return;
    try {
      const written = await platform.exportJson(JSON.stringify(l.checkpoint), `${name}.checkpoint.json`);
      if (written) editor.setNotice({ level: 'info', text: `Saved the checkpoint after epoch ${l.checkpoint.epoch} to ${written.name}.` });
    } catch (e) {
      fail(`Saving the checkpoint failed: ${(e as Error).message}`);
    }
  };
  const resumeFromFile = (file: File) =>
    void file
      .text()
      .then((text) => {
        const r = parseCheckpoint(text, file.name);
        if (!r.ok) return fail(r.error);
        l.resumeFrom = { checkpoint: r.checkpoint, source: `${file.name} (epoch ${r.checkpoint.epoch})` };
        return runner.run().then(() => undefined);
      })
      .catch((err: unknown) => fail(`${file.name} could not be read: ${(err as Error).message}`));
  const exportNir = () => {
    const r = editor.storeLearnedWeights(runner.learned, 'inline', runner.learnedTimeConstants);
    if (r.missing.length > 0) fail(`The weights of ${r.missing.join(', ')} could not be stored: their wires are no longer in the document.`);
    perform('exportNir', app);
  };

  return (
    <div className="sf-learning-controls" data-testid="learning-controls">
      {phase === 'running' && (
        <button type="button" className="sf-btn sf-btn-small sf-btn-outline" data-testid="learning-pause" onClick={() => void runner.pause()}>
          Pause
        </button>
      )}
      {phase === 'paused' && (
        <button type="button" className="sf-btn sf-btn-small sf-btn-outline" data-testid="learning-resume" onClick={() => void runner.resume()}>
          Resume
        </button>
      )}
      {!active && l.checkpoint && l.summary?.stopped && (
        <button
          type="button"
          className="sf-btn sf-btn-small sf-btn-outline"
          data-testid="learning-continue"
          title="Train on from the last finished epoch, with the optimiser's state"
          onClick={() => {
            l.resumeFrom = { checkpoint: l.checkpoint!, source: `the checkpoint after epoch ${l.checkpoint!.epoch}` };
            void runner.run();
          }}
        >
          Continue from epoch {l.checkpoint.epoch}
        </button>
      )}
      {!active && (
        <FileButton
          testId="learning-load-checkpoint"
          inputTestId="learning-checkpoint-file"
          accept=".json,application/json"
          title="Train from a checkpoint written by this tab or by spikeflow run --checkpoint"
          onFiles={([file]) => resumeFromFile(file)}
        >
          Resume from checkpoint…
        </FileButton>
      )}
      {l.checkpoint && !active && (
        <button type="button" className="sf-btn sf-btn-small sf-btn-outline" data-testid="learning-save-checkpoint" onClick={() => void saveCheckpoint()}>
          Save checkpoint…
        </button>
      )}
      {trained && (
        <>
          <button type="button" className="sf-btn sf-btn-small sf-btn-outline" data-testid="learning-export-npz" title="pre, post and w per trained wire" onClick={() => void exportNpz()}>
            Export weights (.npz)…
          </button>
          <button
            type="button"
            className="sf-btn sf-btn-small sf-btn-outline"
            data-testid="learning-export-nir"
            title="Store the trained weights in the document, then File › Export NIR (static weights)"
            onClick={exportNir}
          >
            Export trained network as NIR…
          </button>
        </>
      )}
    </div>
  );
}
