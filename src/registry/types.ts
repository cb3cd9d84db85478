/**
 * Where versions come from. A Registry answers one question — "what versions of this package
 * exist, when were they published, what do they require" — and the planner asks nothing else.
 * Implementations: ./npm.ts (the user's npm registry and configuration), ./cached.ts (the file
 * cache and offline mode around it), ./fixture.ts (recorded packuments, for tests).
 */
import { UserError } from '../errors.js';

/** One version's metadata, trimmed to what planning reads. */
interface PackumentVersion {
  version: string;
  engines?: Record<string, string>;
  deprecated?: string;
}

/** A package document ("packument"), trimmed: versions, publish times, dist-tags. */
export interface Packument {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, PackumentVersion>;
  /** version → ISO publish time (plus npm's `created`/`modified`, ignored). */
  time: Record<string, string>;
}

export interface Registry {
  packument(name: string): Promise<Packument>;
}

/** npm-registry-fetch's error codes for a registry that could not be reached (network, TLS). */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'FETCH_ERROR',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_SOCKET_TIMEOUT',
]);

/** The registry could not be reached (network, TLS, 5xx): the cache may stand in. */
export class RegistryUnreachable extends Error {
  constructor(
    readonly packageName: string,
    readonly why: string,
  ) {
    super(`registry unreachable for ${packageName} (${why})`);
    this.name = 'RegistryUnreachable';
  }
}

/**
 * The registry answered that no such package exists (HTTP 404): bad input, not trouble with the
 * registry. The planner reports it at the place in matrix.yaml that names the package.
 */
export class PackageNotFound extends UserError {
  constructor(
    readonly packageName: string,
    readonly registryUrl: string,
  ) {
    super(`package ${packageName} was not found on ${registryUrl}`);
    this.name = 'PackageNotFound';
  }
}

/** Keep only what planning reads, whatever shape the registry sent. */
export function trimPackument(doc: unknown): Packument {
  const d = (doc ?? {}) as Record<string, unknown>;
  const versions: Record<string, PackumentVersion> = {};
  for (const [v, meta] of Object.entries((d.versions ?? {}) as Record<string, Record<string, unknown>>)) {
    const engines = meta?.engines;
    const deprecated = meta?.deprecated;
    versions[v] = {
      version: v,
      ...(engines && typeof engines === 'object' && !Array.isArray(engines) ? { engines: stringRecord(engines) } : {}),
      ...(typeof deprecated === 'string' && deprecated ? { deprecated } : {}),
    };
  }
  const time = Object.fromEntries(Object.entries(stringRecord(d.time)).filter(([k]) => k in versions));
  return { name: String(d.name ?? ''), 'dist-tags': stringRecord(d['dist-tags']), versions, time };
}

function stringRecord(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object') return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
}
