import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { standardRun } from '../../test/fixtures/runs/make.js';
import { planFreeze } from './index.js';
import { describeDrift, verifyService, type DriftKind, type FoundService } from './verify.js';

const planned = planFreeze({
  report: standardRun(),
  policy: 'newest',
  lockPath: 'golden.lock.json',
  serviceDir: 'service',
  tool: { name: 'onnx-matrix', version: '0.1.0' },
});
if (!planned.ok) throw new Error('fixture has a golden cell');
const { lock, files } = planned.plan;

/** The fixture's model files: their sha256 is that of the text `file <path>` (test/fixtures/runs/make.ts). */
const MODEL = 'service/model/zh-en';
const ENCODER = 'onnx/encoder_model.onnx';
const DECODER = 'onnx/decoder_model_merged.onnx';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const fileSha = (file: string) => sha(`file ${file}`);

/** What freeze wrote, as verify would read it back, with the model files as they were frozen. */
function frozen(): FoundService & { manifest: any; lockfile: any } {
  return {
    files: { manifest: 'service/package.json', lockfile: 'service/package-lock.json', nvmrc: 'service/.nvmrc' },
    manifest: JSON.parse(files.service[0]!.content),
    lockfile: JSON.parse(files.service[1]!.content),
    nvmrc: files.service[2]!.content,
    onDisk: Object.fromEntries([ENCODER, DECODER].map((f) => [`${MODEL}/${f}`, { file: `${MODEL}/${f}`, sha256: fileSha(f) }])),
  };
}

/** A running service's /version (service/src): the runtime, every loaded package, the model variant and its files. */
const versionBody = (over: { node?: string; packages?: Record<string, string>; variant?: string; encoderSha?: string } = {}) => ({
  service: 'translation-service',
  revision: 'abc',
  model: {
    id: 'zh-en',
    sha256: 'f'.repeat(64),
    variant: over.variant ?? 'fp32',
    files: [
      { path: ENCODER, sha256: over.encoderSha ?? fileSha(ENCODER), bytes: 1_000_000 },
      { path: DECODER, sha256: fileSha(DECODER), bytes: 1_000_000 },
    ],
  },
  runtime: { node: over.node ?? 'v24.1.0', 'onnxruntime-node': '1.20.1', tokenizer: { package: '@huggingface/tokenizers', version: '0.1.3' } },
  packages: {
    '@huggingface/tokenizers': '0.1.3',
    'body-parser': '2.2.0',
    express: '5.1.0',
    'onnxruntime-common': '1.20.1',
    'onnxruntime-node': '1.20.1',
    ...over.packages,
  },
});
const running = (body: unknown) => (f: ReturnType<typeof frozen>) => (f.version = { url: 'http://x/version', body });

