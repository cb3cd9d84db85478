/**
 * The effectful edge of planning, shared by `matrix plan` and `matrix run`: read matrix.yaml,
 * check that the files it names exist, ask the registry (through the cache), read each model
 * variant's files, plan.
 */
import path from 'node:path';
import { configError, missingPaths, placed, readConfig, type LoadedConfig } from '../config/index.js';
import { CachingRegistry } from '../registry/cached.js';
import { RegistryCache } from '../registry/cache.js';
import { NpmRegistry } from '../registry/npm.js';
import type { Registry } from '../registry/types.js';
import { readModelFacts } from './model.js';
import { cacheDigests, type Digests } from '../fs/digests.js';
import { fetchPackuments, planFromPackuments, type Plan } from './plan.js';

export interface BuildPlanOptions {
  offline?: boolean;
  now?: Date;
  /** Default: <folder of matrix.yaml>/.matrix-cache (registry metadata lives in its registry/). */
  cacheDir?: string;
  /** Default: the npm registry from the user's npm configuration. */
  registry?: Registry;
}

export interface BuiltPlan {
  plan: Plan;
  config: LoadedConfig['config'];
  loaded: LoadedConfig;
  /** The folder of matrix.yaml: model folders and other paths in it are relative to it. */
  root: string;
  cacheDir: string;
  /** The digests of model folders and other files, kept in <cacheDir>/digests.json. */
  digests: Digests;
}

export async function buildPlan(configFile: string, opts: BuildPlanOptions = {}): Promise<BuiltPlan> {
  const loaded = await readConfig(configFile);
  const root = path.dirname(loaded.file);
  const missing = await missingPaths(loaded.config, root);
  if (missing.length) throw configError(loaded.displayName, placed(missing, loaded.locate));
  const cacheDir = opts.cacheDir ?? path.join(root, '.matrix-cache');
  const upstream = opts.offline ? undefined : (opts.registry ?? (await NpmRegistry.fromNpmConfig(root)));
  const digests = cacheDigests(cacheDir);
  const registry = new CachingRegistry(upstream, new RegistryCache(path.join(cacheDir, 'registry')));
  // The model files are read while the registry answers; a problem in matrix.yaml is still told first.
  const [facts, docs] = await Promise.allSettled([readModelFacts(loaded.config, root, digests), fetchPackuments(loaded.config, registry)]);
  if (facts.status === 'rejected') throw facts.reason;
  if (facts.value.problems.length) throw configError(loaded.displayName, placed(facts.value.problems, loaded.locate));
  if (docs.status === 'rejected') throw docs.reason;
  const plan = planFromPackuments(loaded.config, docs.value, opts.now ?? new Date(), facts.value.models);
  if (plan.problems.length) throw configError(loaded.displayName, placed(plan.problems, loaded.locate));
  plan.notes.unshift(...registry.notes());
  return { plan, config: loaded.config, loaded, root, cacheDir, digests };
}
