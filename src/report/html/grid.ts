/**
 * One cell of the grid: its verdict and figures (a link to its details, titled with its axis
 * values and reason, carrying its step on each figure's scale and its filter key), the badge of
 * what changed since the previous run, and its history strip.
 */
import { displayAxes } from '../../axes/index.js';
import type { CellResult } from '../../domain.js';
import { rateText } from '../../verdict/repeat.js';
import { CHANGE_TEXT, type CellChange } from './changes.js';
import { filterKey } from './controls.js';
import { escapeHtml as esc } from './escape.js';
import { FIGURES, type FigureKey } from './figures.js';

/** `flaky 7/10` for a cell run `--repeat N` times, else the verdict alone. */
export const verdictText = (r: CellResult) => (r.repeat ? `${r.verdict} ${rateText(r.repeat)}` : r.verdict);

/** A title attribute spanning lines; `&#10;` rather than a raw newline keeps each cell on one line of the page. */
const titleAttr = (lines: string[]) => esc(lines.join('\n')).replace(/\n/g, '&#10;');

export function changeBadge(change: CellChange | undefined, verdict: string): string {
  if (!change) return '';
  const { before } = change;
  return `<span class="change ${change.change}" data-change="${change.change}" title="${esc(`${before.runId}: ${before.verdict} → now ${verdict}`)}">${CHANGE_TEXT[change.change]}</span>`;
}

function figuresOf(r: CellResult, title: string): string {
  const shown = FIGURES.flatMap((f) => {
    const v = f.value(r);
    return v === undefined ? [] : [`<span data-figure="${f.key}">${esc(f.label)} ${esc(f.text(v))}</span>`];
  });
  return shown.length ? `<span class="figs" title="${title}">${shown.join('')}</span>` : '';
}

/** The link holds the verdict text alone, the strip right after it (src/report/report.test.ts reads that markup). */
export function gridCell(
  r: CellResult,
  anchor: string,
  steps: Partial<Record<FigureKey, number>>,
  change: CellChange | undefined,
  strip: string,
  mark: string,
): string {
  const title = titleAttr([r.reason, ...Object.entries(displayAxes(r.cell.axes)).map(([n, v]) => `${n}: ${v}`)]);
  const scale = FIGURES.filter((f) => steps[f.key] !== undefined)
    .map((f) => ` data-${f.key}="${steps[f.key]}"`)
    .join('');
  return (
    `<td class="cell ${mark}" data-cell="${esc(r.cell.id)}">` +
    `<a href="#${anchor}" title="${title}" data-filter="${esc(filterKey(r))}"${scale}>${esc(verdictText(r))}</a>` +
    `${strip}${figuresOf(r, title)}${changeBadge(change, r.verdict)}</td>`
  );
}
