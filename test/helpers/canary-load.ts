/**
 * The rollout tests' request loop (test/release-canary*.test.ts): clients against nginx's front on
 * loopback that keep every answer with its time and the release that gave it, so a test can count
 * failures and date the first answer from the old release after a rollback.
 */
import { execa, type ResultPromise } from 'execa';
import { CLI } from './project.js';

export interface Answer {
  t: number;
  status: number;
  release: string;
  error?: string;
}

/**
 * `workers` clients against the front (loopback only), each request GET /version or POST
 * /translate at random, each waiting `paceMs` between requests, until stop() or the bounds. Every answer is
 * kept with its time (performance.now()) and the release that answered (X-Matrix-Release).
 */
export function load(url: string, o: { workers: number; paceMs?: number; maxMs?: number; maxRequests?: number }) {
  if (!/^http:\/\/127\.\d+\.\d+\.\d+:\d+$/.test(url)) throw new Error(`loopback only: ${url}`);
  const answers: Answer[] = [];
  const t0 = performance.now();
  let stopped = false;
  let n = 0;
  const worker = async () => {
    while (!stopped && n < (o.maxRequests ?? 40_000) && performance.now() - t0 < (o.maxMs ?? 120_000)) {
      n++;
      const t = performance.now();
      try {
        const res =
          // Random, not alternating: nginx's round robin alternates too, and at 50% a lockstep
          // GET/POST pattern would send every GET to one color and every POST to the other.
          Math.random() < 0.5
            ? await fetch(`${url}/version`, { signal: AbortSignal.timeout(30_000) })
            : await fetch(`${url}/translate`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ text: '你好。' }),
                signal: AbortSignal.timeout(30_000),
              });
        await res.arrayBuffer();
        answers.push({ t, status: res.status, release: res.headers.get('x-matrix-release') ?? '' });
      } catch (error) {
        answers.push({ t, status: 0, release: '', error: (error as Error).message });
      }
      if (o.paceMs) await new Promise((r) => setTimeout(r, o.paceMs));
    }
  };
  const running = Promise.all(Array.from({ length: o.workers }, worker));
  return {
    answers,
    async stop() {
      stopped = true;
      await running;
      return answers;
    },
  };
}

export const failed = (a: Answer[]) => a.filter((x) => x.status !== 200);
export const byRelease = (a: Answer[]) =>
  Object.fromEntries([...new Set(a.map((x) => x.release))].map((r) => [r || '(none)', a.filter((x) => x.release === r).length]));

/** `matrix promote <version> --events ndjson` in the background, in `cwd`: its events as they come, and a wait for one. */
export function promoting(version: string, cwd: string, env: Record<string, string>) {
  const p: ResultPromise = execa(process.execPath, [CLI, 'promote', version, '--events', 'ndjson'], { reject: false, cwd, env, all: true });
  const events: Record<string, unknown>[] = [];
  let buf = '';
  p.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) if (l.trim()) events.push(JSON.parse(l) as Record<string, unknown>);
  });
  const until = async (what: string, ok: (e: Record<string, unknown>) => boolean, ms = 90_000) => {
    const t0 = performance.now();
    for (;;) {
      const e = events.find(ok);
      if (e) return e;
      if (performance.now() - t0 > ms || p.exitCode !== null) throw new Error(`${what}: not seen within ${ms} ms; events: ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { p, events, until };
}
