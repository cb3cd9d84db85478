/**
 * `matrix freeze [run]`: choose the golden cell by policy, explain the choice, write the golden
 * lock and pin service/ (package.json, package-lock.json, .nvmrc). No passing cell: exit 1 with
 * one reason per cell, nothing written.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ExitCode, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { planFreeze, POLICIES, readGoldenLock, readManifest, serviceDirFor, shown, writeFrozen, type Policy } from '../../freeze/index.js';
import { readRun } from '../../report/index.js';
import { toolVersion } from '../../version.js';

async function configWarning(configFile: string, recorded: string): Promise<string | undefined> {
  let text: Buffer;
  try {
    text = await readFile(configFile);
  } catch {
    return undefined;
  }
  const sha = createHash('sha256').update(text).digest('hex');
  return sha === recorded ? undefined : `${configFile} changed since this run (sha256 ${sha.slice(0, 12)}…, the run used ${recorded.slice(0, 12)}…)`;
}

export default async function freeze(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const policy = String(opts.policy ?? 'newest') as Policy;
  if (!POLICIES.includes(policy)) throw new UserError(`--policy ${policy}: expected one of ${POLICIES.join(', ')}`);
  const lockPath = String(opts.lock ?? 'golden.lock.json');
  const serviceDir = serviceDirFor(lockPath);
  const { report, file } = await readRun(String(opts.out ?? 'reports'), args[0]);
  const warning = await configWarning(String(opts.config ?? 'matrix.yaml'), report.config.sha256);
  if (warning) io.err(`matrix freeze: warning: ${warning}`);

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
