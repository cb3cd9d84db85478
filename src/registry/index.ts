/** Version sources. Add one by implementing Registry (./types.ts). */
export * from './types.js';
export { NpmRegistry, loadNpmOptions } from './npm.js';
export { RegistryCache, type CachedPackument } from './cache.js';
export { CachingRegistry } from './cached.js';
export { FixtureRegistry, MemoryRegistry } from './fixture.js';
