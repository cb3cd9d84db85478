/**
 * `matrix report [run] --format table|md|json|junit|html|all`: re-render a run from its
 * matrix.json. One format goes to stdout; `all` rewrites every file of the run folder. The HTML
 * carries the history of the runs kept in reports/ up to the run.
 * `matrix report --history [--json]`: every cell's verdicts across the kept runs.
 */
import path from 'node:path';
import { ExitCode, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import {
  HISTORY_LIMIT,
  buildHistory,
  historyFor,
  historyJson,
  readRun,
  readRuns,
  readVerdicts,
  renderHistory,
  renderTerminal,
  reporters,
  terminalWidth,
  writeFormats,
  type Format,
} from '../../report/index.js';
import { shown } from '../../fs/shown.js';
import { positiveInt } from '../flags.js';

const historyLimit = (value: unknown): number => (value === undefined ? HISTORY_LIMIT : positiveInt(value, '--history-limit'));

const note = (io: Io, notes: string[]) => {
  for (const n of notes) io.err(`note: left out of the history: ${n}`);
};

export default async function report(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const reportsDir = String(opts.out ?? 'reports');
  const limit = historyLimit(opts.historyLimit);
  if (opts.history) {
    if (args[0] !== undefined) throw new UserError(`--history covers every run kept in ${reportsDir}/; it takes no run (found "${args[0]}")`);
    const kept = await readVerdicts(reportsDir, { limit });
    note(io, kept.notes);
    if (!kept.reports.length) throw new UserError(`no readable runs in ${reportsDir}/ (run \`matrix run\` first)`);
    const history = buildHistory(kept.reports);
    io.out(opts.json ? historyJson(history) : renderHistory(history, { color: io.color }));
    return ExitCode.ok;
  }
  if (opts.json) throw new UserError('--json goes with --history; for the run itself use --format json');
  const format = String(opts.format ?? 'table');
  if (format !== 'all' && !(format in reporters)) throw new UserError(`--format ${format}: expected one of ${Object.keys(reporters).join(', ')}, all`);
  const { report: run, file } = await readRun(reportsDir, args[0]);
  const history = format === 'all' || format === 'html' ? await historyFor(reportsDir, run, limit) : undefined;
  if (history) note(io, history.notes);
  // matrix.md leads with what changed against the run kept before this one.
  const previous = format === 'all' || format === 'md' ? (await readRuns(reportsDir, { limit: 1, before: run.runId })).reports[0] : undefined;
  if (format === 'all') {
    const files = await writeFormats(path.dirname(file), run, undefined, { history: history!.history, previous });
    io.out(renderTerminal(run, { color: io.color, width: terminalWidth(process.stdout.columns), verbose: Boolean(opts.verbose) }));
    io.out(`wrote ${files.map(shown).join(', ')}`);
    return ExitCode.ok;
  }
  const table = format === 'table';
  io.out(
    reporters[format as Format].render(run, {
      color: io.color && table,
      history: history?.history,
      previous,
      ...(table ? { width: terminalWidth(process.stdout.columns), verbose: Boolean(opts.verbose) } : {}),
    }),
  );
  return ExitCode.ok;
}
