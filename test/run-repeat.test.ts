/**
 * `matrix run --repeat N` on the local backend: one install, N starts, one verdict with a pass
 * rate. A service that fails on a fixed schedule makes the rate exact; the real service passes
 * N of N.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { SMALL_MATRIX, standInService } from './helpers/fixtures.js';
import { matrix, ROOT, tempProject } from './helpers/project.js';

const CELL = 'node20.20.2-ort1.14.0-hf-tokenizers0.2.0-fp32';
const latest = (dir: string, file: string) => readFileSync(path.join(dir, 'reports', 'latest', file), 'utf8');
const report = (dir: string) => JSON.parse(latest(dir, 'matrix.json')) as RunReport;

/**
 * A service whose every third start, from the second (2, 5, 8, …), answers /translate with 500:
 * 7 of 10 runs pass. It counts its starts in `starts` in the project folder. Its /version reports
 * what the cell installed (every direct dependency as loaded) and the model files' sha256, as the
 * real service does.
 */
function everyThirdStartFails(projectDir: string): string {
  const counter = path.join(projectDir, 'starts');
  standInService(
    projectDir,
    `const fs = require('fs');
const http = require('http');
const crypto = require('crypto');
const path = require('path');
const counter = ${JSON.stringify(counter)};
const start = Number(fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8') : '0') + 1;
fs.writeFileSync(counter, String(start));
const broken = start % 3 === 2;
const v = (p) => JSON.parse(fs.readFileSync('node_modules/' + p + '/package.json', 'utf8')).version;
const files = process.env.MODEL_FILES.split(',').map((entry) => {
  const file = entry.split('=')[1];
  return { path: file, sha256: crypto.createHash('sha256').update(fs.readFileSync(path.join(process.env.MODEL_DIR, file))).digest('hex') };
});
const deps = Object.keys(JSON.parse(fs.readFileSync('package.json', 'utf8')).dependencies);
const version = {
  runtime: { node: process.versions.node, 'onnxruntime-node': v('onnxruntime-node'), tokenizer: { package: '@huggingface/tokenizers', version: v('@huggingface/tokenizers') } },
  packages: Object.fromEntries(deps.map((d) => [d, v(d)])),
  model: { variant: process.env.MODEL_VARIANT, files },
};
const ANSWERS = { '你好。': 'Hello.', '谢谢！': 'Thank you!' };
const send = (res, status, body) => { res.statusCode = status; res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(body)); };
http.createServer((req, res) => {
  if (req.url === '/health') return send(res, 200, { status: 'ok' });
  if (req.url === '/version') return send(res, 200, version);
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (broken) return send(res, 500, { error: 'session lost (start ' + start + ')' });
    const { text, texts } = JSON.parse(body);
    if (texts) return send(res, 200, { translations: texts.map((t) => ANSWERS[t] ?? 'Hello.') });
    send(res, 200, { translation: ANSWERS[text] ?? 'Hello.' });
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
`,
  );
  // Two cases of its own (so the batch path is asked too); the benchmark is the repository's.
  mkdirSync(path.join(projectDir, 'cases'));
  symlinkSync(path.join(ROOT, 'cases', 'benchmark'), path.join(projectDir, 'cases', 'benchmark'));
  writeFileSync(
    path.join(projectDir, 'cases', 'smoke.yaml'),
    `cases:\n  - id: greeting\n    text: 你好。\n    expect: {regex: '^Hello'}\n  - id: thanks\n    text: 谢谢！\n    expect: {regex: '^Thank'}\n`,
  );
  return counter;
}

