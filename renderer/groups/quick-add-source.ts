/**
 * Motifs and saved groups in the quick-add search (renderer/quick-add), beside the node
 * kinds; choosing one places it like a palette drop.
 */
import type { QuickAddSource } from '../quick-add/sources.ts';
import { placeGroup } from './commands.ts';
import { libraryGroups } from './library.ts';
import { MOTIFS } from './motifs.ts';

export const GROUP_QUICK_ADD_SOURCE: QuickAddSource = {
  id: 'groups',
  entries: () =>
    [...MOTIFS.map((d) => ({ d, section: 'Motifs' })), ...libraryGroups().map((d) => ({ d, section: 'My groups' }))].map(({ d, section }) => ({
      key: d.key,
      label: d.name,
      detail: d.description,
      section,
      keywords: 'group motif subgraph',
      place: (editor, at) => placeGroup(editor, d, at),
    })),
};
