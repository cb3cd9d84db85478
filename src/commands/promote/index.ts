/**
 * `matrix promote <version|digest>`: start the release on the idle color, check it as a matrix
 * cell, then roll it out (canary steps, the observation window) and stop (and keep) the old color.
 * Exit 0 promoted and watched; 1 refused by its checks, or rolled back (by the analysis or by a
 * `matrix rollback` from another shell); 3 the environment failed; 130 interrupted (SIGINT or
 * SIGTERM: the old color takes all requests back first).
 */
import { ExitCode, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { openProject } from '../../project/index.js';
import { releaseRuntime, parseReleaseRef, promote, releaseSettings, smokeInputs } from '../../release/index.js';
import { promoteEvents, PROMOTE_EVENTS_VERSION } from './events.js';
import { renderSwitch } from './render.js';

export default async function promoteCommand(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const ref = args[0];
  if (!ref) throw new UserError('promote: expected a release version or digest (see `matrix releases`)');
  if (opts.events !== undefined && opts.events !== 'ndjson') throw new UserError(`--events ${String(opts.events)}: expected ndjson`);
  const parsed = parseReleaseRef(ref);
  const { loaded, root } = await openProject(String(opts.config ?? 'matrix.yaml'));
  const settings = releaseSettings(loaded.config, root);
  const emit = promoteEvents(opts.events === 'ndjson');
  // With the event stream on stdout, the text goes to stderr.
  const say = opts.events === 'ndjson' ? (l: string) => io.err(l) : (l: string) => io.out(l);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    emit({
      type: 'start',
      eventsVersion: PROMOTE_EVENTS_VERSION,
      release: ref,
      steps: settings.canary.steps,
      intervalMs: settings.canary.intervalMs,
      observeMs: settings.observeMs,
    });
    const r = await promote(
      {
        runtimeFor: (backend) => releaseRuntime(backend, loaded.config, settings, 'matrix promote of a Docker release'),
        settings,
        install: loaded.config.install,
        smoke: await smokeInputs(settings),
        onLog: (l) => io.err(`  ${l}`),
        onEvent: emit,
        signal: stop.signal,
      },
      parsed,
    );
    for (const line of renderSwitch(r, 'promoted')) say(line);
    const code = r.ok ? ExitCode.ok : r.kind === 'rolled-back' && r.rolledBack.by === 'interrupted' ? ExitCode.interrupted : ExitCode.problems;
    emit({ type: 'end', result: r.ok ? 'promoted' : r.kind, exitCode: code });
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
