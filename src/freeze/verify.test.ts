import { describe, expect, test } from 'vitest';
import { standardRun } from '../../test/fixtures/runs/make.js';
import { planFreeze } from './index.js';
import { describeDrift, verifyService, type DriftKind, type FoundService } from './verify.js';

const planned = planFreeze({ report: standardRun(), policy: 'newest', lockPath: 'golden.lock.json', serviceDir: 'service', tool: { name: 'onnx-matrix', version: '0.1.0' } });
if (!planned.ok) throw new Error('fixture has a golden cell');
const { lock, files } = planned.plan;

/** What freeze wrote, as verify would read it back. */
function frozen(): FoundService & { manifest: any; lockfile: any } {
  return {
    files: { manifest: 'service/package.json', lockfile: 'service/package-lock.json', nvmrc: 'service/.nvmrc' },
    manifest: JSON.parse(files.service[0]!.content),
    lockfile: JSON.parse(files.service[1]!.content),
    nvmrc: files.service[2]!.content,
  };
}

const versionBody = (over: { node?: string; ort?: string; tokenizer?: string } = {}) => ({
  service: 'translation-service',
  revision: 'abc',
  model: { id: 'opus-mt-zh-en', sha256: 'f'.repeat(64) },
  runtime: { node: over.node ?? 'v24.1.0', 'onnxruntime-node': over.ort ?? '1.20.1', tokenizer: { package: '@huggingface/tokenizers', version: over.tokenizer ?? '0.1.3' } },
});

describe('verifyService', () => {
  test('what freeze wrote verifies clean, with a matching running service too', () => {
    expect(verifyService(lock, frozen())).toEqual([]);
    expect(verifyService(lock, { ...frozen(), version: { url: 'http://127.0.0.1:8080/version', body: versionBody() } })).toEqual([]);
  });

  test.each<[string, (f: ReturnType<typeof frozen>) => void, DriftKind, string]>([
    ['a direct dependency range instead of a pin', (f) => (f.manifest.dependencies.express = '^5.1.0'), 'version', 'service/package.json: dependencies.express: version 5.1.0 (golden) ≠ ^5.1.0 (found)'],
    ['a missing direct dependency', (f) => delete f.manifest.dependencies['onnxruntime-node'], 'missing', 'service/package.json: dependencies.onnxruntime-node: missing (golden: 1.20.1)'],
    ['an extra direct dependency', (f) => (f.manifest.dependencies.lodash = '4.17.21'), 'extra', 'service/package.json: dependencies.lodash: not in the golden lock (found 4.17.21)'],
    ['engines.node', (f) => (f.manifest.engines.node = '>=20'), 'node', 'service/package.json: engines.node: node 24.1.0 (golden) ≠ >=20 (found)'],
    ['.nvmrc', (f) => (f.nvmrc = 'v22.11.0\n'), 'node', 'service/.nvmrc: node: node 24.1.0 (golden) ≠ 22.11.0 (found)'],
    ['a locked version', (f) => (f.lockfile.packages['node_modules/body-parser'].version = '2.1.0'), 'version', 'service/package-lock.json: node_modules/body-parser: version 2.2.0 (golden) ≠ 2.1.0 (found)'],
    ['an integrity hash', (f) => (f.lockfile.packages['node_modules/onnxruntime-common'].integrity = 'sha512-AAAA'), 'integrity', 'service/package-lock.json: node_modules/onnxruntime-common: integrity'],
    ['a missing package in the lockfile', (f) => delete f.lockfile.packages['node_modules/onnxruntime-common'], 'missing', 'service/package-lock.json: node_modules/onnxruntime-common: missing (golden: 1.20.1)'],
    ['an extra package in the lockfile', (f) => (f.lockfile.packages['node_modules/left-pad'] = { version: '1.3.0' }), 'extra', 'service/package-lock.json: node_modules/left-pad: not in the golden lock (found 1.3.0)'],
    ['a missing lockfile', (f) => delete (f as Partial<typeof f>).lockfile, 'missing-file', 'service/package-lock.json: missing'],
    ['a missing .nvmrc', (f) => delete f.nvmrc, 'missing-file', 'service/.nvmrc: missing'],
    ['the running Node', (f) => (f.version = { url: 'http://x/version', body: versionBody({ node: 'v24.2.0' }) }), 'node', 'http://x/version: runtime.node: node 24.1.0 (golden) ≠ 24.2.0 (found)'],
    ['the running onnxruntime-node', (f) => (f.version = { url: 'http://x/version', body: versionBody({ ort: '1.20.0' }) }), 'runtime', 'http://x/version: runtime.onnxruntime-node: runtime 1.20.1 (golden) ≠ 1.20.0 (found)'],
    ['the running tokenizer', (f) => (f.version = { url: 'http://x/version', body: versionBody({ tokenizer: '0.2.0' }) }), 'runtime', 'http://x/version: runtime.tokenizer: runtime @huggingface/tokenizers 0.1.3 (golden) ≠ @huggingface/tokenizers 0.2.0 (found)'],
    ['a /version without runtime', (f) => (f.version = { url: 'http://x/version', body: { ok: true } }), 'runtime', 'http://x/version: runtime: runtime node, onnxruntime-node and tokenizer versions (golden) ≠ {"ok":true} (found)'],
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
