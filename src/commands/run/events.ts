/**
 * Where `--events ndjson` / `--events-file <path>` lines go. Each event is one whole line given
 * to one write() call, so lines never interleave; a write error (EPIPE when the reader went
 * away, a full disk) ends the stream quietly and the run goes on.
 */
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { UserError } from '../../errors.js';
import { eventLine, type RunEventLine } from '../../report/events.js';

export interface EventSink {
  emit(e: RunEventLine): void;
  /** Flushes and, for a file, closes it. Never rejects. */
  close(): Promise<void>;
}

const NONE: EventSink = { emit: () => undefined, close: async () => undefined };

function streamSink(stream: Writable, owned: boolean): EventSink {
  let broken = false;
  const onError = () => {
    broken = true;
  };
  stream.on('error', onError);
  return {
    emit(e) {
      if (broken) return;
      try {
        stream.write(eventLine(e));
      } catch {
        broken = true;
      }
    },
    async close() {
      if (owned && !broken) await new Promise<void>((resolve) => stream.end(resolve));
      else if (!broken) await new Promise<void>((resolve) => (stream.writableNeedDrain ? stream.once('drain', resolve).once('error', resolve) : resolve()));
      // Left attached for stdout: an EPIPE after the last line must not become an uncaught error.
      if (owned) stream.off('error', onError);
    },
  };
}

/** The sink the flags ask for: stdout, a file (opened now, so a bad path fails before any cell runs), or none. */
export async function eventSink(opts: { events?: unknown; eventsFile?: unknown }): Promise<EventSink> {
  if (opts.events !== undefined && opts.events !== 'ndjson') throw new UserError(`--events ${String(opts.events)}: expected ndjson`);
  if (opts.events !== undefined && opts.eventsFile !== undefined)
    throw new UserError('--events ndjson streams to stdout, --events-file to a file: use one of them');
  if (opts.events === 'ndjson') return streamSink(process.stdout, false);
  if (opts.eventsFile === undefined) return NONE;
  const file = String(opts.eventsFile);
  const handle = await open(file, 'w').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`--events-file ${file}: cannot write (${error.code ?? error.message})`);
  });
  return streamSink(handle.createWriteStream(), true);
}
