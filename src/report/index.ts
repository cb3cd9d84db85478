/**
 * Every output format of a run, keyed by the name `--format` takes. All are fed the same
 * RunReport; add a format by registering it here (and in the `report` command's choices).
 */
import { html } from './html/index.js';
import { json } from './json/index.js';
import { junitReporter } from './junit/index.js';
import { markdown } from './md/index.js';
import { terminal } from './terminal/index.js';
import type { Reporter } from './types.js';

export const reporters = {
  table: terminal,
  md: markdown,
  json,
  junit: junitReporter,
  html,
} as const satisfies Record<string, Reporter>;

export type Format = keyof typeof reporters;
export const FORMATS = Object.keys(reporters) as Format[];
/** The formats that are files in reports/<run-id>/ (everything but the terminal table). */
export const FILE_FORMATS = FORMATS.filter((f) => reporters[f].file !== undefined);

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
