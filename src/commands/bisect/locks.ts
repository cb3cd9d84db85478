/**
 * `matrix bisect --locks <good> <bad>`: the smallest set of package changes between two locks
 * that turns a passing cell into a failing one. Every subset ddmin asks about is the same cell
 * with the subset's pins in its package.json, resolved, installed by `npm ci` and smoke-checked;
 * its tree has a sha256 of its own, so the verdict cache key tells subsets apart by themselves.
 */
import type { BackendChoice } from '../../backends/index.js';
import { ddmin, type DdResult } from '../../bisect/ddmin.js';
import { ddOutcomeOf } from '../../bisect/locks.js';
import type { PackageChange } from '../../bisect/tree-diff.js';
import type { CellResult } from '../../domain.js';
import { ExitCode, InfraError } from '../../errors.js';
import type { Io } from '../../io.js';
import { prepareLocks } from './locks-inputs.js';
import { renderLocksAnswer, renderLocksJson, renderLocksStart, renderLocksStep, type LocksView } from './render-locks.js';
import { openProject } from '../../project/index.js';
import { serviceBuilt } from '../../project/service.js';
import { openSession } from './session.js';

export default async function bisectLocks(good: string, bad: string, opts: Record<string, unknown>, io: Io): Promise<number> {
  const project = await openProject(String(opts.config ?? 'matrix.yaml'));
  const inputs = await prepareLocks({ project, good, bad, withs: (opts.with as string[] | undefined) ?? [] });
  const { run, cell } = inputs;
  for (const note of new Set(inputs.notes)) io.err(`note: ${note}`);
  await serviceBuilt(run.project.serviceDir);

  const view: LocksView = { good, bad, cell: cell.name, fixed: inputs.fixed, diff: inputs.diff };
  // stdout stays one JSON document with --json; the steps are then progress, on stderr.
  const say = (text: string) => (opts.json ? io.err(text) : io.out(text));
  const session = await openSession(run, opts.backend as BackendChoice | undefined, io);
  say(renderLocksStart(view));
  let result: DdResult<PackageChange, CellResult>;
  try {
    result = await ddmin(
      inputs.diff.changes,
      async (subset) => {
        const r = await session.run(cell, inputs.manifestFor(subset));
        return { outcome: session.signal.aborted ? 'stop' : ddOutcomeOf(r.verdict), detail: r };
      },
      (step, index) => say(renderLocksStep(view, step, index)),
    );
  } finally {
    await session.close();
  }

  if (session.signal.aborted) return ExitCode.interrupted;
  if (result.kind === 'stopped') throw new InfraError(renderLocksAnswer(view, result));
  if (opts.json) io.out(renderLocksJson(view, result));
  else io.out(renderLocksAnswer(view, result));
  return result.kind === 'found' ? ExitCode.ok : ExitCode.problems;
}
