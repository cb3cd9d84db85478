/**
 * A cell's environment, built from nothing rather than inherited from the shell. A Docker cell
 * sees only its image's ENV and what the backend sets; a local cell gets the same here. The
 * service reads TOKENIZER, MODEL_QUANTIZED, ORT_THREADS, MAX_BATCH and MAX_QUEUE (and npm reads
 * every npm_config_*): a shell that exported one would change what a local cell tests, and the
 * verdict cache, whose key does not hold the shell, would keep that verdict for a clean shell.
 *
 * From the host pass only how to reach and trust the network, and where to keep caches: proxies,
 * Node's extra CA bundle, HOME and TMPDIR. None is in the verdict cache key (src/run/cache.ts):
 * they change the route to a registry and where bytes are kept, never which bytes a cell runs
 * (`npm ci` checks every tarball against the lock's integrity); a host they fail to reach is an
 * infra-error (never cached), or an install-error kept only while that host stays out of reach.
 */
import path from 'node:path';

/** How to reach the network from behind a proxy: Docker's install containers get these too. */
export const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'] as const;

/**
 * What a local cell takes from the host besides the proxies. Node's CA bundle matters to install
 * scripts that download (on Docker the bundle is copied into the image instead); HOME holds npm's
 * and node-gyp's caches, content-addressed or by Node version.
 */
const LOCAL_HOST_VARS = ['NODE_EXTRA_CA_CERTS', 'HOME', 'TMPDIR'] as const;

/**
 * The system's folders, as the Node images set PATH: not the shell's PATH, where a user's own
 * `node`, `python` or shims could come before them. The cell's Node goes first, so npm and every
 * lifecycle script run on it.
 */
const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

type HostEnv = Record<string, string | undefined>;

const pick = (host: HostEnv, names: readonly string[]): Record<string, string> => Object.fromEntries(names.flatMap((n) => (host[n] ? [[n, host[n]]] : [])));

/** The proxies set on the host: what a Docker install container gets of the host's environment. */
export const proxyEnv = (host: HostEnv): Record<string, string> => pick(host, PROXY_VARS);

/** Pure: the environment of a local cell's process (npm or the service) on the Node in `nodeBin`, with the cell's own variables last. */
export function localCellEnv(host: HostEnv, nodeBin: string, own: Record<string, string>): Record<string, string> {
  return {
    ...proxyEnv(host),
    ...pick(host, LOCAL_HOST_VARS),
    PATH: [path.dirname(nodeBin), ...SYSTEM_PATH].join(path.delimiter),
    ...own,
  };
}

/** Every host variable a local cell can see: what the comment above argues is safe outside the cache key. */
export const HOST_VARS: readonly string[] = [...PROXY_VARS, ...LOCAL_HOST_VARS];
