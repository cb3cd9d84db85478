/**
 * `matrix verify`: a CI gate. Exit 1 with one line per difference between the golden lock (--lock,
 * else matrix.yaml `freeze.lockfile`, else golden.lock.json) and what service/ would install
 * (package.json, package-lock.json, .nvmrc) or, with --url, what a running service reports on
 * /version; exit 0 when they agree.
 */
import { ExitCode, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { describeDrift, freezeSettings, gatherService, readFreezeConfig, readGoldenLock, serviceDirFor, shown, verifyService } from '../../freeze/index.js';

export default async function verify(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const { lockPath } = freezeSettings({ lock: opts.lock }, await readFreezeConfig(String(opts.config ?? 'matrix.yaml')));
  const lock = await readGoldenLock(lockPath);
  if (!lock) throw new UserError(`${shown(lockPath)}: missing (run \`matrix freeze\` to write it)`);
  const found = await gatherService(serviceDirFor(lockPath), typeof opts.url === 'string' ? opts.url : undefined);
  const drifts = verifyService(lock, found);
  const golden = `Node ${lock.node}, onnxruntime-node ${lock['onnxruntime-node']}, ${lock.tokenizer.package} ${lock.tokenizer.version}`;
  if (!drifts.length) {
    io.out(`service matches ${shown(lockPath)}: ${golden}, ${Object.keys(lock.tree).length} packages${found.version ? `, ${found.version.url}` : ''}`);
    return ExitCode.ok;
  }
  for (const d of drifts) io.out(describeDrift(d));
  io.out(`${drifts.length} difference${drifts.length === 1 ? '' : 's'} from ${shown(lockPath)} (golden: ${golden}, run ${lock.report.runId})`);
  return ExitCode.problems;
}
