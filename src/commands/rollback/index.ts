/**
 * `matrix rollback [version]`: during a promote's canary or watch, nginx back to the warm color at
 * once (the promote notices and exits 1); otherwise switch back to the previous retained release
 * (or the named one) after checking its health and /version against its lock; exit 1 when it is
 * not healthy.
 */
import path from 'node:path';
import { readConfig } from '../../config/index.js';
import { ExitCode } from '../../errors.js';
import type { Io } from '../../io.js';
import { releaseRuntime, parseReleaseRef, releaseSettings, rollback } from '../../release/index.js';
import { renderSwitch } from '../promote/render.js';

export default async function rollbackCommand(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const ref = args[0] !== undefined ? parseReleaseRef(args[0]) : undefined;
  const loaded = await readConfig(String(opts.config ?? 'matrix.yaml'));
  const settings = releaseSettings(loaded.config, path.dirname(loaded.file));
  const r = await rollback(
    {
      runtimeFor: (backend) => releaseRuntime(backend, loaded.config, settings, 'matrix rollback of a Docker release'),
      settings,
      install: loaded.config.install,
      smoke: { cases: async () => [] },
      onLog: (l) => io.err(`  ${l}`),
    },
    ref,
  );
  for (const line of renderSwitch(r, 'rolled back to')) io.out(line);
  return r.ok || r.kind === 'rolled-back' ? ExitCode.ok : ExitCode.problems;
}
