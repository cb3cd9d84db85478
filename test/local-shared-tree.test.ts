/**
 * One tree for two Nodes on the local backend: the cells of one lockfile on Node 20 and Node 24
 * (the same npm, 10.9.9) copy their packages from one `npm ci --ignore-scripts`, and each cell's
 * install scripts still run under its own Node (`npm rebuild` in its own folder). The service
 * depends on a package of the test's own registry whose postinstall appends the Node version and
 * the folder it ran in to a file of the test: one line per Node, each from its own cell folder,
 * none from the tree.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeOf } from '../src/axes/index.js';
import type { RunReport } from '../src/domain.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { matrix, projectWithPackage } from './helpers/project.js';
import { startRegistry, type TestRegistry } from './helpers/registry.js';
import { tempDir } from './helpers/temp.js';

const NODES = ['20.20.2', '24.22.3'];

describe('one tree for two Nodes on the local backend', () => {
  let registry: TestRegistry;
  let dir: string;
  let stamps: string;
  beforeAll(async () => {
    registry = await startRegistry();
    stamps = path.join(tempDir('matrix-stamps-'), 'stamps');
    const script = `node -e "require('fs').appendFileSync(${JSON.stringify(stamps).replaceAll('"', "'")}, process.version + ' ' + process.cwd() + '\\\\n')"`;
    await registry.publish('@mt/stamp', '1.0.0', {
      files: { 'index.js': `module.exports = ${JSON.stringify(`stamp ${Date.now()}`)};\n` },
      scripts: { postinstall: script },
    });
    dir = projectWithPackage(SMALL_MATRIX('', NODES), registry.url, '@mt/stamp', '1.0.0');
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it("extracts the packages without scripts once and runs each cell's install scripts under its own Node, in its own folder", async () => {
    const r = await matrix(['run', '--backend', 'local', '--no-cache', '--out', 'reports'], { cwd: dir });
    expect(r.exitCode, r.all).toBe(0);
    const run = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;
    expect(run.cells.map((c) => runtimeOf(c.cell).version).sort()).toEqual(NODES);
    for (const c of run.cells) expect(c.verdict, `${c.reason}\n${c.logTail}`).toBe('pass');
    const lines = readFileSync(stamps, 'utf8').trim().split('\n').sort();
    expect(lines.map((l) => l.split(' ')[0])).toEqual(NODES.map((v) => `v${v}`));
    const folders = lines.map((l) => l.split(' ')[1]!);
    expect(new Set(folders).size).toBe(2);
    for (const f of folders) {
      expect(f).toMatch(/[/\\]work[/\\][^/\\]+[/\\]install-[0-9a-f]+[/\\]node_modules[/\\]@mt[/\\]stamp$/);
    }
  });
});
