/** @flatnet/pipeline — kpt packages read, rendered in-process and written back. */
export { readPackage, allItems, allFiles, allHoldings, allNotes, hiddenClusterFiles, type FileHolding, type PackageTree } from './package';
export { parseKrmignore, type IgnoreMatcher } from './krmignore';
export { readPipeline, functionName, matches, selected, type Pipeline, type Selector, type Step } from './kptfile';
export { renderTree, type FunctionLookup, type RenderOutcome, type StepOutcome } from './render';
export { changedFiles, applyChanges, type FileChange } from './write';
export { hydrate, asStream, CLUSTER_SCOPED_FILE, DELETION_PROTECTIONS, HYDRATED_HEADER, isDnsLabel, isDnsSubdomain, type DeletionProtection, type Hydrated, type HydrateOptions } from './hydrate';
