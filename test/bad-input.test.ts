/**
 * Bad input, end to end: the built CLI on a project with one bad value in matrix.yaml, the smoke
 * cases or the benchmark prints one line naming the file and the place, exits 2, and builds or
 * writes nothing. The registry is a local server answering from test/fixtures/registry/ (404 for
 * any other package, 500 for one name), so the test needs no network and no Docker.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureFileName } from '../src/registry/fixture.js';
import { CLI, ROOT, tempProject } from './helpers/project.js';

let server: Server;
let registry: string;
const dirs: string[] = [];

beforeAll(async () => {
  await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    if (name === 'registry-down') return res.writeHead(500).end('{"error":"down"}');
    const file = path.join(ROOT, 'test', 'fixtures', 'registry', fixtureFileName(name));
    if (!existsSync(file)) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const AXES = [
  'axes:',
  "  node: {kind: runtime, versions: '20'}",
  "  onnxruntime-node: {kind: package, versions: '1.20.1'}",
  "  tokenizer: {kind: alternatives, packages: ['@huggingface/tokenizers']}",
  '  model: {kind: model, variants: {fp32: {folder: service/model/zh-en}}}',
  '',
].join('\n');
/** The matrix.yaml of the three-axis days, refused with the new form in one line. */
const OLD_AXES = "axes:\n  node: '20'\n  onnxruntime-node: '1.20.1'\n  tokenizer: ['@huggingface/tokenizers']\n";
const CASE = 'cases:\n  - id: hello\n    text: 你好\n    expect: {contains: Hello}\n';
const BOMB = [
  'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
  'axes: *i',
  '',
].join('\n');

/** The built CLI in a temp project (the repository's service, cases and template linked in). */
function matrix(args: string[], yaml: string, files: Record<string, string> = {}) {
  const dir = tempProject(yaml);
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const env = { NO_COLOR: '1', npm_config_registry: registry };
  return { dir, result: execa(process.execPath, [CLI, ...args], { cwd: dir, env, reject: false }) };
}

describe('one line naming the file and the place, exit 2, nothing built or written', () => {
  // [what, command, matrix.yaml, extra files, the line on stderr]
  const CASES: [string, string, string, Record<string, string>, RegExp][] = [
    [
      'a missing model folder',
      'plan',
      AXES.replace('service/model/zh-en', 'no/such/model'),
      {},
      /^matrix\.yaml:5:50: axes\.model\.variants\.fp32\.folder: expected a model folder, found "no\/such\/model" \(no such folder\)$/,
    ],
    [
      'a model file that is not there',
      'plan',
      AXES.replace('zh-en}', 'zh-en, files: {encoder: onnx/nope.onnx, decoder: onnx/decoder_model_merged.onnx}}'),
      {},
      /^matrix\.yaml:5:\d+: axes\.model\.variants\.fp32\.files: expected onnx\/nope\.onnx in service\/model\/zh-en to be an ONNX model, found no such file$/,
    ],
    [
      'the three-axis form of matrix.yaml',
      'plan',
      OLD_AXES,
      {},
      /^matrix\.yaml:2:3: axes: expected axes with a kind each, found the three-axis form; write it as \{ axes: \{ node: \{ kind: runtime, versions: "20" \}, .* \(docs\/matrix-yaml\.md#migrating-from-the-three-axis-form\)$/,
    ],
    [
      'a missing cases file',
      'plan',
      `${AXES}smoke:\n  cases: cases/nope.yaml\n`,
      {},
      /^matrix\.yaml:7:10: smoke\.cases: expected a smoke cases file, found "cases\/nope\.yaml" \(no such file\)$/,
    ],
    [
      'a missing benchmark file',
      'run',
      `${AXES}smoke: {benchmark: cases/benchmark/nope.tsv}\n`,
      {},
      /^matrix\.yaml:6:20: smoke\.benchmark: expected a benchmark file .*\(no such file\)$/,
    ],
    [
      'an unknown package (registry 404)',
      'plan',
      AXES.replace("['@huggingface/tokenizers']", "['@matrix-nonexistent/zzz-no-such-package']"),
      {},
      /^matrix\.yaml:4:46: axes\.tokenizer\.packages\[0\]: expected a package the registry knows, found "@matrix-nonexistent\/zzz-no-such-package" \(no such package\)$/,
    ],
    [
      'an unpublished exact version',
      'run',
      AXES.replace("'1.20.1'", "'1.20.99'"),
      {},
      /^matrix\.yaml:3:47: axes\.onnxruntime-node\.versions: expected a published version of onnxruntime-node, found "1\.20\.99"/,
    ],
    ['a billion-laughs matrix.yaml', 'plan', BOMB, {}, /^matrix\.yaml:3:7: expected aliases \(\*name\) that repeat at most 100 values, found more here/],
    ['a matrix.yaml too big to read', 'plan', `${AXES}# ${'x'.repeat(200_000)}\n`, {}, /^matrix\.yaml:6:\d+: expected at most 100000 characters of YAML/],
    [
      'a bad value in the cases file',
      'run',
      `${AXES}smoke: {cases: bad.yaml}\n`,
      { 'bad.yaml': CASE.replace('{contains: Hello}', '{contain: Hello}') },
      /^bad\.yaml:4:14: cases\[0\]\.expect\.contain: expected a known key, found unknown key "contain"$/,
    ],
    [
      'a duplicate id in the cases file',
      'run',
      `${AXES}smoke: {cases: bad.yaml}\n`,
      { 'bad.yaml': CASE + CASE.replace('cases:\n', '') },
      /^bad\.yaml:5:9: cases\[1\]\.id: expected a unique id, found "hello" again \(first at cases\[0\]\)$/,
    ],
    [
      'an alias bomb in the cases file',
      'run',
      `${AXES}smoke: {cases: bad.yaml}\n`,
      { 'bad.yaml': BOMB.replace('axes:', 'cases:') },
      /^bad\.yaml:3:7: expected aliases \(\*name\) that repeat/,
    ],
    [
      'a short row in the benchmark',
      'run',
      `${AXES}smoke: {benchmark: bad.tsv}\n`,
      { 'bad.tsv': 'zh\ten\tattribution\n你好。\tHello.\n' },
      /^bad\.tsv:2:11: attribution: expected 3 tab-separated fields \(zh, en, attribution\), found 2$/,
    ],
  ];
  test.each(CASES)('%s', async (_what, command, yaml, files, line) => {
    const { dir, result } = matrix([command], yaml, files);
    const r = await result;
    expect(r.exitCode, r.stderr).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.replace(/^matrix: /, '')).toMatch(line);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(path.join(dir, 'reports'))).toBe(false);
    expect(existsSync(path.join(dir, '.matrix-cache', 'work'))).toBe(false);
  });
});

test('a registry that answers 500 is trouble with the registry (exit 3), not bad input', async () => {
  const r = await matrix(['plan'], AXES.replace('{kind: runtime,', '{kind: runtime, source: registry-down,')).result;
  expect(r.exitCode).toBe(3);
  expect(r.stderr).toMatch(/^matrix: registry unreachable \((E|HTTP )500\) and no cached metadata for registry-down in /);
});
