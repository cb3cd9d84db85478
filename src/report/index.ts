/** Reports of a run: the formats (./reporters.ts), reading and writing reports/<run-id>/, diffs. */
export { reporters, FILE_FORMATS, type Format } from './reporters.js';
export { renderTerminal, terminalWidth } from './terminal/index.js';
export { engineLine, summaryLine } from './outcome.js';
export { newRunId, isRunId } from './run-id.js';
export { writeRun, writeFormats } from './write.js';
export { readRun, readRuns, readVerdicts, historyFor } from './read.js';
export { buildHistory, historyJson, HISTORY_LIMIT } from './history.js';
export { renderHistory } from './terminal/history.js';
export { diffRuns } from './diff.js';
