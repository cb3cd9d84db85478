/**
 * `matrix upgrade` with the built CLI (`npm run build` first), NO_COLOR=1, on fixture runs in a
 * temp project: the golden lock is the one `matrix freeze` wrote for last week's run; this week's
 * run moves the golden cell. Exit codes, stdout, and the files written (exactly freeze's) or not.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { HF_OLD, makeRun, STANDARD, standardRun } from './fixtures/runs/make.js';
import { matrix } from './helpers/project.js';
import { tempDir } from './helpers/temp.js';

const LAST = standardRun();
const THIS_WEEK = makeRun(
  [
    ...STANDARD.map((s, i) => (i === 10 ? { ...s, verdict: 'pass' as const } : i === 0 ? { ...s, verdict: 'fail' as const } : s)),
    { node: '24.2.0', ort: '1.21.0', tokenizer: HF_OLD, scores: { bleu: 31.9, chrf: 55.8 }, verdict: 'pass' },
  ],
  { runId: '20261204T010000Z-b3c4', createdAt: '2026-12-04T01:00:00.000Z' },
);
const FROZEN = ['golden.lock.json', 'service/package.json', 'service/package-lock.json', 'service/.nvmrc'];
const SERVICE_PKG = {
  name: 'translation-service',
  version: '1.0.0',
  type: 'module',
  scripts: { start: 'node dist/server.js' },
  dependencies: { express: '^5.1.0' },
};

let dir: string;
const at = (...p: string[]) => path.join(dir, ...p);
const put = (file: string, value: unknown) => {
  mkdirSync(path.dirname(at(file)), { recursive: true });
  writeFileSync(at(file), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
};
const read = (file: string, root = dir) => (existsSync(path.join(root, file)) ? readFileSync(path.join(root, file), 'utf8') : undefined);
const snapshot = (root = dir) => Object.fromEntries(FROZEN.map((f) => [f, read(f, root)]));
const run = (args: string[], cwd = dir) => matrix(['upgrade', ...args], { cwd });

beforeAll(async () => {
  dir = tempDir('matrix-upgrade-');
  put('service/package.json', SERVICE_PKG);
  put(`reports/${LAST.runId}/matrix.json`, LAST);
  const frozen = await matrix(['freeze'], { cwd: dir });
  expect(frozen.exitCode, frozen.all).toBe(0);
  put(`reports/${THIS_WEEK.runId}/matrix.json`, THIS_WEEK);
});

describe('matrix upgrade', () => {
  test('--dry-run prints the body and writes nothing', async () => {
    const before = snapshot();
    const r = await run(['--dry-run', '--body', 'pr.md']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^## Upgrade the golden lock to run `20261204T010000Z-b3c4`\n/);
    expect(r.stdout).toContain('| Node | `node` | 24.1.0 | 24.2.0 |');
    expect(r.stdout).toContain('| transitive | `onnxruntime-common` | 1.20.1 | 1.21.0 |');
    expect(r.stdout).toContain('| change | | +0.5 | +0.6 | ±0 ms | ±0.0 MB |');
    expect(r.stdout).toContain('**Newly failing since `20261127T010000Z-a1b2` (1)**');
    expect(r.stderr).toBe('dry run: nothing written; would write golden.lock.json, service/package.json, service/package-lock.json, service/.nvmrc, pr.md');
    expect(snapshot()).toEqual(before);
    expect(existsSync(at('pr.md'))).toBe(false);
  });

  test('--json prints the upgrade with its changes list', async () => {
    const r = await run(['--json', '--dry-run']);
    expect(r.exitCode, r.stderr).toBe(0);
    const u = JSON.parse(r.stdout) as { changes: unknown[]; lock: unknown; files: string[] };
    expect(u.changes).toEqual([
      { kind: 'node', package: 'node', from: '24.1.0', to: '24.2.0' },
      { kind: 'direct', package: 'onnxruntime-node', from: '1.20.1', to: '1.21.0' },
      { kind: 'transitive', package: 'onnxruntime-common', from: '1.20.1', to: '1.21.0' },
    ]);
    expect(u.lock).toEqual({ path: 'golden.lock.json', runId: '20261127T010000Z-a1b2' });
    expect(u.files).toEqual(FROZEN);
  });

  test('bad input: one line naming the problem, exit 2, nothing written', async () => {
    const before = snapshot();
    put('broken.lock.json', '{');
    for (const [args, line] of [
      [['nosuchrun'], /^matrix: no run "nosuchrun": not a file, a folder, nor a run id in reports\/$/],
      [['--lock', 'broken.lock.json'], /^matrix: broken\.lock\.json: not valid JSON \(.+\)$/],
      [['--since', 'nosuchrun'], /^matrix: no run "nosuchrun"/],
      [['--policy', 'sideways'], /^error: option '--policy <policy>' argument 'sideways' is invalid/],
    ] as const) {
      const r = await run([...args, '--body', 'pr.md']);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(line);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(snapshot()).toEqual(before);
    expect(existsSync(at('pr.md'))).toBe(false);
  });

  test('no cell can be golden: exit 1 with the reasons, nothing written', async () => {
    const before = snapshot();
    put('failing/matrix.json', makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'crash' }], { runId: '20261205T010000Z-dead' }));
    const r = await run(['failing', '--body', 'pr.md']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('matrix upgrade: no cell of 20261205T010000Z-dead can be golden, nothing to propose:\n  ✖ node 22.11.0');
    expect(snapshot()).toEqual(before);
    expect(existsSync(at('pr.md'))).toBe(false);
  });

  test('writes exactly what `matrix freeze` writes, and the body; then there is nothing to change', async () => {
    // What freeze writes, in a copy of the project.
    const copy = tempDir('matrix-upgrade-freeze-');
    cpSync(dir, copy, { recursive: true });
    const frozen = await matrix(['freeze', THIS_WEEK.runId], { cwd: copy });
    expect(frozen.exitCode, frozen.all).toBe(0);

    const dry = await run(['--dry-run']);
    const r = await run(['--body', 'out/pr.md']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'upgrade golden.lock.json to run 20261204T010000Z-b3c4: 3 changes (node 24.1.0 → 24.2.0, onnxruntime-node 1.20.1 → 1.21.0)',
        '  node 24.1.0 → 24.2.0',
        '  onnxruntime-node 1.20.1 → 1.21.0 (direct)',
        '  onnxruntime-common 1.20.1 → 1.21.0 (transitive)',
        'wrote golden.lock.json, service/package.json, service/package-lock.json, service/.nvmrc, out/pr.md',
      ].join('\n'),
    );
    expect(snapshot()).toEqual(snapshot(copy));
    expect(read('service/.nvmrc')).toBe('24.2.0\n');
    expect(read('out/pr.md')).toBe(`${dry.stdout}\n`);

    const again = await run(['--body', 'again.md']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toBe(
      'nothing to change: golden.lock.json already pins what run 20261204T010000Z-b3c4 would freeze: node24.2.0-ort1.21.0-hf-tokenizers0.1.3-express5.1.0-fp32',
    );
    expect(existsSync(at('again.md'))).toBe(false);
    expect(JSON.parse((await run(['--json'])).stdout).changes).toEqual([]);
  });
});
