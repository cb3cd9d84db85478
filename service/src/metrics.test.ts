import { describe, expect, it } from 'vitest';
import { createMetrics, infoLabels, routeLabel, STATIC, UNMATCHED, type InfoLabels, type VersionFields } from './metrics.js';

/** `name{labels} value` lines of a rendering, without comments: the exact series written. */
const samples = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
const seriesValue = (text: string, series: string) => {
  const line = samples(text).find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const loaded: VersionFields = {
  service: '0.1.0',
  revision: 'abc',
  model: { id: 'org/zh-en', variant: 'int8' },
  runtime: { node: '20.1.0', 'onnxruntime-node': '1.20.1', tokenizer: { package: '@lenml/tokenizers', version: '3.7.2' } },
};
const info: InfoLabels = infoLabels(loaded, 'v0.1.0-abc1234');

describe('routeLabel', () => {
  it.each([
    ['a matched route', { path: '/translate' }, 200, '/translate'],
    ['a matched route answering an error', { path: '/translate' }, 413, '/translate'],
    ['nothing matched, 404', undefined, 404, UNMATCHED],
    ['nothing matched, answered by express.static', undefined, 200, STATIC],
    ['a not-modified static file', undefined, 304, STATIC],
    ['a route object without a string path', { path: /x/ }, 404, UNMATCHED],
  ])('%s', (_name, matched, status, label) => {
    expect(routeLabel(matched, status)).toBe(label);
  });
});

describe('infoLabels', () => {
  it('carries what /version says and the release version', () => {
    expect(info).toEqual({
      service: '0.1.0',
      release: 'v0.1.0-abc1234',
      revision: 'abc',
      model: 'org/zh-en',
      variant: 'int8',
      node: '20.1.0',
      onnxruntime_node: '1.20.1',
      tokenizer: '@lenml/tokenizers',
      tokenizer_version: '3.7.2',
    });
  });

  it('leaves what is not loaded yet empty', () => {
    const loading: VersionFields = { ...loaded, model: null, runtime: { node: '20.1.0', 'onnxruntime-node': null, tokenizer: null } };
    expect(infoLabels(loading, '')).toMatchObject({ release: '', model: '', variant: '', onnxruntime_node: '', tokenizer: '', tokenizer_version: '' });
  });
});

describe('createMetrics', () => {
  it('counts requests by route, method and status, with their durations', async () => {
    const m = createMetrics({ info: () => info, queueDepth: () => 0 });
    m.request('/translate', 'POST', 200, 0.03);
    m.request('/translate', 'POST', 200, 0.2);
    m.request('/translate', 'POST', 503, 0.001);
    const text = await m.render();
    expect(seriesValue(text, 'translation_http_requests_total{route="/translate",method="POST",status="200"}')).toBe(2);
    expect(seriesValue(text, 'translation_http_requests_total{route="/translate",method="POST",status="503"}')).toBe(1);
    const bucket = (le: string) =>
      seriesValue(text, `translation_http_request_duration_seconds_bucket{le="${le}",route="/translate",method="POST",status="200"}`);
    expect([bucket('0.02'), bucket('0.035'), bucket('0.15'), bucket('0.25'), bucket('+Inf')]).toEqual([0, 1, 1, 2, 2]);
    expect(seriesValue(text, 'translation_http_request_duration_seconds_sum{route="/translate",method="POST",status="200"}')).toBeCloseTo(0.23);
  });

  it('counts sentences and pass sizes, queue runs and rejections; reads depth and info at scrape time', async () => {
    let depth = 3;
    let labels: InfoLabels = infoLabels({ ...loaded, model: null }, '');
    const m = createMetrics({ info: () => labels, queueDepth: () => depth });
    m.pass(5);
    m.pass(1);
    m.queueRun(2);
    m.queueRejected();
    let text = await m.render();
    expect(seriesValue(text, 'translation_sentences_total')).toBe(6);
    expect(seriesValue(text, 'translation_batch_sentences_count')).toBe(2);
    expect(seriesValue(text, 'translation_batch_sentences_bucket{le="4"}')).toBe(1);
    expect(seriesValue(text, 'translation_queue_batch_texts_sum')).toBe(2);
    expect(seriesValue(text, 'translation_queue_rejections_total')).toBe(1);
    expect(seriesValue(text, 'translation_queue_depth')).toBe(3);
    expect(samples(text).filter((l) => l.startsWith('translation_service_info{'))).toEqual([expect.stringContaining('model="",variant=""')]);
    depth = 0;
    labels = info;
    text = await m.render();
    expect(seriesValue(text, 'translation_queue_depth')).toBe(0);
    // One info series at a time: the loaded labels replace the loading ones.
    expect(samples(text).filter((l) => l.startsWith('translation_service_info{'))).toEqual([
      'translation_service_info{service="0.1.0",release="v0.1.0-abc1234",revision="abc",model="org/zh-en",variant="int8",node="20.1.0",' +
        'onnxruntime_node="1.20.1",tokenizer="@lenml/tokenizers",tokenizer_version="3.7.2"} 1',
    ]);
  });

  it('keeps two services in one process apart, each with the default process metrics', async () => {
    const a = createMetrics({ info: () => info, queueDepth: () => 0 });
    const b = createMetrics({ info: () => info, queueDepth: () => 0 });
    a.request('/health', 'GET', 200, 0.001);
    const [textA, textB] = [await a.render(), await b.render()];
    expect(seriesValue(textA, 'translation_http_requests_total{route="/health",method="GET",status="200"}')).toBe(1);
    expect(seriesValue(textB, 'translation_http_requests_total{route="/health",method="GET",status="200"}')).toBeUndefined();
    for (const text of [textA, textB]) {
      expect(text).toMatch(/^process_cpu_seconds_total /m);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    }
  });
});
