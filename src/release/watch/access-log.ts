/**
 * What clients saw, from nginx's access log: the front writes one JSON line per request
 * (ACCESS_LOG_FORMAT) and the watch reads the lines added since its last offset, attributing
 * every upstream attempt to the color whose address nginx tried. Pure: bytes in, Served out.
 */
import type { Color } from '../state.js';
import type { Served } from './types.js';

/** The name the front's `access_log <file> matrix_watch;` refers to. */
export const ACCESS_LOG_FORMAT_NAME = 'matrix_watch';

/**
 * The `log_format` directive for nginx's `http {}` block. Every value is a JSON string: with
 * `escape=json` an empty variable is written as nothing, which would break a bare number
 * ($upstream_addr, $upstream_status and $upstream_response_time are empty when nginx answered
 * itself). On retries the three upstream variables are comma lists, one entry per attempt.
 */
export const ACCESS_LOG_FORMAT =
  `log_format ${ACCESS_LOG_FORMAT_NAME} escape=json '{"msec":"$msec","status":"$status","request_time":"$request_time",` +
  `"upstream_addr":"$upstream_addr","upstream_status":"$upstream_status","upstream_response_time":"$upstream_response_time",` +
  `"method":"$request_method","uri":"$uri"}';`;

export interface AccessLogChunk {
  /** Every attempt that reached a color, in log order. */
  served: Served[];
  /**
   * Requests nginx answered without reaching either color, by the status clients got: no upstream
   * at all (a 400 or 413 nginx refused, a 499 before an upstream was chosen), or "no live upstreams"
   * (nginx writes the upstream group's name, and 502). They tell the colors nothing apart, so they
   * count against neither; the watch records them beside the colors' figures.
   */
  front: number[];
  /** Complete lines that are not ours (another format, another program, a line cut by a crash). */
  skipped: number;
  /** Bytes read up to and including the last newline: the next read starts there, so a line being written is read whole next time. */
  consumed: number;
}

const NEWLINE = 0x0a;

/**
 * Reads the bytes of the access log from the last offset. `upstreams` is each color's address as
 * nginx writes it in $upstream_addr (127.0.0.1:<port>). Never throws: a line that is not ours is counted in `skipped`.
 */
export function parseAccessLog(bytes: Uint8Array, upstreams: Record<Color, string>): AccessLogChunk {
  // Cut at the last newline before decoding: a newline byte is never inside a UTF-8 sequence, so
  // neither a half-written line nor a half-written character ($uri is raw UTF-8) is decoded.
  const consumed = bytes.lastIndexOf(NEWLINE) + 1;
  const text = new TextDecoder().decode(bytes.subarray(0, consumed));
  const colorAt = new Map(Object.entries(upstreams).map(([color, addr]) => [addr, color as Color]));
  const out: AccessLogChunk = { served: [], front: [], skipped: 0, consumed };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = logEntry(line);
    if (!entry) out.skipped++;
    else attribute(entry, colorAt, out);
  }
  return out;
}

interface LogEntry {
  msec: number;
  status: number;
  requestTime: number;
  addrs: string[];
  statuses: string[];
  times: string[];
}

const FIELDS = ['msec', 'status', 'request_time', 'upstream_addr', 'upstream_status', 'upstream_response_time'] as const;

function logEntry(line: string): LogEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (!FIELDS.every((f) => typeof v[f] === 'string')) return undefined;
  const msec = Number(v.msec);
  const status = Number(v.status);
  const requestTime = Number(v.request_time);
  if (!Number.isFinite(msec) || !Number.isInteger(status) || status < 100 || status > 599 || !Number.isFinite(requestTime)) return undefined;
  const [addrs, statuses, times] = [v.upstream_addr, v.upstream_status, v.upstream_response_time].map((x) => list(x as string));
  return { msec, status, requestTime, addrs: addrs!, statuses: statuses!, times: times! };
}

/**
 * nginx joins the attempts of one upstream group with ", " and those of the next group after an
 * internal redirect with " : "; addresses hold a colon but no spaces. "-" and "" mean none.
 */
function list(value: string): string[] {
  const items = value.split(/\s*,\s*|\s+:\s+/).map((s) => s.trim());
  return items.length === 1 && (items[0] === '' || items[0] === '-') ? [] : items;
}

function attribute(e: LogEntry, colorAt: Map<string, Color>, out: AccessLogChunk): void {
  const at = Math.round(e.msec * 1000);
  const last = e.addrs.length - 1;
  if (last < 0 || !colorAt.has(e.addrs[last]!)) out.front.push(e.status);
  e.addrs.forEach((addr, i) => {
    const color = colorAt.get(addr);
    if (!color) return;
    out.served.push({ at, color, status: i === last ? e.status : failedAttempt(e.statuses[i]), ms: attemptMs(e, i, last) });
  });
}

/**
 * A retried attempt failed, whatever it says: nginx moved on because the color refused, reset,
 * timed out or answered with a status listed in proxy_next_upstream (the "500" of "500, 200").
 * Its own status when it is a failure, else nginx's 502 (a "-": no answer at all).
 */
function failedAttempt(status: string | undefined): number {
  const n = Number(status);
  return Number.isInteger(n) && n >= 500 && n <= 599 ? n : 502;
}

/** The attempt's $upstream_response_time; the last one, when nginx has none ("-"), takes the request's time. */
function attemptMs(e: LogEntry, i: number, last: number): number {
  const t = e.times[i];
  if (t !== undefined && /^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  return i === last ? Math.round(e.requestTime * 1000) : 0;
}
