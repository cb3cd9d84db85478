/**
 * `matrix freeze [run]`: choose the golden cell by policy, explain the choice, write the golden
 * lock and pin service/ (package.json, package-lock.json, .nvmrc). The policy and the lock's path
 * come from --policy/--lock, else from matrix.yaml `freeze:`, else newest and golden.lock.json.
 * No passing cell: exit 1 with one reason per cell, nothing written.
 */
import { ExitCode } from '../../errors.js';
import type { Io } from '../../io.js';
import { freezeSettings, planFreeze, readFreezeConfig, readGoldenLock, readManifest, serviceDirFor, writeFrozen } from '../../freeze/index.js';
import { shown } from '../../fs/shown.js';
import { readRun } from '../../report/index.js';
import { toolVersion } from '../../version.js';

export default async function freeze(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const configFile = String(opts.config ?? 'matrix.yaml');
  const config = await readFreezeConfig(configFile);
  const { policy, lockPath } = freezeSettings({ policy: opts.policy, lock: opts.lock }, config);
  const serviceDir = serviceDirFor(lockPath);
  const { report, file } = await readRun(String(opts.out ?? 'reports'), args[0]);
  if (config && config.sha256 !== report.config.sha256) {
    io.err(
      `matrix freeze: warning: ${configFile} changed since this run (sha256 ${config.sha256.slice(0, 12)}…, the run used ${report.config.sha256.slice(0, 12)}…)`,
    );
  }

  // Only the `current` policy looks at the lock in place; a broken one must not block the others.
  const currentLock = policy === 'current' ? await readGoldenLock(lockPath) : undefined;
  const manifest = await readManifest(serviceDir);
  const planned = planFreeze({ report, policy, currentLock, manifest, lockPath, serviceDir, tool: { name: report.tool.name, version: toolVersion() } });
  if (!planned.ok) {
    io.err(`matrix freeze: no cell of ${report.runId} can be golden, nothing written:`);
    for (const r of planned.reasons) io.err(`  ✖ ${r}`);
    return ExitCode.problems;
  }
  const { plan } = planned;
  const written = await writeFrozen(plan.files);
  io.out(`froze ${shown(file)}`);
  for (const line of [...plan.explanation, ...plan.notes]) io.out(`  ${line}`);
  io.out(`wrote ${written.map(shown).join(', ')}`);
  return ExitCode.ok;
}
