/**
 * `matrix report [run] --format table|md|json|junit|html|all`: re-render a run from its
 * matrix.json. One format goes to stdout; `all` rewrites every file of the run folder.
 */
import path from 'node:path';
import { ExitCode, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { readRun, renderTerminal, reporters, writeFormats, type Format } from '../../report/index.js';
import { shown } from '../../freeze/files.js';

export default async function report(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const format = String(opts.format ?? 'table');
  const { report: run, file } = await readRun(String(opts.out ?? 'reports'), args[0]);
  if (format === 'all') {
    const files = await writeFormats(path.dirname(file), run);
    io.out(renderTerminal(run, { color: io.color }));
    io.out(`wrote ${files.map(shown).join(', ')}`);
    return ExitCode.ok;
  }
  if (!(format in reporters)) throw new UserError(`--format ${format}: expected one of ${Object.keys(reporters).join(', ')}, all`);
  io.out(reporters[format as Format].render(run, { color: io.color && format === 'table' }));
  return ExitCode.ok;
}
