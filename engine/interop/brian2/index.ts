/** Brian2 export: a compiled plan as a Brian2 script (see README.md). */
export { exportBrian2, type Brian2Export, type Brian2Options, type Brian2Realised } from './export.ts';
export { BRIAN2_KINDS, eulerTau, type Brian2Group, type Brian2Mapping } from './kinds.ts';
