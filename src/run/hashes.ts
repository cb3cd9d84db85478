/** Content hashes of the inputs that can change a verdict besides the versions. */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hash of a file or a directory tree (relative paths and contents, in sorted order); "absent" if missing. */
export async function hashPath(target: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (p: string, rel: string): Promise<boolean> => {
    let entries;
    try {
      entries = await readdir(p, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
        hash.update(`${rel}\0`).update(await readFile(p));
        return true;
      }
      return false;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      await walk(path.join(p, e.name), path.posix.join(rel, e.name));
    }
    return true;
  };
  return (await walk(target, '')) ? hash.digest('hex') : 'absent';
}

export async function hashAll(targets: string[]): Promise<string> {
  return sha256((await Promise.all(targets.map(hashPath))).join('\n'));
}
