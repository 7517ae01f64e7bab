/** Group shortcuts, shown next to the commands (the key tests live in app/actions.ts). */
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const GROUP_SHORTCUT = isMac ? '⌘G' : 'Ctrl+G';
export const UNGROUP_SHORTCUT = isMac ? '⇧⌘G' : 'Ctrl+Shift+G';
