/**
 * What a cell installs: the service's package.json with the cell's exact axis versions, its
 * .npmrc, npm and model folder (pure, so the same cell always gets the same files and the same
 * image cache key), and copyServiceFiles, which copies the service's runtime files into it.
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import type { Cell } from '../domain.js';
import { dependenciesOf, modelOf } from '../axes/index.js';

export interface ServiceManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** The service's dependencies, with each axis' packages pinned to the cell's exact versions. */
export function cellManifest(service: ServiceManifest, cell: Pick<Cell, 'axes'>): ServiceManifest {
  const { set, replaced } = dependenciesOf(cell.axes);
  const deps: Record<string, string> = {};
  for (const [name, range] of Object.entries(service.dependencies ?? {})) if (!replaced.has(name)) deps[name] = range;
  Object.assign(deps, set);
  const sorted = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  const { devDependencies: _dev, ...rest } = service;
  return { ...rest, dependencies: sorted };
}

/** The model folder a cell loads: its model variant's, else the service's bundled model. */
export function modelDirOf(cell: Pick<Cell, 'axes'>, root: string): string {
  const m = modelOf(cell);
  return m ? path.resolve(root, m.folder) : path.join(root, 'service', 'model', 'zh-en');
}

/** npm's own engines: npm 10 needs Node ≥ 18.17, npm 9 still runs on 14.17–18.16. */
export function npmVersionFor(node: string): string {
  return semver.gte(node, '18.17.0') ? '10.9.9' : '9.9.4';
}

/** .npmrc written next to the cell's package.json (flags from matrix.yaml are validated at load). */
export function cellNpmrc(): string {
  return ['update-notifier=false', 'fund=false', 'audit=false', ''].join('\n');
}

/** What of service/ a cell runs: the compiled code and the page's static files (no sources, no node_modules). */
export const SERVICE_RUNTIME_DIRS = ['dist', 'public'] as const;

/** Real files, links followed: a cell must never run code that resolves its imports outside its own folder. */
export async function copyServiceFiles(serviceDir: string, to: string): Promise<void> {
  for (const d of SERVICE_RUNTIME_DIRS) {
    await cp(path.join(serviceDir, d), path.join(to, d), { recursive: true, dereference: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT' || d === 'dist') throw error;
    });
  }
}
