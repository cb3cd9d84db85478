/**
 * The forms of an Upgrade: the pull-request body (Markdown), JSON, and the lines a terminal gets
 * when the body goes to a file. Pure; the command decides which goes where.
 */
import { inline } from '../../report/md/changes.js';
import { EMOJI, markOf } from '../../report/outcome.js';
import type { CellChange } from '../../report/diff.js';
import type { Change, Figures, GoldenCell, Upgrade } from '../../upgrade/index.js';

const NONE = '—';
const KIND: Record<Change['kind'], string> = { node: 'Node', model: 'model', direct: 'direct', transitive: 'transitive' };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const arrow = (c: Pick<Change, 'from' | 'to'>) => `${c.from ?? '(none)'} → ${c.to ?? '(none)'}`;

/** One line for the cell's axis moves: "node 22.11.0 → 24.2.0, tokenizer hf-tokenizers 0.1.3 → 0.2.0". */
const axisLine = (u: Upgrade) => u.axes.map((a) => `${a.axis} ${a.from} → ${a.to}`).join(', ');

function headline(u: Upgrade): string {
  const freeze = `\`matrix freeze\` of run \`${u.runId}\``;
  if (u.lock.runId === null) return `${freeze} writes the first golden lock, \`${u.lock.path}\`: ${u.evidence.after.axes}.`;
  if (u.axes.length) return `${freeze} moves the golden cell: ${axisLine(u)}.`;
  return `${freeze} keeps the golden cell (${u.evidence.after.axes}); the tree it installs changed since run \`${u.lock.runId}\`.`;
}

const FIGURES: { key: keyof Figures; label: string; text: (v: number) => string; delta: (v: number) => string }[] = [
  { key: 'bleu', label: 'BLEU', text: (v) => v.toFixed(1), delta: (v) => signed(v.toFixed(1)) },
  { key: 'chrf', label: 'chrF', text: (v) => v.toFixed(1), delta: (v) => signed(v.toFixed(1)) },
  { key: 'p95Ms', label: 'p95', text: (v) => `${Math.round(v)} ms`, delta: (v) => `${signed(String(Math.round(v)))} ms` },
  { key: 'peakRssMb', label: 'peak memory', text: (v) => `${v.toFixed(1)} MB`, delta: (v) => `${signed(v.toFixed(1))} MB` },
];

/** +0.2, -1.0, and ±0 for a change that rounds to nothing. */
const signed = (text: string) => (Number(text) === 0 ? `±${text.replace(/^-/, '')}` : Number(text) > 0 ? `+${text}` : text);

function cellRow(label: string, c: GoldenCell): string {
  const r = c.result;
  const verdict = r
    ? `${EMOJI[markOf({ verdict: r.verdict, allowFailure: false })]} ${r.verdict}${r.verdict === 'pass' ? '' : ` — ${inline(r.reason)}`}`
    : 'not in this run';
  const figures = FIGURES.map((f) => (r?.figures[f.key] !== undefined ? f.text(r.figures[f.key]!) : NONE));
  return `| ${label}: \`${c.name}\` | ${verdict} | ${figures.join(' | ')} |`;
}

function evidence(u: Upgrade): string[] {
  const { before, after, delta, since } = u.evidence;
  const lines = [
    '### Evidence',
    '',
    `| golden cell | verdict | ${FIGURES.map((f) => f.label).join(' | ')} |`,
    `|---|---|${FIGURES.map(() => '---:').join('|')}|`,
  ];
  if (before) lines.push(cellRow('before', before));
  lines.push(cellRow('after', after));
  if (Object.keys(delta).length) lines.push(`| change | | ${FIGURES.map((f) => (delta[f.key] !== undefined ? f.delta(delta[f.key]!) : NONE)).join(' | ')} |`);
  if (before && !before.result) {
    lines.push('', `The golden cell in place (${before.axes}) was not run in \`${u.runId}\`: there is nothing to compare the new one with.`);
  }
  lines.push('');
  if (!since) {
    lines.push('No earlier run kept to compare verdicts with.');
    return lines;
  }
  const item = (c: CellChange) =>
    `- \`${inline(c.name)}\`: ${c.before!.verdict} → **${c.after!.verdict}**${c.after!.verdict === 'pass' ? '' : ` — ${inline(c.after!.reason)}`}`;
  if (!since.newlyFailing.length && !since.newlyPassing.length) {
    lines.push(`No cell newly passes or fails since \`${since.runId}\` (${plural(since.compared, 'cell')} in both runs).`);
    return lines;
  }
  for (const [title, cells] of [
    ['Newly failing', since.newlyFailing],
    ['Newly passing', since.newlyPassing],
  ] as const) {
    if (cells.length) lines.push(`**${title} since \`${since.runId}\` (${cells.length})**`, '', ...cells.map(item), '');
  }
  return lines.slice(0, -1);
}

/** The pull-request body. */
export function renderBody(u: Upgrade): string {
  const lines = [`## Upgrade the golden lock to run \`${u.runId}\``, '', headline(u), ''];
  lines.push(`### What changes (${u.changes.length})`, '', '| | package | from | to |', '|---|---|---|---|');
  for (const c of u.changes) lines.push(`| ${KIND[c.kind]} | \`${c.package}\` | ${c.from ?? NONE} | ${c.to ?? NONE} |`);
  lines.push('', ...evidence(u), '', '### Why this cell', '', ...u.explanation.map((e) => `- ${inline(e)}`));
  if (u.files.length) lines.push('', '### Files', '', ...u.files.map((f) => `- \`${f}\``));
  lines.push(
    '',
    `<sub>Proposed by \`matrix upgrade\` from run \`${u.runId}\`; the lock in place was frozen from ${u.lock.runId ? `\`${u.lock.runId}\`` : 'nothing'}.</sub>`,
  );
  return `${lines.join('\n')}\n`;
}

export const renderJson = (u: Upgrade) => JSON.stringify(u, null, 2);

/** What the terminal shows when the body goes to a file: the changes, one a line. */
export function renderSummary(u: Upgrade): string[] {
  const lines = [`upgrade ${u.lock.path} to run ${u.runId}: ${plural(u.changes.length, 'change')}${u.axes.length ? ` (${axisLine(u)})` : ''}`];
  for (const c of u.changes) lines.push(`  ${c.package} ${arrow(c)}${c.kind === 'direct' || c.kind === 'transitive' ? ` (${c.kind})` : ''}`);
  return lines;
}

export const renderNothing = (u: Upgrade) => `nothing to change: ${u.lock.path} already pins what run ${u.runId} would freeze: ${u.evidence.after.name}`;
