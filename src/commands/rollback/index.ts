/**
 * `matrix rollback [version]`: switch back to the previous retained release (or the named one)
 * after checking its health and /version against its lock; exit 1 when it is not healthy.
 */
import { ExitCode } from '../../errors.js';
import type { Io } from '../../io.js';
import { openProject } from '../../project/index.js';
import { releaseRuntime, parseReleaseRef, releaseSettings, rollback } from '../../release/index.js';
import { renderSwitch } from '../promote/render.js';

export default async function rollbackCommand(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const ref = args[0] !== undefined ? parseReleaseRef(args[0]) : undefined;
  const { loaded, root } = await openProject(String(opts.config ?? 'matrix.yaml'));
  const settings = releaseSettings(loaded.config, root);
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
  return r.ok ? ExitCode.ok : ExitCode.problems;
}