describe('verifyService', () => {
  test('what freeze wrote verifies clean, with the frozen model files and a matching running service too', () => {
    expect(verifyService(lock, frozen())).toEqual([]);
    expect(verifyService(lock, { ...frozen(), version: { url: 'http://127.0.0.1:8080/version', body: versionBody() } })).toEqual([]);
  });

  test.each<[string, (f: ReturnType<typeof frozen>) => void, DriftKind, string]>([
    [
      'a direct dependency range instead of a pin',
      (f) => (f.manifest.dependencies.express = '^5.1.0'),
      'version',
      'service/package.json: dependencies.express: version 5.1.0 (golden) ≠ ^5.1.0 (found)',
    ],
    [
      'a missing direct dependency',
      (f) => delete f.manifest.dependencies['onnxruntime-node'],
      'missing',
      'service/package.json: dependencies.onnxruntime-node: missing (golden: 1.20.1)',
    ],
    [
      'an extra direct dependency',
      (f) => (f.manifest.dependencies.lodash = '4.17.21'),
      'extra',
      'service/package.json: dependencies.lodash: not in the golden lock (found 4.17.21)',
    ],
    ['engines.node', (f) => (f.manifest.engines.node = '>=20'), 'node', 'service/package.json: engines.node: node 24.1.0 (golden) ≠ >=20 (found)'],
    ['.nvmrc', (f) => (f.nvmrc = 'v22.11.0\n'), 'node', 'service/.nvmrc: node: node 24.1.0 (golden) ≠ 22.11.0 (found)'],
    [
      'a locked version',
      (f) => (f.lockfile.packages['node_modules/body-parser'].version = '2.1.0'),
      'version',
      'service/package-lock.json: node_modules/body-parser: version 2.2.0 (golden) ≠ 2.1.0 (found)',
    ],
    [
      'an integrity hash',
      (f) => (f.lockfile.packages['node_modules/onnxruntime-common'].integrity = 'sha512-AAAA'),
      'integrity',
      'service/package-lock.json: node_modules/onnxruntime-common: integrity',
    ],
    [
      'a missing package in the lockfile',
      (f) => delete f.lockfile.packages['node_modules/onnxruntime-common'],
      'missing',
      'service/package-lock.json: node_modules/onnxruntime-common: missing (golden: 1.20.1)',
    ],
    [
      'an extra package in the lockfile',
      (f) => (f.lockfile.packages['node_modules/left-pad'] = { version: '1.3.0' }),
      'extra',
      'service/package-lock.json: node_modules/left-pad: not in the golden lock (found 1.3.0)',
    ],
    ['a missing lockfile', (f) => delete (f as Partial<typeof f>).lockfile, 'missing-file', 'service/package-lock.json: missing'],
    ['a missing .nvmrc', (f) => delete f.nvmrc, 'missing-file', 'service/.nvmrc: missing'],
    [
      'a model file edited or retrained after the freeze',
      (f) => (f.onDisk[`${MODEL}/${ENCODER}`]!.sha256 = sha('retrained')),
      'sha256',
      `${MODEL}/${ENCODER}: axes.model.files.encoder: ` +
        `sha256 ${fileSha(ENCODER).slice(0, 12)} (golden) ≠ ${sha('retrained').slice(0, 12)} (found): changed since the freeze`,
    ],
    [
      'a model file gone',
      (f) => delete f.onDisk[`${MODEL}/${DECODER}`]!.sha256,
      'missing-file',
      `${MODEL}/${DECODER}: axes.model.files.decoder: missing (golden: sha256 ${fileSha(DECODER).slice(0, 12)}`,
    ],
    ['the running Node', running(versionBody({ node: 'v24.2.0' })), 'runtime', 'http://x/version: runtime.node: runtime 24.1.0 (golden) ≠ 24.2.0 (found)'],
    [
      'the running onnxruntime-node',
      running(versionBody({ packages: { 'onnxruntime-node': '1.20.0' } })),
      'runtime',
      'http://x/version: runtime.onnxruntime-node: runtime 1.20.1 (golden) ≠ 1.20.0 (found)',
    ],
    [
      'the running tokenizer',
      running(versionBody({ packages: { '@huggingface/tokenizers': '0.2.0' } })),
      'runtime',
      'http://x/version: runtime.tokenizer: runtime @huggingface/tokenizers@0.1.3 (golden) ≠ @huggingface/tokenizers@0.2.0 (found)',
    ],
    [
      'the running express',
      running(versionBody({ packages: { express: '5.0.0' } })),
      'runtime',
      'http://x/version: runtime.express: runtime 5.1.0 (golden) ≠ 5.0.0 (found)',
    ],
    ['the running model variant', running(versionBody({ variant: 'int8' })), 'runtime', `http://x/version: runtime.model: runtime fp32: ${DECODER} sha256:`],
    [
      'a running model file the lock did not freeze',
      running(versionBody({ encoderSha: sha('retrained') })),
      'runtime',
      `(golden) ≠ fp32: ${DECODER} sha256:${fileSha(DECODER).slice(0, 12)}, ${ENCODER} sha256:${sha('retrained').slice(0, 12)} (found)`,
    ],
    [
      'a /version that does not report every axis',
      running({ ok: true }),
      'runtime',
      'http://x/version: runtime: runtime a report of every axis (node, onnxruntime-node, tokenizer, express, model) (golden) ≠ {"ok":true} (found)',
    ],
  ])('detects %s', (_name, mutate, kind, line) => {
    const found = frozen();
    mutate(found);
    const drifts = verifyService(lock, found);
    expect(drifts.map((d) => d.kind)).toEqual([kind]);
    expect(describeDrift(drifts[0]!)).toContain(line);
  });

  test('the golden tree covers every installed package', () => {
    expect(Object.keys(lock.tree)).toHaveLength(Object.keys(frozen().lockfile.packages).length - 1);
  });
});
