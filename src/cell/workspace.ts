/**
 * What a cell installs: the service's package.json with the cell's exact axis versions.
 * Pure, so the same cell always renders the same bytes (and the same image cache key).
 */
import { readFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import type { Cell } from '../domain.js';
import { projectRoot } from '../paths.js';

export interface ServiceManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * The tokenizer libraries the service has an adapter for, with the short names cell names use:
 * service/package.json `tokenizerLibraries`, the one list the service loads from and the planner
 * plans from. Read once from the service beside this tool (service/ is its own package, so this
 * is data, not an import of its sources). Only one is installed per cell.
 */
export const TOKENIZER_LIBRARIES: readonly { package: string; alias: string }[] = (() => {
  const file = path.join(projectRoot(), 'service', 'package.json');
  const list = (JSON.parse(readFileSync(file, 'utf8')) as { tokenizerLibraries?: unknown }).tokenizerLibraries;
  if (!Array.isArray(list) || !list.every((l: { package?: unknown; alias?: unknown }) => typeof l?.package === 'string' && typeof l.alias === 'string')) {
    throw new Error(`${file}: tokenizerLibraries: expected a list of {package, alias}`);
  }
  return list as { package: string; alias: string }[];
})();
export const TOKENIZER_PACKAGES: readonly string[] = TOKENIZER_LIBRARIES.map((l) => l.package);

export function cellManifest(service: ServiceManifest, cell: Cell): ServiceManifest {
  const deps: Record<string, string> = {};
  for (const [name, range] of Object.entries(service.dependencies ?? {})) {
    if (TOKENIZER_PACKAGES.includes(name) || name === 'onnxruntime-node') continue;
    deps[name] = range;
  }
  deps['onnxruntime-node'] = cell.ort;
  deps[cell.tokenizer.package] = cell.tokenizer.version;
  const sorted = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  const { devDependencies: _dev, ...rest } = service;
  return { ...rest, dependencies: sorted };
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

export async function copyServiceFiles(serviceDir: string, to: string): Promise<void> {
  for (const d of SERVICE_RUNTIME_DIRS) {
    await cp(path.join(serviceDir, d), path.join(to, d), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT' || d === 'dist') throw error;
    });
  }
}
