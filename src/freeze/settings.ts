/**
 * What freeze and verify take from matrix.yaml: the `freeze:` block (policy, lockfile), with the
 * flags over it and the documented defaults (newest, golden.lock.json) under it. freeze.lockfile
 * is relative to the folder of matrix.yaml, like every path in it; --lock to the working directory.
 */
import path from 'node:path';
import type { MatrixConfig } from '../config/schema.js';
import { UserError } from '../errors.js';
import { DEFAULT_POLICY, POLICIES, type Policy } from './policies.js';
const DEFAULT_LOCKFILE = 'golden.lock.json';

export interface FreezeConfig {
  /** Folder of matrix.yaml. */
  dir: string;
  freeze: MatrixConfig['freeze'];
}

export interface FreezeSettings {
  policy: Policy;
  lockPath: string;
}

/** `config` is undefined when there is no matrix.yaml: the defaults apply, relative to the working directory. */
export function freezeSettings(flags: { policy?: unknown; lock?: unknown }, config: FreezeConfig | undefined): FreezeSettings {
  const policy = flags.policy !== undefined ? String(flags.policy) : (config?.freeze.policy ?? DEFAULT_POLICY);
  if (!(POLICIES as readonly string[]).includes(policy)) throw new UserError(`--policy ${policy}: expected one of ${POLICIES.join(', ')}`);
  const lockPath = flags.lock !== undefined ? String(flags.lock) : config ? path.join(config.dir, config.freeze.lockfile) : DEFAULT_LOCKFILE;
  return { policy: policy as Policy, lockPath };
}
