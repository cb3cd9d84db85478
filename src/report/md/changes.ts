/**
 * The head of matrix.md: what changed against the run kept before this one (../diff.ts), the
 * part of a pull request comment a reviewer reads first. Drift gets its own group: the cell still
 * works but translates differently, a different question from a failure.
 */
import type { RunReport } from '../../domain.js';
import { diffRuns, type CellChange } from '../diff.js';

/** Table cells and list items are single lines; a `|` would end a table cell. */
export const inline = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();

const isNewDrift = (c: CellChange) => c.after?.verdict === 'drift' && c.before?.verdict !== 'drift';

const item = (c: CellChange) => {
  const from = c.before ? `${c.before.verdict} → ` : '';
  const to = c.after ?? c.before!;
  return `- \`${inline(c.name)}\`: ${c.after ? `${from}**${to.verdict}**` : `was **${to.verdict}**`}${to.verdict === 'pass' ? '' : ` — ${inline(to.reason)}`}`;
};

export function renderChanges(report: RunReport, previous: RunReport | undefined): string[] {
  if (!previous) return ['No earlier run kept in reports/ to compare with.'];
  const d = diffRuns(previous, report);
  const groups: [string, CellChange[]][] = [
    ['Newly failing', d.newlyFailing.filter((c) => !isNewDrift(c))],
    ['New drift', [...d.newlyFailing, ...d.changed].filter(isNewDrift)],
    ['Newly passing', d.newlyPassing],
    ['Other verdict changes', d.changed.filter((c) => !isNewDrift(c))],
    ['Cells added', d.added],
    ['Cells removed', d.removed],
  ];
  const shown = groups.filter(([, cs]) => cs.length);
  const since = `since \`${previous.runId}\``;
  if (!shown.length) return [`No verdict changed ${since} (${d.unchanged} ${d.unchanged === 1 ? 'cell' : 'cells'} compared).`];
  const lines = [`### Changes ${since}`];
  for (const [title, cs] of shown) lines.push('', `**${title} (${cs.length})**`, '', ...cs.map(item));
  lines.push('', `${d.unchanged} ${d.unchanged === 1 ? 'cell' : 'cells'} unchanged.`);
  return lines;
}
