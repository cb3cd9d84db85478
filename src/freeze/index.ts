/**
 * Freezing a run into golden.lock.json and the service pins, and verifying the service against
 * it. Deciding (policy, lock, pins, verify) is pure; ./files.ts does the reading and writing.
 */
import path from 'node:path';
import type { RunReport } from '../domain.js';
import { buildGoldenLock, serializeJson } from './golden-lock.js';
import type { Policy } from './policies.js';
import { chooseGolden } from './policy.js';
import type { GoldenLock } from './types.js';
import { nvmrc, pinManifest, serviceLockfile, type Manifest } from './service-pins.js';
import type { FrozenFiles } from './files.js';

export type { Policy } from './policies.js';
export { parseGoldenLock } from './golden-lock.js';
export { GoldenLock } from './types.js';
export { pinManifest, serviceLockfile } from './service-pins.js';
export { verifyService, describeDrift, type Drift } from './verify.js';
export { readGoldenLock, readManifest, readFreezeConfig, gatherService, writeFrozen, serviceDirFor } from './files.js';
export { freezeSettings } from './settings.js';

export interface FreezePlan {
  lock: GoldenLock;
  files: FrozenFiles;
  explanation: string[];
  notes: string[];
}

/**
 * Everything freeze would write, computed without touching the disk: `{ok:false}` with one
 * reason per cell when no cell can be golden.
 */
export function planFreeze(input: {
  report: RunReport;
  policy: Policy;
  currentLock?: GoldenLock | undefined;
  manifest?: Manifest | undefined;
  lockPath: string;
  serviceDir: string;
  tool: { name: string; version: string };
}): { ok: true; plan: FreezePlan } | { ok: false; reasons: string[] } {
  const choice = chooseGolden(input.report, input.policy, input.currentLock);
  if (!choice.ok) return choice;
  const lock = buildGoldenLock({ report: input.report, result: choice.result, policy: choice.policy, explanation: choice.explanation, tool: input.tool });
  const manifest = pinManifest(input.manifest, lock, 'translation-service');
  const lockfile = serviceLockfile(choice.result.lockfile, manifest, `cell ${choice.result.cell.name} lockfile`);
  return {
    ok: true,
    plan: {
      lock,
      explanation: choice.explanation,
      notes: choice.notes ?? [],
      files: {
        lock: { path: input.lockPath, content: serializeJson(lock) },
        service: [
          { path: path.join(input.serviceDir, 'package.json'), content: serializeJson(manifest) },
          { path: path.join(input.serviceDir, 'package-lock.json'), content: serializeJson(lockfile) },
          { path: path.join(input.serviceDir, '.nvmrc'), content: nvmrc(lock) },
        ],
      },
    },
  };
}
