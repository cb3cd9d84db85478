/**
 * `matrix upgrade [run]`: what `matrix freeze` of the run would change against the golden lock in
 * place, with the evidence, as a pull-request body (stdout, or --body <file>) or JSON (--json);
 * then it writes what freeze would write (src/freeze planFreeze, writeFrozen). --dry-run writes
 * nothing. Nothing to change: says so, writes nothing, exit 0. No cell can be golden: exit 1.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { freezeSettings, planFreeze, readFreezeConfig, readGoldenLock, readManifest, serviceDirFor, writeFrozen } from '../../freeze/index.js';
import { shown } from '../../fs/shown.js';
import { writeFileAtomic } from '../../fs/atomic.js';
import { readRun, readRuns } from '../../report/index.js';
import { decideUpgrade } from '../../upgrade/index.js';
import { toolVersion } from '../../version.js';
import { renderBody, renderJson, renderNothing, renderSummary } from './render.js';

async function current(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${shown(file)}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export default async function upgrade(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const configFile = String(opts.config ?? 'matrix.yaml');
  const config = await readFreezeConfig(configFile);
  const { policy, lockPath } = freezeSettings({ policy: opts.policy, lock: opts.lock }, config);
  const serviceDir = serviceDirFor(lockPath);
  const reportsDir = String(opts.out ?? 'reports');
  const { report } = await readRun(reportsDir, args[0]);
  if (config && config.sha256 !== report.config.sha256) {
    const [now, then] = [config.sha256.slice(0, 12), report.config.sha256.slice(0, 12)];
    io.err(`matrix upgrade: warning: ${configFile} changed since this run (sha256 ${now}…, the run used ${then}…)`);
  }
  const previous =
    opts.since !== undefined
      ? (await readRun(reportsDir, String(opts.since))).report
      : (await readRuns(reportsDir, { limit: 1, before: report.runId })).reports[0];
  const lock = await readGoldenLock(lockPath);
  const manifest = await readManifest(serviceDir);

  const planned = planFreeze({ report, policy, currentLock: lock, manifest, lockPath, serviceDir, tool: { name: report.tool.name, version: toolVersion() } });
  if (!planned.ok) {
    io.err(`matrix upgrade: no cell of ${report.runId} can be golden, nothing to propose:`);
    for (const r of planned.reasons) io.err(`  ✖ ${r}`);
    return ExitCode.problems;
  }
  const { plan } = planned;
  const all = [plan.files.lock, ...plan.files.service];
  const onDisk = Object.fromEntries(await Promise.all(all.map(async (f) => [f.path, await current(f.path)] as const)));
  const decided = decideUpgrade({ lock, plan, run: report, previous, onDisk });
  const upgrade = { ...decided, lock: { ...decided.lock, path: shown(decided.lock.path) }, files: decided.files.map(shown) };

  if (!upgrade.changes.length) {
    io.out(opts.json ? renderJson(upgrade) : renderNothing(upgrade));
    return ExitCode.ok;
  }
  const body = renderBody(upgrade);
  const bodyFile = opts.body === undefined ? undefined : String(opts.body);
  // Only the body or the JSON goes to stdout, so either can be piped; what was written goes to stderr.
  const toStdout = !opts.json && bodyFile !== undefined && !opts.dryRun;
  const status = (line: string) => (toStdout ? io.out(line) : io.err(line));
  if (opts.json) io.out(renderJson(upgrade));
  else if (bodyFile === undefined || opts.dryRun) io.out(body);
  else for (const line of renderSummary(upgrade)) io.out(line);

  const targets = [...all.map((f) => shown(f.path)), ...(bodyFile !== undefined ? [bodyFile] : [])];
  if (opts.dryRun) {
    status(`dry run: nothing written; would write ${targets.join(', ')}`);
    return ExitCode.ok;
  }
  await writeFrozen(plan.files);
  if (bodyFile !== undefined) {
    await mkdir(path.dirname(path.resolve(bodyFile)), { recursive: true });
    await writeFileAtomic(bodyFile, body);
  }
  status(`wrote ${targets.join(', ')}`);
  return ExitCode.ok;
}
