/**
 * `matrix rollback [version]`: during a promote's canary or watch, nginx back to the warm color at
 * once (the promote notices and exits 1); otherwise switch back to the previous retained release
 * (or the named one) after checking its health and /version against its lock; exit 1 when it is
 * not healthy. The first case loads only the rollout's modules (src/release/index.ts pulls in the
 * build, the checks and Docker's client: seconds of imports on a busy machine, before the switch).
 */
import path from 'node:path';
import { readConfig } from '../../config/index.js';
import type { MatrixConfig } from '../../config/schema.js';
import { ExitCode } from '../../errors.js';
import type { Io } from '../../io.js';
import { rollbackRollout } from '../../release/rollout.js';
import { releaseSettings, type ReleaseSettings } from '../../release/settings.js';
import { parseReleaseRef } from '../../release/version.js';
import type { ReleaseBackend } from '../../release/state.js';

const runtimeFor = (config: MatrixConfig, settings: ReleaseSettings) => async (backend: ReleaseBackend) =>
  (await import('../../release/runtime/index.js')).releaseRuntime(backend, config, settings, 'matrix rollback of a Docker release');

export default async function rollbackCommand(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const ref = args[0] !== undefined ? parseReleaseRef(args[0]) : undefined;
  const loaded = await readConfig(String(opts.config ?? 'matrix.yaml'));
  const settings = releaseSettings(loaded.config, path.dirname(loaded.file));
  const base = { runtimeFor: runtimeFor(loaded.config, settings), settings, onLog: (l: string) => io.err(`  ${l}`), onEvent: () => undefined };
  const end = await rollbackRollout(base, ref);
  if (end?.ended === 'rolled-back') {
    const o = end.outcome;
    io.out(`rolled back ${end.version} (${end.color}) by ${o.by}: ${o.rule}: ${o.reason}`);
    if (o.rollbackMs !== undefined) io.out(`  ${end.to} serves again, answering ${o.rollbackMs} ms after the decision; ${end.version} stopped, kept`);
    return ExitCode.ok;
  }
  const { rollback } = await import('../../release/switch.js');
  const { renderSwitch } = await import('../promote/render.js');
  const r = await rollback({ ...base, install: loaded.config.install, smoke: { cases: async () => [] } }, ref);
  for (const line of renderSwitch(r, 'rolled back to')) io.out(line);
  return r.ok || r.kind === 'rolled-back' ? ExitCode.ok : ExitCode.problems;
}
