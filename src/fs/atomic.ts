/**
 * Writes that a crash, a full disk or a parallel reader never sees half-done: write beside the
 * target, then rename over it (rename is atomic within one file system).
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

const tempName = (target: string) => `${target}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;

export async function writeFileAtomic(target: string, content: string): Promise<void> {
  const temp = tempName(target);
  try {
    await writeFile(temp, content);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
