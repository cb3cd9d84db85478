/** Text form of a RunDiff: regressions first, then fixes, then everything else that moved. */
import type { CellChange, RunDiff } from '../../report/diff.js';

const arrow = (c: CellChange) =>
  `${c.before ? c.before.verdict : '(absent)'} → ${c.after ? c.after.verdict : '(absent)'}${c.after && c.after.verdict !== 'pass' ? ` — ${c.after.reason}` : ''}`;

export function renderDiff(diff: RunDiff): string {
  const lines = [`diff ${diff.a} → ${diff.b}`];
  const section = (title: string, mark: string, changes: CellChange[]) => {
    if (!changes.length) return;
    lines.push('', `${title} (${changes.length}):`);
    for (const c of changes) lines.push(`  ${mark} ${c.name}: ${arrow(c)}`);
  };
  section('newly failing', '✖', diff.newlyFailing);
  section('newly passing', '✔', diff.newlyPassing);
  section('changed verdict', '~', diff.changed);
  section(`only in ${diff.b}`, '+', diff.added);
  section(`only in ${diff.a}`, '-', diff.removed);
  lines.push(
    '',
    `${diff.newlyFailing.length} newly failing, ${diff.newlyPassing.length} newly passing, ${diff.changed.length} changed, ${diff.added.length} added, ${diff.removed.length} removed, ${diff.unchanged} unchanged`,
  );
  return `${lines.join('\n')}\n`;
}
