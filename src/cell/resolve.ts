/**
 * A cell's whole dependency tree, resolved before anything is built: npm's own resolver
 * (@npmcli/arborist, what `npm install --package-lock-only` runs) turns the cell's package.json
 * into a package-lock.json, and every install then runs `npm ci` on exactly that lock. So the
 * tree is part of the cell's identity: a new release of express or of any transitive package
 * changes the lock of exactly the cells that would install it, and with it their verdict cache
 * key. Registry metadata comes through npm's HTTP cache (~/.npm/_cacache, honouring the
 * registry's max-age), so nothing is staler than npm's own install would see.
 * The packuments of the packages the last run's trees held are fetched first, all at once, the
 * way arborist fetches them: its own walk asks level by level, one round trip after another.
 * A tree is kept with a digest of every packument its resolution could read; when the same
 * manifest, npm settings and packuments come back, arborist would compute the same tree, so the
 * kept one is used and arborist is not run. Any change to any of them resolves afresh.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import pLimit from 'p-limit';
import pacote from 'pacote';
import { canonical } from '../run/cache.js';
import { UNREACHABLE_CODES } from '../registry/types.js';
import { sha256 } from '../fs/digests.js';
import { redact } from '../redact.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { credentialsRefused } from './npm-output.js';
import { registryOrigin } from '../registry/credentials.js';
import { PACKUMENT_FETCH } from '../registry/npm.js';
import type { ServiceManifest } from './workspace.js';

export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, { version?: string; resolved?: string; integrity?: string; [k: string]: unknown }>;
  [k: string]: unknown;
}

export interface ResolvedTree {
  lockfile: Lockfile;
  /** Every installed package as `location@version`, sorted: what the cache key covers. */
  packages: string[];
  sha256: string;
}

/** Why a tree could not be resolved: the registry's fault (`infra`) or the cell's (`package`). */
export class ResolveError extends Error {
  constructor(
    readonly kind: 'infra' | 'package',
    message: string,
  ) {
    super(message);
    this.name = 'ResolveError';
  }
}

export interface Resolver {
  resolve(manifest: ServiceManifest): Promise<ResolvedTree>;
}

/** Pure: the lock's package entries → the identity of the tree (integrity included). */
export function treeOf(lockfile: Lockfile): Omit<ResolvedTree, 'lockfile'> {
  const installed = Object.entries(lockfile.packages).filter(([location]) => location !== '');
  const packages = installed.map(([location, p]) => `${location}@${p.version ?? '?'}`).sort();
  const identity = installed.map(([location, p]) => [location, p.version, p.integrity ?? p.resolved ?? null]);
  return { packages, sha256: sha256(canonical(identity)) };
}

/** Pure: the registry packages a lock installs, by name (an alias by the package it stands for), sorted. */
export function packageNames(lockfile: Lockfile): string[] {
  const names = Object.entries(lockfile.packages).flatMap(([location, p]) => {
    // No `resolved` is the configured registry (arborist leaves it out); git, file and links are not packuments.
    if (location === '' || p.link || (typeof p.resolved === 'string' && !/^https?:/.test(p.resolved))) return [];
    return [typeof p.name === 'string' ? p.name : location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length)];
  });
  return [...new Set(names)].sort();
}

/** Pure: what a packument can tell a resolver (everything but pacote's own `_` fields), as one digest. */
export function packumentDigest(packument: unknown): string {
  const fields = Object.entries(packument as Record<string, unknown>).filter(([k]) => !k.startsWith('_'));
  return sha256(JSON.stringify(fields));
}

const SECRET_SETTING = /auth|token|password|otp|^(ca|cafile|cert|key)$/i;

/**
 * Pure: the npm settings that can change a resolution (registries, `before`, peer and strategy
 * flags, …), without credentials or TLS material, and where it runs: part of a kept tree's key.
 */
export function resolutionSettings(npmOptions: Record<string, unknown>, host: Record<string, string>): string {
  const settings = Object.entries(npmOptions).filter(
    ([k, v]) => !k.startsWith('//') && !k.startsWith('_') && !SECRET_SETTING.test(k) && typeof v !== 'function',
  );
  return canonical({ settings: Object.fromEntries(settings), host });
}

/** A resolved lock, kept with the digest of every packument read while it was resolved (by pacote's cache key). */
export interface KeptTree {
  lockfile: Lockfile;
  packuments: Record<string, string>;
}

/** Pure: a kept tree still stands when every packument it was resolved from has the same digest now. */
export function stillStands(kept: KeptTree, digests: ReadonlyMap<string, string>): boolean {
  const read = Object.entries(kept.packuments);
  return read.length > 0 && read.every(([key, digest]) => digests.get(key) === digest);
}

/** pacote's packument cache, digesting each packument as it is stored, before anything reads or changes it. */
class DigestedPackuments extends Map<string, unknown> {
  readonly digests = new Map<string, string>();
  override set(key: string, packument: unknown): this {
    if (packument && typeof packument === 'object') this.digests.set(key, packumentDigest(packument));
    return super.set(key, packument);
  }
}

/** Beyond an unreachable registry: 5xx, a full disk, a corrupt download, and ENOTCACHED (--offline, nothing cached). */
const MACHINE_FAULTS = /^(ENOSPC|E5\d\d|ENOTCACHED|EINTEGRITY)$/;

/** Pure: an error from npm's resolver → whose fault it is. */
export function resolveFault(error: { code?: string; statusCode?: number }): 'infra' | 'package' {
  if (error.statusCode !== undefined && error.statusCode >= 500) return 'infra';
  const code = error.code ?? '';
  return UNREACHABLE_CODES.has(code) || MACHINE_FAULTS.test(code) ? 'infra' : 'package';
}

