/**
 * index.html: one self-contained page (inline CSS, inline script, inline SVG; a CSP that forbids
 * every network load), so it can be attached to CI artifacts and opened offline. The grid is the
 * pivot, each cell with its verdict, figures and what changed since the previous run (./grid.ts);
 * controls above it switch the color scale and filter by axis value and verdict (./controls.ts);
 * clicking a cell opens its <details> with checks, versions, scores, timings, charts, log.
 */
import { compareText } from '../../axes/index.js';
import type { CellResult, RunReport } from '../../domain.js';
import { intervalText, percentText } from '../../verdict/repeat.js';
import { byCell, cellLabel } from '../order.js';
import { markOf, summaryLine } from '../outcome.js';
import { pivot } from '../pivot.js';
import type { Reporter } from '../types.js';
import { historyDetails, historyStrip } from './history.js';
import { buildHistory, type RunHistory } from '../history.js';
import { cellCharts } from './chart.js';
import { changeBadge, gridCell, verdictText } from './grid.js';
import { changeOf, type CellChange } from './changes.js';
import { escapeHtml as esc } from './escape.js';
import { controls, filterKey } from './controls.js';
import { runScales } from './figures.js';
import { SCRIPT } from './script.js';
import { CSS } from './style.js';

const anchor = (r: CellResult) => `cell-${r.cell.id}`;

function keyValues(title: string, entries: [string, string | number | undefined][]): string {
  const rows = entries.filter(([, v]) => v !== undefined && v !== '');
  if (!rows.length) return '';
  return `<h4>${esc(title)}</h4><table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(String(v))}</td></tr>`).join('')}</table>`;
}

/** What each axis was planned as and what /version reported, a mismatch marked. */
function versions(r: CellResult): string {
  const names = [...new Set([...Object.keys(r.expected), ...Object.keys(r.actual ?? {})])];
  const line = (name: string) => {
    const expected = r.expected[name];
    const actual = r.actual?.[name];
    return `<tr><th>${esc(name)}</th><td>${esc(expected ?? '—')}</td><td${r.actual && actual !== expected ? ' class="bad"' : ''}>${esc(actual ?? '—')}</td></tr>`;
  };
  return `<h4>Versions</h4><table><tr><th></th><th>expected</th><th>actual</th></tr>${names.map(line).join('')}</table>`;
}

function checks(r: CellResult): string {
  if (!r.checks.length) return '<h4>Checks</h4><p>none ran</p>';
  const cls = { pass: 'ok', fail: 'bad', skip: 'skip' } as const;
  return (
    `<h4>Checks</h4><table class="checks"><tr><th>check</th><th>status</th><th>expected</th><th>actual</th><th>message</th></tr>` +
    r.checks
      .map(
        (c) =>
          `<tr><td>${esc(c.name)}</td><td class="${cls[c.status]}">${c.status}</td><td>${esc(c.expected ?? '')}</td><td>${esc(c.actual ?? '')}</td><td>${esc(c.message ?? '')}</td></tr>`,
      )
      .join('') +
    `</table>`
  );
}

function cellDetails(r: CellResult, maxLatency: number, history: RunHistory, change: CellChange | undefined): string {
  const drift = r.drift?.length
    ? `<h4>Drift from the reference cell</h4><table><tr><th>source</th><th>reference</th><th>this cell</th></tr>${r.drift
        .map((d) => `<tr><td>${esc(d.source)}</td><td>${esc(d.reference)}</td><td>${esc(d.actual)}</td></tr>`)
        .join('')}</table>`
    : '';
  return `<details class="cell" id="${anchor(r)}" data-verdict="${r.verdict}" data-filter="${esc(filterKey(r))}">