describe('matrix run --repeat N --backend local', () => {
  it('a service failing every third start is flaky 7/10, with its interval, in every report', async () => {
    const dir = tempProject(SMALL_MATRIX(), ['Dockerfile.template']);
    const counter = everyThirdStartFails(dir);
    const t0 = Date.now();
    // --retries 2 is ignored: a retry would hide the failures the rate counts.
    const r = await matrix(['run', '--backend', 'local', '--cell', CELL, '--repeat', '10', '--retries', '2', '--out', 'reports'], { cwd: dir });
    const seconds = (Date.now() - t0) / 1000;
    // flaky counts as passing.
    expect(r.exitCode, r.all).toBe(0);
    expect(readFileSync(counter, 'utf8')).toBe('10');
    const cell = report(dir).cells[0]!;
    expect(cell.verdict, cell.reason).toBe('flaky');
    expect(cell.repeat).toEqual({
      runs: 10,
      passes: 7,
      rate: 0.7,
      interval: [0.3968, 0.8922],
      firstFailure: { run: 2, verdict: 'fail', reason: expect.stringMatching(/^case:greeting: POST \/translate answered 500: .*session lost \(start 2\)/) },
    });
    expect(cell.reason).toMatch(/^passed 7 of 10 runs \(95% CI 39\.7–89\.2 %\); run 2 ended fail: case:greeting: POST \/translate answered 500/);
    expect([cell.attempts, cell.cached]).toEqual([1, false]);
    expect(cell.actual).toEqual(cell.expected);
    expect(cell.timings.prepare).toBeGreaterThan(0);
    expect(r.stderr).toContain(`${CELL}: start (run 10/10)`);

    expect(r.stdout).toMatch(/│ ! flaky 7\/10 +│/);
    expect(r.stdout).toMatch(/! flaky 7\/10 {2}node 20\.20\.2, .*: passed 7 of 10 runs \(95% CI 39\.7–89\.2 %\); run 2 ended fail: /);
    expect(r.stdout).toContain('1 cell: 1 passed, 0 failed, 0 skipped (1 flaky)');
    const md = latest(dir, 'matrix.md');
    expect(md).toMatch(/\| ⚠️ 7\/10\[\^1\] \|/);
    expect(md).toMatch(/\[\^1\]: node 20\.20\.2, .*\*\*flaky\*\* — passed 7 of 10 runs \(95% CI 39\.7–89\.2 %\); run 2 ended fail: /);
    expect(latest(dir, 'index.html')).toContain('<tr><th>interval</th><td>95% CI 39.7–89.2 %</td></tr>');
    expect(latest(dir, 'junit.xml')).toContain('<property name="repeat" value="7/10 passed (95% CI 39.7–89.2 %)"/>');
    console.log(
      `flaky service, --repeat 10: ${cell.repeat!.passes}/${cell.repeat!.runs}, interval ${cell.repeat!.interval.join('–')}, ${seconds.toFixed(1)} s`,
    );

    // A flaky verdict is never cached: the same command starts the service ten times more
    // (starts 11, 14, 17 and 20 fail: 6 of 10 pass, the first failing run is the first).
    const again = await matrix(['run', '--backend', 'local', '--cell', CELL, '--repeat', '10', '--out', 'reports'], { cwd: dir });
    expect(again.exitCode, again.all).toBe(0);
    expect(readFileSync(counter, 'utf8')).toBe('20');
    const second = report(dir).cells[0]!;
    expect([second.cached, second.verdict, second.repeat?.passes, second.repeat?.interval, second.repeat?.firstFailure?.run]).toEqual([
      false,
      'flaky',
      6,
      [0.3127, 0.8318],
      1,
    ]);
    expect(again.stdout).toMatch(/│ ! flaky 6\/10 +│/);
  });

  it('the real service passes 3 of 3; the repeated verdict answers only a repeat of 3', async () => {
    const dir = tempProject(SMALL_MATRIX());
    const t0 = Date.now();
    const r = await matrix(['run', '--backend', 'local', '--cell', CELL, '--repeat', '3', '--out', 'reports'], { cwd: dir });
    const seconds = (Date.now() - t0) / 1000;
    expect(r.exitCode, r.all).toBe(0);
    const cell = report(dir).cells[0]!;
    expect(cell.verdict, `${cell.reason}\n${cell.logTail}`).toBe('pass');
    expect(cell.reason).toBe('all checks passed in 3 of 3 runs (95% CI 43.9–100 %)');
    expect(cell.repeat).toEqual({ runs: 3, passes: 3, rate: 1, interval: [0.4385, 1] });
    expect(cell.actual).toEqual(cell.expected);
    expect(cell.scores.bleu).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/│ ✔ pass 3\/3 +│/);
    expect(latest(dir, 'matrix.md')).toMatch(/\| ✅ 3\/3 \|/);
    console.log(
      `real service, --repeat 3: ${cell.repeat!.passes}/${cell.repeat!.runs}, interval ${cell.repeat!.interval.join('–')}, BLEU ${cell.scores.bleu}, timings ${JSON.stringify(cell.timings)}, ${seconds.toFixed(1)} s`,
    );

    const warm = await matrix(['run', '--backend', 'local', '--cell', CELL, '--repeat', '3', '--out', 'reports'], { cwd: dir });
    expect(warm.exitCode, warm.all).toBe(0);
    expect([report(dir).cells[0]!.cached, report(dir).cells[0]!.repeat?.runs]).toEqual([true, 3]);

    // One run is another question: not answered by the entry of three, and written without `repeat`.
    const single = await matrix(['run', '--backend', 'local', '--cell', CELL, '--out', 'reports'], { cwd: dir });
    expect(single.exitCode, single.all).toBe(0);
    const plain = report(dir).cells[0]!;
    expect([plain.cached, plain.verdict, 'repeat' in plain]).toEqual([false, 'pass', false]);
    expect(latest(dir, 'matrix.json')).not.toContain('"repeat"');
  });
});
