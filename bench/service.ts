/**
 * `npm run bench:service`: the service on the benchmark sentences (cases/benchmark/test.tsv, unique
 * Chinese sources) against the transformers.js translation pipeline on the same model folder.
 *
 *   - time from process start to /health 200, peak RSS of the service process (VmHWM)
 *   - one sentence per request: p50 / p95 latency (HTTP included), throughput with 1 client
 *   - throughput with 8 concurrent clients
 *   - the same sentences through the in-process API and through the transformers.js pipeline
 *     (3.x and 4.x), each in a child process of its own (they pin other onnxruntime-node versions)
 *     in a tight loop: p50 / p95, outputs compared, latency ratio. The in-process ratio compares
 *     like with like; the HTTP one also charges the service for HTTP and for waking up between
 *     requests (on a busy machine that alone was ~20 ms per request).
 *
 * Env: MODEL_DIR (default as the tests), BENCH_SENTENCES (default 200; "all" for every sentence).
 * Writes test-output/bench-service.json. Not a test: nothing fails on a slow machine.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { benchmarkSources, buildService, modelDirForTests, postJson, repoRoot, serviceDir, spawnService, testOutputDir, waitHealthy } from '../test/helpers/service.js';

const run = promisify(execFile);

const modelDir = modelDirForTests();
const all = benchmarkSources();
const count = process.env.BENCH_SENTENCES === 'all' ? all.length : Number(process.env.BENCH_SENTENCES ?? 200);
const sentences = all.slice(0, count);
const generation = JSON.parse(readFileSync(join(modelDir, 'generation_config.json'), 'utf8')) as { max_length?: number };
const maxNewTokens = (generation.max_length ?? 512) - 1;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

/**
 * Runs in a child process: one translator on every sentence, one call per sentence, in a tight
 * loop. argv = [kind, target, modelDir, sentencesFile, outFile, maxNewTokens]; kind "service" imports
 * the compiled service's in-process API, "pipeline" a transformers.js package (each pins its own
 * onnxruntime-node, so each gets a process of its own).
 */
