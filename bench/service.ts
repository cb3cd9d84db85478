/**
 * `npm run bench:service`: the service against the transformers.js translation pipeline (3.x and
 * 4.x) on the same model folder, in-process, with the same onnxruntime thread settings on both
 * sides, each side then reported at its best setting (lowest p50). Workloads, one call per item:
 *
 *   - sentences: single benchmark sentences (cases/benchmark/test.tsv);
 *   - paragraphs: 2–6 of those sentences written as one text (test/helpers/paragraphs.ts). The
 *     service splits and batches them itself; the pipeline gets the sentences one call each, the
 *     only way its output equals the service's: given the whole text the model drops sentences,
 *     and given the sentences as one array (measured too, "arrays") 3.x/4.x answer other text
 *     ("parents??" for "parents?", "cold..." for "cold.").
 *
 * Every side is a worker process of its own (each transformers.js major pins its own
 * onnxruntime-node, and two native onnxruntime libraries cannot share a process) that records what
 * onnxruntime was really asked for: model file (by path, or by the sha256 of the buffer) and
 * intra-/inter-op threads. The sides of one setting run in lockstep, item by item, so that all
 * meet the same load on a shared machine. Printed first: CPU, cores, load average, Node, model
 * files; per run the onnxruntime-node version loaded, threads, wall p50/p95 and CPU time p50.
 * On 2 cores the thread setting decides the figure: onnxruntime's default (one intra-op thread
 * per core) hands every small op between threads, and on a loaded machine that turns into waiting.
 *
 * Then the service over HTTP: start → healthy, peak RSS, p50/p95 one sentence per request,
 * throughput with 1 and 8 clients; and what GET /metrics costs a request (./service-metrics.ts):
 * METRICS=off against on, in one run, interleaved.
 *
 * Env: MODEL_DIR (default as the tests), BENCH_SENTENCES (default 200; "all"), BENCH_PARAGRAPHS
 * (default 60), BENCH_THREADS (settings to compare, default "default,1,2"), BENCH_METRICS_ROUNDS
 * (passes over the sentences for the /metrics cost, default 4), BENCH_ONLY=metrics (that part
 * alone, written to test-output/bench-service-metrics.json). Writes test-output/bench-service.json.
 * Not a test: nothing fails on a slow machine.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { benchDir, ensureBenchPackages } from './packages.js';
import { countingCost, measureMetricsCost, metricsVariants } from './service-metrics.js';
import { joinTranslations, paragraphsFrom, singleSentences, type Paragraph } from '../test/helpers/paragraphs.js';
import { benchmarkSources, buildService, modelDirForTests, postJson, serviceDir, spawnService, testOutputDir, waitHealthy } from '../test/helpers/service.js';

const modelDir = modelDirForTests();
const all = singleSentences(benchmarkSources());
const count = process.env.BENCH_SENTENCES === 'all' ? all.length : Number(process.env.BENCH_SENTENCES ?? 200);
const sentences = all.slice(0, count);
const paragraphs = paragraphsFrom(all).slice(0, Number(process.env.BENCH_PARAGRAPHS ?? 60));
const settings = (process.env.BENCH_THREADS ?? 'default,1,2').split(',').map((s) => s.trim());
const metricsRounds = Number(process.env.BENCH_METRICS_ROUNDS ?? 4);
const only = process.env.BENCH_ONLY;
if (only !== undefined && only !== 'metrics') throw new Error(`BENCH_ONLY=${only}: expected metrics (or leave it unset for everything)`);
const generation = JSON.parse(readFileSync(join(modelDir, 'generation_config.json'), 'utf8')) as { max_length?: number };
const maxNewTokens = (generation.max_length ?? 512) - 1;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const load = () => loadavg()[0]!.toFixed(2);

/**
 * A worker child process: argv = [kind, target, modelDir, workFile, maxNewTokens, threads]. kind
 * "service" imports the compiled service's in-process API, "pipeline" a transformers.js package.
 * threads "default" leaves each side at its own default (the service: 1 intra-op thread; the
 * pipeline: onnxruntime's); a number sets intra-op threads to it and inter-op threads to 1 on both
 * sides. After loading and a warm-up it says "ready", then translates one item per message
 * ({workload, index}) and answers its wall and process CPU time.
 */
