/** Startup and lifecycle events: one JSON object per line on stdout, for the matrix runner's logs. */
type LogFields = Record<string, unknown>;
export type Logger = (event: string, fields?: LogFields) => void;

export function jsonLineLogger(write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  return (event, fields = {}) => write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
}

export const silentLogger: Logger = () => {};

/**
 * Runs `load` with console.log/warn/info routed into `log`: some tokenizer libraries print
 * warnings while loading (@lenml/tokenizers: "MarianTokenizer is not yet supported…"), which would
 * break the one-JSON-object-per-line stdout and the one-line stderr contract.
 */
export async function capturingConsole<T>(log: Logger, source: string, load: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, warn: console.warn, info: console.info };
  const route = (...args: unknown[]) => log('library_message', { source, message: args.map(String).join(' ').slice(0, 500) });
  console.log = route;
  console.warn = route;
  console.info = route;
  try {
    return await load();
  } finally {
    Object.assign(console, saved);
  }
}
