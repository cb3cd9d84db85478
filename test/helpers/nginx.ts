/**
 * nginx in release tests: stopping the one `matrix promote` started (by the pid in its prefix),
 * and a bounded request loop to its loopback address that records every answer, so a test can
 * say how many requests failed during a switch and which release answered each one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

export function stopNginx(prefix: string): void {
  const pid = Number(readFileSync(path.join(prefix, 'nginx.pid'), 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGQUIT');
}

export interface LoadFigures {
  requests: number;
  failures: { at: number; error: string }[];
  /** Release version (X-Matrix-Release) → answers, first and last time seen (ms since the loop started). */
  answers: Map<string, { count: number; first: number; last: number }>;
  ms: number;
}

/**
 * `workers` clients in a loop against `url` (loopback only), alternating GET /version and a
 * POST /translate, until stop() or the bounds (count, time). Each answer must be 200 and name
 * its release; anything else is a failure.
 */
function requestLoop(url: string, bounds: { workers: number; maxRequests: number; maxMs: number }) {
  if (!/^http:\/\/127\.\d+\.\d+\.\d+:\d+$/.test(url)) throw new Error(`loopback only: ${url}`);
  const figures: LoadFigures = { requests: 0, failures: [], answers: new Map(), ms: 0 };
  const t0 = performance.now();
  let stopped = false;
  const one = async (i: number) => {
    const at = Math.round(performance.now() - t0);
    try {
      const res =
        i % 2 === 0
          ? await fetch(`${url}/version`, { signal: AbortSignal.timeout(30_000) })
          : await fetch(`${url}/translate`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ text: '你好。' }),
              signal: AbortSignal.timeout(30_000),
            });
      await res.arrayBuffer();
      const release = res.headers.get('x-matrix-release');
      if (res.status !== 200 || !release) throw new Error(`HTTP ${res.status} from ${release ?? 'no release'}`);
      const seen = figures.answers.get(release) ?? { count: 0, first: at, last: at };
      seen.count++;
      seen.last = at;
      figures.answers.set(release, seen);
    } catch (error) {
      figures.failures.push({
        at,
        error: `${(error as Error).message}${(error as { cause?: { code?: string } }).cause?.code ? ` (${(error as { cause: { code: string } }).cause.code})` : ''}`,
      });
    }
  };
  const worker = async () => {
    while (!stopped && figures.requests < bounds.maxRequests && performance.now() - t0 < bounds.maxMs) {
      await one(figures.requests++);
    }
  };
  const running = Promise.all(Array.from({ length: bounds.workers }, worker));
  return {
    async stop(): Promise<LoadFigures> {
      stopped = true;
      await running;
      figures.ms = Math.round(performance.now() - t0);
      return figures;
    },
  };
}

/**
 * Commands run under the request loop, step by step: each step's figures are kept, must have no
 * failed request, and every answer must come from a release in `passed`. `print` writes them.
 */
export function loadSteps<R extends { stdout: string }>(opts: {
  url: () => string;
  run: (args: string[]) => Promise<R>;
  passed: Set<string>;
  workers: number;
  maxRequests: number;
}) {
  const figures: { step: string; f: LoadFigures; commandMs: number; switchLine: string }[] = [];
  return {
    figures,
    async underLoad(step: string, args: string[]): Promise<{ r: R; f: LoadFigures; commandMs: number }> {
      const loop = requestLoop(opts.url(), { workers: opts.workers, maxRequests: opts.maxRequests, maxMs: 180_000 });
      await new Promise((r) => setTimeout(r, 500));
      const t0 = performance.now();
      const r = await opts.run(args);
      const commandMs = Math.round(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 500));
      const f = await loop.stop();
      figures.push({ step, f, commandMs, switchLine: /switched in .*/.exec(r.stdout)?.[0] ?? '(no switch)' });
      expect(f.failures, `${step}: failed requests`).toEqual([]);
      for (const version of f.answers.keys()) expect(opts.passed, `${step}: answered by ${version}`).toContain(version);
      return { r, f, commandMs };
    },
    print(title: string): void {
      if (!figures.length) return;
      console.log(`${title} (${opts.workers} clients, loopback, GET /version and POST /translate through nginx):`);
      for (const { step, f, commandMs, switchLine } of figures) {
        const answers = [...f.answers].map(([v, a]) => `${v} ${a.count} (${a.first}–${a.last} ms)`).join(', ');
        console.log(
          `  ${step}: ${f.requests} requests in ${f.ms} ms, ${f.failures.length} failed; command ${commandMs} ms, ${switchLine}; answers: ${answers}`,
        );
      }
      console.log(`  total: ${figures.reduce((n, x) => n + x.f.requests, 0)} requests, ${figures.reduce((n, x) => n + x.f.failures.length, 0)} failed`);
    },
  };
}
