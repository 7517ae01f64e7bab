/**
 * NIR (the Neuromorphic Intermediate Representation): the graph model, its validation and
 * `.nir` (HDF5) reading and writing. See README.md.
 */
export * from './model.ts';
export { NirFormatError, validateNirGraph, formatProblem, inferShapes } from './validate.ts';
export type { NirProblem } from './validate.ts';
export { readNir, writeNir, hasHdf5Signature } from './hdf5.ts';
export { nirToDocumentDraft, describeNotImported, guessTimeUnit, guessReset, suggestedDtMs } from './to-document.ts';
export type { NirImportOptions, NirDocumentDraft, NirNotImported, NirInputChoice, NirResetChoice } from './to-document.ts';
export { inlineSubgraphs } from './inline.ts';
export type { Inlined } from './inline.ts';
export { documentToNirDraft, describeNotExported, STATIC_WEIGHTS_CONSENT } from './from-document.ts';
export type { NirExportOptions, NirExportDraft, NirNotExported } from './from-document.ts';
export { expandToSynapses } from './expand.ts';
export type { Synapses } from './expand.ts';
export { importDefaults, importNirGraph, exportNirDocument } from './convert.ts';
export type { NirImportChoices, NirImported, NirExported } from './convert.ts';
export { layoutImported } from './layout.ts';
export { moveWeightsToSideFiles, SIDE_FILE_LIMIT } from './side-files.ts';
export type { SideFile } from './side-files.ts';
