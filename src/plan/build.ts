/**
 * The effectful edge of planning, shared by `matrix plan`, `matrix run` and the bisects: check
 * that the files matrix.yaml names exist, ask the registry (through the project's cache), read
 * the service's package.json and each model variant's files, plan.
 */
import { configError, missingPaths, placed } from '../config/index.js';
import type { Project } from '../project/index.js';
import { CachingRegistry } from '../registry/cached.js';
import { RegistryCache } from '../registry/cache.js';
import type { Registry } from '../registry/types.js';
import { readModelFacts } from './model.js';
import { fetchPackuments, planFromPackuments, runtimeVersions, type Plan } from './plan.js';

interface BuildPlanOptions {
  offline?: boolean;
  now?: Date;
  /** Default: the registry of the user's npm configuration. Either way through the project's metadata cache. */
  registry?: Registry;
}

export async function buildPlan(project: Project, opts: BuildPlanOptions = {}): Promise<Plan> {
  const { loaded, root, digests } = project;
  const missing = await missingPaths(loaded.config, root);
  if (missing.length) throw configError(loaded.displayName, placed(missing, loaded.locate));
  const registry = opts.registry
    ? new CachingRegistry(opts.registry, new RegistryCache(project.cache.registry))
    : await project.registry(Boolean(opts.offline));
  // The model files are read while the registry answers; a problem in matrix.yaml is still told first.
  const [facts, docs, service] = await Promise.allSettled([
    readModelFacts(loaded.config, root, digests),
    fetchPackuments(loaded.config, registry),
    project.service(),
  ]);
  if (facts.status === 'rejected') throw facts.reason;
  if (facts.value.problems.length) throw configError(loaded.displayName, placed(facts.value.problems, loaded.locate));
  if (docs.status === 'rejected') throw docs.reason;
  if (service.status === 'rejected') throw service.reason;
  const plan = planFromPackuments(loaded.config, docs.value, opts.now ?? new Date(), service.value.facts, facts.value.models);
  if (plan.problems.length) throw configError(loaded.displayName, placed(plan.problems, loaded.locate));
  plan.notes.unshift(...registry.notes());
  return plan;
}

/** The Node versions of the runtime axis (src/plan/plan.ts runtimeVersions): one packument asked, nothing else read. */
export async function planRuntimeVersions(project: Project, opts: { offline: boolean }): Promise<string[]> {
  const { loaded } = project;
  const runtimeOnly = { ...loaded.config, axes: Object.fromEntries(Object.entries(loaded.config.axes).filter(([, a]) => a.kind === 'runtime')), include: [] };
  const docs = await fetchPackuments(runtimeOnly, await project.registry(opts.offline));
  const { versions, problems } = runtimeVersions(loaded.config, docs, new Date());
  if (problems.length) throw configError(loaded.displayName, placed(problems, loaded.locate));
  return versions;
}