const WORKER_SCRIPT = `
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
const [kind, target, modelDir, workFile, maxNewTokens, threadsArg] = process.argv.slice(1);
const threads = threadsArg === 'default' ? undefined : Number(threadsArg);
const work = JSON.parse(readFileSync(workFile, 'utf8'));

// The onnxruntime-node this side loads, and every session it creates.
const from = kind === 'service' ? fileURLToPath(new URL('../package.json', target)) : createRequire(join(process.cwd(), 'package.json')).resolve(target);
const requireSide = createRequire(from);
const onnxruntimeNode = JSON.parse(readFileSync(requireSide.resolve('onnxruntime-node/package.json'), 'utf8')).version;
const { InferenceSession } = requireSide('onnxruntime-node');
const byHash = new Map(readdirSync(join(modelDir, 'onnx')).map((f) => [createHash('sha256').update(readFileSync(join(modelDir, 'onnx', f))).digest('hex'), 'onnx/' + f]));
const sessions = [];
const create = InferenceSession.create.bind(InferenceSession);
InferenceSession.create = (model, ...rest) => {
  const options = rest.find((o) => o && typeof o === 'object' && !ArrayBuffer.isView(o)) ?? {};
  const file = typeof model === 'string' ? relative(modelDir, model) : byHash.get(createHash('sha256').update(model).digest('hex')) ?? 'a buffer of no file in the folder';
  sessions.push({ file, intraOpNumThreads: options.intraOpNumThreads ?? null, interOpNumThreads: options.interOpNumThreads ?? null });
  return create(model, ...rest);
};

const translate = {};
if (kind === 'service') {
  const { createTranslator } = await import(target);
  const translator = await createTranslator({ modelDir, threads });
  translate.sentences = async (text) => (await translator.translate([text]))[0];
  translate.paragraphs = async (p) => (await translator.translate([p.text]))[0];
} else {
  const { pipeline, env } = await import(target);
  env.allowRemoteModels = false;
  env.localModelPath = dirname(modelDir) + '/';
  const options = { dtype: 'fp32' };
  if (threads !== undefined) options.session_options = { intraOpNumThreads: threads, interOpNumThreads: 1 };
  const translator = await pipeline('translation', basename(modelDir), options);
  translate.sentences = async (text) => (await translator(text, { max_new_tokens: Number(maxNewTokens) }))[0].translation_text;
  translate.paragraphs = async (p) => {
    const out = [];
    for (const s of p.sentences) out.push(await translate.sentences(s));
    return out;
  };
  translate.arrays = async (p) => (await translator(p.sentences, { max_new_tokens: Number(maxNewTokens) })).map((r) => r.translation_text);
}
for (const w of Object.keys(translate)) for (const item of work[w === 'sentences' ? w : 'paragraphs'].slice(0, 3)) await translate[w](item);
process.on('message', async ({ workload, index }) => {
  if (workload === undefined) process.exit(0);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const output = await translate[workload](work[workload === 'sentences' ? workload : 'paragraphs'][index]);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.send({ ms, cpuMs: (cpu.user + cpu.system) / 1000, output });
});
process.send({ onnxruntimeNode, sessions });
`;

interface Timed<T> {
  latencies: number[];
  cpuMs: number[];
  outputs: T[];
}

interface WorkerInfo {
  onnxruntimeNode: string;
  sessions: { file: string; intraOpNumThreads: number | null; interOpNumThreads: number | null }[];
}

interface Side {
  label: string;
  kind: 'service' | 'pipeline';
  target: string;
}

/** `arrays`: a paragraph's sentences as one array, the pipeline's own batching (pipelines only). */
type Workload = 'sentences' | 'paragraphs' | 'arrays';

interface Measured {
  side: Side;
  threads: string;
  info: WorkerInfo;
  sentences: Timed<string>;
  /** Paragraph translations as one string each (the pipeline's sentences joined as the service joins them). */
  paragraphs: Timed<string>;
  arrays: Timed<string>;
}

const SIDES: Side[] = [
  { label: 'service', kind: 'service', target: pathToFileURL(join(serviceDir, 'dist', 'index.js')).href },
  { label: 'transformers.js 3.x', kind: 'pipeline', target: 'transformers3' },
  { label: 'transformers.js 4.x', kind: 'pipeline', target: 'transformers4' },
];

interface Worker {
  info: WorkerInfo;
  run(workload: Workload, index: number): Promise<{ ms: number; cpuMs: number; output: string | string[] }>;
  stop(): Promise<void>;
}

function startWorker(side: Side, threads: string, workFile: string): Promise<Worker> {
  // From bench/: a pipeline side's bare package name resolves in the bench package (./packages.ts).
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', WORKER_SCRIPT, side.kind, side.target, modelDir, workFile, String(maxNewTokens), threads],
    {
      cwd: benchDir,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The worker answers with its WorkerInfo first, then one result per run: each caller names what it waits for.
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${side.label} (${threads}) exited ${code}: ${stderr.slice(-2000)}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as T);
      });
    });
  return next<WorkerInfo>().then((info) => ({
    info,
    run(workload, index) {
      const answer = next<Awaited<ReturnType<Worker['run']>>>();
      child.send({ workload, index });
      return answer;
    },
    async stop() {
      child.send({});
      await exited;
    },
  }));
}

