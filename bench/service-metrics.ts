/**
 * What GET /metrics costs a request (issue #33: within 2% of p50). Three services over HTTP in one
 * run, each a process of its own with the default settings:
 *
 *   - off: METRICS=off, no counting and no /metrics;
 *   - on: the default, scraped once a second (Prometheus scrapes every 15–60 s: pessimistic);
 *   - on, no loop monitor: the same, with prom-client's event-loop-lag monitor
 *     (perf_hooks.monitorEventLoopDelay, a libuv timer every 10 ms) replaced by an inert stub
 *     through a --require preload, to see what that monitor alone costs.
 *
 * One sentence per POST /translate; item by item each service gets the same sentence in turn, the
 * order rotating, so that all three meet the same load and drift on a shared machine. Compared:
 * p50 and p95 of each, and the median of the per-item ratios to `off` (paired, so the sentences'
 * own spread cancels). CPU per request from /proc/<pid>/stat (user + system, scrapes included),
 * and CPU per second of each service idle for 30 s before the requests.
 * On a shared machine those figures move by a few percent from run to run, so the counting itself
 * is also timed in-process (`countingCost`): a bound that does not depend on the load.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMetrics, infoLabels } from '../service/src/metrics.js';
import { parsePrometheusText, sampleValue } from '../test/helpers/prometheus-text.js';
import { postJson, spawnService, waitHealthy, type ServiceProcess } from '../test/helpers/service.js';

export interface Variant {
  label: string;
  env: Record<string, string>;
  scraped: boolean;
}

export interface VariantResult {
  label: string;
  p50: number;
  p95: number;
  mean: number;
  /** Median over items of this variant's latency / the `off` latency of the same item and round. */
  paired_ratio_p50: number;
  cpu_ms_per_request: number;
  /** CPU per second with no requests (scrapes going on), before the requests. */
  idle_cpu_ms_per_s: number;
  /** Scrapes during the idle phase and the requests. */
  scrapes: number;
  /** nodejs_eventloop_lag_p50_seconds at the last scrape: 0 says the monitor was off. */
  loop_lag_p50_s?: number;
}

/** Long enough for /proc's 10 ms clock ticks to resolve 0.3 ms of CPU per second. */
const IDLE_MS = 30_000;

/** CommonJS, so that prom-client's `require('perf_hooks')` sees the stub. */
const NO_LOOP_MONITOR = `// bench/service-metrics.ts: prom-client's event-loop-lag monitor made inert, to measure what it costs.
const perf = require('node:perf_hooks');
perf.monitorEventLoopDelay = () => ({ enable() {}, disable() {}, reset() {}, percentile: () => 0, min: 0, max: 0, mean: 0, stddev: 0 });
`;

