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

/** A lifecycle script npm ran that failed, as npm reports it (npm 9 `npm ERR!`, npm 10 and 11 `npm error`). */
export interface FailedScript {
  /** The package, from the folder npm names (`…/node_modules/@scope/name`). */
  name: string;
  /** Its folder under the project: the key of its lockfile entry (`node_modules/onnxruntime-node`). */
  location: string;
  /** What npm ran (`node ./script/install`). */
  command: string;
  /** The first line of the script's own error (`Error: getaddrinfo ENOTFOUND api.nuget.org`). */
  firstLine: string;
  /** A host the script could not reach (name, or address:port), when its error names one. */
  host?: string;
  /** The signal that ended it, when one did. */
  signal?: string;
  /** The script's output as npm echoed it, without npm's prefixes. */
  output: string;
}

const NPM_LINE = /^npm (?:ERR!|error) ?/;
// Node's own lines around an uncaught error: where it was thrown, not what went wrong.
const NOISE = /^(?:node:internal\/|triggerUncaughtException|\^+$|at |throw |Node\.js v\d|\}$|A complete log of this run|\w+: (?:'[^']*'|-?\d+|true|false),?$)/;
const SOURCE_AT = /^(?:file:\/\/)?\/\S+:\d+$/;
// What a thrown error prints first: `Error: …`, `TypeError: …`, `Uncaught RangeError …`.
const THROWN = /^(?:Uncaught )?(?:[A-Z][A-Za-z]*)?Error\b/;
const ERROR_LINE = /\b(?:[A-Z][A-Za-z]*)?Error\b|\bE[A-Z]{3,}\b|\bERR!|\berror\b/;
const UNREACHED = [
  /\bgetaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([\w.-]+)/,
  /\bconnect (?:ECONNREFUSED|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH) ([\w.:[\]-]+)/,
  /\bCould not resolve host:? ([\w.-]+)/i,
  /\bunable to resolve host address [‘'"]?([\w.-]+)/i,
];

/**
 * Pure: npm's output → the lifecycle script that failed, when one did. npm prints `path <folder>`,
 * `command failed`, `command sh -c <script>`, then the script's output; no version, which the
 * lockfile has (src/cell/install-script.ts).
 */
export function failedScript(log: string): FailedScript | undefined {
  const lines = log
    .split('\n')
    .filter((l) => NPM_LINE.test(l))
    .map((l) => l.replace(NPM_LINE, ''));
  const failed = lines.indexOf('command failed');
  if (failed < 1) return undefined;
  const folder = lines
    .slice(0, failed)
    .reverse()
    .find((l) => l.startsWith('path '))
    ?.slice(5)
    .trim();
  // A script killed by a signal has `signal SIGKILL` before its command line.
  const signal = /^signal (SIG[A-Z]+)/.exec(lines[failed + 1] ?? '')?.[1];
  const commandAt = failed + (signal ? 2 : 1);
  const command = /^command (?:sh|cmd(?:\.exe)?|bash) (?:-c|\/d \/s \/c) (.*)$/.exec(lines[commandAt] ?? '')?.[1];
  const at = folder?.indexOf('node_modules/') ?? -1;
  if (!folder || !command || at < 0) return undefined;
  const location = folder.slice(at).replace(/\/+$/, '');
  const output = lines.slice(commandAt + 1).map((l) => l.trimEnd());
  const trimmed = output.map((l) => l.trim());
  // Node shows an uncaught error's source line (`/x/fetch.js:2`, the line, a caret under it) before the error itself.
  const said = trimmed.filter((l, i) => l && !NOISE.test(l) && !SOURCE_AT.test(l) && !/^\^+$/.test(trimmed[i + 1] ?? ''));
  const firstLine = (said.find((l) => THROWN.test(l)) ?? said.find((l) => ERROR_LINE.test(l)) ?? said[0] ?? 'exited without output').slice(0, 200);
  const text = output.join('\n');
  const host = UNREACHED.map((re) => re.exec(text)?.[1]).find(Boolean) ?? /^\s*hostname: '([\w.-]+)'/m.exec(text)?.[1];
  const name = location.replace(/^.*node_modules\//, '');
  return { name, location, command, firstLine, ...(host ? { host } : {}), ...(signal ? { signal } : {}), output: text };
}

/** The most telling line of an npm failure: its first `npm error` line that says something. */
export function npmErrorLine(log: string): string {
  const lines = log
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
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
