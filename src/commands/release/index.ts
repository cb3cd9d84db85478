/**
 * `matrix release`: build the service image from the golden lock (--lock, else freeze.lockfile of
 * matrix.yaml), push it to release.registry and record it in the releases state. A lock that
 * `matrix verify` rejects is never released: its differences are printed, exit 1.
 */
import path from 'node:path';
import { readConfig } from '../../config/index.js';
import { ExitCode, UserError } from '../../errors.js';
import { describeDrift, freezeSettings, readGoldenLock, shown } from '../../freeze/index.js';
import type { Io } from '../../io.js';
import { needDocker, readState, releaseFromLock, releaseSettings, withBuilt, writeState } from '../../release/index.js';

export default async function release(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const loaded = await readConfig(String(opts.config ?? 'matrix.yaml'));
  const root = path.dirname(loaded.file);
  const settings = releaseSettings(loaded.config, root);
  const { lockPath } = freezeSettings({ lock: opts.lock }, { dir: root, freeze: loaded.config.freeze });
  const lock = await readGoldenLock(lockPath);
  if (!lock) throw new UserError(`${shown(lockPath)}: missing (run \`matrix freeze\` to write it)`);
  const docker = await needDocker('release');
  const built = await releaseFromLock({ loaded, settings, lockPath, lock, docker, onLog: (line) => io.err(`  ${line}`) });
  if (!built.ok) {
    for (const d of built.drifts) io.out(describeDrift(d));
    io.out(`not released: ${built.drifts.length} difference${built.drifts.length === 1 ? '' : 's'} from ${shown(lockPath)} (\`matrix verify\` rejects it)`);
    return ExitCode.problems;
  }
  await writeState(settings.stateFile, withBuilt(await readState(settings.stateFile), built.release));
  const r = built.release;
  io.out(`released ${r.version}: ${r.digest}`);
  io.out(`  tag ${r.tag}, built in ${(built.buildMs / 1000).toFixed(1)} s, pushed in ${(built.pushMs / 1000).toFixed(1)} s; promote it with \`matrix promote ${r.version}\``);
  return ExitCode.ok;
}
