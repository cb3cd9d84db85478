import { describe, expect, it } from 'vitest';
import { standardRun } from '../../test/fixtures/runs/make.js';
import { Install } from '../config/schema.js';
import { planFreeze } from '../freeze/index.js';
import { pinnedVersions } from '../verdict/checks.js';
import { pinnedLockfile, releaseCell, releaseInstall, releaseLabels } from './manifest.js';

const frozen = () => {
  const planned = planFreeze({
    report: standardRun(),
    policy: 'newest',
    lockPath: '/p/golden.lock.json',
    serviceDir: '/p/service',
    tool: { name: 'matrix', version: '0.1.0' },
  });
  if (!planned.ok) throw new Error(planned.reasons.join('\n'));
  const serviceLock = JSON.parse(planned.plan.files.service[1]!.content) as { packages: Record<string, Record<string, unknown>> };
  const manifest = JSON.parse(planned.plan.files.service[0]!.content) as Record<string, unknown>;
  return { lock: planned.plan.lock, serviceLock, manifest };
};

describe('releaseInstall', () => {
  it('installs exactly the lock tree, with the edges npm needs from the verified service lockfile', () => {
    const { lock, serviceLock, manifest } = frozen();
    // What only service/package-lock.json knows: an entry's own dependencies.
    serviceLock.packages['node_modules/onnxruntime-node'] = {
      ...serviceLock.packages['node_modules/onnxruntime-node'],
      dependencies: { 'onnxruntime-common': '1.20.1' },
    };
    const { manifest: m, lockfile } = releaseInstall(lock, manifest, serviceLock);
    expect(m.dependencies).toEqual(lock.pins.dependencies);
    expect(Object.keys(lockfile.packages!).filter((k) => k !== '')).toEqual(Object.keys(lock.tree));
    for (const [key, entry] of Object.entries(lock.tree)) expect(lockfile.packages![key]).toMatchObject(entry);
    expect(lockfile.packages!['node_modules/onnxruntime-node']).toMatchObject({ dependencies: { 'onnxruntime-common': '1.20.1' } });
    expect(lockfile.packages!['']).toMatchObject({ dependencies: lock.pins.dependencies, engines: { node: '24.1.0' } });
  });

  it('the lock wins where the service lockfile says otherwise', () => {
    const { lock, serviceLock, manifest } = frozen();
    serviceLock.packages['node_modules/express'] = { ...serviceLock.packages['node_modules/express'], version: '0.0.1', integrity: 'sha512-x' };
    const { lockfile } = releaseInstall(lock, manifest, serviceLock);
    expect(lockfile.packages!['node_modules/express']).toMatchObject(lock.tree['node_modules/express']!);
  });

  it('refuses a service lockfile without an entry of the lock tree', () => {
    const { lock, serviceLock, manifest } = frozen();
    delete serviceLock.packages['node_modules/express'];
    expect(() => releaseInstall(lock, manifest, serviceLock)).toThrow(/service\/package-lock\.json: node_modules\/express: missing/);
  });
});

describe('releaseCell', () => {
  it('the golden cell with the install settings matrix.yaml gives its axes', () => {
    const { lock } = frozen();
    const install = Install.parse({
      env: { A: '1' },
      'npm-flags': ['--x'],
      when: [
        { match: { node: '>=24' }, env: { B: '2' }, 'npm-flags': ['--y'] },
        { match: { node: '<20' }, env: { C: '3' } },
      ],
    });
    const cell = releaseCell(lock, install);
    expect(cell).toMatchObject({
      id: lock.cell.id,
      name: lock.cell.name,
      axes: lock.axes,
      status: 'planned',
      install: { env: { A: '1', B: '2' }, npmFlags: ['--x', '--y'] },
    });
  });
});

describe('releaseLabels', () => {
  it('OCI version, revision, source, created; every axis; the lock and the model by sha256', () => {
    const { lock } = frozen();
    const labels = releaseLabels(lock, {
      version: 'v1.2.3-0123456',
      serviceVersion: '1.2.3',
      revision: '0123456'.padEnd(40, '0'),
      source: 'local',
      created: '2026-01-01T00:00:00.000Z',
      lockSha256: 'l'.repeat(64),
    });
    expect(labels).toMatchObject({
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.revision': '0123456'.padEnd(40, '0'),
      'org.opencontainers.image.source': 'local',
      'org.opencontainers.image.created': '2026-01-01T00:00:00.000Z',
      'io.matrix.release': 'v1.2.3-0123456',
      'io.matrix.lock.sha256': 'l'.repeat(64),
      'io.matrix.axis.node': '24.1.0',
      'io.matrix.axis.onnxruntime-node': '1.20.1',
    });
    expect(Object.keys(labels).filter((k) => k.startsWith('io.matrix.axis.'))).toEqual(Object.keys(lock.axes).map((a) => `io.matrix.axis.${a}`));
    expect(labels['io.matrix.model.sha256']).toBe((lock.axes.model as { folderSha256: string }).folderSha256);
  });
});

it('pinnedLockfile gives the packages check the versions the lock pins', () => {
  const { lock } = frozen();
  expect(pinnedVersions(pinnedLockfile(lock))).toEqual(lock.pins.dependencies);
});
