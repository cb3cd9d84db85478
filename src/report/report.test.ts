import { stripVTControlCharacters } from 'node:util';
import { describe, expect, test } from 'vitest';
import { RunReport } from '../domain.js';
import { compareVersions } from '../axes/index.js';
import { makeRun, standardRun, HF } from '../../test/fixtures/runs/make.js';
import { engineLine, FILE_FORMATS, reporters, summaryLine, newRunId, isRunId } from './index.js';
import { byCell, cellLabel, rowLabel } from './order.js';

/** The start of every ANSI escape sequence (colors). */
const ANSI = '\x1b[';

describe('summaryLine', () => {
  test.each<[string, () => RunReport, string]>([
    ['the standard run', () => standardRun(), '14 cells: 10 passed, 3 failed, 1 skipped (1 flaky)'],
    ['no cells', () => makeRun([]), '0 cells: 0 passed, 0 failed, 0 skipped'],
    ['one passing cell', () => makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'pass' }]), '1 cell: 1 passed, 0 failed, 0 skipped'],
    [
      'failures, skips, flaky, allowed',
      () =>
        makeRun([
          { node: '20.18.1', ort: '1.20.1', verdict: 'crash' },
          { node: '22.11.0', ort: '1.20.1', verdict: 'timeout', allowFailure: true },
          { node: '24.1.0', ort: '1.20.1', verdict: 'skipped' },
          { node: '24.1.0', ort: '1.19.2', verdict: 'flaky' },
        ]),
      '4 cells: 1 passed, 2 failed, 1 skipped (1 flaky, 1 allowed to fail)',
    ],
    [
      'drift is a failure',
      () =>
        makeRun([
          { node: '20.18.1', ort: '1.20.1', verdict: 'pass' },
          { node: '22.11.0', ort: '1.20.1', verdict: 'drift' },
        ]),
      '2 cells: 1 passed, 1 failed, 0 skipped',
    ],
  ])('%s', (_name, run, expected) => expect(summaryLine(run())).toBe(expected));
});

describe('engineLine', () => {
  test('one engine: no line', () => expect(engineLine(standardRun())).toBeUndefined());
  test('several: cells per engine, in the order they first appear', () => {
    const run = makeRun([
      { node: '20.18.1', ort: '1.20.1', verdict: 'pass' },
      { node: '22.11.0', ort: '1.20.1', verdict: 'pass' },
      { node: '24.1.0', ort: '1.20.1', verdict: 'skipped' },
    ]);
    const [a, b] = run.cells;
    const spread = { ...run, cells: [{ ...a!, engine: 'dockerd' }, { ...b!, engine: 'podman' }, run.cells[2]!] };
    expect(engineLine(spread)).toBe('engines: dockerd 1 cell, podman 1 cell');
  });
});

describe('order', () => {
  test.each([
    ['1.9.0', '1.10.0', -1],
    ['22.11.0', '20.18.1', 1],
    ['1.20.1', '1.20.1', 0],
    ['1.20.0-dev.1', '1.20.0', -1],
    ['latest', 'latest', 0],
  ])('compareVersions(%s, %s) has sign %d', (a, b, sign) => expect(Math.sign(compareVersions(a, b))).toBe(sign));

  test('cells sort in axis order, each axis by its kind; labels are the display values', () => {
    const names = [...standardRun().cells].sort(byCell).map((r) => r.cell.name);
    expect(names.slice(0, 4)).toEqual([
      'node20.18.1-ort1.19.2-hf-tokenizers0.1.3-express5.1.0-fp32',
      'node20.18.1-ort1.19.2-hf-tokenizers0.2.0-express5.1.0-fp32',
      'node20.18.1-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32',
      'node20.18.1-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32',
    ]);
    const cell = standardRun().cells[12]!.cell;
    expect(cellLabel(cell)).toBe('node 20.18.1, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model int8');
    expect(rowLabel(cell, ['model', 'tokenizer'])).toBe('model int8, tokenizer hf-tokenizers 0.2.0');
  });
});

