/**
 * Talks to a running service over loopback HTTP: waits for /health against a deadline (polling,
 * never a fixed sleep), then runs the smoke cases and the benchmark sentences (timed one by one,
 * then the rest in batches).
 */
import type { ExitInfo } from '../backends/types.js';
import type { BenchmarkSegment } from '../score/index.js';
import type { SmokeCase } from './cases.js';
import type { Observations } from '../verdict/checks.js';

export type HealthResult = { ok: true; ms: number } | { ok: false; exit?: ExitInfo; message: string };

export async function waitHealthy(url: string, timeoutMs: number, exited: Promise<ExitInfo>, signal: AbortSignal): Promise<HealthResult> {
  const started = Date.now();
  let exit: ExitInfo | undefined;
  void exited.then((e) => (exit = e));
  let last = 'no answer';
  while (Date.now() - started < timeoutMs) {
    if (signal.aborted) return { ok: false, message: 'interrupted' };
    if (exit) return { ok: false, exit, message: `service exited before it was healthy (code ${exit.code ?? '-'}${exit.signal ? `, ${exit.signal}` : ''})` };
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { ok: true, ms: Date.now() - started };
      last = `/health answered ${res.status}`;
    } catch (error) {
      last = (error as Error).cause ? String((error as { cause: { code?: string } }).cause.code ?? error) : (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (exit) return { ok: false, exit, message: `service exited before it was healthy (code ${exit.code ?? '-'})` };
  return { ok: false, message: `not healthy after ${Math.round(timeoutMs / 1000)} s (${last})` };
}

async function postJson(url: string, body: unknown, signal: AbortSignal): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.any([signal, AbortSignal.timeout(60_000)]),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // keep the raw text for the check's message
  }
  return { status: res.status, json };
}

export interface Benchmark {
  sources: string[];
  references: string[][];
}

/** A loaded benchmark file (src/score) as the client sends and scores it. */
export const benchmarkOf = (segments: BenchmarkSegment[]): Benchmark => ({
  sources: segments.map((b) => b.source),
  references: segments.map((b) => b.references),
});

export async function observe(
  url: string,
  cases: SmokeCase[],
  benchmark: Benchmark | undefined,
  signal: AbortSignal,
  score: (hyps: string[], refs: string[][]) => { bleu: number; chrf: number; ter: number },
  extra: Record<string, Benchmark> = {},
): Promise<Observations> {
  const obs: Observations = { cases: [] };
  const version = await fetch(`${url}/version`, { signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]) });
  obs.version = await version.json().catch(() => null);
  for (const c of cases) {
    try {
      const { status, json } = await postJson(`${url}/translate`, { text: c.text }, signal);
      const t = (json as { translation?: unknown }).translation;
      if (status === 200 && typeof t === 'string') obs.cases.push({ case: c, output: t });
      else obs.cases.push({ case: c, error: `POST /translate answered ${status}: ${JSON.stringify(json).slice(0, 200)}` });
    } catch (error) {
      if (signal.aborted) throw error;
      obs.cases.push({ case: c, error: `POST /translate failed: ${(error as Error).message}` });
    }
  }
  if (cases.length >= 2) {
    // The batch path must agree with the one-by-one path.
    const texts = cases.map((c) => c.text);
    try {
      const { status, json } = await postJson(`${url}/translate`, { texts }, signal);
      const got = (json as { translations?: unknown }).translations;
      const singles = obs.cases.map((c) => c.output);
      obs.batch = batchAgreement(texts, singles, status, got ?? json);
    } catch (error) {
      if (signal.aborted) throw error;
      obs.batch = { ok: false, message: `batch request failed: ${(error as Error).message}` };
    }
  }
  if (benchmark?.sources.length) {
    const { outputs, latenciesMs } = await translateBenchmark(url, benchmark.sources, signal);
    obs.benchmark = { outputs, latenciesMs, ...score(outputs, benchmark.references) };
  }
  for (const [name, set] of Object.entries(extra)) {
    const { bleu, chrf } = score(await translateBatches(url, set.sources, signal), set.references);
    obs.sets = { ...obs.sets, [name]: { bleu, chrf } };
  }
  return obs;
}

/** Benchmark sentences sent one per request: their latencies are the cell's p95. */
const LATENCY_SAMPLES = 30;
/** The other benchmark sentences go in requests of this many texts. */
const BENCHMARK_BATCH = 16;

/**
 * The benchmark's translations: the first LATENCY_SAMPLES sentences one request each (timed),
 * the rest in batches. A batch the service does not answer with one translation per text is
 * sent again one text at a time, so a service without batches is scored all the same.
 */
async function translateBenchmark(url: string, sources: string[], signal: AbortSignal): Promise<{ outputs: string[]; latenciesMs: number[] }> {
  const outputs: string[] = [];
  const latenciesMs: number[] = [];
  for (const source of sources.slice(0, LATENCY_SAMPLES)) {
    const t0 = performance.now();
    outputs.push(await translateOne(url, source, signal));
    latenciesMs.push(performance.now() - t0);
  }
  outputs.push(...(await translateBatches(url, sources.slice(LATENCY_SAMPLES), signal)));
  return { outputs, latenciesMs };
}

async function translateOne(url: string, text: string, signal: AbortSignal): Promise<string> {
  const { status, json } = await postJson(`${url}/translate`, { text }, signal);
  const t = (json as { translation?: unknown }).translation;
  return status === 200 && typeof t === 'string' ? t : '';
}

/** Translations in requests of BENCHMARK_BATCH texts; a batch not answered text for text goes one by one. */
async function translateBatches(url: string, sources: string[], signal: AbortSignal): Promise<string[]> {
  const outputs: string[] = [];
  for (let i = 0; i < sources.length; i += BENCHMARK_BATCH) {
    const texts = sources.slice(i, i + BENCHMARK_BATCH);
    const { status, json } = await postJson(`${url}/translate`, { texts }, signal);
    const got = (json as { translations?: unknown }).translations;
    if (status === 200 && Array.isArray(got) && got.length === texts.length && got.every((t) => typeof t === 'string')) outputs.push(...(got as string[]));
    else for (const text of texts) outputs.push(await translateOne(url, text, signal));
  }
  return outputs;
}

/** Whether a batch answered what the texts answered one by one; the first text that differs, when not. */
export function batchAgreement(texts: string[], singles: (string | undefined)[], status: number, got: unknown): { ok: boolean; message?: string } {
  if (status !== 200 || !Array.isArray(got) || got.length !== texts.length) {
    return { ok: false, message: `batch of ${texts.length} answered ${status}: ${JSON.stringify(got).slice(0, 200)}` };
  }
  const i = got.findIndex((g, k) => g !== singles[k]);
  if (i < 0) return { ok: true };
  const n = got.filter((g, k) => g !== singles[k]).length;
  return {
    ok: false,
    message: `${n} of ${texts.length} texts translate differently in a batch than alone, first ${JSON.stringify(texts[i])}: ${JSON.stringify(got[i])} in the batch, ${JSON.stringify(singles[i] ?? null)} alone`,
  };
}
