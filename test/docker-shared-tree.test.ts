/**
 * One tree for two Nodes on Docker: the cells of one lockfile on Node 20 and Node 24 (the same
 * npm, 10.9.9) get their packages from a single `npm ci --ignore-scripts`, and each cell's
 * install scripts still run under its own Node (`npm rebuild` in its dependencies image). The
 * service depends on a package of the test's own registry whose postinstall writes the Node
 * version it ran under into the package: each image must hold its own Node's, and the engine
 * must have made exactly one tree volume for the run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeOf } from '../src/axes/index.js';
import type { RunReport } from '../src/domain.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { dockerOrSkip, matrix, projectWithPackage } from './helpers/project.js';
import { startRegistry, type TestRegistry } from './helpers/registry.js';

const docker = await dockerOrSkip();
const NODES = ['20.20.2', '24.22.3'];

describe.skipIf(!docker.ok)(`one tree for two Nodes on Docker${docker.ok ? '' : ` (skipped: ${docker.reason})`}`, () => {
  let registry: TestRegistry;
  let dir: string;
  beforeAll(async () => {
    registry = await startRegistry();
    // A tarball of this run's own (its integrity in the lock), so no dependencies image kept by an earlier run is reused.
    const files = { 'index.js': `module.exports = ${JSON.stringify(`stamp ${Date.now()}`)};\n` };
    await registry.publish('@mt/stamp', '1.0.0', { files, scripts: { postinstall: `node -e "require('fs').writeFileSync('built-with', process.version)"` } });
    dir = projectWithPackage(SMALL_MATRIX('', NODES), registry.url, '@mt/stamp', '1.0.0');
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it("installs the packages once and runs each cell's install scripts under its own Node", async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    const r = await matrix(['run', '--backend', 'docker', '--no-cache', '--out', 'reports'], { cwd: dir });
    expect(r.exitCode, r.all).toBe(0);
    const run = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;
    expect(run.cells.map((c) => runtimeOf(c.cell).version).sort()).toEqual(NODES);
    for (const c of run.cells) {
      expect(c.verdict, `${c.reason}\n${c.logTail}`).toBe('pass');
      expect(c.lockfile).toMatchObject({ packages: { 'node_modules/@mt/stamp': { version: '1.0.0', hasInstallScript: true } } });
      const stamp = await execa('docker', ['run', '--rm', '--network', 'none', c.image!.id, 'cat', 'node_modules/@mt/stamp/built-with']);
      expect(stamp.stdout).toBe(`v${runtimeOf(c.cell).version}`);
    }
    const created = async (type: string, format: string) => {
      const args = [
        'events',
        '--since',
        String(since),
        '--until',
        String(Math.ceil(Date.now() / 1000)),
        '--filter',
        `type=${type}`,
        '--filter',
        'event=create',
        '--format',
        format,
      ];
      return (await execa('docker', args)).stdout.split('\n').filter((name) => name.startsWith(`matrix-${run.runId.toLowerCase()}-`));
    };
    // One `npm ci` container, one tree volume (the engine reports a volume again each time a container mounts it).
    const installs = (await created('container', '{{.Actor.Attributes.name}}')).filter((n) => n.includes('-install-'));
    expect(installs).toHaveLength(1);
    const trees = new Set((await created('volume', '{{.Actor.ID}}')).filter((n) => n.includes('-tree-')));
    expect(trees.size).toBe(1);
    // The tree's volume is gone with the run.
    const left = await execa('docker', ['volume', 'ls', '-q', '--filter', 'name=-tree-']);
    expect(left.stdout.split('\n').filter((v) => v.includes(run.runId.toLowerCase()))).toEqual([]);
  });
});