describe('reporters', () => {
  const run = standardRun();

  test('are registered by format, and the file formats are the four of a run folder', () => {
    expect(Object.keys(reporters).sort()).toEqual(['html', 'json', 'junit', 'md', 'table']);
    expect(FILE_FORMATS.map((f) => reporters[f].file).sort()).toEqual(['index.html', 'junit.xml', 'matrix.json', 'matrix.md']);
  });

  test.each(Object.keys(reporters) as (keyof typeof reporters)[])('%s is deterministic and ends with a newline', (format) => {
    const a = reporters[format].render(run, { color: false });
    expect(a).toBe(reporters[format].render(structuredClone(run), { color: false }));
    expect(a.endsWith('\n')).toBe(true);
  });

  test.each(Object.keys(reporters) as (keyof typeof reporters)[])('%s renders a run without cells', (format) => {
    expect(reporters[format].render(makeRun([]), { color: false })).toContain(
      format === 'junit' ? '<testsuites' : format === 'json' ? '"cells": []' : '0 cells',
    );
  });

  test('json round-trips through the RunReport schema', () => {
    expect(RunReport.parse(JSON.parse(reporters.json.render(run, { color: false })))).toEqual(run);
  });

  test('markdown: a header per row axis and per column, ✅/❌/⚠️/⏭️ with a footnote per non-passing cell', () => {
    const md = reporters.md.render(run, { color: false });
    expect(md).toContain(
      '| onnxruntime-node | tokenizer | express | model | node 20.18.1 | node 22.11.0 | node 24.1.0 |\n| --- | --- | --- | --- | :---: | :---: | :---: |\n',
    );
    expect(md).toContain('| 1.20.1 | hf-tokenizers 0.1.3 | 5.1.0 | fp32 | ✅ | ❌[^3] | ✅ |');
    expect(md).toContain('| 1.20.1 | hf-tokenizers 0.2.0 | 5.1.0 | int8 | ✅ | ❌[^5] | · |');
    expect(md).toContain('⚠️[^4]');
    expect(md).toContain(
      '[^2]: node 24.1.0, onnxruntime-node 1.19.2, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32: **install-error** — npm ci failed: npm ERR! gyp',
    );
    expect(md).toContain(
      '[^3]: node 22.11.0, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.1.3, express 5.1.0, model fp32: **fail** — bleu: expected ≥ 20, got 12.1',
    );
    expect(md).toContain('[^5]: node 22.11.0, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model int8: **fail** — compare:fp32: ');
    expect(md).toContain('**14 cells: 10 passed, 3 failed, 1 skipped (1 flaky)**');
  });

  test('markdown follows the layout', () => {
    const md = reporters.md.render(standardRun({ layout: { rows: ['model'], columns: ['node', 'tokenizer'] } }), { color: false });
    expect(md).toContain(
      '| model | onnxruntime-node | express | node 20.18.1 · tokenizer hf-tokenizers 0.1.3 | node 20.18.1 · tokenizer hf-tokenizers 0.2.0 |',
    );
    expect(md).toContain('| int8 | 1.20.1 | 5.1.0 | · | ✅ | · | ❌[^5] | · | · |');
  });

  test('markdown escapes pipes and newlines of reasons and notes resolver drift', () => {
    const md = reporters.md.render(makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'fail', caseError: 'a | b\nc' }]), { color: false });
    expect(md).toContain('**fail** — case:greeting: POST /translate failed: a \\| b c: expected matches');
    const drift = reporters.md.render(makeRun([{ node: '22.11.0', ort: '1.20.1', actualOrt: '1.20.0', verdict: 'fail' }]), { color: false });
    expect(drift).toMatch(/\*\*fail\*\* — version: .*onnxruntime-node 1\.20\.1 ≠ 1\.20\.0: .* \(ran onnxruntime-node 1\.20\.0 instead of 1\.20\.1\)$/m);
  });

  test('junit: one suite per cell, one testcase for the verdict and one per check', () => {
    const xml = reporters.junit.render(run, { color: false });
    expect(xml.match(/<testsuite /g)).toHaveLength(14);
    const cases = run.cells.reduce((n, r) => n + 1 + r.checks.length, 0);
    expect(xml).toContain(`tests="${cases}"`);
    expect(xml).toMatch(
      /<testcase classname="node24\.1\.0-ort1\.19\.2-hf-tokenizers0\.2\.0-express5\.1\.0-fp32" name="verdict"[^>]*>\s*<failure message="npm ci failed: npm ERR! gyp/,
    );
  });

  test('junit: a property per axis (its resolved value), then the cell id', () => {
    const xml = reporters.junit.render(makeRun([{ node: '22.11.0', ort: '1.20.1', model: 'int8', verdict: 'pass' }]), { color: false });
    const properties = [...xml.matchAll(/<property name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]);
    expect(properties.slice(0, 5)).toEqual([
      ['node', '22.11.0'],
      ['onnxruntime-node', '1.20.1'],
      ['tokenizer', '@huggingface/tokenizers@0.2.0'],
      ['express', '5.1.0'],
      ['model', 'int8'],
    ]);
    expect(properties[5]![0]).toBe('cell');
  });

  test('junit: infra errors are <error>, allowed failures and skipped cells <skipped>', () => {
    const xml = reporters.junit.render(
      makeRun([
        { node: '20.18.1', ort: '1.20.1', verdict: 'infra-error' },
        { node: '22.11.0', ort: '1.20.1', verdict: 'crash', allowFailure: true },
        { node: '24.1.0', ort: '1.20.1', verdict: 'skipped' },
      ]),
      { color: false },
    );
    expect(xml).toContain('errors="1"');
    expect(xml).toContain('failures="0"');
    expect(xml).toContain('allowed to fail: crash');
  });

  test('terminal: a header per row axis and per column; colors only when asked, never under NO_COLOR', () => {
    expect(reporters.table.render(run, { color: false })).not.toContain(ANSI);
    expect(reporters.table.render(run, { color: true })).toContain(ANSI);
    const plain = reporters.table.render(run, { color: false });
    // At the default 100 columns the widest header (an axis name) is cut before any value.
    expect(plain).toMatch(/│ onnx…ode │ tokenizer +│ express │ model │ node 20\.18\.1 │ node 22\.11\.0 │ node 24\.1\.0 +│/);
    expect(plain).toMatch(/│ 1\.20\.1 +│ hf-tokenizers 0\.2\.0 │ 5\.1\.0 +│ int8 +│ ✔ pass +│ ✖ fail +│ +│/);
    const wide = reporters.table.render(run, { color: false, width: 200 });
    expect(wide).toMatch(/│ onnxruntime-node │ tokenizer +│ express │ model │ node 20\.18\.1 │ node 22\.11\.0 │ node 24\.1\.0 +│/);
    expect(plain).toContain('✖ install-error  node 24.1.0, onnxruntime-node 1.19.2, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32: npm ci failed');
    expect(plain.trimEnd().split('\n').at(-1)).toBe('14 cells: 10 passed, 3 failed, 1 skipped (1 flaky)');
  });

  test('terminal: no rule between rows, only under the header and where the first row axis changes', () => {
    const table = reporters.table.render(run, { color: false, width: 200 }).split('\n\n')[0]!.split('\n');
    const rules = table.flatMap((l, i) => (l.startsWith('├') ? [i] : []));
    // header (rows 0–2), onnxruntime-node 1.19.2 (2 rows), a rule, 1.20.1 (3 rows)
    expect(rules).toEqual([2, 5]);
  });

  test('terminal, narrow: verdicts are cut at the end before a value is cut, so versions stay whole', () => {
    const table = reporters.table.render(run, { color: false, width: 80 }).split('\n\n')[0]!;
    // The row values keep their versions; a verdict column keeps its start ("node 20.…", "✖ inst…").
    expect(table).toMatch(/│ 1\.19\.2 +│/);
    expect(table).toMatch(/│ 1\.20\.1 +│/);
    expect(table).toMatch(/│ node 2\d\.[^│]*│/);
    expect(table).not.toMatch(/│ 1\.…/);
    expect(table).toMatch(/│ ✖ inst[a-z-]*… +│/);
  });

  test.each([60, 80, 100, 120])('terminal: the table fits %i columns', (width) => {
    const table = reporters.table.render(run, { color: true, width }).split('\n\n')[0]!;
    for (const line of table.split('\n')) expect([...stripVTControlCharacters(line)].length).toBeLessThanOrEqual(width);
  });

  test("terminal --verbose: every cell's figures under the table, — where the cell has none", () => {
    const plain = reporters.table.render(run, { color: false, verbose: true });
    expect(plain).toMatch(/^cell +BLEU +chrF +p95 +peak memory +start$/m);
    expect(plain).toMatch(/^node22\.11\.0-ort1\.20\.1-hf-tokenizers0\.1\.3-express5\.1\.0-fp32 +12\.1 +35\.3 +180 ms +212 MB +1\.9 s$/m);
    expect(plain).toMatch(/^node24\.1\.0-ort1\.19\.2-hf-tokenizers0\.1\.3-express5\.1\.0-fp32 +— +— +— +— +—$/m);
    expect(reporters.table.render(run, { color: false })).not.toMatch(/peak memory/);
  });

  test('markdown: what changed against the previous run comes first', () => {
    const before = makeRun(
      [
        { node: '20.18.1', ort: '1.20.1', verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', verdict: 'crash' },
        { node: '24.1.0', ort: '1.20.1', verdict: 'pass' },
        { node: '24.1.0', ort: '1.19.2', verdict: 'pass' },
      ],
      { runId: '20261126T010000Z-0000' },
    );
    const after = makeRun(
      [
        { node: '20.18.1', ort: '1.20.1', verdict: 'fail' },
        { node: '22.11.0', ort: '1.20.1', verdict: 'pass' },
        { node: '24.1.0', ort: '1.20.1', verdict: 'drift' },
        { node: '20.18.1', ort: '1.19.2', verdict: 'pass' },
      ],
      { runId: '20261127T010000Z-1111' },
    );
    const md = reporters.md.render(after, { color: false, previous: before });
    const head = md.slice(0, md.indexOf('| '));
    expect(head).toContain('### Changes since `20261126T010000Z-0000`');
    for (const [title, node] of <[string, string][]>[
      ['Newly failing (1)', '20.18.1-ort1.20.1'],
      ['Newly passing (1)', '22.11.0'],
      ['New drift (1)', '24.1.0-ort1.20.1'],
      ['Cells added (1)', '20.18.1-ort1.19.2'],
      ['Cells removed (1)', '24.1.0-ort1.19.2'],
    ]) {
      expect(head).toMatch(new RegExp(`\\*\\*${title.replace(/[()]/g, '\\$&')}\\*\\*\\n\\n- \`node${node.replace(/\./g, '\\.')}`));
    }
    expect(head).not.toContain('Other verdict changes');
    expect(reporters.md.render(after, { color: false, previous: after })).toContain('No verdict changed since `20261127T010000Z-1111` (4 cells compared).');
    expect(reporters.md.render(after, { color: false }).split('\n')[2]).toBe('No earlier run kept in reports/ to compare with.');
  });

  test('html: the grid has a header per row axis and per column; each cell its versions per axis', () => {
    const html = reporters.html.render(run, { color: false });
    expect(html).toContain(
      '<thead><tr><th>onnxruntime-node</th><th>tokenizer</th><th>express</th><th>model</th><th>node 20.18.1</th><th>node 22.11.0</th><th>node 24.1.0</th></tr></thead>',
    );
    expect(html).toContain('<tr><th>1.20.1</th><th>hf-tokenizers 0.2.0</th><th>5.1.0</th><th>int8</th><td class="cell ok"');
    expect(html).toContain('<tr><th>onnxruntime-node</th><td>1.20.1</td><td>1.20.1</td></tr>');
    expect(html).toContain('<tr><th>tokenizer</th><td>@huggingface/tokenizers@0.2.0</td><td>@huggingface/tokenizers@0.2.0</td></tr>');
    const drift = reporters.html.render(makeRun([{ node: '22.11.0', ort: '1.20.1', actualOrt: '1.20.0', verdict: 'fail' }]), { color: false });
    expect(drift).toContain('<tr><th>onnxruntime-node</th><td>1.20.1</td><td class="bad">1.20.0</td></tr>');
  });

  test('html: the reference cell of every model variant', () => {
    const html = reporters.html.render(run, { color: false });
    const name = (id: string) => run.cells.find((r) => r.cell.id === id)!.cell.name;
    expect(Object.keys(run.references).sort()).toEqual(['fp32', 'int8']);
    expect(html).toContain(
      `<h4>Reference cells (drift)</h4><table><tr><th>fp32</th><td>${run.references.fp32} ${name(run.references.fp32!)}</td></tr><tr><th>int8</th><td>${run.references.int8} ${name(run.references.int8!)}</td></tr></table>`,
    );
  });

  test('html: self-contained, every text escaped', () => {
    const html = reporters.html.render(makeRun([{ node: '22.11.0', ort: '1.20.1', tokenizer: HF, verdict: 'fail', caseError: '<script>alert(1)</script>' }]), {
      color: false,
    });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("default-src 'none'");
  });
});