export class ArboristResolver implements Resolver {
  private readonly packumentCache = new DigestedPackuments();
  private readonly pending = new Map<string, Promise<ResolvedTree>>();
  /** Every registry package of the trees resolved so far: the next run fetches these first. */
  private readonly seen = new Set<string>();
  private readonly namesFile: string;
  private readonly warmed: Promise<void>;
  private readonly settingsKey: string;
  /** Trees used as kept, and trees arborist resolved, in this run. */
  readonly counts = { kept: 0, resolved: 0 };

  constructor(
    /** npm's flat options (registry, auth, cafile, proxy), as src/registry/npm.ts loads them. */
    private readonly npmOptions: Record<string, unknown>,
    /** Scratch folder for the manifests arborist reads. */
    private readonly workDir: string,
    private readonly offline = false,
  ) {
    this.namesFile = path.join(workDir, 'packages.json');
    const arborist = (createRequire(import.meta.url)('@npmcli/arborist/package.json') as { version: string }).version;
    this.settingsKey = resolutionSettings(npmOptions, { platform: process.platform, arch: process.arch, node: process.version, arborist });
    this.warmed = this.prefetch().catch(() => undefined);
  }

  /**
   * The last run's packuments into the cache arborist reads, through the same pacote calls and
   * npm HTTP cache, so nothing is fresher or staler than arborist's own fetch. A failure is
   * dropped: arborist then asks for that package itself and reports what it gets.
   */
  private async prefetch(): Promise<void> {
    const names = await readFile(this.namesFile, 'utf8')
      .then((t) => JSON.parse(t) as unknown)
      .catch(() => []);
    if (!Array.isArray(names)) return;
    const limit = pLimit(PACKUMENT_FETCH.maxSockets);
    const options = { ...this.npmOptions, packumentCache: this.packumentCache, fullMetadata: true, offline: this.offline, ...PACKUMENT_FETCH };
    await Promise.all(names.filter((n) => typeof n === 'string').map((name) => limit(() => pacote.packument(name, options).catch(() => undefined))));
  }

  /**
   * The names seen so far (the trees' packages and every packument read, which a kept tree's
   * check needs), written whole (writeFileAtomic), so a reader never sees half of it.
   */
  private async remember(lockfile: Lockfile): Promise<void> {
    for (const name of packageNames(lockfile)) this.seen.add(name);
    for (const packument of this.packumentCache.values()) {
      const name = (packument as { name?: unknown }).name;
      if (typeof name === 'string') this.seen.add(name);
    }
    await writeFileAtomic(this.namesFile, `${JSON.stringify([...this.seen].sort())}\n`);
  }

  resolve(manifest: ServiceManifest): Promise<ResolvedTree> {
    const key = sha256(canonical({ manifest, settings: this.settingsKey }));
    let p = this.pending.get(key);
    if (!p) {
      p = this.build(key, manifest);
      this.pending.set(key, p);
    }
    return p;
  }

  private async build(key: string, manifest: ServiceManifest): Promise<ResolvedTree> {
    const keptFile = path.join(this.workDir, 'trees', `${key}.json`);
    await this.warmed;
    const kept = await readKept(keptFile);
    if (kept && stillStands(kept, this.packumentCache.digests)) {
      this.counts.kept++;
      await this.remember(kept.lockfile).catch(() => undefined);
      return { lockfile: kept.lockfile, ...treeOf(kept.lockfile) };
    }
    // A folder per manifest and per process: concurrent runs never share one.
    const dir = path.join(this.workDir, `${key.slice(0, 16)}-${process.pid}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    try {
      const { default: Arborist } = await import('@npmcli/arborist');
      const arborist = new Arborist({
        ...this.npmOptions,
        path: dir,
        packumentCache: this.packumentCache,
        offline: this.offline,
        retry: PACKUMENT_FETCH.retry,
        audit: false,
        fund: false,
      });
      const tree = await arborist.buildIdealTree({});
      const lockfile = tree.meta!.commit() as unknown as Lockfile;
      this.counts.resolved++;
      // Every packument read so far (a superset of this tree's): a list or tree that cannot be written only makes the next run slower.
      const packuments = Object.fromEntries(this.packumentCache.digests);
      await this.remember(lockfile).catch(() => undefined);
      await mkdir(path.dirname(keptFile), { recursive: true })
        .then(() => writeFileAtomic(keptFile, `${JSON.stringify({ lockfile, packuments } satisfies KeptTree)}\n`))
        .catch(() => undefined);
      return { lockfile, ...treeOf(lockfile) };
    } catch (error) {
      const e = error as { code?: string; statusCode?: number; message?: string; uri?: string; pkgid?: string };
      const line = redact((e.message ?? String(error)).split('\n')[0]!.slice(0, 300));
      const status = e.statusCode ?? Number(/^E(401|403)$/.exec(e.code ?? '')?.[1] ?? NaN);
      if (status === 401 || status === 403) {
        const registry = (e.uri && registryOrigin(e.uri)) || 'the registry';
        throw new ResolveError('package', `resolving the dependency tree failed: ${credentialsRefused(registry, status, e.pkgid)}`);
      }
      throw new ResolveError(resolveFault(e), `resolving the dependency tree failed: ${e.code ? `${e.code} ` : ''}${line}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** A kept tree, or nothing when there is none or it cannot be read whole (it is then resolved again). */
async function readKept(file: string): Promise<KeptTree | undefined> {
  try {
    const kept = JSON.parse(await readFile(file, 'utf8')) as Partial<KeptTree>;
    return kept.lockfile?.packages && kept.packuments && typeof kept.packuments === 'object' ? (kept as KeptTree) : undefined;
  } catch {
    return undefined;
  }
}
