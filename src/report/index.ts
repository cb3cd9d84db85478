/** Reports of a run: the formats (./reporters.ts), reading and writing reports/<run-id>/, diffs. */
export { reporters, FORMATS, FILE_FORMATS, type Format } from './reporters.js';
export type { Reporter, RenderOptions } from './types.js';
export { renderTerminal } from './terminal/index.js';
export { renderMarkdown } from './md/index.js';
export { renderHtml } from './html/index.js';
export { renderJunit } from './junit/index.js';
export { summaryLine, summarize, outcomeOf, type Outcome, type Summary } from './outcome.js';
export { newRunId, isRunId } from './run-id.js';
export { writeRun, writeFormats, type WriteResult } from './write.js';
export { readRun, resolveRun, type LoadedRun } from './read.js';
export { diffRuns, type RunDiff } from './diff.js';
