/**
 * Reading npm's output after a failed install: the line that explains it, and whose fault it
 * is. A registry that cannot be reached or answers 5xx, a full disk, a download that does not
 * match its integrity, or npm killed from outside says nothing about the cell's packages.
 */
import { registryOrigin } from '../registry/credentials.js';

export type InstallFault = 'install' | 'infra';

const INFRA = [
  /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|EINTEGRITY|ENOSPC)\b/,
  /npm (ERR!|error) code E5\d\d\b/,
  /\b5\d\d (Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out)\b/i,
  /npm (ERR!|error) network\b/,
  // npm itself was signalled: the daemon stopping its build container, or a kill from outside.
  /npm (ERR!|error) signal SIG(TERM|KILL|INT|HUP)\b/,
  /npm (ERR!|error) process terminated\b/,
  /no space left on device/i,
];

/** 137/143: a build step or npm ended by SIGKILL/SIGTERM from outside (the runner tells its own deadline apart). */
export const killedFromOutside = (exitCode?: number | null) => exitCode === 137 || exitCode === 143;

/** Pure: npm's output (and its exit code, when known) → whose fault the failure is. */
export function installFault(log: string, exitCode?: number | null): InstallFault {
  if (killedFromOutside(exitCode)) return 'infra';
  return INFRA.some((re) => re.test(log)) ? 'infra' : 'install';
}

/** The most telling line of an npm failure: its first `npm error` line that says something. */
export function npmErrorLine(log: string): string {
  const lines = log.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /^npm (ERR!|error)/.test(l) && !/A complete log|npm (ERR!|error)\s*$/.test(l));
  return (errors[0] ?? lines.at(-1) ?? 'no output').slice(0, 300);
}

/** The line for a registry that refused a request for want of credentials (HTTP 401/403). */
export const credentialsRefused = (registry: string, status: number, what?: string) =>
  `${registry} refused ${what ?? 'the request'} (HTTP ${status}): credentials for it are missing or refused; check the auth lines for it in your .npmrc`;

/**
 * Pure: npm's output → that line, when npm failed on a 401/403. The registry is the one in the
 * URL npm names; npm often names none, and then it is `registries`, the private ones the lock
 * installs from (src/registry/credentials.ts registriesOf).
 */
export function authFailureLine(log: string, registries: string[] = []): string | undefined {
  const status = /npm (?:ERR!|error) code E(401|403)\b/.exec(log)?.[1] ?? /\b(401) Unauthorized\b|\b(403) Forbidden\b/.exec(log)?.slice(1).find(Boolean);
  if (!status) return undefined;
  const named = /\b(?:GET|PUT) (https?:\/\/\S+)/.exec(log)?.[1];
  const which = named ? [registryOrigin(named)] : registries;
  return credentialsRefused(which.filter(Boolean).join(' or ') || 'the registry', Number(status));
}
