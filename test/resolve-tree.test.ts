/**
 * The dependency-tree part of the verdict cache key, against a real registry (verdaccio on
 * loopback): a new release of a transitive dependency changes the tree, and so the key, of
 * exactly the cells that install it, and a registry that cannot answer is the machine's fault.
 */
import { cellOf } from './fixtures/runs/make.js';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArboristResolver, ResolveError, type ResolvedTree } from '../src/cell/resolve.js';
import type { ServiceManifest } from '../src/cell/workspace.js';
import { cacheKey } from '../src/run/cache.js';
import { startRegistry, type TestRegistry } from './helpers/registry.js';

const A: ServiceManifest = { name: 'cell', version: '0.1.0', dependencies: { '@mt/a': '^1.0.0' } };
const B: ServiceManifest = { name: 'cell', version: '0.1.0', dependencies: { '@mt/b': '^1.0.0' } };

let registry: TestRegistry;
let work: string;

beforeAll(async () => {
  registry = await startRegistry();
  work = mkdtempSync(path.join(tmpdir(), 'resolve-tree-'));
  await registry.publish('@mt/leaf', '1.0.0');
  await registry.publish('@mt/a', '1.0.0', { dependencies: { '@mt/leaf': '^1.0.0' } });
  await registry.publish('@mt/b', '1.0.0');
});

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A run's resolver: a new instance (no in-memory packuments), npm's HTTP cache on disk shared. */
function runResolver(url = registry.url, cache = path.join(work, 'npm-cache', '_cacache'), settings: Record<string, unknown> = {}): ArboristResolver {
  return new ArboristResolver({ registry: url, cache, ...settings }, path.join(work, 'resolve'));
}

/** The key of one cell whose only changing input is its tree. */
function keyOf(tree: ResolvedTree): string {
  return cacheKey({
    cell: { axes: cellOf({ node: '22.12.0', ort: '1.20.1', verdict: 'pass' }).axes, install: {} },
    backend: 'local',
    baseId: 'node22.12.0-npm10.9.0',
    tree: tree.sha256,
    hashes: { model: 'm', cases: 'c' },
    smoke: { thresholds: {} },
    tool: '0.1.0',
  });
}

async function resolveError(resolver: ArboristResolver, manifest: ServiceManifest): Promise<ResolveError> {
  const error = await resolver.resolve(manifest).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ResolveError);
  return error as ResolveError;
}

describe('the resolved tree in the verdict cache key, on a private registry', () => {
  it('a new release of a transitive dependency changes the tree and key of exactly the cells that install it', async () => {
    const first = runResolver();
    const [a1, b1] = await Promise.all([first.resolve(A), first.resolve(B)]);
    expect(a1.packages).toEqual(['node_modules/@mt/a@1.0.0', 'node_modules/@mt/leaf@1.0.0']);
    expect(b1.packages).toEqual(['node_modules/@mt/b@1.0.0']);

    await registry.publish('@mt/leaf', '1.0.1');

    // Same HTTP cache as the first run: verdaccio sends an ETag and no max-age, so npm revalidates.
    const second = runResolver();
    const [a2, b2] = await Promise.all([second.resolve(A), second.resolve(B)]);
    expect(a2.lockfile.packages['node_modules/@mt/leaf']?.version).toBe('1.0.1');
    expect(a2.lockfile.packages['node_modules/@mt/leaf']?.integrity).toMatch(/^sha512-/);
    expect(a2.sha256).not.toBe(a1.sha256);
    expect(b2.sha256).toBe(b1.sha256);
    expect(b2.lockfile.packages).toEqual(b1.lockfile.packages);

    expect(keyOf(a2)).not.toBe(keyOf(a1));
    expect(keyOf(b2)).toBe(keyOf(b1));
  });

  it('a range no release satisfies is the package’s fault', async () => {
    const error = await resolveError(runResolver(), { name: 'cell', version: '0.1.0', dependencies: { '@mt/leaf': '^9' } });
    expect(error.kind).toBe('package');
    expect(error.message).toMatch(/ETARGET/);
  });

  it('a registry that is stopped is the machine’s fault, unless npm’s cache holds what is asked', async () => {
    const gone = await startRegistry();
    await gone.publish('@mt/b', '1.0.0');
    const warm = path.join(work, 'warm-cache', '_cacache');
    const before = await runResolver(gone.url, warm).resolve(B);
    await gone.stop();

    // make-fetch-happen answers a failed revalidation with the stale entry (no must-revalidate).
    expect((await runResolver(gone.url, warm).resolve(B)).sha256).toBe(before.sha256);
    const error = await resolveError(runResolver(gone.url, path.join(work, 'cold-cache', '_cacache')), B);
    expect(error.kind).toBe('infra');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('a registry with nothing new gives the kept trees without running arborist; a release, a setting or a broken kept tree resolves afresh', async () => {
    const first = runResolver();
    const [a1, b1] = await Promise.all([first.resolve(A), first.resolve(B)]);

    const same = runResolver();
    const [a2, b2] = await Promise.all([same.resolve(A), same.resolve(B)]);
    expect(same.counts).toEqual({ kept: 2, resolved: 0 });
    expect([a2.sha256, b2.sha256]).toEqual([a1.sha256, b1.sha256]);
    expect(JSON.stringify(a2.lockfile)).toBe(JSON.stringify(a1.lockfile));

    await registry.publish('@mt/leaf', '1.1.0');
    const released = runResolver();
    const a3 = await released.resolve(A);
    expect(released.counts.resolved).toBe(1);
    expect(a3.lockfile.packages['node_modules/@mt/leaf']?.version).toBe('1.1.0');

    const peers = runResolver(undefined, undefined, { legacyPeerDeps: true });
    await peers.resolve(A);
    expect(peers.counts).toEqual({ kept: 0, resolved: 1 });

    const trees = path.join(work, 'resolve', 'trees');
    for (const f of readdirSync(trees)) writeFileSync(path.join(trees, f), '{"lockfile": {"packa');
    const broken = runResolver();
    expect((await broken.resolve(A)).sha256).toBe(a3.sha256);
    expect(broken.counts).toEqual({ kept: 0, resolved: 1 });
    // Arborist's scratch folders go when it is done.
    expect(readdirSync(path.join(work, 'resolve')).sort()).toEqual(['packages.json', 'trees']);
  });
});
