/**
 * The registry as the planner sees it: live answers refresh the cache; with --offline, or
 * when the registry cannot be reached, the cache answers and a note says from when. With
 * neither, one line tells the user what to do.
 */
import { InfraError, UserError } from '../errors.js';
import type { RegistryCache } from './cache.js';
import { RegistryUnreachable, type Packument, type Registry } from './types.js';

export class CachingRegistry implements Registry {
  private readonly fromCache = new Map<string, string>();
  private unreachableWhy: string | undefined;

  /** `upstream` undefined means offline: the cache only. */
  constructor(
    private readonly upstream: Registry | undefined,
    private readonly cache: RegistryCache,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async packument(name: string): Promise<Packument> {
    if (this.upstream && this.unreachableWhy === undefined) {
      try {
        const doc = await this.upstream.packument(name);
        // A failed cache write must not fail a plan that has its answer.
        await this.cache.put(name, doc, this.now()).catch(() => undefined);
        return doc;
      } catch (error) {
        if (!(error instanceof RegistryUnreachable)) throw error;
        // Once unreachable, stay on the cache for this plan instead of waiting on every package.
        this.unreachableWhy = error.why;
      }
    }
    const hit = await this.cache.get(name);
    if (!hit) {
      if (!this.upstream) throw new UserError(`--offline: no cached registry metadata for ${name} in ${this.cache.dir} (run \`matrix plan\` once online)`);
      throw new InfraError(`registry unreachable (${this.unreachableWhy}) and no cached metadata for ${name} in ${this.cache.dir}`);
    }
    this.fromCache.set(name, hit.fetchedAt);
    return hit.packument;
  }

  /** One note for the plan when any answer came from the cache. */
  notes(): string[] {
    if (this.fromCache.size === 0) return [];
    const dates = [...this.fromCache.values()].sort();
    const oldest = dates[0]!;
    const why = this.upstream ? `registry unreachable (${this.unreachableWhy})` : 'offline (--offline)';
    return [`${why}, using cache from ${oldest} for ${[...this.fromCache.keys()].sort().join(', ')}`];
  }
}
