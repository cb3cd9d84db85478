/**
 * Private registries, for real: verdaccio on loopback with htpasswd users (anonymous access
 * refused) serves a scoped package the service depends on, as a team's internal library. The
 * project's .npmrc points the scope at it with
 * `//host/:_authToken=${MT_TOKEN}`, and the token comes from the environment, as in CI. The cell
 * installs and passes on the local backend and on Docker. Then the test searches for the token,
 * and fails on any hit, in every file of every layer of the cell's image (`docker save`), its
 * config and history, the npm cache volume, and everything the runs left in the project
 * (reports/, .matrix-cache/, the event stream) and printed. A wrong token makes the cell an
 * install-error whose one line names the registry, and that token is never printed either.
 */
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, createReadStream, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { execa } from 'execa';
import tarStream from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { CLI, copiedService, dockerOrSkip, ROOT, tempProject } from './helpers/project.js';
import { startRegistry, type TestRegistry } from './helpers/registry.js';

const docker = await dockerOrSkip();
const MATRIX = SMALL_MATRIX('', ['20.20.2']);

let registry: TestRegistry;
let token: string;
let dir: string;
const outputs: string[] = [];
const run = async (args: string[], env: Record<string, string>) => {
  const r = await execa(process.execPath, [CLI, 'run', '--out', 'reports', '--no-cache', '--events-file', `events-${outputs.length}.ndjson`, ...args], {
    cwd: dir,
    reject: false,
    all: true,
    env: { NO_COLOR: '1', ...env },
  });
  outputs.push(r.all ?? '');
  return r;
};
const report = (): RunReport => JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;

/** Every file under a folder (links not followed): the path of each one that contains `needle`. */
function filesContaining(root: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && readFileSync(p).includes(needle)) hits.push(p);
    }
  };
  walk(root);
  return hits;
}

