/**
 * `matrix verify`: a CI gate. Exit 1 with one line per difference between the golden lock (--lock,
 * else matrix.yaml `freeze.lockfile`, else golden.lock.json) and what service/ would install
 * (package.json, package-lock.json, .nvmrc), the files the lock's axes need on disk (the model's
 * ONNX files, relative to the folder of matrix.yaml) or, with --url, what a running service
 * reports on /version; exit 0 when they agree.
 */
import path from 'node:path';
import { describeAxes, filesOnDisk } from '../../axes/index.js';
import { ExitCode, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { describeDrift, freezeSettings, gatherService, readFreezeConfig, readGoldenLock, serviceDirFor, verifyService } from '../../freeze/index.js';
import { shown } from '../../fs/shown.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export default async function verify(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const configFile = String(opts.config ?? 'matrix.yaml');
  const { lockPath } = freezeSettings({ lock: opts.lock }, await readFreezeConfig(configFile));
  const lock = await readGoldenLock(lockPath);
  if (!lock) throw new UserError(`${shown(lockPath)}: missing (run \`matrix freeze\` to write it)`);
  const found = await gatherService(lock, {
    serviceDir: serviceDirFor(lockPath),
    configDir: path.dirname(configFile),
    url: typeof opts.url === 'string' ? opts.url : undefined,
  });
  const drifts = verifyService(lock, found);
  const golden = describeAxes(lock.axes);
  if (!drifts.length) {
    const onDisk = filesOnDisk(lock.axes).length;
    const checked = [
      plural(Object.keys(lock.tree).length, 'package'),
      ...(onDisk ? [`${plural(onDisk, 'file')} by sha256`] : []),
      ...(found.version ? [found.version.url] : []),
    ];
    io.out(`service matches ${shown(lockPath)}: ${golden}; ${checked.join(', ')}`);
    return ExitCode.ok;
  }
  for (const d of drifts) io.out(describeDrift(d));
  io.out(`${plural(drifts.length, 'difference')} from ${shown(lockPath)} (golden: ${golden}, run ${lock.report.runId})`);
  return ExitCode.problems;
}
