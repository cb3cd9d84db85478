/**
 * A reporter turns one RunReport (matrix.json) into one format. Reporters are pure: they
 * return a string and never print or write; `writeRun` and the commands decide where it goes.
 * Add a format by writing a folder with one Reporter and registering it in ./index.ts.
 */
import type { RunReport } from '../domain.js';

export interface RenderOptions {
  /** ANSI colors in terminal output (false under NO_COLOR, in pipes and in files). */
  color: boolean;
}

export interface Reporter {
  /** File name inside reports/<run-id>/, or undefined for terminal-only formats. */
  file?: string;
  render(report: RunReport, options: RenderOptions): string;
}
