/**
 * What `matrix clean` removes, decided purely from an inventory of the engine and the disk: what
 * the tool made (its containers, images, volumes, the project's .matrix-cache) and the runs in
 * reports/ beyond the newest N. Nothing of a run in progress, and no image by a name the tool does
 * not own: a release image keeps its own tag (only the cell tag is removed from it).
 */

type ItemKind = 'container' | 'image' | 'volume' | 'cache' | 'report';

export interface Item {
  kind: ItemKind;
  /** What the user recognises: a name, a tag, a path. */
  name: string;
  bytes: number;
}

export interface Inventory {
  containers: { id: string; name: string; runId: string; bytes: number }[];
  /** Image tags the tool owns (matched by the caller against its names), with the image's size. */
  imageTags: { tag: string; bytes: number }[];
  volumes: { name: string; runId?: string; bytes: number }[];
  /** Entries of .matrix-cache (runtimes, registry metadata, verdicts, digests, scratch), by path. */
  cache: { path: string; bytes: number }[];
  /** Run folders of reports/, by id (ids sort by time). */
  reports: { id: string; path: string; bytes: number }[];
}

export interface CleanOptions {
  /** Runs whose runner still runs: their containers, volumes and scratch stay. */
  live: ReadonlySet<string>;
  keepReports: number;
}

/** Pure: the items to remove, in an order the engine accepts (containers before images and volumes). */
export function cleanPlan(inv: Inventory, opts: CleanOptions): Item[] {
  const busy = opts.live.size > 0;
  return [
    ...inv.containers.filter((c) => !opts.live.has(c.runId)).map((c): Item => ({ kind: 'container', name: c.name, bytes: c.bytes })),
    ...inv.imageTags.map((i): Item => ({ kind: 'image', name: i.tag, bytes: i.bytes })),
    // The npm cache volume (no run label) is shared by runs in progress.
    ...inv.volumes.filter((v) => (v.runId ? !opts.live.has(v.runId) : !busy)).map((v): Item => ({ kind: 'volume', name: v.name, bytes: v.bytes })),
    // A run in progress reads its runtime, scratch and record from the cache: all of it stays then.
    ...(busy ? [] : inv.cache.map((c): Item => ({ kind: 'cache', name: c.path, bytes: c.bytes }))),
    ...[...inv.reports]
      .sort((a, b) => b.id.localeCompare(a.id))
      .slice(opts.keepReports)
      .map((r): Item => ({ kind: 'report', name: r.path, bytes: r.bytes })),
  ];
}

/** "412 MB": bytes for people, in powers of 1000 as `docker images` shows them. */
export function shownBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** Pure: one line per item and a total; images share layers, so their sum is an upper bound. */
export function renderPlan(items: Item[], dryRun: boolean): string[] {
  if (!items.length) return ['nothing to remove'];
  const width = Math.max(...items.map((i) => i.name.length));
  const total = items.reduce((s, i) => s + i.bytes, 0);
  const images = items.some((i) => i.kind === 'image');
  return [
    dryRun ? 'would remove (dry run):' : 'removed:',
    ...items.map((i) => `  ${i.kind.padEnd(9)}  ${i.name.padEnd(width)}  ${shownBytes(i.bytes)}`),
    `${items.length} item${items.length === 1 ? '' : 's'}, ${images ? 'at most ' : ''}${shownBytes(total)}${images ? ' (images share layers)' : ''}`,
  ];
}

/** Pure: whether an image tag is one the tool makes: its cell, prelude, dependency and layer images, the local bases, the Debian image. */
export function ownsTag(tag: string, names: { imageName: string; localBase: string; debianImage: string }): boolean {
  const bare = tag.replace(/^localhost\//, '');
  const repo = bare.slice(0, bare.lastIndexOf(':'));
  const strip = (n: string) => n.replace(/^localhost\//, '');
  if ([strip(names.imageName), ...['prelude', 'deps', 'layer'].map((s) => `${strip(names.imageName)}-${s}`)].includes(repo)) return true;
  if (bare === strip(names.debianImage)) return true;
  const base = strip(names.localBase)
    .split(/(\{node\}|\{node-major\})/)
    .map((p) => (p === '{node}' ? '\\d+\\.\\d+\\.\\d+' : p === '{node-major}' ? '\\d+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${base}$`).test(bare);
}
