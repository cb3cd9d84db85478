/**
 * Whether this machine reaches a host now: a DNS lookup and a TCP connection (to the port the
 * host names, else 443), within a few seconds. Asked by the verdict cache before it answers with
 * a verdict that depended on a host an install script could not reach.
 */
import { lookup } from 'node:dns/promises';
import { connect } from 'node:net';

const PROBE_MS = 3000;

/** `name`, `name:port`, `1.2.3.4:port` or `[::1]:port` → host and port. */
export function hostAndPort(target: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(target) ?? /^([^:]+)(?::(\d+))?$/.exec(target);
  return { host: m?.[1] ?? target, port: Number(m?.[2] ?? 443) };
}

export async function reaches(target: string, ms = PROBE_MS): Promise<boolean> {
  const { host, port } = hostAndPort(target);
  const signal = AbortSignal.timeout(ms);
  try {
    const { address } = await lookup(host);
    return await new Promise<boolean>((resolve) => {
      const socket = connect({ host: address, port, signal });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  } catch {
    return false;
  }
}
