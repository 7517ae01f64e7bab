/**
 * What groups add to shared surfaces, in one place: the quick-add search (motifs and
 * saved groups) and the context menus (Group, Ungroup). Imported once, by the palette.
 */
import { registerQuickAddSource } from '../quick-add/sources.ts';
import { CONTEXT_MENUS } from '../canvas/ContextMenu.tsx';
import { GROUP_QUICK_ADD_SOURCE } from './quick-add-source.ts';

registerQuickAddSource(GROUP_QUICK_ADD_SOURCE);
if (!CONTEXT_MENUS.node.includes('group')) CONTEXT_MENUS.node.push('-', 'group', 'ungroup');
if (!CONTEXT_MENUS.selection.includes('group')) CONTEXT_MENUS.selection.push('-', 'group');
