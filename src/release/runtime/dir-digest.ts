/**
 * The digest of a local release: sha256 over its directory's content, every entry in sorted order
 * (path, kind, executable bit, the file's own sha256 or the link's target), so two directories
 * with the same digest hold the same bytes. `release.json`, which records the digest, is left out.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';

export const MANIFEST_FILE = 'release.json';

async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function dirDigest(root: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const entries = (await readdir(path.join(root, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (p === MANIFEST_FILE) continue;
      const abs = path.join(root, p);
      if (e.isSymbolicLink()) h.update(`l ${p} ${await readlink(abs)}\n`);
      else if (e.isDirectory()) {
        h.update(`d ${p}\n`);
        await walk(p);
      } else if (e.isFile()) h.update(`f ${p} ${(await stat(abs)).mode & 0o111 ? 'x' : '-'} ${await fileSha256(abs)}\n`);
    }
  };
  await walk('');
  return `local:sha256:${h.digest('hex')}`;
}
