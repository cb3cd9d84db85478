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
const FORMATS = Object.keys(reporters) as Format[];
/** The formats that are files in reports/<run-id>/ (everything but the terminal table). */
export const FILE_FORMATS = FORMATS.filter((f) => reporters[f].file !== undefined);