describe('reporters: a cell run --repeat N times shows its pass rate', () => {
  const run = makeRun([
    { node: '20.18.1', ort: '1.20.1', verdict: 'pass', repeat: { runs: 3, passes: 3 } },
    { node: '22.11.0', ort: '1.20.1', verdict: 'flaky', repeat: { runs: 10, passes: 7 } },
    { node: '24.1.0', ort: '1.20.1', verdict: 'fail', repeat: { runs: 10, passes: 0 } },
    { node: '24.1.0', ort: '1.19.2', verdict: 'pass' },
  ]);
  const flaky = run.cells[1]!;
  const label = cellLabel(flaky.cell);

  test('the flaky cell’s reason holds the rate, the interval and the first failing run', () => {
    expect(flaky.reason).toBe(
      'passed 7 of 10 runs (95% CI 39.7–89.2 %); run 1 ended fail: case:greeting: POST /translate failed: socket hang up: expected matches /^(Hello|Hi)\\b/, got nothing',
    );
    expect(flaky.repeat).toMatchObject({ runs: 10, passes: 7, rate: 0.7, interval: [0.3968, 0.8922] });
    expect(run.cells[3]!.repeat).toBeUndefined();
  });

  test('terminal: the rate beside the verdict, in the grid and in the reasons', () => {
    const plain = reporters.table.render(run, { color: false });
    expect(plain).toMatch(/│ 1\.20\.1 +│ hf-tokenizers 0\.2\.0 │ 5\.1\.0 +│ fp32 +│ ✔ pass 3\/3 +│ ! flaky 7\/10 +│ ✖ fail 0\/10 +│/);
    expect(plain).toContain(`! flaky 7/10  ${label}: passed 7 of 10 runs (95% CI 39.7–89.2 %); run 1 ended fail: `);
    expect(plain).toMatch(/│ ✔ pass +│\n/);
    expect(plain.trimEnd().split('\n').at(-1)).toBe('4 cells: 3 passed, 1 failed, 0 skipped (1 flaky)');
  });

  test('markdown: the rate after the mark, the interval in the footnote', () => {
    const md = reporters.md.render(run, { color: false });
    expect(md).toContain('| 1.20.1 | hf-tokenizers 0.2.0 | 5.1.0 | fp32 | ✅ 3/3 | ⚠️ 7/10[^1] | ❌ 0/10[^2] |');
    expect(md).toContain(`[^1]: ${label}: **flaky** — passed 7 of 10 runs (95% CI 39.7–89.2 %); run 1 ended fail: `);
    expect(md).toContain('| 1.19.2 | hf-tokenizers 0.2.0 | 5.1.0 | fp32 | · | · | ✅ |');
  });

  test('html: the rate in the grid and the badge, runs and interval in the details', () => {
    const html = reporters.html.render(run, { color: false });
    expect(html).toContain(
      `<td class="cell warn" data-cell="${flaky.cell.id}"><a href="#cell-${flaky.cell.id}" title="passed 7 of 10 runs (95% CI 39.7–89.2 %); run 1 ended fail: `,
    );
    expect(html).toContain('>flaky 7/10</a><ol class="strip"');
    expect(html).toContain('<span class="badge warn">flaky 7/10</span>');
    expect(html).toContain(
      '<h4>Repeat</h4><table><tr><th>runs</th><td>10</td></tr><tr><th>passed</th><td>7</td></tr><tr><th>pass rate</th><td>70 %</td></tr><tr><th>interval</th><td>95% CI 39.7–89.2 %</td></tr><tr><th>first failing run</th><td>run 1: fail: case:greeting',
    );
    expect(html.match(/<h4>Repeat<\/h4>/g)).toHaveLength(3);
  });

  test('junit: a repeat property; json: the repeat field, absent without --repeat', () => {
    const xml = reporters.junit.render(run, { color: false });
    expect(xml).toContain('<property name="repeat" value="7/10 passed (95% CI 39.7–89.2 %)"/>');
    expect(xml.match(/name="repeat"/g)).toHaveLength(3);
    const json = JSON.parse(reporters.json.render(run, { color: false })) as RunReport;
    expect(json.cells.map((c) => c.repeat?.passes)).toEqual([3, 7, 0, undefined]);
    expect(RunReport.parse(json)).toEqual(run);
    expect(reporters.json.render(standardRun(), { color: false })).not.toContain('"repeat"');
  });
});

describe('run ids', () => {
  test('sort by time as strings', () => {
    const a = newRunId(new Date('2026-11-27T01:30:00.123Z'), 'ffff');
    const b = newRunId(new Date('2026-11-27T01:30:01Z'), '0000');
    expect(a).toBe('20261127T013000Z-ffff');
    expect(isRunId(a)).toBe(true);
    expect([b, a].sort()).toEqual([a, b]);
    expect(isRunId(newRunId())).toBe(true);
  });
});
