/**
 * `matrix clean [--dry-run] [--keep-reports N]`: remove everything the tool made on the engine and
 * the disk (its containers, images and volumes, the project's .matrix-cache) and the runs in
 * reports/ beyond the newest N. What killed runs left is swept first; a run in progress keeps
 * what it uses. Releases (.matrix-release, their images' own tags) are never touched.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { dockerEndpoint, probeDocker } from '../../backends/index.js';
import { baseOptionsOf } from '../../backends/docker/base.js';
import { localNames } from '../../backends/docker/engine.js';
import { RUN_LABEL } from '../../backends/docker/index.js';
import { NPM_CACHE_VOLUME } from '../../backends/docker/install.js';
import { readConfig } from '../../config/index.js';
import { ExitCode } from '../../errors.js';
import type { Io } from '../../io.js';
import { isRunId } from '../../report/index.js';
import { recordedRuns, sweepLeftovers } from '../../run/sweep.js';
import { positiveInt } from '../flags.js';
import { cleanPlan, ownsTag, renderPlan, type Inventory, type Item } from './plan.js';

export default async function clean(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const keepReports = positiveInt(opts.keepReports ?? 20, '--keep-reports', 0);
  const dryRun = Boolean(opts.dryRun);
  const loaded = await readConfig(String(opts.config ?? 'matrix.yaml'));
  const cacheDir = path.join(path.dirname(loaded.file), '.matrix-cache');
  const reportsDir = path.resolve(String(opts.out ?? 'reports'));
  if (!dryRun) {
    const swept = await sweepLeftovers(cacheDir);
    if (swept) io.err(swept);
  }
  const live = new Set(await recordedRuns(cacheDir));
  if (live.size) io.err(`runs in progress (${[...live].join(', ')}): what they use stays`);

  const probe = await probeDocker();
  if (!probe.ok) io.err(`engine: no Docker daemon answered at ${dockerEndpoint()} (${probe.why}): nothing removed there`);
  const names = probe.ok ? localNames(probe.engine, { imageName: loaded.config.image.name, ...baseOptionsOf(loaded.config) }) : undefined;
  const engine = probe.ok && names ? await engineInventory(probe.docker, names) : { containers: [], imageTags: [], volumes: [] };
  const inventory: Inventory = { ...engine, cache: await cacheInventory(cacheDir), reports: await reportsInventory(reportsDir) };
  const items = cleanPlan(inventory, { live, keepReports });
  const done = dryRun ? items : await remove(items, probe.ok ? probe.docker : undefined, cacheDir);
  for (const line of renderPlan(done, dryRun)) io.out(line);
  return ExitCode.ok;
}

type ImageNames = { imageName: string; localBase: string; debianImage: string };

async function engineInventory(docker: Docker, names: ImageNames): Promise<Pick<Inventory, 'containers' | 'imageTags' | 'volumes'>> {
  const containers = await docker.listContainers({ all: true, size: true, filters: { label: [RUN_LABEL] } });
  const images = await docker.listImages();
  const df = (await docker.df()) as { Volumes?: { Name: string; UsageData?: { Size?: number } }[] };
  const sizes = new Map((df.Volumes ?? []).map((v) => [v.Name, Math.max(0, v.UsageData?.Size ?? 0)]));
  const volumes = (await docker.listVolumes()).Volumes ?? [];
  return {
    containers: containers.map((c) => {
      const name = (c.Names[0] ?? c.Id).replace(/^\//, '');
      return { id: c.Id, name, runId: c.Labels[RUN_LABEL] ?? '', bytes: (c as { SizeRw?: number }).SizeRw ?? 0 };
    }),
    imageTags: images.flatMap((i) => (i.RepoTags ?? []).filter((t) => ownsTag(t, names)).map((tag) => ({ tag, bytes: i.Size }))),
    volumes: volumes
      .filter((v) => v.Name === NPM_CACHE_VOLUME || v.Labels?.[RUN_LABEL])
      .map((v) => ({ name: v.Name, ...(v.Labels?.[RUN_LABEL] ? { runId: v.Labels[RUN_LABEL] } : {}), bytes: sizes.get(v.Name) ?? 0 })),
  };
}

/** Every entry of .matrix-cache but the run records (the sweep's and live runs'). */
async function cacheInventory(cacheDir: string): Promise<Inventory['cache']> {
  const names = (await readdir(cacheDir).catch(() => [] as string[])).filter((n) => n !== 'runs').sort();
  return Promise.all(names.map(async (n) => ({ path: shown(path.join(cacheDir, n)), bytes: await bytesOf(path.join(cacheDir, n)) })));
}

async function reportsInventory(reportsDir: string): Promise<Inventory['reports']> {
  const ids = (await readdir(reportsDir).catch(() => [] as string[])).filter(isRunId);
  return Promise.all(ids.map(async (id) => ({ id, path: shown(path.join(reportsDir, id)), bytes: await bytesOf(path.join(reportsDir, id)) })));
}

/** A path as the user gave it: relative to the folder they run in. */
const shown = (p: string) => path.relative(process.cwd(), p) || '.';

/** Bytes of a file or a folder tree (links not followed). */
async function bytesOf(p: string): Promise<number> {
  const s = await lstat(p).catch(() => undefined);
  if (!s) return 0;
  if (!s.isDirectory()) return s.size;
  const entries = await readdir(p).catch(() => [] as string[]);
  let total = 0;
  for (const e of entries) total += await bytesOf(path.join(p, e));
  return total;
}

/**
 * Removes the items; what the engine refuses (an image a container still uses, a volume mounted)
 * is left out of the answer. Tags are removed, not images: an image also tagged as a release keeps
 * that tag; an image loses its last tag once its children are gone, hence the passes.
 */
async function remove(items: Item[], docker: Docker | undefined, cacheDir: string): Promise<Item[]> {
  const done: Item[] = [];
  if (!docker && items.some((i) => ['container', 'image', 'volume'].includes(i.kind))) throw new Error('engine items without an engine');
  const byName = (kind: Item['kind']) => items.filter((i) => i.kind === kind);
  for (const c of byName('container'))
    if (
      await docker!
        .getContainer(c.name)
        .remove({ force: true })
        .then(
          () => true,
          () => false,
        )
    )
      done.push(c);
  let images = byName('image');
  for (let pass = 0; pass < 8 && images.length; pass++) {
    const left: Item[] = [];
    for (const i of images)
      (await docker!
        .getImage(i.name)
        .remove()
        .then(
          () => true,
          () => false,
        ))
        ? done.push(i)
        : left.push(i);
    if (left.length === images.length) break;
    images = left;
  }
  for (const v of byName('volume'))
    if (
      await docker!
        .getVolume(v.name)
        .remove()
        .then(
          () => true,
          () => false,
        )
    )
      done.push(v);
  for (const f of [...byName('cache'), ...byName('report')]) {
    const at = path.resolve(f.name);
    if (f.kind === 'cache' && path.dirname(at) !== cacheDir) continue;
    await rm(at, { recursive: true, force: true });
    done.push(f);
  }
  return done;
}
