/**
 * matrix.md: what a person pastes into a pull request (and `$GITHUB_STEP_SUMMARY`): what changed
 * against the previous run (./changes.ts), then the grid, where every mark other than ✅ carries
 * a GitHub footnote with the verdict and its reason.
 */
import type { CellResult, RunReport } from '../../domain.js';
import { rateText } from '../../verdict/repeat.js';
import { cellLabel } from '../order.js';
import { EMOJI, markOf, outcomeOf, summaryLine } from '../outcome.js';
import { pivot } from '../pivot.js';
import type { Reporter, RenderOptions } from '../types.js';
import { inline, renderChanges } from './changes.js';

/** "(ran onnxruntime-node 1.20.0 instead of 1.20.1)": every axis /version reported otherwise. */
function resolverNote(r: CellResult): string {
  if (!r.actual) return '';
  const actual = r.actual;
  const diffs = Object.entries(r.expected)
    .filter(([name, expected]) => actual[name] !== expected)
    .map(([name, expected]) => `${name} ${actual[name] ?? 'nothing'} instead of ${expected}`);
  return diffs.length ? `(ran ${diffs.join(', ')})` : '';
}

function renderMarkdown(report: RunReport, options: Pick<RenderOptions, 'previous'> = {}): string {
  const { layout, columns, rows } = pivot(report);
  const notes: string[] = [];
  const lines = [
    `## Compatibility matrix \`${report.runId}\``,
    '',
    ...renderChanges(report, options.previous),
    '',
    `| ${[...layout.rows, ...columns.map((c) => c.label)].map(inline).join(' | ')} |`,
    `| ${[...layout.rows.map(() => '---'), ...columns.map(() => ':---:')].join(' | ')} |`,
  ];
  for (const row of rows) {
    const marks = row.cells.map((results) =>
      results.length === 0
        ? '·'
        : results
            .map((r) => {
              // A repeated cell's pass rate follows its mark (`⚠️ 7/10`); the reason holds the interval.
              const mark = `${EMOJI[markOf(r)]}${r.repeat ? ` ${rateText(r.repeat)}` : ''}`;
              if (r.verdict === 'pass' && !resolverNote(r)) return mark;
              notes.push(
                `[^${notes.length + 1}]: ${inline(cellLabel(r.cell))}: **${r.verdict}**${outcomeOf(r) === 'failed' && r.allowFailure ? ' (allowed to fail)' : ''} — ${[inline(r.reason), inline(resolverNote(r))].filter(Boolean).join(' ')}`,
              );
              return `${mark}[^${notes.length}]`;
            })
            .join(' '),
    );
    lines.push(`| ${[...layout.rows.map((n) => inline(row.values[n] ?? '')), ...marks].join(' | ')} |`);
  }
  lines.push('', `**${summaryLine(report)}**`);
  if (report.conflicts?.length) {
    lines.push('', 'Shards disagreed on:');
    for (const c of report.conflicts) {
      lines.push(`- ${inline(c.name)}: ${c.verdicts.map((v) => `${v.verdict} in ${inline(v.source)}`).join(', ')}`);
    }
  }
  if (notes.length) lines.push('', ...notes);
  lines.push(
    '',
    `<sub>✅ pass · ⚠️ flaky, drift or allowed to fail · ❌ fail · ⏭️ skipped · ${report.backend} backend · ${report.tool.name} ${report.tool.version}</sub>`,
  );
  return `${lines.join('\n')}\n`;
}

export const markdown: Reporter = { file: 'matrix.md', render: renderMarkdown };
