/**
 * A reporter turns one RunReport (matrix.json) into one format. Reporters are pure: they
 * return a string and never print or write; `writeRun` and the commands decide where it goes.
 * Add a format by writing a folder with one Reporter and registering it in ./index.ts.
 */
import type { RunReport } from '../domain.js';
import type { RunHistory } from './history.js';

export interface RenderOptions {
  /** ANSI colors in terminal output (false under NO_COLOR, in pipes and in files). */
  color: boolean;
  /**
   * The cells' verdicts across the runs kept in reports/ up to this one (./history.ts); read by
   * the HTML report only. Without it the page shows this run alone.
   */
  history?: RunHistory | undefined;
}

export interface Reporter {
  /** File name inside reports/<run-id>/, or undefined for terminal-only formats. */
  file?: string;
  render(report: RunReport, options: RenderOptions): string;
}
