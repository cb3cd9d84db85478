/** Where commands write. Injected so tests can capture output and the core never prints. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** true when stdout is an interactive terminal (live views, colors). */
  isTTY: boolean;
  color: boolean;
  /** The terminal's width in columns, when stdout is one. */
  readonly columns?: number | undefined;
}

export function processIo(): Io {
  const isTTY = Boolean(process.stdout.isTTY);
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    isTTY,
    color: isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
    // A getter: the width changes when the terminal is resized during a run.
    get columns() {
      return process.stdout.columns;
    },
  };
}
