/**
 * The example graphs shipped in `examples/*.json` and `examples/<folder>/*.spikeflow.json`
 * (a folder per theme, e.g. `criticality/`; not `datasets/`, whose examples need dataset
 * files beside them), bundled as text by Vite so the Examples menu works offline, in
 * Electron and in a browser alike. A new file in such a folder appears in the menu with
 * no code change. An example that carries a saved sweep (its `sweep` field) opens with
 * its Sweep panel ready to run.
 */
import type { AppServices } from '../app/actions.ts';

export interface Example {
  /** File name, e.g. `cuba.spikeflow.json`. */
  readonly fileName: string;
  /** The document's own name, for the menu. */
  readonly title: string;
  readonly description: string;
  readonly text: string;
  /** It carries a saved sweep: opening it opens the Sweep panel too. */
  readonly hasSweep: boolean;
}

// examples/*/ holds grouped examples (criticality/: the issue-16 experiments, each with a saved sweep); datasets/ needs files on disk.
const files = import.meta.glob(['../../examples/*.json', '../../examples/*/*.spikeflow.json', '!../../examples/datasets/**'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** Title and description from the text, without a full load (the loader checks it when opened). */
function describe(fileName: string, text: string): Pick<Example, 'title' | 'description' | 'hasSweep'> {
  try {
    const parsed = JSON.parse(text) as { meta?: { name?: unknown; description?: unknown }; sweep?: unknown };
    const meta = parsed.meta;
    return {
      title: typeof meta?.name === 'string' && meta.name ? meta.name : fileName,
      description: typeof meta?.description === 'string' ? meta.description : '',
      hasSweep: typeof parsed.sweep === 'object' && parsed.sweep !== null,
    };
  } catch {
    return { title: fileName, description: '', hasSweep: false };
  }
}

export const EXAMPLES: readonly Example[] = Object.entries(files)
  .map(([path, text]) => {
    const fileName = path.slice(path.lastIndexOf('/') + 1);
    return { fileName, text, ...describe(fileName, text) };
  })
  .sort((a, b) => a.title.localeCompare(b.title));

/** Open an example (the Examples menu, the start screen); one with a saved sweep opens its Sweep panel too. */
export async function openExample(app: AppServices, ex: Example): Promise<void> {
  const opened = await app.files.openExample(ex.fileName, ex.text);
  if (opened && ex.hasSweep) await (await import('../sweep/mount.tsx')).openSweepPanel(app);
}
