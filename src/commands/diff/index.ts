/** `matrix diff <a> <b>`: cells newly failing and newly passing; exit 1 when something regressed. */
import { ExitCode } from '../../errors.js';
import type { Io } from '../../io.js';
import { diffRuns, readRun } from '../../report/index.js';
import { renderDiff } from './render.js';

export default async function diff(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const reportsDir = String(opts.out ?? 'reports');
  const [a, b] = await Promise.all([readRun(reportsDir, args[0]), readRun(reportsDir, args[1])]);
  const result = diffRuns(a.report, b.report);
  io.out(opts.json ? JSON.stringify(result, null, 2) : renderDiff(result));
  return result.newlyFailing.length ? ExitCode.problems : ExitCode.ok;
}
