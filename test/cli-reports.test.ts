/**
 * The built CLI (`node bin/matrix.js`, NO_COLOR=1) on fixture runs in temp dirs: report, diff,
 * merge, freeze and verify — exit codes, stdout and the files they leave behind.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { HF_OLD, makeRun, standardRun, STANDARD } from './fixtures/runs/make.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'matrix.js');
let dir: string;

async function matrix(args: string[], cwd = dir) {
  const env: Record<string, string> = { ...process.env, NO_COLOR: '1' } as Record<string, string>;
  delete env.GITHUB_STEP_SUMMARY;
  const r = await execa('node', [bin, ...args], { cwd, env, extendEnv: false, reject: false });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

async function put(file: string, value: unknown) {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

const SERVICE_PKG = {
  name: 'translation-service',
  version: '1.0.0',
  type: 'module',
  scripts: { start: 'node dist/server.js' },
  dependencies: { express: '^5.1.0' },
};

/** The fp32 model files as the fixture records them: make.ts hashes the text `file <path>`, so that text is the file. */
const MODEL_DIR = 'service/model/zh-en';
const FP32_FILES = ['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx'];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, reject: false });
  expect(existsSync(path.join(root, 'dist', 'cli.js'))).toBe(true);
  dir = await mkdtemp(path.join(tmpdir(), 'matrix-cli-'));
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('matrix report', () => {
  const A = '20261127T010000Z-aaaa';
  beforeAll(async () => {
    await put(`reports/${A}/matrix.json`, standardRun({ runId: A }));
  });

  test('renders the latest run as a plain table with the summary line', async () => {
    const r = await matrix(['report']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b[');
    // Not a terminal: 100 columns, so the widest header is cut; no rule between the rows of a group.
    expect(r.stdout).toContain('│ onnx…ode │ tokenizer           │ express │ model │ node 20.18.1 │ node 22.11.0 │ node 24.1.0     │');
    expect(r.stdout).toContain(
      '│ 1.20.1   │ hf-tokenizers 0.1.3 │ 5.1.0   │ fp32  │ ✔ pass       │ ✖ fail       │ ✔ pass          │\n│ 1.20.1   │ hf-tokenizers 0.2.0 │',
    );
    expect((await matrix(['report', '--verbose'])).stdout).toMatch(/^cell +BLEU +chrF +p95 +peak memory +start$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('14 cells: 10 passed, 3 failed, 1 skipped (1 flaky)');
  });

  test.each([
    ['md', '## Compatibility matrix `20261127T010000Z-aaaa`'],
    ['junit', '<testsuites name="matrix 20261127T010000Z-aaaa"'],
    ['html', '<!doctype html>'],
    ['json', '"schemaVersion": 2'],
  ])('--format %s goes to stdout', async (format, expected) => {
    const r = await matrix(['report', A, '--format', format]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(expected);
  });

  test('--format all rewrites the run folder', async () => {
    const r = await matrix(['report', '--format', 'all']);
    expect(r.code).toBe(0);
    expect((await readdir(path.join(dir, 'reports', A))).sort()).toEqual(['index.html', 'junit.xml', 'matrix.json', 'matrix.md', 'verdicts.json']);
  });

  test.each([
    [['report', 'nope'], /^matrix: no run "nope": not a file, a folder, nor a run id in reports\/$/],
    [['report', 'broken.json'], /^matrix: broken\.json: cells\.0\.verdict: /],
    [['report', '--format', 'pdf'], /error: option '--format <format>' argument 'pdf' is invalid/],
  ])('%j is a usage error (exit 2, one line)', async (args, message) => {
    const bad = standardRun() as unknown as { cells: { verdict: string }[] };
    bad.cells[0]!.verdict = 'great';
    await put('broken.json', bad);
    const r = await matrix(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
  });

  test('a matrix.json from before axes were data is refused in one line', async () => {
    // Version 1's cells had the three axes as fields.
    const cell = {
      id: '0a1b2c3d',
      name: 'node22.11.0-ort1.20.1-hf-tokenizers0.2.0',
      node: '22.11.0',
      ort: '1.20.1',
      tokenizer: { package: '@huggingface/tokenizers', version: '0.2.0', alias: 'hf-tokenizers' },
    };
    await put('old.json', {
      ...standardRun(),
      schemaVersion: 1,
      referenceCell: cell.id,
      cells: [{ cell, verdict: 'pass', expected: { node: '22.11.0', ort: '1.20.1' } }],
    });
    const r = await matrix(['report', 'old.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('matrix: old.json: written by an older matrix (schemaVersion 1, this matrix reads 2); re-run `matrix run` to write it again');
  });
});

describe('matrix diff', () => {
  test('lists newly failing and newly passing cells; exit 1 on a regression', async () => {
    const before = makeRun(STANDARD, { runId: '20261127T010000Z-aaaa' });
    const afterSpecs = STANDARD.map((s) =>
      s.node === '20.18.1' && s.ort === '1.19.2' && !s.tokenizer
        ? { ...s, verdict: 'crash' as const }
        : s.verdict === 'fail' && s.tokenizer === HF_OLD
          ? { ...s, verdict: 'pass' as const }
          : s,
    );
    await put('a/matrix.json', before);
    await put('b/matrix.json', makeRun(afterSpecs, { runId: '20261127T020000Z-bbbb' }));
    const r = await matrix(['diff', 'a', 'b']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'newly failing (1):\n  ✖ node20.18.1-ort1.19.2-hf-tokenizers0.2.0-express5.1.0-fp32: pass → crash — service died with SIGSEGV during smoke checks',
    );
    expect(r.stdout).toContain('newly passing (1):\n  ✔ node22.11.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32: fail → pass');
    expect(r.stdout).toContain('1 newly failing, 1 newly passing, 0 changed, 0 added, 0 removed, 12 unchanged');
    const json = await matrix(['diff', 'a', 'b', '--json']);
    expect(JSON.parse(json.stdout).newlyFailing).toHaveLength(1);
    expect((await matrix(['diff', 'a', 'a'])).code).toBe(0);
  });
});

describe('matrix merge → freeze → verify', () => {
  let work: string;
  const at = (...p: string[]) => path.join(work, ...p);
  const run = (args: string[]) => matrix(args, work);
  const shardsOf = (report: RunReport, count: number) =>
    Array.from(
      { length: count },
      (_, k): RunReport => ({
        ...report,
        runId: `20261127T01000${k}Z-000${k}`,
        shard: { index: k + 1, count },
        cells: report.cells.filter((_, i) => i % count === k),
      }),
    );

  beforeAll(async () => {
    work = path.join(dir, 'project');
    await mkdir(at('service'), { recursive: true });
    await writeFile(at('service', 'package.json'), `${JSON.stringify(SERVICE_PKG, null, 2)}\n`);
    for (const file of FP32_FILES) {
      await mkdir(path.dirname(at(MODEL_DIR, file)), { recursive: true });
      await writeFile(at(MODEL_DIR, file), `file ${file}`);
    }
    const shards = shardsOf(standardRun(), 3);
    for (const [k, s] of shards.entries()) {
      await mkdir(at('shards', `${k + 1}`, s.runId), { recursive: true });
      await writeFile(at('shards', `${k + 1}`, s.runId, 'matrix.json'), JSON.stringify(s));
    }
  });

  test('merge combines the shards into a new run that matches the full one', async () => {
    const r = await run([
      'merge',
      'shards/1/20261127T010000Z-0000/matrix.json',
      'shards/2/20261127T010001Z-0001',
      'shards/3/20261127T010002Z-0002/matrix.json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('14 cells: 10 passed, 3 failed, 1 skipped (1 flaky)');
    expect(r.stdout).toMatch(/merged 3 reports into reports\/\d{8}T\d{6}Z-[0-9a-f]{4}/);
    const merged = JSON.parse(await readFile(at('reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;
    const full = standardRun();
    const verdicts = (x: RunReport) => Object.fromEntries(x.cells.map((c) => [c.cell.id, c.verdict]));
    expect(verdicts(merged)).toEqual(verdicts(full));
    expect(merged.mergedFrom).toHaveLength(3);
  });

  test('freeze writes the golden lock and pins the service; freezing again is byte-identical', async () => {
    const r = await run(['freeze']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('golden: node 24.1.0, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.1.3, express 5.1.0, model fp32');
    expect(r.stdout).toContain('wrote golden.lock.json, service/package.json, service/package-lock.json, service/.nvmrc');
    const files = ['golden.lock.json', 'service/package.json', 'service/package-lock.json', 'service/.nvmrc'];
    const first = await Promise.all(files.map((f) => readFile(at(f))));
    const pkg = JSON.parse(first[1]!.toString());
    expect(pkg).toMatchObject({ scripts: SERVICE_PKG.scripts, dependencies: { express: '5.1.0', 'onnxruntime-node': '1.20.1' }, engines: { node: '24.1.0' } });
    expect(first[3]!.toString()).toBe('24.1.0\n');

    expect((await run(['freeze'])).code).toBe(0);
    const second = await Promise.all(files.map((f) => readFile(at(f))));
    for (const [i, b] of second.entries()) expect(b.equals(first[i]!), files[i]).toBe(true);
  });

  test('verify passes on what freeze wrote and fails with a precise diff on drift', async () => {
    expect(await run(['verify'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^service matches golden\.lock\.json: node 24\.1\.0/) });
    const lockfile = JSON.parse(await readFile(at('service', 'package-lock.json'), 'utf8'));
    const original = `${JSON.stringify(lockfile, null, 2)}\n`;
    lockfile.packages['node_modules/body-parser'].integrity = 'sha512-tampered';
    await writeFile(at('service', 'package-lock.json'), JSON.stringify(lockfile, null, 2));
    await writeFile(at('service', '.nvmrc'), 'v22\n');
    const r = await run(['verify']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(/^service\/package-lock\.json: node_modules\/body-parser: integrity sha512-\S+ \(golden\) ≠ sha512-tampered \(found\)$/),
      'service/.nvmrc: node: node 24.1.0 (golden) ≠ 22 (found)',
      expect.stringMatching(/^2 differences from golden\.lock\.json \(golden: node 24\.1\.0/),
    ]);
    await writeFile(at('service', 'package-lock.json'), original);
    await writeFile(at('service', '.nvmrc'), '24.1.0\n');
  });

  test('verify --url checks /version of a running service', async () => {
    let body: unknown = {};
    const server: Server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/version' ? JSON.stringify(body) : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      // What the golden cell's service reports: its Node, the packages it loaded, the model files.
      const version = (ort: string) => ({
        service: 'translation-service',
        revision: 'x',
        model: { id: 'zh-en', variant: 'fp32', files: FP32_FILES.map((f) => ({ path: f, sha256: sha256(`file ${f}`) })) },
        runtime: { node: 'v24.1.0' },
        packages: { express: '5.1.0', 'onnxruntime-node': ort, '@huggingface/tokenizers': '0.1.3' },
      });
      body = version('1.20.1');
      const ok = await run(['verify', '--url', url]);
      expect(ok.code, ok.stdout).toBe(0);
      body = version('1.19.2');
      const r = await run(['verify', '--url', url]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`${url}/version: runtime.onnxruntime-node: runtime 1.20.1 (golden) ≠ 1.19.2 (found)`);
    } finally {
      server.close();
    }
    const down = await run(['verify', '--url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/^matrix: cannot reach http:\/\/127\.0\.0\.1:9\/version/);
  });

  test('freeze --policy oldest explains its choice', async () => {
    const r = await run(['freeze', '--policy', 'oldest', '--lock', 'other/golden.lock.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('golden: node 20.18.1, onnxruntime-node 1.19.2, tokenizer hf-tokenizers 0.1.3, express 5.1.0, model fp32');
    expect(existsSync(at('other', 'service', '.nvmrc'))).toBe(true);
  });

  test('freeze with no passing cell: exit 1, reasons, nothing written', async () => {
    const failing = makeRun(
      [
        { node: '22.11.0', ort: '1.20.1', verdict: 'crash' },
        { node: '24.1.0', ort: '1.20.1', verdict: 'flaky' },
      ],
      { runId: '20261127T090000Z-dead' },
    );
    await writeFile(at('failing.json'), JSON.stringify(failing));
    const before = await readFile(at('golden.lock.json'));
    const r = await run(['freeze', 'failing.json']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      'matrix freeze: no cell of 20261127T090000Z-dead can be golden, nothing written:',
      '  ✖ node 24.1.0, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32: flaky: passed on attempt 2',
      '  ✖ node 22.11.0, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32: crash: service died with SIGSEGV during smoke checks',
    ]);
    expect((await readFile(at('golden.lock.json'))).equals(before)).toBe(true);
  });

  test('merge flags conflicting duplicates (exit 1) and refuses shards of different inputs (exit 2)', async () => {
    const a = makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'pass' }], { runId: '20261127T050000Z-aaaa' });
    const b = makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'crash' }], { runId: '20261127T050000Z-bbbb' });
    await writeFile(at('a.json'), JSON.stringify(a));
    await writeFile(at('b.json'), JSON.stringify(b));
    const r = await run(['merge', 'a.json', 'b.json', '--out', 'conflict-reports']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('matrix merge: conflict: node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32: pass in a.json, crash in b.json');
    expect(r.stdout).toContain('1 cell: 0 passed, 1 failed, 0 skipped (1 conflicting)');

    await writeFile(at('c.json'), JSON.stringify({ ...b, hashes: { ...b.hashes, model: 'other' } }));
    const refused = await run(['merge', 'a.json', 'c.json', '--out', 'refused-reports']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^matrix: the shards do not compare, nothing merged: c\.json: model hash "other" differs/);
    expect(existsSync(at('refused-reports'))).toBe(false);
  });

  test('freeze and verify read the freeze: block of matrix.yaml; flags override it', async () => {
    const axes = [
      'axes:',
      "  node: {kind: runtime, versions: ['20']}",
      "  onnxruntime-node: {kind: package, alias: ort, versions: ['1.20.1']}",
      "  tokenizer: {kind: alternatives, packages: ['@huggingface/tokenizers']}",
      "  express: {kind: package, versions: ['5.1.0']}",
      `  model: {kind: model, variants: {fp32: {folder: ${MODEL_DIR}}}}`,
      '',
    ].join('\n');
    await writeFile(at('matrix.yaml'), `${axes}freeze:\n  policy: oldest\n  lockfile: pinned.lock.json\n`);
    try {
      const r = await run(['freeze']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('policy oldest: ');
      expect(r.stdout).toContain('golden: node 20.18.1, onnxruntime-node 1.19.2, tokenizer hf-tokenizers 0.1.3, express 5.1.0, model fp32');
      expect(r.stdout).toContain('wrote pinned.lock.json, service/package.json, service/package-lock.json, service/.nvmrc');
      expect(await run(['verify'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^service matches pinned\.lock\.json: node 20\.18\.1/) });

      const flags = await run(['freeze', '--policy', 'newest', '--lock', 'golden.lock.json']);
      expect(flags.code, flags.stderr).toBe(0);
      expect(flags.stdout).toContain('golden: node 24.1.0, onnxruntime-node 1.20.1, ');
      expect(flags.stdout).toContain('wrote golden.lock.json, ');
      // pinned.lock.json still pins Node 20: the service now differs from it, and matches golden.lock.json.
      expect((await run(['verify'])).code).toBe(1);
      expect((await run(['verify', '--lock', 'golden.lock.json'])).code).toBe(0);

      await writeFile(at('matrix.yaml'), `${axes}freeze:\n  policy: sideways\n`);
      const bad = await run(['freeze']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^matrix: matrix\.yaml:8:11: freeze\.policy: /);
    } finally {
      await rm(at('matrix.yaml'));
    }
  });

  test('verify without a golden lock is a usage error', async () => {
    const r = await run(['verify', '--lock', 'missing.lock.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('matrix: missing.lock.json: missing (run `matrix freeze` to write it)');
  });
});