<summary><span class="badge ${markOf(r)}">${esc(verdictText(r))}</span>${changeBadge(change, r.verdict)}<strong>${esc(cellLabel(r.cell))}</strong> — ${esc(r.reason)}</summary>
<div class="cols"><div>${versions(r)}${keyValues('Scores', [
    ['BLEU', r.scores.bleu],
    ['chrF', r.scores.chrf],
    ['TER', r.scores.ter],
    ['latency p50 (ms)', r.latency.p50],
    ['latency p95 (ms)', r.latency.p95],
    ['startup (ms)', r.startupMs],
    ['peak RSS (MB)', r.memory.peakRssMb],
    ['attempts', r.attempts],
  ])}${keyValues('Repeat', [
    ['runs', r.repeat?.runs],
    ['passed', r.repeat?.passes],
    ['pass rate', r.repeat ? `${percentText(r.repeat.rate)} %` : undefined],
    ['interval', r.repeat ? intervalText(r.repeat) : undefined],
    [
      'first failing run',
      r.repeat?.firstFailure ? `run ${r.repeat.firstFailure.run}: ${r.repeat.firstFailure.verdict}: ${r.repeat.firstFailure.reason}` : undefined,
    ],
  ])}${keyValues(
    'Timings (ms)',
    Object.entries(r.timings).map(([k, v]) => [k, v] as [string, number]),
  )}${keyValues('Image', [
    ['id', r.image?.id],
    ['tag', r.image?.tag],
    ['digest', r.image?.digest],
    ['engine', r.engine],
    ['cell id', r.cell.id],
    ['cached verdict', r.cached ? 'yes' : undefined],
    ['allowed to fail', r.allowFailure ? 'yes' : undefined],
  ])}</div><div>${cellCharts(r, maxLatency)}</div></div>
${historyDetails(history, r)}${checks(r)}${drift}
<h4>Log</h4><pre class="log">${esc(r.logTail || '(empty)')}</pre>
</details>`;
}

/** Per model variant (`*`: the matrix has no model axis), the cell the others were compared with. */
function references(report: RunReport): [string, string][] {
  return Object.entries(report.references)
    .sort(([a], [b]) => compareText(a, b))
    .map(([variant, id]) => [variant === '*' ? 'every cell' : variant, `${id} ${report.cells.find((r) => r.cell.id === id)?.cell.name ?? ''}`.trim()]);
}

/** `history` spans the runs kept up to this one, this one included; without it, this run alone. */
export function renderHtml(report: RunReport, history: RunHistory = buildHistory([report])): string {
  const { layout, columns, rows } = pivot(report);
  const maxLatency = report.cells
    .flatMap((r) => [r.latency.p95 ?? 0, r.latency.p50 ?? 0, ...(r.latency.samples ?? [])])
    .reduce((max, v) => Math.max(max, v), 0);
  const scales = runScales(report.cells);
  const changes = new Map(report.cells.map((r) => [r.cell.id, changeOf(history, report.runId, r.cell.id, r.verdict)]));
  const grid =
    `<table id="grid"><thead><tr>${[...layout.rows, ...columns.map((c) => c.label)].map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows
      .map(
        (row) =>
          `<tr>${layout.rows.map((n) => `<th>${esc(row.values[n] ?? '')}</th>`).join('')}${row.cells
            .map((rs) =>
              rs.length
                ? rs.map((r) => gridCell(r, anchor(r), scales.get(r.cell.id) ?? {}, changes.get(r.cell.id), historyStrip(history, r), markOf(r))).join('')
                : '<td class="cell"></td>',
            )
            .join('')}</tr>`,
      )
      .join('') +
    `</tbody></table>`;
  const conflicts = report.conflicts?.length
    ? `<h2>Conflicts between shards</h2><ul>${report.conflicts
        .map((c) => `<li>${esc(c.name)}: ${c.verdicts.map((v) => `${esc(v.verdict)} in ${esc(v.source)}`).join(', ')}</li>`)
        .join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>matrix ${esc(report.runId)}</title><style>${CSS}</style><script>${SCRIPT}</script></head>
<body>
<h1>Compatibility matrix <code>${esc(report.runId)}</code></h1>
<p class="meta">${esc(report.tool.name)} ${esc(report.tool.version)} · ${esc(report.backend)} backend · started ${esc(report.createdAt)}${report.finishedAt ? ` · finished ${esc(report.finishedAt)}` : ''}${report.shard ? ` · shard ${report.shard.index}/${report.shard.count}` : ''}${report.interrupted ? ' · <strong>interrupted</strong>' : ''}</p>
${controls(report.cells)}
${grid}
<p class="summary" id="summary">${esc(summaryLine(report))}</p>
${conflicts}
<h2>Cells</h2>
${[...report.cells]
  .sort(byCell)
  .map((r) => cellDetails(r, maxLatency, history, changes.get(r.cell.id)))
  .join('\n')}
<h2>Inputs</h2>
${keyValues('Hashes', [
  ['config', `${report.config.file} ${report.config.sha256}`],
  ['model', report.hashes.model],
  ['cases', report.hashes.cases],
  ['template', report.hashes.template],
  ['service', report.hashes.service],
])}${keyValues('Reference cells (drift)', references(report))}
</body></html>
`;
}

export const html: Reporter = { file: 'index.html', render: (report, options) => renderHtml(report, options.history) };
