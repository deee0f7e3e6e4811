/** @flatnet/krm — the KRM function runtime. See README.md for the contracts. */
export { KubeObject, type Origin, type PlainScalar, type Position, ANNOTATIONS, FLATNET_PREFIX, deepEqual, type JsonObject, type PathSegment, type SetOptions } from './kube-object';
export {
  parseResourceList,
  serializeResourceList,
  KrmInputError,
  LIMITS,
  checkInputSize,
  decodeText,
  RESOURCE_LIST_API_VERSION,
  type InputErrorCode,
  type Layout,
  type ParsedResourceList,
  type ResourceList,
} from './resource-list';
export {
  resultFor,
  errorFor,
  warningFor,
  infoFor,
  generalResult,
  hasErrors,
  sortResults,
  formatPath,
  parsePath,
  type Result,
  type ResourceRef,
  type ResultField,
  type ResultFile,
  type ResultOptions,
  type Severity,
} from './result';
export {
  loadConfig,
  formatSchemaError,
  pointerToPath,
  type ConfigFieldType,
  type ConfigIssue,
  type ConfigSpec,
  type ExplainFormat,
  type LoadedConfig,
  type SchemaValidator,
} from './config';
export { run, execute, executeParsed, processList, decodeInput, type Processed, type FunctionKind, type KrmFunction, type Outcome } from './run';
export { nextFileIndex, readFileItems, renderFileText, type ReadFileOptions } from './files';
export { inputDetail } from './errors';
export { resolvePlainScalar } from './core-scalars';
export { readYaml11, yaml11Difference, yaml11MayMistype, mayHoldYaml11Difference, YAML11_COMPAT, type Yaml11Reading } from './yaml11';
export { listSome, count } from './list-some';
