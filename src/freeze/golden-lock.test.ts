import { describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { axesOf, makeLockfile, makeRun, standardRun, HF, HF_OLD, LENML } from '../../test/fixtures/runs/make.js';
import { parseGoldenLock } from './golden-lock.js';
import { GoldenLock, LOCK_VERSION } from './types.js';
import { planFreeze } from './index.js';
import { exactPins, pinManifest } from './service-pins.js';

const TOOL = { name: 'onnx-matrix', version: '0.1.0' };
const freeze = (manifest?: Record<string, unknown>, report = standardRun()) => {
  const planned = planFreeze({ report, policy: 'newest', manifest, lockPath: '/p/golden.lock.json', serviceDir: '/p/service', tool: TOOL });
  if (!planned.ok) throw new Error(planned.reasons.join('\n'));
  return planned.plan;
};

describe('buildGoldenLock / planFreeze', () => {
  test('the lock holds the axis values, pins, image, hashes and the whole tree', () => {
    const { lock } = freeze();
    expect(GoldenLock.parse(lock)).toEqual(lock);
    expect(lock.lockVersion).toBe(2);
    // The golden cell's axes exactly as the report has them, in its axis order, model files' sha256 included.
    const golden = standardRun().cells.find((r) => r.cell.id === lock.cell.id)!;
    expect(lock.axes).toEqual(golden.cell.axes);
    expect(Object.keys(lock.axes)).toEqual(['node', 'onnxruntime-node', 'tokenizer', 'express', 'model']);
    expect(lock.axes).toEqual(axesOf({ node: '24.1.0', ort: '1.20.1', tokenizer: HF_OLD }));
    expect(lock).toMatchObject({
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

  test('the lock read back is the lock written (JSON round trip through the schema)', () => {
    const { lock, files } = freeze();
    expect(parseGoldenLock(JSON.parse(files.lock.content), 'golden.lock.json')).toEqual(lock);
  });

  test('service/package.json: exact pins and engines.node, other fields kept', () => {
    const { files } = freeze({ name: 'svc', version: '2.0.0', scripts: { start: 'x' }, dependencies: { express: '^5', tokenizers: '^0.13' } });
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

  test.each([
    [
      'onnxruntime-node',
      (l: any) => (l.packages['node_modules/onnxruntime-node'].version = '1.19.2'),
      'its lockfile pins onnxruntime-node 1.19.2 but the cell ran 1.20.1',
    ],
    [
      'express (an axis like any other)',
      (l: any) => (l.packages['node_modules/express'].version = '5.0.0'),
      'its lockfile pins express 5.0.0 but the cell ran 5.1.0',
    ],
    [
      'the tokenizer left out',
      (l: any) => delete l.packages[''].dependencies['@huggingface/tokenizers'],
      'its lockfile pins @huggingface/tokenizers (nothing) but the cell ran 0.2.0',
    ],
  ])('a lockfile that does not pin what the cell ran is refused: %s', (_name, mutate, message) => {
    const run = makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'pass' }]);
    mutate(run.cells[0]!.lockfile);
    expect(() => freeze(undefined, run)).toThrow(UserError);
    expect(() => freeze(undefined, run)).toThrow(message);
  });

  test('pins: what the axes set, replaced alternatives left out, other dependencies as the tree installed them', () => {
    const axes = axesOf({ node: '22.11.0', ort: '1.20.1', tokenizer: HF });
    const lockfile = makeLockfile('1.20.1', HF) as { packages: Record<string, Record<string, any>> };
    // The service also declares the alternative not chosen and a dependency no axis knows.
    lockfile.packages['']!.dependencies[LENML.package] = LENML.version;
    lockfile.packages[`node_modules/${LENML.package}`] = { version: LENML.version };
    lockfile.packages['']!.dependencies.ms = '^2.1.0';
    lockfile.packages['node_modules/ms'] = { version: '2.1.3' };
    expect(exactPins(axes, lockfile.packages, 'cell x')).toEqual({
      dependencies: { '@huggingface/tokenizers': '0.2.0', express: '5.1.0', ms: '2.1.3', 'onnxruntime-node': '1.20.1' },
    });
  });

  test('pinManifest is idempotent', () => {
    const { lock } = freeze();
    const once = pinManifest({ name: 'a', engines: { npm: '>=10' } }, lock, 'x');
    expect(pinManifest(once, lock, 'x')).toEqual(once);
    expect(once.engines).toEqual({ npm: '>=10', node: '24.1.0' });
  });
});

describe('parseGoldenLock', () => {
  const v1 = {
    lockVersion: 1,
    tool: TOOL,
    node: '24.1.0',
    'onnxruntime-node': '1.20.1',
    tokenizer: { package: '@huggingface/tokenizers', version: '0.1.3', alias: 'hf-tokenizers' },
  };

  test('a version 1 lock is refused in one line: the file, what was expected, how to fix it', () => {
    expect(() => parseGoldenLock(v1, 'golden.lock.json')).toThrow(UserError);
    expect(() => parseGoldenLock(v1, 'golden.lock.json')).toThrow(
      `golden.lock.json: lockVersion 1, expected ${LOCK_VERSION}; ` +
        'freeze again to rewrite it (`matrix freeze --policy newest` or `oldest`; `current` cannot compare with it)',
    );
  });

  test('a lock from a newer tool, and a broken one, are refused at the field', () => {
    expect(() => parseGoldenLock({ ...v1, lockVersion: 3 }, 'g.json')).toThrow('g.json: lockVersion 3, expected 2; it was written by a newer matrix');
    const { files } = freeze();
    const broken = JSON.parse(files.lock.content);
    broken.axes.model.kind = 'weights';
    expect(() => parseGoldenLock(broken, 'g.json')).toThrow(/^g\.json: axes\.model\.kind: /);
  });
});
