/**
 * The user's npm configuration, as a cell's `npm ci` must see it: the settings npm resolved for
 * this project (project .npmrc, user and global config, npm_config_* env, `${VAR}` references
 * expanded), turned back into one npmrc. It reaches an install only as a file outside every image
 * and cell folder: on Docker put into the install's throwaway container, never committed; on the
 * local backend a 0600 file in a temp folder, both passed as npm's `userconfig`. Pure.
 */

/** The flat option names of the settings an install needs, as npmrc spells them. */
const SETTINGS: Record<string, string> = {
  registry: 'registry',
  proxy: 'proxy',
  httpsProxy: 'https-proxy',
  noProxy: 'noproxy',
  strictSSL: 'strict-ssl',
};

/** Keys whose values are credentials: a token, a base64 `user:password`, a password. */
const SECRET_KEY = /:(_authToken|_auth|_password|password|token)$/;

export interface NpmCredentials {
  /** The npmrc text; empty when the user's config sets nothing an install needs beyond the defaults. */
  npmrc: string;
  /** Every credential value in it, and their decoded forms, for redaction. */
  secrets: string[];
  /** Whether any credential is configured at all. */
  hasCredentials: boolean;
}

/** npm's flat options (@npmcli/config `flat`) → the npmrc an install reads, and the secrets in it. */
export function npmCredentials(flat: Record<string, unknown>): NpmCredentials {
  const lines: string[] = [];
  const secrets: string[] = [];
  for (const [option, key] of Object.entries(SETTINGS)) {
    const v = flat[option];
    if (typeof v === 'string' && v) lines.push(`${key}=${v}`);
    if (typeof v === 'boolean' && option === 'strictSSL' && !v) lines.push(`${key}=false`);
    if (typeof v === 'string') secrets.push(...urlPassword(v));
  }
  for (const [key, v] of Object.entries(flat).sort(([a], [b]) => a.localeCompare(b))) {
    if (typeof v !== 'string' || !(key.startsWith('//') || /^@[^:]+:registry$/.test(key))) continue;
    if (/[\r\n]/.test(key + v)) continue;
    lines.push(`${key}=${v}`);
    if (SECRET_KEY.test(key)) secrets.push(v, ...decoded(key, v));
  }
  return {
    npmrc: lines.length ? `${lines.join('\n')}\n` : '',
    secrets: [...new Set(secrets.filter((s) => s.length >= 4))],
    hasCredentials: lines.some((l) => SECRET_KEY.test(l.split('=')[0]!)),
  };
}

/** `_auth` is base64 of user:password and `_password` base64 of the password: their plain forms leak too. */
function decoded(key: string, v: string): string[] {
  if (!/:(_auth|_password)$/.test(key)) return [];
  const plain = Buffer.from(v, 'base64').toString('utf8');
  return key.endsWith(':_auth') ? [plain, plain.slice(plain.indexOf(':') + 1)] : [plain];
}

function urlPassword(v: string): string[] {
  try {
    const u = new URL(v);
    return [u.password, decodeURIComponent(u.password)].filter(Boolean);
  } catch {
    return [];
  }
}

/** A registry as npm names it: the origin of a URL with a trailing slash; undefined for what is no URL. */
export function registryOrigin(url: string): string | undefined {
  try {
    return `${new URL(url).origin}/`;
  } catch {
    return undefined;
  }
}

/**
 * Pure: the registries a lock installs from under that npmrc: its `resolved` URLs, and the
 * registry of each scope it has packages of (arborist's locks often carry no `resolved`). npm's
 * public registry is left out, so what remains names the private ones.
 */
export function registriesOf(lockfile: { packages?: Record<string, { resolved?: unknown }> } | undefined, npmrc = ''): string[] {
  const scopes = new Map([...npmrc.matchAll(/^(@[^:\s]+):registry=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  const found = new Set<string>();
  for (const [location, p] of Object.entries(lockfile?.packages ?? {})) {
    if (typeof p.resolved === 'string') found.add(registryOrigin(p.resolved) ?? '');
    const scope = /(?:^|\/)node_modules\/(@[^/]+)\/[^/]+$/.exec(location)?.[1];
    if (scope && scopes.has(scope)) found.add(registryOrigin(scopes.get(scope)!) ?? '');
  }
  found.delete('');
  found.delete('https://registry.npmjs.org/');
  return [...found].sort();
}