const LOOP_SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
const [kind, target, modelDir, inFile, outFile, maxNewTokens] = process.argv.slice(1);
let translate;
if (kind === 'service') {
  const { createTranslator } = await import(target);
  const translator = await createTranslator({ modelDir });
  translate = async (text) => (await translator.translate([text]))[0];
} else {
  const { pipeline, env } = await import(target);
  env.allowRemoteModels = false;
  env.localModelPath = dirname(modelDir) + '/';
  const translator = await pipeline('translation', basename(modelDir), { dtype: 'fp32' });
  translate = async (text) => (await translator(text, { max_new_tokens: Number(maxNewTokens) }))[0].translation_text;
}
const sentences = JSON.parse(readFileSync(inFile, 'utf8'));
for (const text of sentences.slice(0, 5)) await translate(text);
const latencies = [];
const outputs = [];
for (const text of sentences) {
  const t0 = performance.now();
  outputs.push(await translate(text));
  latencies.push(performance.now() - t0);
}
writeFileSync(outFile, JSON.stringify({ latencies, outputs }));
`;

interface Loop {
  latencies: number[];
  outputs: string[];
}

async function loop(kind: 'service' | 'pipeline', target: string, sentencesFile: string, outFile: string): Promise<Loop> {
  await run(process.execPath, ['--input-type=module', '-e', LOOP_SCRIPT, kind, target, modelDir, sentencesFile, outFile, String(maxNewTokens)], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(readFileSync(outFile, 'utf8')) as Loop;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function main(): Promise<void> {
  await buildService();
  const work = mkdtempSync(join(tmpdir(), 'bench-service-'));
  const sentencesFile = join(work, 'sentences.json');
  writeFileSync(sentencesFile, JSON.stringify(sentences));
  console.log(`model ${modelDir}, ${sentences.length} sentences (of ${all.length}), greedy, max_new_tokens ${maxNewTokens}, Node ${process.versions.node}`);

  const started = performance.now();
  const service = await spawnService({ env: { MODEL_DIR: modelDir } });
  await waitHealthy(service);
  const startToHealthy = performance.now() - started;

  const translate = async (text: string) => {
    const { status, json } = await postJson(`${service.url}/translate`, { text });
    if (status !== 200) throw new Error(`POST /translate answered ${status}: ${JSON.stringify(json)}`);
    return json.translation as string;
  };

  for (const text of sentences.slice(0, 5)) await translate(text);
  const latencies: number[] = [];
  const outputs: string[] = [];
  const t1 = performance.now();
  for (const text of sentences) {
    const t0 = performance.now();
    outputs.push(await translate(text));
    latencies.push(performance.now() - t0);
  }
  const oneClientS = (performance.now() - t1) / 1000;

  let next = 0;
  const t8 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < sentences.length) await translate(sentences[next++]!);
    }),
  );
  const eightClientsS = (performance.now() - t8) / 1000;

  const status = readFileSync(`/proc/${service.child.pid}/status`, 'utf8');
  const peakRssMb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
  const version = await (await fetch(`${service.url}/version`)).json();
  await service.stop();

  const result: Record<string, unknown> = {
    model: modelDir,
    sentences: sentences.length,
    runtime: version.runtime,
    start_to_healthy_ms: Math.round(startToHealthy),
    peak_rss_mb: Math.round(peakRssMb),
    latency_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), mean: mean(latencies) },
    throughput_sentences_per_s: { clients_1: sentences.length / oneClientS, clients_8: sentences.length / eightClientsS },
    pipelines: {} as Record<string, unknown>,
  };
  console.log(`service (${version.runtime['onnxruntime-node']} / ${version.runtime.tokenizer.package} ${version.runtime.tokenizer.version})`);
  console.log(`  start → healthy        ${ms(startToHealthy)}`);
  console.log(`  peak RSS               ${peakRssMb.toFixed(0)} MB`);
  console.log(`  HTTP p50 / p95         ${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 95))}  (one sentence per POST /translate)`);
  console.log(`  throughput, 1 client   ${(sentences.length / oneClientS).toFixed(1)} sentences/s`);
  console.log(`  throughput, 8 clients  ${(sentences.length / eightClientsS).toFixed(1)} sentences/s`);

  // Same conditions on both sides for the ratio: a child process translating in a tight loop.
  const inProcess = await loop('service', pathToFileURL(join(serviceDir, 'dist', 'index.js')).href, sentencesFile, join(work, 'service.json'));
  const serviceP50 = percentile(inProcess.latencies, 50);
  const serviceMean = mean(inProcess.latencies);
  result.in_process_latency_ms = { p50: serviceP50, p95: percentile(inProcess.latencies, 95), mean: serviceMean };
  console.log(`  in-process p50 / p95   ${ms(serviceP50)} / ${ms(percentile(inProcess.latencies, 95))}  (createTranslator, no HTTP)`);

  for (const [label, pkg] of [
    ['transformers.js 3.x', 'transformers3'],
    ['transformers.js 4.x', 'transformers4'],
  ] as const) {
    const pipe = await loop('pipeline', pkg, sentencesFile, join(work, `${pkg}.json`));
    const same = pipe.outputs.filter((o, i) => o === outputs[i]).length;
    const p50 = percentile(pipe.latencies, 50);
    const pipeMean = mean(pipe.latencies);
    (result.pipelines as Record<string, unknown>)[label] = {
      latency_ms: { p50, p95: percentile(pipe.latencies, 95), mean: pipeMean },
      speedup_in_process: { p50: p50 / serviceP50, mean: pipeMean / serviceMean },
      speedup_http: { p50: p50 / percentile(latencies, 50), mean: pipeMean / mean(latencies) },
      identical_outputs: same,
    };
    console.log(`${label} pipeline, same model folder, same sentences, in-process loop`);
    console.log(`  latency p50 / p95      ${ms(p50)} / ${ms(percentile(pipe.latencies, 95))}`);
    console.log(`  service faster by      ${(p50 / serviceP50).toFixed(2)}× at p50, ${(pipeMean / serviceMean).toFixed(2)}× on the mean (in-process); ${(p50 / percentile(latencies, 50)).toFixed(2)}× / ${(pipeMean / mean(latencies)).toFixed(2)}× against the service over HTTP`);
    console.log(`  identical output       ${same}/${sentences.length} sentences`);
  }

  mkdirSync(testOutputDir, { recursive: true });
  writeFileSync(join(testOutputDir, 'bench-service.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${join(testOutputDir, 'bench-service.json')}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
