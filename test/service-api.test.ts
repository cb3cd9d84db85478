/**
 * The service's HTTP contract, against the built service (`node service/dist/server.js`) with the
 * repo's own dependencies: response shapes, /version (its revision from GIT_REVISION or the
 * checkout), /metrics (strictly parsed, counts that move by exactly what was sent, the info
 * metric against /version), paragraphs, every bad-input case, queue full, startup failures,
 * SIGTERM draining.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchmarkSources,
  buildService,
  modelDirForTests,
  packageVersion,
  postJson,
  repoPackage,
  serviceDir,
  spawnService,
  startService,
  waitHealthy,
  type ServiceProcess,
} from './helpers/service.js';
import { parsePrometheusText, sampleValue, type Family } from './helpers/prometheus-text.js';
import { tempDir } from './helpers/temp.js';

let service: ServiceProcess;
/** What `matrix release`'s runtimes are to pass (MATRIX_RELEASE_VERSION); the info metric carries it. */
const RELEASE = 'v0.1.0-abc1234';

/** GET /metrics, checked line by line against the text format, as families by name. */
async function scrape(url: string): Promise<Map<string, Family>> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8$/);
  return parsePrometheusText(await res.text());
}

beforeAll(async () => {
  await buildService();
  service = await startService({ env: { GIT_REVISION: 'test-rev', MATRIX_RELEASE_VERSION: RELEASE } });
});

afterAll(async () => {
  await service?.stop();
});

const errorShape = { error: { code: expect.any(String), message: expect.any(String) } };

describe('startup', () => {
  it('logs one JSON object per stdout line and binds loopback by default', () => {
    const events = service.events();
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['listening', 'model_loaded', 'ready']));
    expect(events.find((e) => e.event === 'listening')).toMatchObject({ host: '127.0.0.1' });
    expect(service.stderr()).toBe('');
  });

  it('answers /health 503 while loading, then 200', async () => {
    const s = await spawnService();
    const statuses: number[] = [];
    try {
      while (!statuses.includes(200)) {
        const res = await fetch(`${s.url}/health`).catch(() => undefined);
        if (res) statuses.push(res.status);
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      await s.stop();
    }
    expect(statuses[0]).toBe(503);
    expect(statuses.at(-1)).toBe(200);
  });

  it.each([
    ['a missing model folder', { MODEL_DIR: '/nonexistent/model' }, /^service: model folder \/nonexistent\/model does not exist$/],
    ['an unknown tokenizer package', { TOKENIZER: 'left-pad' }, /^service: TOKENIZER=left-pad is not a supported tokenizer library/],
    ['a tokenizer library that is not installed', { TOKENIZER: '@lenml/tokenizers' }, /^service: TOKENIZER=@lenml\/tokenizers is not installed$/],
    ['a bad PORT', { PORT: 'http' }, /^service: PORT=http is not an integer/],
    [
      'a MODEL_FILES path outside the model folder',
      { MODEL_FILES: 'encoder=../zh-en/onnx/encoder_model.onnx' },
      /^service: MODEL_FILES=encoder=\.\.\/zh-en\/onnx\/encoder_model\.onnx: .* leaves MODEL_DIR$/,
    ],
    [
      'a MODEL_FILES file that does not exist',
      { MODEL_FILES: 'decoder=onnx/decoder_int4.onnx' },
      /^service: MODEL_FILES=decoder=onnx\/decoder_int4\.onnx: decoder=onnx\/decoder_int4\.onnx is not a file in /,
    ],
    ['a bad MODEL_VARIANT', { MODEL_VARIANT: 'fp 32' }, /^service: MODEL_VARIANT=fp 32 is not a name/],
  ])('exits 1 with one stderr line for %s', async (_name, env, line) => {
    const s = await spawnService({ env });
    const exit = await s.exited;
    expect(exit.code).toBe(1);
    const lines = s
      .stderr()
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });
});

