/**
 * Whose fault a failed install script is, and the line that says so. npm runs the lifecycle
 * scripts of a cell's packages (npm 9 and 10 always; npm 11.19 too, and then warns `npm warn
 * install-scripts` about packages not in `allowScripts`; only an explicit denial skips them).
 * - A script killed from outside (SIGTERM, SIGKILL, SIGINT, SIGHUP) or out of disk: the machine's.
 * - A script that could not reach a configured registry: the machine's (the registry is part of it).
 * - A script that could not reach any other host: the package requires that host under this
 *   configuration, so `install-error`, naming the host and, for a known quirk, the setting that
 *   avoids the download. Such a verdict holds only while the host stays out of reach: the verdict
 *   cache keeps the host and asks again (src/run/cache.ts, docs/verdicts-and-cache.md).
 * - Any other failure of the script: the package's (`install-error`).
 */
import type { FailedScript, InstallFault } from './npm-output.js';
import { installSkipFor } from './onnxruntime-node-install.js';
import { hostAndPort } from '../run/reach.js';

export interface ScriptJudgement {
  fault: InstallFault;
  message: string;
  /** The host the script needed and did not reach, when its verdict depends on reaching it. */
  unreachable?: string;
}

/** npm's public registry: where a cell installs from when no other registry is configured. */
const PUBLIC_REGISTRY = 'https://registry.npmjs.org/';
const KILLED = new Set(['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP']);

/**
 * Whether the host a script named is one of the registries: by name and port when the error names
 * a port (a connection refused), by name alone when it names none (a name that did not resolve).
 */
function isRegistry(target: string, registries: string[]): boolean {
  const { host, port } = hostAndPort(target);
  const named = /:\d+$/.test(target);
  return [PUBLIC_REGISTRY, ...registries].some((r) => {
    try {
      const u = new URL(r);
      const rport = Number(u.port || (u.protocol === 'http:' ? 80 : 443));
      return u.hostname.replace(/^\[|\]$/g, '') === host && (!named || rport === port);
    } catch {
      return false;
    }
  });
}

/**
 * Pure: a failed script (src/cell/npm-output.ts failedScript), the lock that gives its version and
 * the registries the install is configured with → fault and one line.
 */
export function judgeScript(s: FailedScript, ctx: { lockfile?: { packages?: Record<string, { version?: unknown }> }; registries?: string[] }): ScriptJudgement {
  const locked = ctx.lockfile?.packages?.[s.location]?.version;
  const version = typeof locked === 'string' ? locked : undefined;
  const what = `the install script of ${s.name}${version ? `@${version}` : ''} (${s.command})`;
  if (s.signal && KILLED.has(s.signal)) return { fault: 'infra', message: `${what} was killed by ${s.signal} from outside the cell` };
  if (/\bENOSPC\b|no space left on device/i.test(s.output)) return { fault: 'infra', message: `${what} ran out of disk: ${s.firstLine}` };
  const failed = `${what} failed${s.signal ? ` with ${s.signal}` : ''}: ${s.firstLine}`;
  const skip = installSkipFor(s.name, version);
  if (s.host && isRegistry(s.host, ctx.registries ?? [])) {
    return { fault: 'infra', message: `${failed} (the configured registry ${s.host} could not be reached)` };
  }
  if (s.host) {
    return { fault: 'install', message: `${failed}; it needs ${s.host}, which this machine does not reach${skip ? `; ${skip}` : ''}`, unreachable: s.host };
  }
  return { fault: 'install', message: skip ? `${failed}; ${skip}` : failed };
}
