import { describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { makeLockfile, makeRun, standardRun } from '../../test/fixtures/runs/make.js';
import { GoldenLock } from './golden-lock.js';
import { planFreeze } from './index.js';
import { pinManifest } from './service-pins.js';

const TOOL = { name: 'onnx-matrix', version: '0.1.0' };
const freeze = (manifest?: Record<string, unknown>, report = standardRun()) => {
  const planned = planFreeze({ report, policy: 'newest', manifest, lockPath: '/p/golden.lock.json', serviceDir: '/p/service', tool: TOOL });
  if (!planned.ok) throw new Error(planned.reasons.join('\n'));
  return planned.plan;
};

describe('buildGoldenLock / planFreeze', () => {
  test('the lock holds the axis versions, pins, image, hashes and the whole tree', () => {
    const { lock } = freeze();
    expect(GoldenLock.parse(lock)).toEqual(lock);
    expect(lock).toMatchObject({
      node: '24.1.0',
      'onnxruntime-node': '1.20.1',
      tokenizer: { package: '@huggingface/tokenizers', version: '0.1.3' },
      pins: { dependencies: { '@huggingface/tokenizers': '0.1.3', express: '5.1.0', 'onnxruntime-node': '1.20.1' } },
      report: { runId: '20261127T010000Z-a1b2' },
      hashes: { model: 'm'.repeat(64), cases: 'a'.repeat(64), template: 't'.repeat(64) },
      selection: { policy: 'newest' },
      tool: TOOL,
    });
    expect(lock.image).toMatchObject({ id: expect.stringMatching(/^sha256:/), labels: { 'io.matrix.axis.node': '24.1.0' } });
    expect(Object.keys(lock.tree)).toEqual([...Object.keys(lock.tree)].sort());
    expect(lock.tree['node_modules/onnxruntime-common']).toMatchObject({ version: '1.20.1', integrity: expect.stringMatching(/^sha512-/) });
  });

  test('freezing the same report twice gives byte-identical files (also over its own output)', () => {
    const first = freeze({ name: 'translation-service', version: '1.0.0', dependencies: { express: '^5.0.0' }, scripts: { start: 'node dist/server.js' } });
    const manifest = JSON.parse(first.files.service[0]!.content) as Record<string, unknown>;
    const second = freeze(manifest);
    expect(second.files).toEqual(first.files);
    expect(freeze(structuredClone(manifest)).files.lock.content).toBe(first.files.lock.content);
  });

  test('service/package.json: exact pins and engines.node, other fields kept', () => {
    const { files } = freeze({ name: 'svc', version: '2.0.0', scripts: { start: 'x' }, dependencies: { express: '^5', 'tokenizers': '^0.13' } });
    const manifest = JSON.parse(files.service[0]!.content);
    expect(manifest).toEqual({
      name: 'svc',
      version: '2.0.0',
      scripts: { start: 'x' },
      dependencies: { '@huggingface/tokenizers': '0.1.3', express: '5.1.0', 'onnxruntime-node': '1.20.1' },
      engines: { node: '24.1.0' },
    });
    expect(files.service[2]).toEqual({ path: '/p/service/.nvmrc', content: '24.1.0\n' });
  });

  test('service/package-lock.json: the cell lockfile with a root entry matching package.json', () => {
    const { files } = freeze({ name: 'svc', version: '2.0.0' });
    const lockfile = JSON.parse(files.service[1]!.content);
    expect(lockfile.name).toBe('svc');
    expect(lockfile.lockfileVersion).toBe(3);
    expect(Object.keys(lockfile.packages)[0]).toBe('');
    expect(lockfile.packages['']).toMatchObject({ name: 'svc', version: '2.0.0', dependencies: { express: '5.1.0' }, engines: { node: '24.1.0' } });
    expect(lockfile.packages['node_modules/express']).toEqual((makeLockfile('1.20.1', { package: 'x', version: '1' }) as any).packages['node_modules/express']);
  });

  test('a lockfile that does not pin what the cell ran is refused', () => {
    const run = makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'pass' }]);
    run.cells[0]!.lockfile = makeLockfile('1.19.2', { package: '@huggingface/tokenizers', version: '0.2.0' });
    expect(() => freeze(undefined, run)).toThrow(UserError);
  });

  test('pinManifest is idempotent', () => {
    const { lock } = freeze();
    const once = pinManifest({ name: 'a', engines: { npm: '>=10' } }, lock, 'x');
    expect(pinManifest(once, lock, 'x')).toEqual(once);
    expect(once.engines).toEqual({ npm: '>=10', node: '24.1.0' });
  });
});