/**
 * One thread setting, every side at once in lockstep: item by item, each side translates it in
 * turn (the order rotates), so all sides meet the same load on a shared machine; a short pause
 * between turns lets a side's spinning onnxruntime threads go idle before the next side runs.
 */
async function measureSetting(sides: Side[], threads: string, workFile: string): Promise<Measured[]> {
  const workers: Worker[] = [];
  for (const side of sides) workers.push(await startWorker(side, threads, workFile));
  const measured: Measured[] = sides.map((side, i) => ({
    side,
    threads,
    info: workers[i]!.info,
    sentences: { latencies: [], cpuMs: [], outputs: [] },
    paragraphs: { latencies: [], cpuMs: [], outputs: [] },
    arrays: { latencies: [], cpuMs: [], outputs: [] },
  }));
  try {
    for (const w of ['sentences', 'paragraphs', 'arrays'] as const) {
      const items = w === 'sentences' ? sentences.length : paragraphs.length;
      const taking = sides.map((_side, i) => i).filter((i) => w !== 'arrays' || sides[i]!.kind === 'pipeline');
      for (let index = 0; index < items; index++) {
        for (let turn = 0; turn < taking.length; turn++) {
          const i = taking[(index + turn) % taking.length]!;
          const { ms: wall, cpuMs, output } = await workers[i]!.run(w, index);
          const m = measured[i]![w];
          m.latencies.push(wall);
          m.cpuMs.push(cpuMs);
          m.outputs.push(Array.isArray(output) ? joinTranslations(paragraphs[index]!, output) : output);
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  return measured;
}

function threadsOf(m: Measured): string {
  const show = (v: number | null) => (v === null ? 'ort default' : String(v));
  return [...new Set(m.info.sessions.map((x) => `${show(x.intraOpNumThreads)}/${show(x.interOpNumThreads)}`))].join(', ');
}

function filesOf(m: Measured): string {
  return [...new Set(m.info.sessions.map((x) => x.file))].join(' + ');
}

function modelFiles(): string[] {
  const dir = join(modelDir, 'onnx');
  return readdirSync(dir)
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
      return `${relative(modelDir, path)} (${(statSync(path).size / 1e6).toFixed(1)} MB, sha256 ${sha.slice(0, 12)})`;
    });
}

const p50Of = (m: Measured, w: Workload) => percentile(m[w].latencies, 50);

function best(runs: Measured[], side: Side, w: Workload): Measured {
  return runs.filter((r) => r.side === side && r[w].latencies.length).reduce((a, b) => (p50Of(b, w) < p50Of(a, w) ? b : a));
}

function stats(t: Timed<string>) {
  return { p50: percentile(t.latencies, 50), p95: percentile(t.latencies, 95), mean: mean(t.latencies), cpu_p50: percentile(t.cpuMs, 50) };
}

async function http(): Promise<Record<string, number>> {
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
  const t1 = performance.now();
  for (const text of sentences) {
    const t0 = performance.now();
    await translate(text);
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
  await service.stop();
  return {
    start_to_healthy_ms: startToHealthy,
    peak_rss_mb: peakRssMb,
    p50_ms: percentile(latencies, 50),
    p95_ms: percentile(latencies, 95),
    clients_1_per_s: sentences.length / oneClientS,
    clients_8_per_s: sentences.length / eightClientsS,
  };
}

/** GET /metrics on against off (./service-metrics.ts), printed; its figures for the JSON. */
async function metricsCost(work: string): Promise<Record<string, unknown>> {
  const loadAt = load();
  const t0 = performance.now();
  const { versions, results } = await measureMetricsCost(modelDir, sentences, metricsRounds, metricsVariants(work));
  const v = versions as { runtime: { 'onnxruntime-node': string; tokenizer: { package: string; version: string } }; packages: Record<string, string> };
  const { tokenizer } = v.runtime;
  const runtime = `onnxruntime-node ${v.runtime['onnxruntime-node']}, ${tokenizer.package} ${tokenizer.version}, prom-client ${v.packages['prom-client']}`;
  const requests = sentences.length * metricsRounds;
  console.log(`\nGET /metrics cost over HTTP: 30 s idle, then ${requests} POST /translate per service (one sentence each, interleaved), ${runtime}`);
  const off = results[0]!;
  for (const r of results) {
    const ratios = `p50 ${(r.p50 / off.p50).toFixed(3)}×, p95 ${(r.p95 / off.p95).toFixed(3)}×, paired ${r.paired_ratio_p50.toFixed(3)}×`;
    const vsOff = r === off ? '' : `; of off: ${ratios}`;
    const scraped = r.scrapes ? `; scrapes ${r.scrapes}, loop lag p50 ${(r.loop_lag_p50_s! * 1000).toFixed(2)} ms` : '';
    const own = `p50 ${ms(r.p50)} / p95 ${ms(r.p95)}, mean ${ms(r.mean)}, CPU ${ms(r.cpu_ms_per_request)} per request, ${ms(r.idle_cpu_ms_per_s)} per s idle`;
    console.log(`  ${r.label.padEnd(20)} ${own}${vsOff}${scraped}`);
  }
  const counting = await countingCost();
  const share = ((counting.per_request_us / 1000 / off.p50) * 100).toFixed(3);
  const scrape = `one scrape renders ${counting.series} series in ${ms(counting.render_ms)}`;
  console.log(`  in-process: counting one request ${counting.per_request_us.toFixed(2)} µs (${share}% of off's p50); ${scrape}`);
  const minutes = ((performance.now() - t0) / 60000).toFixed(1);
  console.log(`  ${minutes} min; load average (1 min) ${loadAt} before, ${load()} after`);
  const loadAverage = { start: Number(loadAt), end: Number(load()) };
  return { requests_per_service: requests, rounds: metricsRounds, runtime, load_average_1min: loadAverage, variants: results, in_process: counting };
}

function printEnvironment(cpu: ReturnType<typeof cpus>, loadBefore: string): void {
  console.log('environment');
  console.log(`  CPU                    ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} logical cores; load average (1 min) ${loadBefore} at start`);
  console.log(`  Node                   ${process.versions.node}`);
  console.log(`  model                  ${modelDir}`);
  for (const f of modelFiles()) console.log(`                         ${f}`);
}

async function main(): Promise<void> {
  await buildService();
  const work = mkdtempSync(join(tmpdir(), 'bench-service-'));
  const cpu = cpus();
  const loadBefore = load();
  printEnvironment(cpu, loadBefore);
  if (only === 'metrics') {
    const cost = await metricsCost(work);
    const environment = { cpu: cpu[0]?.model, cores: cpu.length, node: process.versions.node, model: modelDir, model_files: modelFiles() };
    mkdirSync(testOutputDir, { recursive: true });
    writeFileSync(join(testOutputDir, 'bench-service-metrics.json'), `${JSON.stringify({ environment, metrics_cost: cost }, null, 2)}\n`);
    console.log(`wrote ${join(testOutputDir, 'bench-service-metrics.json')}`);
    return;
  }
  ensureBenchPackages();
  const workFile = join(work, 'work.json');
  writeFileSync(workFile, JSON.stringify({ sentences, paragraphs: paragraphs.map((p: Paragraph) => ({ text: p.text, sentences: p.sentences })) }));
  console.log(
    `  workloads              ${sentences.length} single sentences, one per call; ${paragraphs.length} paragraphs of 2–6 of them (${paragraphs.reduce((n, p) => n + p.sentences.length, 0)} sentences), one per call`,
  );
  console.log(`                         greedy, max_new_tokens ${maxNewTokens}; thread settings ${settings.join(', ')} (intra-op; inter-op 1 when set)`);

  const runs: Measured[] = [];
  console.log('\nin-process, all sides in lockstep per setting (wall p50 / p95, CPU p50; threads = intra/inter-op as passed to onnxruntime)');
  for (const threads of settings) {
    // The service's default is 1 intra-op thread: one run stands for both, so that its best is
    // not the better of two samples of one setting.
    const sides = SIDES.filter((side) => !(side.kind === 'service' && threads === 'default' && settings.includes('1')));
    if (sides.length < SIDES.length) console.log(`  service              setting default = setting 1 (1 intra-op thread, 1 inter-op): measured there`);
    const loadAt = load();
    for (const m of await measureSetting(sides, threads, workFile)) {
      runs.push(m);
      const cell = (w: Workload) => `${ms(p50Of(m, w))} / ${ms(percentile(m[w].latencies, 95))}, CPU ${ms(percentile(m[w].cpuMs, 50))}`;
      const arrays = m.arrays.latencies.length ? ` (as arrays ${ms(p50Of(m, 'arrays'))})` : '';
      console.log(
        `  ${m.side.label.padEnd(20)} ort ${m.info.onnxruntimeNode.padEnd(7)} setting ${threads.padEnd(8)} threads ${threadsOf(m).padEnd(24)} sentences ${cell('sentences').padEnd(32)} paragraphs ${cell('paragraphs')}${arrays}; load ${loadAt}`,
      );
    }
  }
  console.log(`  model files loaded     ${[...new Set(runs.map(filesOf))].join('; ')}`);

  const service = SIDES[0]!;
  const summary: Record<string, unknown> = {};
  console.log('\nservice against the pipeline, each side at its best thread setting (lowest p50)');
  for (const pipeSide of SIDES.slice(1)) {
    const entry: Record<string, unknown> = {};
    for (const w of ['sentences', 'paragraphs'] as const) {
      const s = best(runs, service, w);
      const p = best(runs, pipeSide, w);
      const same = p[w].outputs.filter((o, i) => o === s[w].outputs[i]).length;
      const total = s[w].outputs.length;
      const ratio = p50Of(p, w) / p50Of(s, w);
      const atEqual = runs
        .filter((r) => r.side === pipeSide)
        .map((r) => {
          const sv = runs.find((x) => x.side === service && x.threads === r.threads) ?? runs.find((x) => x.side === service && x.threads === '1')!;
          return `${r.threads}: ${(p50Of(r, w) / p50Of(sv, w)).toFixed(2)}×`;
        });
      entry[w] = {
        service: { setting: s.threads, ...stats(s[w]) },
        pipeline: { setting: p.threads, ...stats(p[w]) },
        ratio_p50: ratio,
        identical: same,
        total,
      };
      console.log(
        `  ${pipeSide.label} ${w.padEnd(10)}  service ${ms(p50Of(s, w))} (${s.threads}) vs ${ms(p50Of(p, w))} (${p.threads}): ${ratio.toFixed(2)}× at p50; identical output ${same}/${total}; at equal settings ${atEqual.join(', ')}`,
      );
    }
    const sp = best(runs, service, 'paragraphs');
    const a = best(runs, pipeSide, 'arrays');
    const same = a.arrays.outputs.filter((o, i) => o === sp.paragraphs.outputs[i]).length;
    const ratio = p50Of(a, 'arrays') / p50Of(sp, 'paragraphs');
    entry.arrays = { pipeline: { setting: a.threads, ...stats(a.arrays) }, ratio_p50: ratio, identical: same, total: sp.paragraphs.outputs.length };
    console.log(
      `  ${pipeSide.label} given each paragraph's sentences as one array: ${ms(p50Of(a, 'arrays'))} (${a.threads}), ${ratio.toFixed(2)}×, but identical output only ${same}/${sp.paragraphs.outputs.length}`,
    );
    summary[pipeSide.label] = entry;
  }

  const h = await http();
  console.log(`\nservice over HTTP (default settings: 1 intra-op thread)`);
  console.log(`  start → healthy ${ms(h.start_to_healthy_ms!)}, peak RSS ${h.peak_rss_mb!.toFixed(0)} MB`);
  console.log(
    `  one sentence per POST /translate: p50 ${ms(h.p50_ms!)} / p95 ${ms(h.p95_ms!)}; ${h.clients_1_per_s!.toFixed(1)} sentences/s with 1 client, ${h.clients_8_per_s!.toFixed(1)} with 8`,
  );
  const metricsCostFigures = await metricsCost(work);
  const loadAfter = load();
  const busy = Number(loadAfter) > 1 || Number(loadBefore) > 1;
  console.log(
    `\nload average (1 min) ${loadBefore} at start, ${loadAfter} at the end${busy ? ` on ${cpu.length} cores — other work shared them: figures are slower and noisier than on an idle machine` : ''}`,
  );

  const result = {
    environment: {
      cpu: cpu[0]?.model,
      cores: cpu.length,
      load_average_1min: { start: Number(loadBefore), end: Number(loadAfter) },
      node: process.versions.node,
      model: modelDir,
      model_files: modelFiles(),
    },
    workloads: { sentences: sentences.length, paragraphs: paragraphs.length, max_new_tokens: maxNewTokens, settings },
    runs: runs.map((m) => ({
      side: m.side.label,
      setting: m.threads,
      onnxruntime_node: m.info.onnxruntimeNode,
      sessions: m.info.sessions,
      sentences: stats(m.sentences),
      paragraphs: stats(m.paragraphs),
      ...(m.arrays.latencies.length ? { paragraphs_as_arrays: stats(m.arrays) } : {}),
    })),
    best: summary,
    http: h,
    metrics_cost: metricsCostFigures,
  };
  mkdirSync(testOutputDir, { recursive: true });
  writeFileSync(join(testOutputDir, 'bench-service.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${join(testOutputDir, 'bench-service.json')}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
