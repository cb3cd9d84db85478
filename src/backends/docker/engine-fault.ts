/**
 * Whether an error from the engine's API is the engine's fault, the one place that says so. An
 * engine that is going away answers some requests before it stops listening, and then not at all:
 * - HTTP 500 (`server error - failed to update store for object type *libnetwork.endpoint: open :
 *   no such file or directory`, seen from Docker 20.10 stopped while cells started) or 503;
 * - HTTP 409 for a container name of ours that is `already in use`: a container the engine was
 *   told to remove and still holds (a retry re-creating it while the engine shuts down);
 * - the socket: ECONNREFUSED, ENOENT (no socket file), ECONNRESET, EPIPE, ETIMEDOUT, a hang-up.
 * Anything else (a 404 for an image, a 400 for a bad option) is about the request, not the engine.
 */

const SOCKET = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

interface ApiError {
  statusCode?: number;
  code?: string;
  message?: string;
  json?: { message?: string } | null;
}

/** Pure: an error of a dockerode call → the engine's fault, as one line, or undefined when it is not the engine's. */
export function engineFault(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as ApiError;
  const line = (e.json?.message ?? e.message ?? String(error)).split('\n')[0]!.slice(0, 300);
  if (e.code && SOCKET.has(e.code)) return `the engine stopped answering (${e.code}): ${line}`;
  if (/socket hang up|other side closed|ECONNRESET/i.test(e.message ?? '')) return `the engine closed the connection: ${line}`;
  if (e.statusCode === 500 || e.statusCode === 503) return `the engine failed (HTTP ${e.statusCode}): ${line}`;
  if (e.statusCode === 409 && /already in use/i.test(line)) return `the engine still holds a container it was told to remove (HTTP 409): ${line}`;
  return undefined;
}
