/**
 * `matrix merge <reports...>`: combine shard runs (matrix.json files, run folders or run ids)
 * into one new run in --out. Exit 1 when shards disagreed on a cell, 2 when they judged
 * different inputs (nothing written).
 */
import { ExitCode, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { mergeRuns } from '../../merge/index.js';
import { HISTORY_LIMIT, historyFor, newRunId, readRuns, readRun, renderTerminal, writeRun } from '../../report/index.js';
import { shown } from '../../fs/shown.js';
import { toolVersion } from '../../version.js';

export default async function merge(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const reportsDir = String(opts.out ?? 'reports');
  const inputs = [];
  for (const ref of args) {
    const { report, file } = await readRun(reportsDir, ref);
    inputs.push({ source: shown(file), report });
  }
  const tool = { name: inputs[0]?.report.tool.name ?? 'onnx-matrix', version: toolVersion() };
  const result = mergeRuns(inputs, { runId: newRunId(), tool });
  if (!result.ok) throw new UserError(`the shards do not compare, nothing merged: ${result.problems.join('; ')}`);
  for (const w of result.warnings) io.err(`matrix merge: warning: ${w}`);
  const { history, notes } = await historyFor(reportsDir, result.report, HISTORY_LIMIT);
  for (const n of notes) io.err(`note: left out of the history: ${n}`);
  const previous = (await readRuns(reportsDir, { limit: 1, before: result.report.runId })).reports[0];
  const written = await writeRun(reportsDir, result.report, { stepSummary: process.env.GITHUB_STEP_SUMMARY, history, previous });
  io.out(renderTerminal(result.report, { color: io.color }));
  io.out(`merged ${inputs.length} report${inputs.length === 1 ? '' : 's'} into ${shown(written.dir)}`);
  if (result.conflicts.length) {
    for (const c of result.conflicts) {
      io.err(`matrix merge: conflict: ${c.name}: ${c.verdicts.map((v) => `${v.verdict} in ${v.source}`).join(', ')}`);
    }
    return ExitCode.problems;
  }
  return ExitCode.ok;
}
