/**
 * A project: matrix.yaml and the folder it lives in, opened once at the edge and handed to every
 * command. It holds what costs nothing (the config, the folders, the settings in runtime units)
 * and hands out the rest when a command asks (npm's configuration, the registry, the service's
 * package.json), each read at most once: `matrix base` needs only the Node versions, so it
 * never plans cells, hashes a model folder, starts git or asks npm anything but the registry.
 */
import path from 'node:path';
import { readConfig, type LoadedConfig } from '../config/index.js';
import type { MatrixConfig } from '../config/schema.js';
import { CachingRegistry } from '../registry/cached.js';
import { RegistryCache } from '../registry/cache.js';
import { loadNpmOptions, NpmRegistry } from '../registry/npm.js';
import type { Registry } from '../registry/types.js';
import { cacheDigests, type Digests } from '../fs/digests.js';
import { readService, type Service } from './service.js';
import { runSettingsOf, type RunSettingsMs } from './units.js';

export interface Project {
  loaded: LoadedConfig;
  config: MatrixConfig;
  /** The folder of matrix.yaml: every relative path in it is relative to this. */
  root: string;
  /** `<root>/service`: what the planner plans from and the runner installs and starts. */
  serviceDir: string;
  /** `<root>/.matrix-cache` and the folders in it. */
  cache: { dir: string; registry: string; resolve: string; verdicts: string };
  /** `run:` and `image:` in milliseconds and MB. */
  settings: RunSettingsMs;
  /** Digests of model folders and files, kept in the cache across runs. */
  digests: Digests;
  /** npm's configuration as npm would load it in the project folder. */
  npmOptions(): Promise<Record<string, unknown>>;
  /** The npm registry behind the project's metadata cache; offline: the cache only. */
  registry(offline: boolean): Promise<CachingRegistry>;
  /** service/package.json and what the planner takes from it. */
  service(): Promise<Service>;
}

const lazy = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
};

/** `cacheDir`: default `<root>/.matrix-cache` (tests plan from a clean one). */
export async function openProject(configFile: string, opts: { cacheDir?: string } = {}): Promise<Project> {
  const loaded = await readConfig(configFile);
  const root = path.dirname(loaded.file);
  const dir = opts.cacheDir ?? path.join(root, '.matrix-cache');
  const npmOptions = lazy(() => loadNpmOptions(root));
  const upstream = lazy(async (): Promise<Registry> => new NpmRegistry(await npmOptions()));
  const serviceDir = path.join(root, 'service');
  return {
    loaded,
    config: loaded.config,
    root,
    serviceDir,
    cache: { dir, registry: path.join(dir, 'registry'), resolve: path.join(dir, 'resolve'), verdicts: path.join(dir, 'verdicts') },
    settings: runSettingsOf(loaded.config),
    digests: cacheDigests(dir),
    npmOptions,
    registry: async (offline) => new CachingRegistry(offline ? undefined : await upstream(), new RegistryCache(path.join(dir, 'registry'))),
    service: lazy(() => readService(serviceDir)),
  };
}
