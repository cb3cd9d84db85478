/**
 * The npm registry, through npm's own client (npm-registry-fetch) and the user's own npm
 * configuration (@npmcli/config): registry, scoped registries, cafile/ca, proxy, auth tokens
 * from .npmrc files and npm_config_* env all apply, exactly as `npm install` would see them.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import Config from '@npmcli/config';
import defs from '@npmcli/config/lib/definitions/index.js';
import fetch from 'npm-registry-fetch';
import { UserError } from '../errors.js';
import { addSecrets } from '../redact.js';
import { npmCredentials, type NpmCredentials } from './credentials.js';
import { PackageNotFound, RegistryUnreachable, trimPackument, type Packument, type Registry } from './types.js';

/** Loads npm's configuration as npm would from `cwd` (project .npmrc, user, global, env). */
export async function loadNpmOptions(cwd: string): Promise<Record<string, unknown>> {
  // npmPath only locates npm's builtin config file; npm-registry-fetch's folder has none, which is fine.
  const npmPath = path.dirname(createRequire(import.meta.url).resolve('npm-registry-fetch'));
  const config = new Config({ ...defs, npmPath, argv: [], cwd, env: process.env, warn: false });
  await config.load();
  return config.flat;
}

/**
 * The user's npm settings and credentials as an npmrc for cell installs; every credential in it
 * is registered for redaction (src/redact.ts) before anything runs.
 */
export function installNpmrc(npmOptions: Record<string, unknown>): NpmCredentials {
  const c = npmCredentials(npmOptions);
  addSecrets(c.secrets);
  return c;
}

/**
 * How matrix fetches packuments itself (the planner here, the resolver's prefetch in
 * src/cell/resolve.ts): 4 at once, fetching the ~100 of the default matrix as fast as 16, and
 * through one agent, since @npmcli/agent keys its agents by these settings. Every new TLS
 * connection builds its CA list anew (about 20 ms with a `cafile` of 144 certificates): the warm
 * run made 4 connections with one agent, 9 with two. npm's default retry (2 × up to 60 s) would
 * make an unreachable registry a minutes-long wait.
 */
export const PACKUMENT_FETCH = { maxSockets: 4, timeout: 30_000, retry: { retries: 1, factor: 2, minTimeout: 1000, maxTimeout: 3000 } };

export class NpmRegistry implements Registry {
  constructor(private readonly options: Record<string, unknown>) {}

  static async fromNpmConfig(cwd: string): Promise<NpmRegistry> {
    return new NpmRegistry(await loadNpmOptions(cwd));
  }

  get url(): string {
    return String(this.options.registry ?? 'https://registry.npmjs.org/');
  }

  async packument(name: string): Promise<Packument> {
    try {
      // The full document: the abbreviated one has no publish times, which min-age needs.
      const doc = await fetch.json(`/${name.replace('/', '%2f')}`, {
        ...this.options,
        spec: name,
        headers: { accept: 'application/json' },
        ...PACKUMENT_FETCH,
      } as fetch.FetchOptions);
      return trimPackument(doc);
    } catch (error) {
      const e = error as { code?: string; statusCode?: number; errno?: string; message?: string };
      if (e.statusCode === 404 || e.code === 'E404') throw new PackageNotFound(name, this.url);
      if (e.statusCode === 401 || e.statusCode === 403)
        throw new UserError(`${this.url} refused ${name} (HTTP ${e.statusCode}): check the auth settings in your .npmrc`);
      // Any other failure (a refused connection, a 5xx, a dropped socket) leaves the cache to answer.
      const code = e.code ?? e.errno ?? '';
      throw new RegistryUnreachable(name, code || (e.statusCode ? `HTTP ${e.statusCode}` : (e.message ?? 'no answer').split('\n')[0]!));
    }
  }
}