export function metricsVariants(workDir: string): Variant[] {
  const preload = join(workDir, 'no-loop-monitor.cjs');
  writeFileSync(preload, NO_LOOP_MONITOR);
  return [
    { label: 'off', env: { METRICS: 'off' }, scraped: false },
    { label: 'on', env: { METRICS: 'on' }, scraped: true },
    { label: 'on, no loop monitor', env: { METRICS: 'on', NODE_OPTIONS: `--require ${preload}` }, scraped: true },
  ];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** utime + stime of a process in ms (clock ticks of 10 ms on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function measureMetricsCost(
  modelDir: string,
  sentences: string[],
  rounds: number,
  variants: Variant[],
): Promise<{ versions: unknown; results: VariantResult[] }> {
  const services: ServiceProcess[] = [];
  try {
    for (const v of variants) services.push(await spawnService({ env: { MODEL_DIR: modelDir, ...v.env } }));
    await Promise.all(services.map((s) => waitHealthy(s)));
    const translate = async (s: ServiceProcess, text: string) => {
      const t0 = performance.now();
      const { status, json } = await postJson(`${s.url}/translate`, { text });
      if (status !== 200) throw new Error(`POST /translate answered ${status}: ${JSON.stringify(json)}`);
      return performance.now() - t0;
    };
    for (const s of services) for (const text of sentences.slice(0, 5)) await translate(s, text);
    const versions = await (await fetch(`${services[0]!.url}/version`)).json();

    const scrapes = variants.map(() => 0);
    const lastScrape: string[] = variants.map(() => '');
    let measuring = true;
    const scraper = (async () => {
      while (measuring) {
        await new Promise((r) => setTimeout(r, 1000));
        for (const [i, v] of variants.entries()) {
          if (!v.scraped || !measuring) continue;
          lastScrape[i] = await (await fetch(`${services[i]!.url}/metrics`)).text();
          scrapes[i]!++;
        }
      }
    })();

    // Idle first: what the services cost with no request at all (the loop monitor's timer, scrapes).
    const idle0 = services.map((s) => cpuMs(s.child.pid!));
    const idleStart = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleS = (performance.now() - idleStart) / 1000;
    const idle = services.map((s, i) => (cpuMs(s.child.pid!) - idle0[i]!) / idleS);

    const latencies: number[][] = variants.map(() => []);
    const cpu0 = services.map((s) => cpuMs(s.child.pid!));
    let turn = 0;
    for (let round = 0; round < rounds; round++) {
      for (const text of sentences) {
        turn++;
        for (let k = 0; k < services.length; k++) {
          const i = (turn + k) % services.length;
          latencies[i]!.push(await translate(services[i]!, text));
        }
      }
    }
    const cpu = services.map((s, i) => cpuMs(s.child.pid!) - cpu0[i]!);
    measuring = false;
    await scraper;
    // The loop lag as the monitor saw it: a last scrape, also when the run was shorter than a second.
    for (const [i, v] of variants.entries()) if (v.scraped) lastScrape[i] = await (await fetch(`${services[i]!.url}/metrics`)).text();

    const off = latencies[0]!;
    const results = variants.map((v, i): VariantResult => {
      const own = latencies[i]!;
      const lag = v.scraped ? sampleValue(parsePrometheusText(lastScrape[i]!), 'nodejs_eventloop_lag_p50_seconds') : undefined;
      return {
        label: v.label,
        p50: percentile(own, 50),
        p95: percentile(own, 95),
        mean: own.reduce((a, b) => a + b, 0) / own.length,
        paired_ratio_p50: percentile(
          own.map((ms, j) => ms / off[j]!),
          50,
        ),
        cpu_ms_per_request: cpu[i]! / own.length,
        idle_cpu_ms_per_s: idle[i]!,
        scrapes: scrapes[i]!,
        ...(lag === undefined ? {} : { loop_lag_p50_s: lag }),
      };
    });
    return { versions, results };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
}

/**
 * In-process: what counting one request costs (the counter and histogram of the HTTP layer, one
 * pass, one queue run) and what one scrape costs to render, with the label sets a busy service has.
 */
export async function countingCost(): Promise<{ per_request_us: number; render_ms: number; series: number }> {
  const runtime = { node: process.versions.node, 'onnxruntime-node': '1', tokenizer: null };
  const version = { service: '0', revision: 'r', model: { id: 'm', variant: 'fp32' }, runtime };
  const m = createMetrics({ info: () => infoLabels(version, ''), queueDepth: () => 0 });
  const statuses = [200, 200, 200, 200, 200, 200, 200, 400, 413, 503];
  const count = (n: number) => {
    for (let i = 0; i < n; i++) {
      m.request('/translate', 'POST', statuses[i % statuses.length]!, 0.001 + (i % 1000) / 100);
      m.pass(1);
      m.queueRun(1);
    }
  };
  count(20_000);
  const n = 200_000;
  const t0 = performance.now();
  count(n);
  const perRequestUs = ((performance.now() - t0) * 1000) / n;
  await m.render();
  const renders = 50;
  const t1 = performance.now();
  let text = '';
  for (let i = 0; i < renders; i++) text = await m.render();
  const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  return { per_request_us: perRequestUs, render_ms: (performance.now() - t1) / renders, series };
}
