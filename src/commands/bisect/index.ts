/**
 * `matrix bisect <axis> --good <version> --bad <version>`: the release of one axis where the
 * service breaks, every other axis fixed. Each candidate is one cell, run by runCells with the
 * verdict cache exactly as `matrix run` runs it, so a re-run is answered from the cache. Exit 0
 * with the boundary, 1 when a bound is not what it was said to be, 2 bad input, 3 infra-error,
 * 130 interrupted. docs/bisect.md.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { chooseBackend, type BackendChoice } from '../../backends/index.js';
import { bisect, outcomeOf, type Bisection } from '../../bisect/index.js';
import type { CellResult } from '../../domain.js';
import { ExitCode, InfraError, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { newRunId } from '../../report/index.js';
import { VerdictCache } from '../../run/cache.js';
import { runCells } from '../../run/run.js';
import { prepareBisect } from './inputs.js';
import { renderAnswer, renderJson, renderStart, renderStep, type BisectView } from './render.js';

export default async function bisectCommand(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const axis = args[0]!;
  const good = String(opts.good);
  const bad = String(opts.bad);
  const inputs = await prepareBisect({ configFile: String(opts.config ?? 'matrix.yaml'), axis, good, bad, withs: (opts.with as string[] | undefined) ?? [] });
  const { run } = inputs;
  for (const note of new Set(inputs.notes)) io.err(`note: ${note}`);
  await access(path.join(run.serviceDir, 'dist', 'server.js')).catch(() => {
    throw new UserError(`${path.relative(process.cwd(), run.serviceDir)}/dist/server.js is missing: run \`npm run build\` first`);
  });

  const view: BisectView = { axis, good, bad, pkg: inputs.pkg, path: inputs.path, fixed: inputs.fixed };
  // stdout stays one JSON document with --json; the steps are then progress, on stderr.
  const say = (text: string) => (opts.json ? io.err(text) : io.out(text));
  const backend = await chooseBackend((opts.backend as BackendChoice | undefined) ?? run.settings.backend, run.backendSettings);
  io.err(`backend: ${backend.name} — ${backend.reason}`);
  say(renderStart(view));

  const runId = newRunId();
  const cache = new VerdictCache(path.join(run.cacheDir, 'verdicts'));
  const controller = new AbortController();
  const stop = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    io.err(`\n${sig}: stopping the cell and removing what it started…`);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const settings = { ...run.runSettings, runId, concurrency: 1, retries: run.settings.retries, failFast: false, useCache: true };
  let result: Bisection<CellResult>;
  try {
    result = await bisect(
      inputs.path,
      async (version) => {
        const [r] = await runCells([inputs.cellFor(version)], backend, settings, cache, controller.signal, () => undefined);
        return { outcome: controller.signal.aborted ? 'stop' : outcomeOf(r!.verdict, { skippedIsBad: Boolean(opts.skippedIsBad) }), detail: r! };
      },
      (step, index, most) => say(renderStep(view, step, index, most)),
    );
  } finally {
    await backend.cleanup(runId).catch((error: Error) => io.err(`warning: cleanup: ${error.message}`));
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }

  if (controller.signal.aborted) return ExitCode.interrupted;
  if (result.kind === 'stopped') throw new InfraError(renderAnswer(view, result));
  if (opts.json) io.out(renderJson(view, result));
  else io.out(renderAnswer(view, result));
  return result.kind === 'found' ? ExitCode.ok : ExitCode.problems;
}
