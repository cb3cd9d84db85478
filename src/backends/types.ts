/**
 * A backend is where a cell runs: it installs the cell's exact versions, starts the service
 * on a loopback port, and removes everything it started. Add one by implementing this
 * interface and registering it in ./index.ts.
 */
import { judgeScript } from '../cell/install-script.js';
import { authFailureLine, failedScript, installFault, killedFromOutside, npmErrorLine } from '../cell/npm-output.js';
import type { Lockfile } from '../cell/resolve.js';
import type { ServiceManifest } from '../cell/workspace.js';
import type { Cell } from '../domain.js';
import type { PrepareBudgets } from '../run/budgets.js';

/** Why install/build failed, as the backend classified it; src/verdict/decide.ts turns it into a verdict. */
export type PrepareFault = 'install' | 'build' | 'deadline' | 'infra';

export interface PrepareContext {
  runId: string;
  /** Compiled service (service/dist) and its manifest. */
  serviceDir: string;
  /** The cell's model folder (its model variant's): copied into the image, or read in place. */
  modelDir: string;
  /** The cell's package.json (src/cell/workspace.ts cellManifest). */
  manifest: ServiceManifest;
  /** The cell's package-lock.json, resolved before the run (src/cell/resolve.ts): installed with `npm ci`. */
  lockfile: Lockfile;
  /** Aborted when the run is interrupted. */
  signal: AbortSignal;
  /**
   * Runs one step under its budget (run.timeouts.install: npm's tree and install steps; .build:
   * image builds, base, rootfs and toolchain download included); the step's signal aborts on
   * timeout or interrupt, and must reach every child process and engine call the step makes.
   */
  within: PrepareBudgets['within'];
  /** One line of progress (e.g. a build step) for the live view. */
  onLog(line: string): void;
}

export interface Prepared {
  cell: Cell;
  /** The package-lock.json the cell installed (read back from the image on Docker). */
  lockfile?: unknown;
  image?: { id: string; tag: string; labels: Record<string, string> };
  /** The engine it is on, when the run spreads cells over several (run.engines). */
  engine?: string;
  /** Identity of the base it was built from (base image id, runtime): part of the verdict cache key. */
  baseId: string;
  logTail: string;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  oomKilled?: boolean;
}

export interface RunningService {
  url: string;
  /** Settles when the service process/container ends, for whatever reason. */
  exited: Promise<ExitInfo>;
  /** Peak resident memory so far, in MB, when the backend can measure it. */
  peakMemoryMb(): Promise<number | undefined>;
  logTail(lines?: number): string;
  stop(): Promise<ExitInfo>;
}

/** A failed install/build, with whose fault it is; src/verdict/decide.ts decides the verdict. */
export class PrepareFailure extends Error {
  constructor(
    readonly fault: PrepareFault,
    message: string,
    readonly logTail = '',
    /** A host an install script needed and did not reach: the verdict holds while it stays unreachable. */
    readonly unreachable?: string,
  ) {
    super(message);
    this.name = 'PrepareFailure';
  }
}

/**
 * A failed `npm ci` (its output, how it ended, the private registries it installed from, the lock
 * that names the versions) as the PrepareFailure both backends report; a failed install script is
 * judged by src/cell/install-script.ts.
 */
export function installFailure(
  log: string,
  end: { code?: number | null; signal?: string | null },
  registries: string[] = [],
  lockfile?: Lockfile,
): PrepareFailure {
  const how = end.signal ? `was killed by ${end.signal}` : `exited ${end.code}`;
  const failed = failedScript(log);
  const script = failed && !end.signal && !killedFromOutside(end.code) ? judgeScript(failed, { lockfile, registries }) : undefined;
  const fault = end.signal ? 'infra' : (script?.fault ?? installFault(log, end.code));
  const why = authFailureLine(log, registries) ?? script?.message ?? npmErrorLine(log);
  return new PrepareFailure(fault, `npm ci ${how}${fault === 'infra' ? ' for a reason outside the cell' : ''}: ${why}`, tail(log), script?.unreachable);
}

export interface Backend {
  readonly name: 'docker' | 'local';
  /** Why this backend was chosen, for the one line the CLI prints. */
  readonly reason: string;
  /** The engine behind the Docker API (`Podman 4.3.1`), for the report. */
  readonly dockerEngine?: string;
  prepare(cell: Cell, ctx: PrepareContext): Promise<Prepared>;
  start(prepared: Prepared, port: number, ctx: { runId: string; signal: AbortSignal }): Promise<RunningService>;
  /**
   * Identity of the base prepare() would use, without doing any work; undefined while that base
   * does not exist yet (the result is then stored under the identity prepare() reports).
   */
  baseIdentity(cell: Cell): Promise<string | undefined>;
  /** Cells at once when run.concurrency is not set (several engines: the sum of theirs). */
  readonly concurrency?: number;
  /** The runner is finished with a prepared cell (its last attempt ended). */
  done?(cell: Cell): void;
  /** Remove every container/process/temp dir this run started; safe to call twice. */
  cleanup(runId: string): Promise<void>;
  /** true while the backend can still work (daemon answers). */
  healthy(): Promise<boolean>;
}

/** Last n lines of a log, for verdicts that must explain themselves. */
export function tail(text: string, lines = 40): string {
  const all = text.split('\n');
  while (all.length && all.at(-1) === '') all.pop();
  return all.slice(-lines).join('\n');
}