describe('GET /version', () => {
  it('reports the service, revision, model and the versions actually loaded', async () => {
    const res = await fetch(`${service.url}/version`);
    expect(res.status).toBe(200);
    const body = await res.json();
    const manifest = JSON.parse(readFileSync(join(serviceDir, 'package.json'), 'utf8'));
    expect(body).toEqual({
      service: manifest.version,
      revision: 'test-rev',
      model: {
        id: expect.any(String),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        variant: 'fp32',
        files: expect.any(Array),
        batch: 32,
        batch_reason: null,
      },
      runtime: {
        node: process.versions.node,
        'onnxruntime-node': packageVersion(repoPackage('onnxruntime-node')),
        tokenizer: { package: '@huggingface/tokenizers', version: packageVersion(repoPackage('@huggingface/tokenizers')) },
      },
      packages: {
        '@huggingface/tokenizers': packageVersion(repoPackage('@huggingface/tokenizers')),
        express: packageVersion(repoPackage('express')),
        'onnxruntime-node': packageVersion(repoPackage('onnxruntime-node')),
        'prom-client': packageVersion(repoPackage('prom-client')),
      },
    });
  });

  /** What /version must say about a model file: its digest and size on disk. */
  const onDisk = (path: string) => {
    const file = join(modelDirForTests(), path);
    return { path, sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), bytes: statSync(file).size };
  };

  it('names the fp32 ONNX files it loaded, with their sha256 on disk', async () => {
    const body = await (await fetch(`${service.url}/version`)).json();
    expect(body.model.variant).toBe('fp32');
    expect(body.model.files).toEqual([onDisk('onnx/encoder_model.onnx'), onDisk('onnx/decoder_model_merged.onnx')]);
  });

  it('with MODEL_QUANTIZED=1: variant int8 and the _quantized files', async () => {
    const s = await startService({ env: { MODEL_QUANTIZED: '1' } });
    try {
      const body = await (await fetch(`${s.url}/version`)).json();
      expect(body.model.variant).toBe('int8');
      expect(body.model.files).toEqual([onDisk('onnx/encoder_model_quantized.onnx'), onDisk('onnx/decoder_model_merged_quantized.onnx')]);
      expect(body.model.files[0].sha256).not.toBe(onDisk('onnx/encoder_model.onnx').sha256);
      expect(body.model.batch).toBe(1);
    } finally {
      await s.stop();
    }
  });
});

describe('GET /version revision without GIT_REVISION', () => {
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: serviceDir, encoding: 'utf8' }).trim();

  it.each([
    ['from `git rev-parse HEAD`', {}],
    ['from the .git files when there is no git binary', { PATH: tempDir('no-git-') }],
  ])('is the checkout’s commit, %s', async (_name, env: Record<string, string>) => {
    const s = await startService({ env });
    try {
      const body = await (await fetch(`${s.url}/version`)).json();
      expect(body.revision).toBe(head);
    } finally {
      await s.stop();
    }
  });
});

