/**
 * File › Import results: the desktop app asks for a results folder (a dialog in
 * main); a browser tab opens a file picker for several files (run.json and the
 * .spikes.csv files of one folder). Then backend-runs.ts keeps the run.
 */
import type { AppServices } from '../app/actions.ts';
import { backendRuns } from './backend-runs.ts';
import type { ResultFiles } from './import-results.ts';

/** Let the user choose results files in a browser; resolves with them (never when cancelled: browsers do not say). */
function pickInBrowser(): Promise<ResultFiles> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.accept = '.json,.csv,application/json,text/csv';
    input.dataset.testid = 'import-results-input';
    input.style.display = 'none';
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])];
      input.remove();
      void Promise.all(files.map(async (f) => [f.name, await f.text()] as const)).then((pairs) => resolve(new Map(pairs)));
    });
    document.body.append(input);
    input.click();
  });
}

export async function importResults(app: AppServices): Promise<boolean> {
  const runs = backendRuns();
  let files: ResultFiles;
  if (runs.host) {
    const picked = await runs.host.pickResults();
    if (!picked) return false;
    files = new Map(Object.entries(picked));
  } else files = await pickInBrowser();
  return runs.importResults(app.editor, files);
}
