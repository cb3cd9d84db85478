/**
 * The history of a cell in index.html: a strip of small squares, one per kept run (newest last),
 * in the grid cell, and in its details the same strip larger with the pass rate and the last
 * change. Plain elements with a title each; no script, so it also reads with scripts off.
 */
import type { CellResult } from '../../domain.js';
import { historyOf, verdictsByRun, type RunHistory } from '../history.js';
import { lastChangeText, passRateText } from '../terminal/history.js';
import { escapeHtml as esc } from './escape.js';

function strip(history: RunHistory, r: CellResult, size: 'small' | 'large'): string {
  const cell = historyOf(history, r.cell.id);
  if (!cell) return '';
  const items = verdictsByRun(history, cell).map((v, i) => {
    const runId = history.runs[i]!;
    return v
      ? `<li class="${v.mark}" data-run="${esc(runId)}" data-verdict="${v.verdict}" title="${esc(`${runId}: ${v.verdict} — ${v.reason}`)}"></li>`
      : `<li class="none" data-run="${esc(runId)}" title="${esc(`${runId}: not in this run`)}"></li>`;
  });
  return `<ol class="strip${size === 'large' ? ' large' : ''}" aria-label="verdicts in the last ${history.runs.length} runs, newest last">${items.join('')}</ol>`;
}

/** The small strip under the verdict in the grid. */
export const historyStrip = (history: RunHistory, r: CellResult) => strip(history, r, 'small');

export function historyDetails(history: RunHistory, r: CellResult): string {
  const cell = historyOf(history, r.cell.id);
  if (!cell) return '';
  return (
    `<h4>History</h4><div class="history">${strip(history, r, 'large')}` +
    `<table><tr><th>runs</th><td>${cell.verdicts.length} of ${history.runs.length}</td></tr>` +
    `<tr><th>pass rate</th><td>${esc(passRateText(cell))}</td></tr>` +
    `<tr><th>last change</th><td>${esc(lastChangeText(cell))}</td></tr></table></div>`
  );
}
