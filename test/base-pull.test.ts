/**
 * image.pull for real, against a container registry on loopback (Debian's docker-registry): the
 * test publishes a Node base there as `127.0.0.1:<port>/node:<version>`, removes it from the
 * engine, and runs one cell with `image.base` pointing at it.
 *  - `missing` pulls it, builds the cell on it, and labels the image and the report with it;
 *  - `never` (MATRIX_PULL overriding the file) leaves it unpulled and builds on the local base.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { CLI, dockerOrSkip, tempProject } from './helpers/project.js';
import { registryOrSkip, startRegistry, type RegistryServer } from './helpers/registry-server.js';

// Under CI=true a missing engine or registry fails the file instead of skipping it.
const docker = await dockerOrSkip();
const registryBin = registryOrSkip();
const NODE = '20.20.2';
const CELL = `node${NODE}-ort1.14.0-hf-tokenizers0.2.0-fp32`;
let registry: RegistryServer;
let upstream: string;
let dir: string;

const run = (pull: string) =>
  execa(process.execPath, [CLI, 'run', '--backend', 'docker', '--no-cache', '--out', 'reports'], {
    cwd: dir,
    reject: false,
    all: true,
    env: { NO_COLOR: '1', MATRIX_PULL: pull },
  });
const cell = () => (JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport).cells[0]!;
const present = async (tag: string) => (await execa('docker', ['image', 'inspect', tag], { reject: false })).exitCode === 0;

describe.skipIf(!docker.ok || !registryBin.ok)('image.pull against a registry on loopback', () => {
  beforeAll(async () => {
    registry = await startRegistry();
    upstream = `${registry.host}/node:{node}`;
    dir = tempProject(SMALL_MATRIX(`image:\n  base: ${upstream}\n  pull: always\n`, [NODE]));
    // The local base (built from Debian's packages when absent), published as the "official" image.
    const base = await execa(process.execPath, [CLI, 'base', '--node', NODE], { cwd: dir, reject: false, all: true, env: { MATRIX_PULL: 'never' } });
    expect(base.exitCode, base.all).toBe(0);
    const tag = upstream.replace('{node}', NODE);
    await execa('docker', ['tag', `matrix-base:node${NODE}`, tag]);
    await execa('docker', ['push', tag]);
    await execa('docker', ['rmi', tag]);
    expect(await present(tag)).toBe(false);
  });
  afterAll(async () => {
    if (upstream) await execa('docker', ['rmi', '-f', upstream.replace('{node}', NODE)], { reject: false });
    await registry?.stop();
  });

  it('never: does not pull, and builds on the local base', async () => {
    const r = await run('never');
    expect(r.exitCode, r.all).toBe(0);
    expect(cell().cell.name).toBe(CELL);
    expect(cell().image?.labels['io.matrix.base']).toBe(`matrix-base:node${NODE}`);
    expect(await present(upstream.replace('{node}', NODE))).toBe(false);
  });

  it('missing: pulls the absent base, builds the cell on it, and says so in its labels and report', async () => {
    const tag = upstream.replace('{node}', NODE);
    const r = await run('missing');
    expect(r.exitCode, r.all).toBe(0);
    expect(await present(tag)).toBe(true);
    expect(cell().verdict).toBe('pass');
    expect(cell().image?.labels['io.matrix.base']).toBe(tag);
    const labels = JSON.parse((await execa('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', cell().image!.id])).stdout) as Record<
      string,
      string
    >;
    expect(labels['io.matrix.base']).toBe(tag);
  });
});
