/**
 * `matrix bisect`, two searches over cells run as `matrix run` runs them (runCells, the verdict
 * cache, one cell at a time), so a re-run is answered from the cache. docs/bisect.md.
 *
 * - `<axis> --good <version> --bad <version>`: the release of one axis where the service breaks,
 *   every other axis fixed (a binary search, src/bisect/search.ts).
 * - `--locks <good> <bad>`: the package changes between two locks that break it (ddmin, ./locks.ts).
 *
 * Exit 0 with the answer, 1 when an end is not what it was said to be, 2 bad input, 3
 * infra-error, 130 interrupted.
 */
import type { BackendChoice } from '../../backends/index.js';
import { bisect, outcomeOf, type Bisection } from '../../bisect/index.js';
import type { CellResult } from '../../domain.js';
import { ExitCode, InfraError, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { prepareBisect } from './inputs.js';
import bisectLocks from './locks.js';
import { renderAnswer, renderJson, renderStart, renderStep, type BisectView } from './render.js';
import { openProject } from '../../project/index.js';
import { serviceBuilt } from '../../project/service.js';
import { openSession } from './session.js';

const USAGE = 'bisect: give either <axis> --good <version> --bad <version>, or --locks <good> <bad>';

export default async function bisectCommand(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const locks = opts.locks as string[] | undefined;
  const axisMode = args.length > 0 || opts.good !== undefined || opts.bad !== undefined;
  if (locks && axisMode) throw new UserError(`${USAGE}, not both`);
  if (locks) {
    if (locks.length !== 2) throw new UserError(`--locks ${locks.join(' ')}: expected two files, the good lock then the bad one`);
    if (opts.skippedIsBad) throw new UserError('--skipped-is-bad: only with <axis>: with --locks every subset is the same cell');
    return bisectLocks(locks[0]!, locks[1]!, opts, io);
  }
  if (!args[0]) throw new UserError(`${USAGE}`);
  for (const flag of ['good', 'bad'] as const) if (opts[flag] === undefined) throw new UserError(`bisect ${args[0]}: --${flag} <version> is required`);
  return bisectAxis(args[0], opts, io);
}

async function bisectAxis(axis: string, opts: Record<string, unknown>, io: Io): Promise<number> {
  const good = String(opts.good);
  const bad = String(opts.bad);
  const project = await openProject(String(opts.config ?? 'matrix.yaml'));
  const inputs = await prepareBisect({ project, axis, good, bad, withs: (opts.with as string[] | undefined) ?? [] });
  const { run } = inputs;
  for (const note of new Set(inputs.notes)) io.err(`note: ${note}`);
  await serviceBuilt(run.project.serviceDir);

  const view: BisectView = { axis, good, bad, pkg: inputs.pkg, path: inputs.path, fixed: inputs.fixed };
  // stdout stays one JSON document with --json; the steps are then progress, on stderr.
  const say = (text: string) => (opts.json ? io.err(text) : io.out(text));
  const session = await openSession(run, opts.backend as BackendChoice | undefined, io);
  say(renderStart(view));
  let result: Bisection<CellResult>;
  try {
    result = await bisect(
      inputs.path,
      async (version) => {
        const r = await session.run(inputs.cellFor(version));
        return { outcome: session.signal.aborted ? 'stop' : outcomeOf(r.verdict, { skippedIsBad: Boolean(opts.skippedIsBad) }), detail: r };
      },
      (step, index, most) => say(renderStep(view, step, index, most)),
    );
  } finally {
    await session.close();
  }

  if (session.signal.aborted) return ExitCode.interrupted;
  if (result.kind === 'stopped') throw new InfraError(renderAnswer(view, result));
  if (opts.json) io.out(renderJson(view, result));
  else io.out(renderAnswer(view, result));
  return result.kind === 'found' ? ExitCode.ok : ExitCode.problems;
}