describe('GET /metrics', () => {
  const requests = (f: Map<string, Family>, route: string, method: string, status: number) =>
    sampleValue(f, 'translation_http_requests_total', { route, method, status: String(status) });
  const durations = (f: Map<string, Family>, route: string, method: string, status: number) =>
    sampleValue(f, 'translation_http_request_duration_seconds_count', { route, method, status: String(status) });

  it.each([
    ['no final line feed', '# TYPE a counter\na 1'],
    ['a sample before its TYPE', 'a 1\n# TYPE a counter\n'],
    ['a bad escape', '# TYPE a gauge\na{l="\\t"} 1\n'],
    ['a series twice', '# TYPE a gauge\na{l="x"} 1\na{l="x"} 2\n'],
    ['samples of a family apart', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{l="y"} 2\n'],
    ['buckets not cumulative', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['+Inf bucket unequal to _count', '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 2\n'],
  ])('the strict check refuses %s', (_name, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });

  it("is the Prometheus text format, with the service's own metrics and the default process metrics", async () => {
    const families = await scrape(service.url);
    const types = Object.fromEntries([...families.values()].map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      translation_http_requests_total: 'counter',
      translation_http_request_duration_seconds: 'histogram',
      translation_sentences_total: 'counter',
      translation_batch_sentences: 'histogram',
      translation_queue_batch_texts: 'histogram',
      translation_queue_depth: 'gauge',
      translation_queue_rejections_total: 'counter',
      translation_service_info: 'gauge',
      process_cpu_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
    });
    expect(sampleValue(families, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts exactly the requests sent, by route template, method and status', async () => {
    const before = await scrape(service.url);
    const texts = ['我饿了。', '他每天早上六点起床。'];
    for (const text of texts) expect((await postJson(`${service.url}/translate`, { text })).status).toBe(200);
    expect((await postJson(`${service.url}/translate`, { texts })).status).toBe(200);
    expect((await postJson(`${service.url}/translate`, { text: '' })).status).toBe(400);
    expect((await postJson(`${service.url}/translate`, '{"text":')).status).toBe(400);
    expect((await fetch(`${service.url}/translate`)).status).toBe(405);
    expect((await fetch(`${service.url}/nope/${Date.now()}`)).status).toBe(404);
    expect((await fetch(`${service.url}/`)).status).toBe(200);
    const after = await scrape(service.url);
    const moved = (route: string, method: string, status: number) => requests(after, route, method, status) - requests(before, route, method, status);
    expect({
      translated: moved('/translate', 'POST', 200),
      bad: moved('/translate', 'POST', 400),
      wrongMethod: moved('/translate', 'GET', 405),
      unmatched: moved('unmatched', 'GET', 404),
      page: moved('static', 'GET', 200),
      // The first scrape; the second is counted once it is answered.
      scrapes: moved('/metrics', 'GET', 200),
    }).toEqual({ translated: 3, bad: 2, wrongMethod: 1, unmatched: 1, page: 1, scrapes: 1 });
    // The raw URL never becomes a label.
    expect([...after.values()].flatMap((f) => f.samples).some((s) => s.labels.route?.startsWith('/nope'))).toBe(false);
    expect(durations(after, '/translate', 'POST', 200) - durations(before, '/translate', 'POST', 200)).toBe(3);
    expect(durations(after, '/translate', 'POST', 400) - durations(before, '/translate', 'POST', 400)).toBe(2);
    const delta = (name: string) => sampleValue(after, name) - sampleValue(before, name);
    // One sentence per text; each request is one queue run and one encoder/decoder pass.
    const [sentences, passes, runs] = ['translation_sentences_total', 'translation_batch_sentences_count', 'translation_queue_batch_texts_count'].map(delta);
    expect({ sentences, passes, runs }).toEqual({ sentences: 4, passes: 3, runs: 3 });
    expect(delta('translation_queue_batch_texts_sum')).toBe(4);
    expect(sampleValue(after, 'translation_queue_depth')).toBe(0);
  });

  it('has one info series carrying what /version reports and the release version', async () => {
    const version = await (await fetch(`${service.url}/version`)).json();
    const info = (await scrape(service.url)).get('translation_service_info')!;
    expect(info.samples).toEqual([
      {
        name: 'translation_service_info',
        value: 1,
        labels: {
          service: version.service,
          release: RELEASE,
          revision: 'test-rev',
          model: version.model.id,
          variant: version.model.variant,
          node: version.runtime.node,
          onnxruntime_node: version.runtime['onnxruntime-node'],
          tokenizer: version.runtime.tokenizer.package,
          tokenizer_version: version.runtime.tokenizer.version,
        },
      },
    ]);
  });

  it('with METRICS=off: no /metrics (404) and the API unchanged', async () => {
    const s = await startService({ env: { METRICS: 'off' } });
    try {
      const res = await fetch(`${s.url}/metrics`);
      expect([res.status, (await res.json()).error.code]).toEqual([404, 'not_found']);
      expect((await postJson(`${s.url}/translate`, { text: '我饿了。' })).status).toBe(200);
    } finally {
      await s.stop();
    }
  });
});

describe('POST /translate', () => {
  it('translates one text', async () => {
    const { status, json } = await postJson(`${service.url}/translate`, { text: '你和你的父母同住吗？' });
    expect(status).toBe(200);
    expect(json).toEqual({ translation: expect.any(String), model: expect.any(String), elapsed_ms: expect.any(Number) });
    expect(json.translation).not.toMatch(/<\/s>|<pad>|▁|\s{2}/);
  });

  it('translates a batch in order, equal to one-by-one translations', async () => {
    const texts = benchmarkSources().slice(0, 12);
    const batch = await postJson(`${service.url}/translate`, { texts });
    expect(batch.status).toBe(200);
    expect(batch.json).toEqual({ translations: expect.any(Array), model: expect.any(String), elapsed_ms: expect.any(Number) });
    const singles: string[] = [];
    for (const text of texts) singles.push((await postJson(`${service.url}/translate`, { text })).json.translation);
    expect(batch.json.translations).toEqual(singles);
  });

  it('answers concurrent requests (merged into shared passes) like sequential ones', async () => {
    const texts = benchmarkSources().slice(12, 20);
    const sequential: string[] = [];
    for (const text of texts) sequential.push((await postJson(`${service.url}/translate`, { text })).json.translation);
    const concurrent = await Promise.all(texts.map((text) => postJson(`${service.url}/translate`, { text })));
    expect(concurrent.map((r) => r.json.translation)).toEqual(sequential);
  });

  it('accepts num_beams and max_new_tokens', async () => {
    const beams = await postJson(`${service.url}/translate`, { text: '我饿了。', num_beams: 3, max_new_tokens: 8 });
    expect(beams.status).toBe(200);
    expect(typeof beams.json.translation).toBe('string');
    expect(beams.json.translation.split(' ').length).toBeLessThanOrEqual(8);
  });

  it('translates every sentence of a paragraph, keeping its line breaks (issue #16)', async () => {
    const sentences = ['我有三本书。', '他每天早上六点起床。', '我爱你。'];
    const alone: string[] = [];
    for (const text of sentences) alone.push((await postJson(`${service.url}/translate`, { text })).json.translation);
    const paragraph = await postJson(`${service.url}/translate`, { text: sentences.join('') });
    expect(paragraph.json.translation).toBe(alone.join(' '));
    const lines = await postJson(`${service.url}/translate`, { text: `${sentences[0]}\n${sentences[1]}\n\n${sentences[2]}` });
    expect(lines.json.translation).toBe(`${alone[0]}\n${alone[1]}\n\n${alone[2]}`);
  });

  it('splits long input into sentences and still answers one string', async () => {
    const text = benchmarkSources().slice(0, 60).join('');
    expect(text.length).toBeGreaterThan(600);
    const { status, json } = await postJson(`${service.url}/translate`, { text });
    expect(status).toBe(200);
    expect(typeof json.translation).toBe('string');
  });

  it.each([
    ['HTML', '<script>alert(1)</script>你好'],
    ['emoji and symbols', '😀 ™ ① ½'],
    ['control characters', 'a\u0000b\u0007c\u200b'],
    ['only punctuation', '。。。！？'],
    ['Latin only', 'Hello world'],
    ['newlines', '第一行\n\n第二行\r\n'],
  ])('never fails on odd but valid input: %s', async (_name, text) => {
    const { status, json } = await postJson(`${service.url}/translate`, { text });
    expect(status).toBe(200);
    expect(typeof json.translation).toBe('string');
  });
});

describe('bad input', () => {
  it.each([
    ['invalid JSON', '{"text":', 400, 'invalid_json'],
    ['JSON null', 'null', 400, 'invalid_json'],
    ['a JSON array', '["你好"]', 400, 'invalid_body'],
    ['missing text', {}, 400, 'missing_text'],
    ['empty text', { text: '' }, 400, 'empty_text'],
    ['blank text', { text: '   ' }, 400, 'empty_text'],
    ['non-string text', { text: 42 }, 400, 'invalid_text'],
    ['text array under "text"', { text: ['你好'] }, 400, 'invalid_text'],
    ['lone surrogate', '{"text":"\\ud800"}', 400, 'invalid_text'],
    ['text over 5,000 characters', { text: '好'.repeat(5001) }, 413, 'text_too_long'],
    ['more than 64 texts', { texts: Array.from({ length: 65 }, () => '你好') }, 413, 'too_many_texts'],
    ['empty texts', { texts: [] }, 400, 'empty_texts'],
    ['texts not an array', { texts: '你好' }, 400, 'invalid_texts'],
    ['a bad item in texts', { texts: ['你好', null] }, 400, 'missing_text'],
    ['both text and texts', { text: 'a', texts: ['b'] }, 400, 'invalid_body'],
    ['bad num_beams', { text: '你好', num_beams: 0 }, 400, 'invalid_option'],
    ['bad max_new_tokens', { text: '你好', max_new_tokens: 1e9 }, 400, 'invalid_option'],
    ['a body over the size limit', JSON.stringify({ text: 'x'.repeat(3 * 1024 * 1024) }), 413, 'payload_too_large'],
  ])('%s → %s %s', async (_name, body, status, code) => {
    const res = await postJson(`${service.url}/translate`, body);
    expect(res.status).toBe(status);
    expect(res.json).toEqual(errorShape);
    expect(res.json.error.code).toBe(code);
  });

  it('5,000 characters exactly is accepted', async () => {
    const res = await postJson(`${service.url}/translate`, { text: '好'.repeat(5000), max_new_tokens: 4 });
    expect(res.status).toBe(200);
  });

  it('a non-JSON content type → 415', async () => {
    const res = await fetch(`${service.url}/translate`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '你好' });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual(errorShape);
  });

  it('no body at all → 400', async () => {
    const res = await fetch(`${service.url}/translate`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(errorShape);
  });

  it.each([
    ['GET', '/nope', 404, 'not_found'],
    ['POST', '/nope', 404, 'not_found'],
    ['GET', '/translate', 405, 'method_not_allowed'],
    ['DELETE', '/health', 405, 'method_not_allowed'],
  ])('%s %s → %s JSON', async (method, path, status, code) => {
    const res = await fetch(`${service.url}${path}`, { method });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect((await res.json()).error.code).toBe(code);
  });

  it('is still healthy after all of that', async () => {
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
  });
});

/** A request that keeps the service busy for a few seconds: two 5,000-character texts (hundreds of sentences). */
const heavy = () => ({
  texts: [0, 1].map((i) =>
    benchmarkSources()
      .slice(i * 300)
      .join('')
      .slice(0, 5000),
  ),
  max_new_tokens: 4,
});

describe('load and shutdown', () => {
  it('answers 503 with Retry-After when the queue is full', async () => {
    const s = await startService({ env: { MAX_QUEUE: '0' } });
    try {
      const busy = postJson(`${s.url}/translate`, heavy());
      await new Promise((r) => setTimeout(r, 200));
      const refused = await postJson(`${s.url}/translate`, { text: '你好' });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.json.error.code).toBe('queue_full');
      expect((await busy).status).toBe(200);
      expect((await postJson(`${s.url}/translate`, { text: '你好' })).status).toBe(200);
      const counted = await scrape(s.url);
      expect(sampleValue(counted, 'translation_queue_rejections_total')).toBe(1);
      expect(sampleValue(counted, 'translation_http_requests_total', { route: '/translate', method: 'POST', status: '503' })).toBe(1);
      expect(sampleValue(counted, 'translation_http_requests_total', { route: '/translate', method: 'POST', status: '200' })).toBe(2);
    } finally {
      await s.stop();
    }
  });

  it('counts a request whose client left before the answer as 499, as nginx does', async () => {
    const s = await startService();
    try {
      const leaving = new AbortController();
      const body = JSON.stringify(heavy());
      const left = fetch(`${s.url}/translate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: leaving.signal });
      await new Promise((r) => setTimeout(r, 200));
      leaving.abort();
      await expect(left).rejects.toThrow();
      const closed = { route: '/translate', method: 'POST', status: '499' };
      // Counted when the socket closes, a moment after the abort.
      const deadline = Date.now() + 5000;
      let count = 0;
      while (count === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        count = sampleValue(await scrape(s.url), 'translation_http_requests_total', closed);
      }
      expect(count).toBe(1);
    } finally {
      await s.stop();
    }
  });

  it('drains in-flight requests on SIGTERM, then exits 0', async () => {
    const s = await spawnService();
    await waitHealthy(s);
    const inFlight = postJson(`${s.url}/translate`, heavy());
    await new Promise((r) => setTimeout(r, 200));
    s.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.json.translations).toHaveLength(2);
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.events().map((e) => e.event)).toEqual(expect.arrayContaining(['signal', 'draining', 'stopped']));
    await expect(fetch(`${s.url}/health`)).rejects.toThrow();
  });
});
