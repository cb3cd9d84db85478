/**
 * An install script that needs a host this machine does not reach, for real: verdaccio on
 * loopback serves `@mt/needs-host`, whose install script downloads from a loopback port where
 * nothing listens. The cell is an install-error whose one line names the package@version, the
 * script and the host, on the local backend and on Docker; it is answered from the cache while the
 * port stays closed, and run afresh (and passes) once something answers there, without
 * --no-cache. With the registry itself down, the cell is the machine's: infra-error, exit 3.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellResult, RunReport } from '../src/domain.js';
import { freePort } from '../src/run/run.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { dockerOrSkip, matrix, projectWithPackage } from './helpers/project.js';
import { startRegistry, type TestRegistry } from './helpers/registry.js';

const docker = await dockerOrSkip();
const PACKAGE = '@mt/needs-host';

let registry: TestRegistry;
let port: number;
let dir: string;
let server: Server | undefined;
const run = (args: string[]) => matrix(['run', '--out', 'reports', ...args], { cwd: dir });
const cell = (): CellResult => (JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport).cells[0]!;

/** The reason names the package, its version, the script, the host, and the error the script printed. */
function expectNamed(c: CellResult): void {
  expect(c.verdict, c.reason).toBe('install-error');
  expect(c.reason).toContain(`the install script of ${PACKAGE}@1.0.0 (node fetch.js) failed: Error: connect ECONNREFUSED 127.0.0.1:${port}`);
  expect(c.reason).toContain(`it needs 127.0.0.1:${port}, which this machine does not reach`);
  expect(c.reason).not.toMatch(/\n/);
}

describe('an install script that needs a host the machine does not reach', () => {
  beforeAll(async () => {
    registry = await startRegistry();
    port = await freePort();
    // An uncaught error, as a download in an install script fails: Node prints it and exits 1.
    const fetch = `require('http').get('http://127.0.0.1:${port}/lib.bin', (r) => {
  r.resume();
  r.on('end', () => process.exit(r.statusCode === 200 ? 0 : 2));
}).on('error', (e) => { throw e; });\n`;
    await registry.publish(PACKAGE, '1.0.0', { scripts: { install: 'node fetch.js' }, files: { 'index.js': 'module.exports = 1;\n', 'fetch.js': fetch } });
    await registry.publish('@mt/plain', '1.0.0');
    dir = projectWithPackage(SMALL_MATRIX('', ['20.20.2']), registry.url, PACKAGE, '1.0.0');
  });
  afterAll(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await registry?.stop();
  });

  it('is an install-error naming the package@version, the script and the host (local backend)', async () => {
    const r = await run(['--backend', 'local']);
    expect(r.exitCode, r.all).toBe(1);
    expectNamed(cell());
  });

  it.skipIf(!docker.ok)('is the same install-error on Docker', async () => {
    const r = await run(['--backend', 'docker']);
    expect(r.exitCode, r.all).toBe(1);
    expectNamed(cell());
  });

  it('is answered from the cache while the host stays unreachable, and run afresh once it answers', async () => {
    const again = await run(['--backend', 'local']);
    expect(again.exitCode, again.all).toBe(1);
    expect(cell().cached).toBe(true);
    expectNamed(cell());
    server = createServer((_req, res) => res.end('binary'));
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    const fresh = await run(['--backend', 'local']);
    expect(fresh.exitCode, fresh.all).toBe(0);
    expect(cell()).toMatchObject({ verdict: 'pass', cached: false });
  });

  it('is infra-error and exit 3 when the registry itself is down', async () => {
    // A package never installed here: neither its tarball nor a tree with it is in any cache.
    const service = path.join(dir, 'service', 'package.json');
    const pkg = JSON.parse(readFileSync(service, 'utf8')) as { dependencies: Record<string, string> };
    writeFileSync(service, JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, '@mt/plain': '1.0.0' } }, null, 2));
    await registry.stop();
    const r = await run(['--backend', 'local', '--no-cache']);
    expect(r.exitCode, r.all).toBe(3);
    const c = cell();
    expect(c.verdict, c.reason).toBe('infra-error');
    expect(c.reason).toMatch(/ECONNREFUSED|could not be reached|registry/);
  });
});
