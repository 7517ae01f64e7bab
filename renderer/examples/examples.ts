/**
 * The example graphs shipped in `examples/*.json`, bundled as text by Vite so the
 * Examples menu works offline, in Electron and in a browser alike.
 */

export interface Example {
  /** File name, e.g. `cuba.spikeflow.json`. */
  readonly fileName: string;
  /** The document's own name, for the menu. */
  readonly title: string;
  readonly description: string;
  readonly text: string;
}

// examples/criticality/: the issue-16 experiments (the Brunel phase diagram and the reservoir), each with a saved sweep.
const files = import.meta.glob(['../../examples/*.json', '../../examples/criticality/*.json'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** Title and description from the text, without a full load (the loader checks it when opened). */
function describe(fileName: string, text: string): Pick<Example, 'title' | 'description'> {
  try {
    const meta = (JSON.parse(text) as { meta?: { name?: unknown; description?: unknown } }).meta;
    return {
      title: typeof meta?.name === 'string' && meta.name ? meta.name : fileName,
      description: typeof meta?.description === 'string' ? meta.description : '',
    };
  } catch {
    return { title: fileName, description: '' };
  }
}

export const EXAMPLES: readonly Example[] = Object.entries(files)
  .map(([path, text]) => {
    const fileName = path.slice(path.lastIndexOf('/') + 1);
    return { fileName, text, ...describe(fileName, text) };
  })
  .sort((a, b) => a.title.localeCompare(b.title));
