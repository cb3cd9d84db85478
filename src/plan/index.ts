/** Planning: from a validated matrix.yaml to an exact, explained list of cells. */
export { fetchPackuments, planFromPackuments, pruneReason, packagesOf, type Plan } from './plan.js';
export { selectVersions, normalizeSelector, type Selection } from './select.js';
export { shard, shard as shardCells, shardOf, parseShard, type ShardSpec } from './shard.js';
export { ortSupport } from './ort-support.js';
export { readOnnxHeader, fromBytes as onnxHeaderFromBytes } from './onnx.js';
export { readModelFacts } from './model.js';
export { buildPlan, planRuntimeVersions } from './build.js';
