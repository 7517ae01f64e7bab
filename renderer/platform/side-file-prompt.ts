/**
 * The browser's answer to a document that references side files (stored weights in a
 * `.npy`, `.npz`, `.csv` or Spikeflow weights `.json` next to it): a tab cannot read the
 * folder a document came from, so it asks the user to pick them. One in-page dialog
 * (SideFilePrompt.tsx) lists each missing file with the wires and the field that name
 * it; the user picks them (several at once, matched by name: a file of another name is
 * refused in the dialog), and the run goes on with them. Cancel answers null, and the run
 * is refused as before, naming each wire and `weights.file`. The desktop reads the files
 * beside the document instead (Platform.sideFiles) and never asks.
 */
import { createStore } from 'zustand/vanilla';
import { isBinaryWeightsFile } from '../../engine/format/weights-files.ts';
import type { SideFileNeed } from '../store/side-files.ts';

export interface SideFileRequest {
  readonly needs: readonly SideFileNeed[];
  /** The picked files' contents by the name the document uses (bytes for `.npy`/`.npz`), or null (cancelled). */
  readonly resolve: (files: ReadonlyMap<string, string | Uint8Array> | null) => void;
}

export const sideFilePromptStore = createStore<{ request: SideFileRequest | null }>()(() => ({ request: null }));

/** Ask the user for the files `needs` lists; a second request cancels the first. */
export function askSideFiles(needs: readonly SideFileNeed[]): Promise<ReadonlyMap<string, string | Uint8Array> | null> {
  sideFilePromptStore.getState().request?.resolve(null);
  return new Promise((resolve) => {
    sideFilePromptStore.setState({
      request: {
        needs,
        resolve: (files) => {
          sideFilePromptStore.setState({ request: null });
          resolve(files);
        },
      },
    });
  });
}

/** A picked file's content as the engine's readers take it: bytes for `.npy`/`.npz`, text otherwise. */
export async function sideFileContent(file: File, name: string): Promise<string | Uint8Array> {
  return isBinaryWeightsFile(name) ? new Uint8Array(await file.arrayBuffer()) : file.text();
}
