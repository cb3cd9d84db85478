/** The slice of an npm lockfile (lockfileVersion 2 or 3) that freeze and verify read. */
import { UserError } from '../errors.js';

export interface NpmLockfile {
  name?: string;
  version?: string;
  lockfileVersion?: number;
  packages?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export type LockfilePackages = Record<string, Record<string, unknown>>;

export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function asLockfile(value: unknown, where: string): NpmLockfile & { packages: LockfilePackages } {
  const lock = value as NpmLockfile | null;
  if (!lock || typeof lock !== 'object' || !lock.packages || typeof lock.packages !== 'object') {
    throw new UserError(`${where}: not an npm lockfile with "packages" (lockfileVersion 2 or 3 is needed)`);
  }
  return lock as NpmLockfile & { packages: LockfilePackages };
}

/** The version the lockfile installs at node_modules/<name>, the top of the tree. */
export function installedVersion(packages: LockfilePackages, name: string): string | undefined {
  const version = packages[`node_modules/${name}`]?.version;
  return typeof version === 'string' ? version : undefined;
}
