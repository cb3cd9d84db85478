/**
 * `matrix release`: build the service from the golden lock (--lock, else freeze.lockfile of
 * matrix.yaml) as an image pushed to release.registry (Docker) or as a release directory (local,
 * no registry), and record it in the releases state. A lock that `matrix verify` rejects is never
 * released: its differences are printed, exit 1.
 */
import path from 'node:path';
import { ExitCode, UserError } from '../../errors.js';
import { describeDrift, freezeSettings, readGoldenLock } from '../../freeze/index.js';
import { shown } from '../../fs/shown.js';
import type { Io } from '../../io.js';
import { openProject } from '../../project/index.js';
import { chooseReleaseRuntime, readState, releaseFromLock, releaseSettings, withBuilt, writeState, type ReleaseBackend } from '../../release/index.js';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export default async function release(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const { loaded, root } = await openProject(String(opts.config ?? 'matrix.yaml'));
  const settings = releaseSettings(loaded.config, root);
  const { lockPath } = freezeSettings({ lock: opts.lock }, { dir: root, freeze: loaded.config.freeze });
  const lock = await readGoldenLock(lockPath);
  if (!lock) throw new UserError(`${shown(lockPath)}: missing (run \`matrix freeze\` to write it)`);
  const { runtime, reason } = await chooseReleaseRuntime((opts.backend ?? 'auto') as 'auto' | ReleaseBackend, loaded.config, settings);
  io.err(`backend: ${runtime.backend} — ${reason}`);
  const built = await releaseFromLock({ loaded, settings, lockPath, lock, runtime, onLog: (line) => io.err(`  ${line}`) });
  if (!built.ok) {
    for (const d of built.drifts) io.out(describeDrift(d));
    io.out(`not released: ${built.drifts.length} difference${built.drifts.length === 1 ? '' : 's'} from ${shown(lockPath)} (\`matrix verify\` rejects it)`);
    return ExitCode.problems;
  }
  await writeState(settings.stateFile, withBuilt(await readState(settings.stateFile), built.release));
  const r = built.release;
  io.out(`released ${r.version}: ${r.digest}`);
  const where =
    built.pushMs !== undefined
      ? `tag ${r.tag}, built in ${s(built.buildMs)}, pushed in ${s(built.pushMs)}`
      : `directory ${path.join(path.relative(root, settings.dir) || '.', r.tag)}, built in ${s(built.buildMs)}, not pushed (local backend: no registry)`;
  io.out(`  ${where}; promote it with \`matrix promote ${r.version}\``);
  return ExitCode.ok;
}
