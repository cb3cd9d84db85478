/**
 * The releases state on disk: `releases.json` (written atomically) and a copy of every golden
 * lock a release was built from (`locks/<sha256>.json`), so a promote or a rollback checks a
 * release against its own lock, not today's golden.lock.json.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { parseGoldenLock, type GoldenLock } from '../freeze/index.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { fromSchema, parseJson, readTextIfThere } from '../fs/json-file.js';
import { emptyState, ReleasesState } from './state.js';

export async function readState(file: string): Promise<ReleasesState> {
  const text = await readTextIfThere(file);
  return text === undefined ? emptyState() : fromSchema(ReleasesState, parseJson(text, file), file);
}

export async function writeState(file: string, state: ReleasesState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

export async function keepLock(locksDir: string, sha256: string, text: string): Promise<void> {
  await mkdir(locksDir, { recursive: true });
  await writeFileAtomic(path.join(locksDir, `${sha256}.json`), text);
}

export async function lockOf(locksDir: string, sha256: string): Promise<GoldenLock> {
  const file = path.join(locksDir, `${sha256}.json`);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UserError(`${file}: missing (the golden lock this release was built from)`);
  });
  return parseGoldenLock(parseJson(text, file), file);
}
