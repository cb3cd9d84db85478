/** Planning: from a validated matrix.yaml to an exact, explained list of cells. */
export { pruneReason, packagesOf, type Plan } from './plan.js';
export { shard as shardCells, parseShard } from './shard.js';
export { readModelFacts } from './model.js';
export { buildPlan, planRuntimeVersions } from './build.js';
