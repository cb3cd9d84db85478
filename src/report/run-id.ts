/**
 * Run ids sort by time as plain strings (`20261127T013000Z-3fa2`): the folder listing of
 * reports/ is the history, and "latest" is simply the greatest id. The random suffix keeps two
 * shards that start in the same second apart.
 */
import { randomBytes } from 'node:crypto';

const RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{4}$/;

export function newRunId(now: Date = new Date(), suffix: string = randomBytes(2).toString('hex')): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `${stamp}-${suffix}`;
}

export const isRunId = (text: string) => RUN_ID.test(text);
