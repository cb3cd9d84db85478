/**
 * With the int8 (`_quantized`) files a sentence's translation must not depend on what else shares
 * its encoder/decoder pass: their DynamicQuantizeLinear nodes scale a whole pass at once, so the
 * service runs them one sentence per pass (service/src/model/batch-invariance.ts). Against the
 * built service, as the matrix's smoke "batch" check asks it: a batched request answers what the
 * same texts answer one by one (before, 1 of the 15 smoke texts and 70 of the 1,000 benchmark
 * sources did not).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { benchmarkSources, buildService, postJson, repoRoot, startService, type ServiceProcess } from './helpers/service.js';

const smokeTexts = (parse(readFileSync(join(repoRoot, 'cases', 'smoke.yaml'), 'utf8')) as { cases: { text: string }[] }).cases.map((c) => c.text);

let service: ServiceProcess;

beforeAll(async () => {
  await buildService();
  service = await startService({ env: { MODEL_QUANTIZED: '1' } });
});

afterAll(async () => {
  await service?.stop();
});

async function oneByOne(texts: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const text of texts) out.push((await postJson(`${service.url}/translate`, { text })).json.translation);
  return out;
}

describe('MODEL_QUANTIZED=1', () => {
  const reason =
    /^onnx\/encoder_model_quantized\.onnx has DynamicQuantizeLinear nodes; onnx\/decoder_model_merged_quantized\.onnx has DynamicQuantizeLinear nodes: /;

  it('says in /version and in its ready line that it runs one sentence per pass, and why', async () => {
    const body = await (await fetch(`${service.url}/version`)).json();
    expect(body.model).toMatchObject({ variant: 'int8', batch: 1, batch_reason: expect.stringMatching(reason) });
    expect(service.events().find((e) => e.event === 'ready')).toMatchObject({ batch: 1, batch_reason: body.model.batch_reason });
  });

  it.each([
    ['the 15 smoke texts (cases/smoke.yaml)', smokeTexts],
    ['64 benchmark sources', benchmarkSources().slice(0, 64)],
  ])('answers a batch of %s as it answers them one by one', async (_name, texts) => {
    expect(texts.length).toBeGreaterThan(1);
    const batch = await postJson(`${service.url}/translate`, { texts });
    expect(batch.status).toBe(200);
    expect(batch.json.translations).toEqual(await oneByOne(texts));
  });

  it('answers concurrent requests (merged by the queue) as it answers them one by one', async () => {
    const texts = benchmarkSources().slice(64, 96);
    const sequential = await oneByOne(texts);
    const concurrent = await Promise.all(texts.map((text) => postJson(`${service.url}/translate`, { text })));
    expect(concurrent.map((r) => r.json.translation)).toEqual(sequential);
  });
});
