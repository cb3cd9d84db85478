/**
 * sha256 digests: of bytes, of a file streamed, and of files and folders kept across runs (the
 * content hashes of the inputs that can change a verdict besides the versions).
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from './atomic.js';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of a file's bytes, streamed (model files are hundreds of MB). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

interface Kept {
  /** What `stat` said of every file hashed, when it was hashed. */
  stat: string;
  sha256: string;
}

/**
 * Digests of files and folders, kept across runs (`.matrix-cache/digests.json`) by what `stat`
 * says of each file, as git's index keeps them: device, inode, size, mtime and ctime in
 * nanoseconds. Any write changes the ctime, which no tool can set back. A digest is kept only
 * when every file was last changed over a second before it was read, so a write in the same
 * clock tick as the read cannot go unseen. Without it the default matrix's model folder (51 MB)
 * is read three times in every run, warm ones too.
 */
export class Digests {
  private kept?: Promise<Record<string, Kept>>;
  private dirty = false;

  /** Without a file, digests are kept for this process only. */
  constructor(private readonly store?: string) {}

  /** sha256 of a file's bytes. */
  async file(target: string): Promise<string> {
    const [entry] = await statsOf([{ rel: '', abs: target }]);
    return this.digest(`file:${path.resolve(target)}`, [entry!], async () => sha256(await readFile(target)));
  }

  /** Hash of a file or a folder tree (relative paths and contents, in sorted order); "absent" if missing. */
  async tree(target: string): Promise<string> {
    const files = await filesOf(target);
    if (!files) return 'absent';
    const stats = await statsOf(files);
    return this.digest(`tree:${path.resolve(target)}`, stats, async () => {
      const hash = createHash('sha256');
      for (const f of files) hash.update(`${f.rel}\0`).update(await readFile(f.abs));
      return hash.digest('hex');
    });
  }

  /** The trees' hashes, one per line, hashed. */
  async all(targets: string[]): Promise<string> {
    return sha256((await Promise.all(targets.map((t) => this.tree(t)))).join('\n'));
  }

  private async digest(key: string, stats: FileStat[], compute: () => Promise<string>): Promise<string> {
    const signature = stats.map((s) => `${s.rel}\0${s.signature}`).join('\n');
    this.kept ??= this.load();
    const kept = await this.kept;
    if (kept[key]?.stat === signature) return kept[key].sha256;
    const digest = await compute();
    const settled = stats.every((s) => s.changedNs + SETTLED_NS < s.readNs);
    if (settled) {
      kept[key] = { stat: signature, sha256: digest };
      this.dirty = true;
    }
    return digest;
  }

  /** Writes the kept digests; a digest that cannot be written is only computed again next time. */
  async save(): Promise<void> {
    if (!this.store || !this.dirty || !this.kept) return;
    this.dirty = false;
    const kept = await this.kept;
    await mkdir(path.dirname(this.store), { recursive: true })
      .then(() => writeFileAtomic(this.store!, JSON.stringify(kept)))
      .catch(() => undefined);
  }

  private async load(): Promise<Record<string, Kept>> {
    if (!this.store) return {};
    try {
      const parsed = JSON.parse(await readFile(this.store, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Kept>) : {};
    } catch {
      return {};
    }
  }
}

/** The digests kept in a project's cache folder (.matrix-cache). */
export const cacheDigests = (cacheDir: string) => new Digests(path.join(cacheDir, 'digests.json'));

/** A file written less than this long before it was read could change again in the same tick. */
const SETTLED_NS = 1_000_000_000n;

interface FileStat {
  rel: string;
  signature: string;
  changedNs: bigint;
  readNs: bigint;
}

/** Every file under target in hashing order (relative path, depth first, names sorted); undefined if target is missing. */
async function filesOf(target: string): Promise<{ rel: string; abs: string }[] | undefined> {
  const files: { rel: string; abs: string }[] = [];
  const walk = async (p: string, rel: string): Promise<boolean> => {
    let entries: Dirent[];
    try {
      entries = await readdir(p, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
        files.push({ rel, abs: p });
        return true;
      }
      return false;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      await walk(path.join(p, e.name), path.posix.join(rel, e.name));
    }
    return true;
  };
  return (await walk(target, '')) ? files : undefined;
}

async function statsOf(files: { rel: string; abs: string }[]): Promise<FileStat[]> {
  return Promise.all(
    files.map(async (f) => {
      const readNs = BigInt(Date.now()) * 1_000_000n;
      const s = await stat(f.abs, { bigint: true });
      // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.max does not take
      const changedNs = s.mtimeNs > s.ctimeNs ? s.mtimeNs : s.ctimeNs;
      return { rel: f.rel, signature: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, changedNs, readNs };
    }),
  );
}
