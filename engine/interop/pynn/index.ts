/** PyNN export: a compiled plan as a PyNN 0.10 script (see README.md). */
export { exportPyNN, PYNN_SIMULATORS, type PyNNExport, type PyNNExportOptions } from './export.ts';
export { PYNN_KINDS, CURRENT_AS_CONDUCTANCE_MV, scaleDist, type PyNNCell, type PyNNMapping } from './kinds.ts';
export { pynnInputArrays, npzBytes, base64, type SourceSpikes } from './inputs.ts';
