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
  /** Columns the terminal table must fit in (terminal only; default terminal/grid.ts DEFAULT_WIDTH). */
  width?: number | undefined;
  /** The terminal table lists each cell's figures (BLEU, chrF, p95, peak memory, start) under it. */
  verbose?: boolean | undefined;
  /**
   * The run kept in reports/ before this one (./read.ts `previousRun`); matrix.md leads with what
   * changed against it. Without it matrix.md says there is no previous run.
   */
  previous?: RunReport | undefined;
}

export interface Reporter {
  /** File name inside reports/<run-id>/, or undefined for terminal-only formats. */
  file?: string;
  render(report: RunReport, options: RenderOptions): string;
}
