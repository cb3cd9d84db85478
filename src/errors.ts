/**
 * Error types. The CLI (src/cli.ts) is the only place that turns them into
 * output and an exit code: a UserError becomes one line, anything else is an
 * internal error whose stack is shown only with --debug.
 */

/** Documented exit codes (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** The tool worked and found problems: failing cells, a verify diff, no passing cell. */
  problems: 1,
  /** Bad input: usage, configuration, files. Nothing was built or written. */
  usage: 2,
  /** The environment failed us: Docker daemon, registry, disk. */
  infra: 3,
  interrupted: 130,
} as const;

/** A problem the user can fix; `message` is the single line they will see. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Trouble in something we depend on (daemon, registry) rather than in the input. */
export class InfraError extends UserError {
  constructor(message: string) {
    super(message, ExitCode.infra);
    this.name = 'InfraError';
  }
}

/** `file:line:col: message`, the form editors and CI annotate. */
export function at(file: string, line: number | undefined, col: number | undefined, message: string): string {
  if (line === undefined) return `${file}: ${message}`;
  return `${file}:${line}:${col ?? 1}: ${message}`;
}
