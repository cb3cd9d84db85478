/**
 * The controls above the grid: which figure colors the cells, and which axis values and verdicts
 * are shown. Rendered `hidden`; the inline script (./script.ts) reveals them, so with scripts off
 * the page shows no control that would not work (the grid stays colored by verdict, all shown).
 */
import { compareOn, displayAxes } from '../../axes/index.js';
import { Verdict, type CellResult } from '../../domain.js';
import { escapeHtml as esc } from './escape.js';
import { FIGURES, SCALE_STEPS } from './figures.js';

export interface FilterGroup {
  /** `axis:<name>` or `verdict`: the name of the checkboxes, what the script matches on. */
  name: string;
  label: string;
  values: string[];
}

/** Each axis (in matrix.yaml order) with its display values in axis order, then the verdicts present. */
export function filterGroups(cells: CellResult[]): FilterGroup[] {
  const names = [...new Set(cells.flatMap((r) => Object.keys(r.cell.axes)))];
  const axes = names.map((name): FilterGroup => {
    const sorted = cells.filter((r) => r.cell.axes[name]).sort((a, b) => compareOn([name], a.cell, b.cell));
    return { name: `axis:${name}`, label: name, values: [...new Set(sorted.map((r) => displayAxes(r.cell.axes)[name]!))] };
  });
  const present = new Set(cells.map((r) => r.verdict));
  return [...axes, { name: 'verdict', label: 'verdict', values: Verdict.options.filter((v) => present.has(v)) }];
}

/** What the script compares with the unchecked boxes: axis name → display value, and the verdict. */
export const filterKey = (r: CellResult) =>
  JSON.stringify({ ...Object.fromEntries(Object.entries(displayAxes(r.cell.axes)).map(([n, v]) => [`axis:${n}`, v])), verdict: r.verdict });

function scaleControl(): string {
  const options = [['verdict', 'verdict'], ...FIGURES.map((f) => [f.key, `${f.label} (${f.better} is better)`])]
    .map(([value, label]) => `<option value="${value}">${esc(label!)}</option>`)
    .join('');
  const legend = Array.from({ length: SCALE_STEPS }, (_, i) => `<i class="s${i}"></i>`).join('');
  return `<label>color by <select id="scale">${options}</select></label> <span class="legend" aria-hidden="true">worst ${legend} best</span>`;
}

function filterControl(groups: FilterGroup[]): string {
  return groups
    .map(
      (g) =>
        `<fieldset><legend>${esc(g.label)}</legend>${g.values
          .map((v) => `<label><input type="checkbox" name="${esc(g.name)}" value="${esc(v)}" checked> ${esc(v)}</label>`)
          .join('')}</fieldset>`,
    )
    .join('');
}

export const controls = (cells: CellResult[]) =>
  `<form id="controls" hidden><div class="scale">${scaleControl()}</div><div class="filter">${filterControl(filterGroups(cells))} <span id="shown"></span></div></form>`;
