/**
 * `matrix promote <version|digest>`: start the release on the idle color, check it as a matrix
 * cell, switch nginx to it, stop (and keep) the old color. Refused: exit 1, the old keeps serving.
 */
import { ExitCode, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { openProject } from '../../project/index.js';
import { releaseRuntime, parseReleaseRef, promote, releaseSettings, smokeInputs } from '../../release/index.js';
import { renderSwitch } from './render.js';

export default async function promoteCommand(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const ref = args[0];
  if (!ref) throw new UserError('promote: expected a release version or digest (see `matrix releases`)');
  const parsed = parseReleaseRef(ref);
  const { loaded, root } = await openProject(String(opts.config ?? 'matrix.yaml'));
  const settings = releaseSettings(loaded.config, root);
  const r = await promote(
    {
      runtimeFor: (backend) => releaseRuntime(backend, loaded.config, settings, 'matrix promote of a Docker release'),
      settings,
      install: loaded.config.install,
      smoke: await smokeInputs(settings),
      onLog: (l) => io.err(`  ${l}`),
    },
    parsed,
  );
  for (const line of renderSwitch(r, 'promoted')) io.out(line);
  return r.ok ? ExitCode.ok : ExitCode.problems;
}