/** Every entry of a tar (and of the layer tars inside a `docker save` archive) that contains `needle`. */
function tarEntriesContaining(stream: NodeJS.ReadableStream, needle: string, prefix = ''): Promise<{ hits: string[]; entries: number }> {
  return new Promise((resolve, reject) => {
    const extract = tarStream.extract();
    const hits: string[] = [];
    let entries = 0;
    extract.on('entry', (header, body, next) => {
      const parts: Buffer[] = [];
      body.on('data', (d: unknown) => void parts.push(d as Buffer));
      body.on('end', () => {
        entries++;
        const content = Buffer.concat(parts);
        if (content.includes(needle)) hits.push(`${prefix}${header.name}`);
        if (/(^|\/)layer\.tar$|\.tar$/.test(header.name) || (/^blobs\/sha256\//.test(header.name) && content.subarray(257, 262).toString() === 'ustar')) {
          tarEntriesContaining(Readable.from(content), needle, `${prefix}${header.name}!`).then((inner) => {
            hits.push(...inner.hits);
            entries += inner.entries;
            next();
          }, next);
        } else next();
      });
    });
    extract.on('finish', () => resolve({ hits, entries }));
    extract.on('error', reject);
    stream.pipe(extract);
  });
}

describe('a private registry with htpasswd auth', () => {
  beforeAll(async () => {
    registry = await startRegistry({ users: { alice: 'alice-password-4d2f' } });
    await registry.publish('@mt/greeting', '1.0.0');
    token = await registry.token('alice');
    dir = tempProject(MATRIX, ['cases', 'Dockerfile.template']);
    copiedService(dir);
    const service = path.join(dir, 'service', 'package.json');
    const pkg = JSON.parse(readFileSync(service, 'utf8')) as { dependencies: Record<string, string> };
    writeFileSync(service, JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, '@mt/greeting': '^1.0.0' } }, null, 2));
    const host = `//127.0.0.1:${new URL(registry.url).port}/`;
    writeFileSync(
      path.join(dir, '.npmrc'),
      `${readFileSync(path.join(ROOT, '.npmrc'), 'utf8')}@mt:registry=${registry.url}\n${host}:_authToken=\${MT_TOKEN}\n`,
    );
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('refuses anonymous requests (the test registry is really private)', async () => {
    const res = await fetch(`${registry.url}@mt%2fgreeting`);
    expect(res.status).toBe(401);
  });

  it('installs the private package on the local backend and passes', async () => {
    const r = await run(['--backend', 'local'], { MT_TOKEN: token });
    expect(r.exitCode, r.all).toBe(0);
    const cell = report().cells[0]!;
    expect(cell.verdict, cell.reason).toBe('pass');
    expect(cell.lockfile).toMatchObject({ packages: { 'node_modules/@mt/greeting': { version: '1.0.0' } } });
  });

  it.skipIf(!docker.ok)('installs it on Docker and passes', async () => {
    const r = await run(['--backend', 'docker'], { MT_TOKEN: token });
    expect(r.exitCode, r.all).toBe(0);
    const cell = report().cells[0]!;
    expect(cell.verdict, cell.reason).toBe('pass');
    expect(cell.lockfile).toMatchObject({ packages: { 'node_modules/@mt/greeting': { version: '1.0.0' } } });
    expect(cell.image?.id).toBeTruthy();
  });

  it.skipIf(!docker.ok)("finds the token in no layer, config or history of the cell's image, nor in the npm cache volume", async () => {
    const image = report().cells[0]!.image!.id;
    const saved = path.join(mkdtempSync(path.join(os.tmpdir(), 'saved-')), 'image.tar');
    await execa('docker', ['save', '-o', saved, image]);
    const { hits, entries } = await tarEntriesContaining(createReadStream(saved), token);
    expect(entries, 'docker save held no files').toBeGreaterThan(1000);
    expect(statSync(saved).size).toBeGreaterThan(100e6);
    expect(hits).toEqual([]);
    // The search does look inside the layers: a file every cell image has is found there.
    const control = await tarEntriesContaining(createReadStream(saved), '"name": "@mt/greeting"');
    expect(
      control.hits.some((h) => h.includes('!') && h.endsWith('node_modules/@mt/greeting/package.json')),
      control.hits.join(', '),
    ).toBe(true);
    rmSync(path.dirname(saved), { recursive: true, force: true });
    const history = await execa('docker', ['history', '--no-trunc', image]);
    const inspect = await execa('docker', ['image', 'inspect', image]);
    expect(history.stdout + inspect.stdout).not.toContain(token);
    // npm's cache keeps responses, not the requests' authorization headers.
    const base = (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', image])).stdout.trim();
    const grep = await execa('docker', ['run', '--rm', '--network', 'none', '-v', 'matrix-npm-cache:/cache:ro', base, 'grep', '-rlF', token, '/cache'], {
      reject: false,
    });
    expect(grep.exitCode, `token found in the npm cache volume: ${grep.stdout}`).toBe(1);
  });

  it('finds the token in nothing the runs wrote or printed: reports/, .matrix-cache/, events, output', () => {
    expect(readdirSync(path.join(dir, 'reports', 'latest')).sort()).toEqual(expect.arrayContaining(['index.html', 'junit.xml', 'matrix.json', 'matrix.md']));
    expect(filesContaining(dir, token)).toEqual([]);
    // The search finds what is there: the private package's name is in the reports and the kept trees.
    const named = filesContaining(dir, 'node_modules/@mt/greeting').map((f) => path.relative(dir, f));
    expect(
      named.some((f) => /^reports\/[^/]+\/matrix\.json$/.test(f)),
      named.join(', '),
    ).toBe(true);
    expect(named.some((f) => f.startsWith('.matrix-cache'))).toBe(true);
    for (const o of outputs) expect(o).not.toContain(token);
  });

  it('judges a cell whose credentials are refused install-error, names the registry, and never prints the token', async () => {
    const wrong = 'wrong-token-7c41e09b';
    const r = await run(['--backend', 'local'], { MT_TOKEN: wrong });
    expect(r.exitCode, r.all).toBe(1);
    const cell = report().cells[0]!;
    expect(cell.verdict).toBe('install-error');
    expect(cell.reason).toContain(registry.url);
    expect(cell.reason).toMatch(/credentials for it are missing or refused/);
    expect(cell.reason).not.toMatch(/\n/);
    expect(r.all).not.toContain(wrong);
    expect(filesContaining(dir, wrong)).toEqual([]);
  });
});
