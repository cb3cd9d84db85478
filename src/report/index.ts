/** Reports of a run: the formats (./reporters.ts), reading and writing reports/<run-id>/, diffs. */
export { reporters, FORMATS, FILE_FORMATS, type Format } from './reporters.js';
export type { Reporter, RenderOptions } from './types.js';
export { renderTerminal, terminalWidth } from './terminal/index.js';
export { renderMarkdown } from './md/index.js';
export { renderHtml } from './html/index.js';
export { renderJunit } from './junit/index.js';
export { engineLine, summaryLine, summarize, outcomeOf, type Outcome, type Summary } from './outcome.js';
export { newRunId, isRunId } from './run-id.js';
export { writeRun, writeFormats, type WriteResult } from './write.js';
export { readRun, readRuns, readVerdicts, historyFor, resolveRun, type LoadedRun, type KeptRuns } from './read.js';
export { buildHistory, historyUntil, historyJson, HISTORY_LIMIT, type RunHistory, type CellHistory } from './history.js';
export { renderHistory } from './terminal/history.js';
export { diffRuns, type RunDiff } from './diff.js';
