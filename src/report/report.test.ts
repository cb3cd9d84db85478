import { describe, expect, test } from 'vitest';
import { RunReport } from '../domain.js';
import { makeRun, standardRun, HF, type CellSpec } from '../../test/fixtures/runs/make.js';
import { FILE_FORMATS, reporters, summaryLine, newRunId, isRunId } from './index.js';
import { pivot } from './pivot.js';
import { compareVersions } from './order.js';

const ANSI = /\x1b\[/;

describe('summaryLine', () => {
  test.each<[string, CellSpec[], string]>([
    ['the standard 12-cell run', [], ''],
    ['one passing cell', [{ node: '22.11.0', ort: '1.20.1', verdict: 'pass' }], '1 cell: 1 passed, 0 failed, 0 skipped'],
    [
      'failures, skips, flaky, allowed',
      [
        { node: '20.18.1', ort: '1.20.1', verdict: 'crash' },
        { node: '22.11.0', ort: '1.20.1', verdict: 'timeout', allowFailure: true },
        { node: '24.1.0', ort: '1.20.1', verdict: 'skipped' },
        { node: '24.1.0', ort: '1.19.2', verdict: 'flaky' },
      ],
      '4 cells: 1 passed, 2 failed, 1 skipped (1 flaky, 1 allowed to fail)',
    ],
    [
      'drift is a failure',
      [
        { node: '20.18.1', ort: '1.20.1', verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', verdict: 'drift' },
      ],
      '2 cells: 1 passed, 1 failed, 0 skipped',
    ],
    ['no cells', [], ''],
  ])('%s', (name, specs, expected) => {
    if (name === 'the standard 12-cell run') return expect(summaryLine(standardRun())).toBe('12 cells: 9 passed, 2 failed, 1 skipped (1 flaky)');
    if (name === 'no cells') return expect(summaryLine(makeRun([]))).toBe('0 cells: 0 passed, 0 failed, 0 skipped');
    expect(summaryLine(makeRun(specs))).toBe(expected);
  });
});

describe('order and pivot', () => {
  test.each([
    ['1.9.0', '1.10.0', -1],
    ['22.11.0', '20.18.1', 1],
    ['1.20.1', '1.20.1', 0],
    ['1.20.0-dev.1', '1.20.0', -1],
    ['latest', 'latest', 0],
  ])('compareVersions(%s, %s) has sign %d', (a, b, sign) => expect(Math.sign(compareVersions(a, b))).toBe(sign));

  test('one row per onnxruntime-node × tokenizer, one column per Node, ascending', () => {
    const p = pivot(standardRun());
    expect(p.columns).toEqual(['20.18.1', '22.11.0', '24.1.0']);
    expect(p.rows.map((r) => r.label)).toEqual([
      'onnxruntime-node 1.19.2 × hf-tokenizers 0.1.3',
      'onnxruntime-node 1.19.2 × hf-tokenizers 0.2.0',
      'onnxruntime-node 1.20.1 × hf-tokenizers 0.1.3',
      'onnxruntime-node 1.20.1 × hf-tokenizers 0.2.0',
    ]);
    expect(p.rows.every((r) => r.cells.every((c) => c.length === 1))).toBe(true);
  });

  test('a missing combination is an empty slot', () => {
    const p = pivot(makeRun([{ node: '20.18.1', ort: '1.20.1', verdict: 'pass' }, { node: '22.11.0', ort: '1.19.2', verdict: 'pass' }]));
    expect(p.rows.map((r) => r.cells.map((c) => c.length))).toEqual([[0, 1], [1, 0]]);
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
    expect(reporters[format].render(makeRun([]), { color: false })).toContain(format === 'junit' ? '<testsuites' : format === 'json' ? '"cells": []' : '0 cells');
  });

  test('json round-trips through the RunReport schema', () => {
    expect(RunReport.parse(JSON.parse(reporters.json.render(run, { color: false })))).toEqual(run);
  });

  test('markdown: ✅/❌/⚠️/⏭️ with a footnote per non-passing cell', () => {
    const md = reporters.md.render(run, { color: false });
    expect(md).toContain('| onnxruntime-node | tokenizer | Node 20.18.1 | Node 22.11.0 | Node 24.1.0 |');
    expect(md).toContain('| 1.20.1 | hf-tokenizers 0.1.3 | ✅ | ❌[^3] | ✅ |');
    expect(md).toContain('⚠️[^4]');
    expect(md).toContain('[^2]: Node 24.1.0, onnxruntime-node 1.19.2, @huggingface/tokenizers 0.2.0: **install-error** — npm ci failed: npm ERR! gyp');
    expect(md).toContain('[^3]: Node 22.11.0, onnxruntime-node 1.20.1, @huggingface/tokenizers 0.1.3: **fail** — bleu: expected ≥ 20, got 12.1');
    expect(md).toContain('**12 cells: 9 passed, 2 failed, 1 skipped (1 flaky)**');
  });

  test('markdown escapes pipes and newlines of reasons and notes resolver drift', () => {
    const md = reporters.md.render(makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'fail', caseError: 'a | b\nc' }]), { color: false });
    expect(md).toContain('**fail** — case:greeting: POST /translate failed: a \\| b c: expected matches');
    const drift = reporters.md.render(makeRun([{ node: '22.11.0', ort: '1.20.1', actualOrt: '1.20.0', verdict: 'fail' }]), { color: false });
    expect(drift).toMatch(/\*\*fail\*\* — version: runs other versions than planned: onnxruntime-node 1\.20\.1 ≠ 1\.20\.0: .* \(ran onnxruntime-node 1\.20\.0 instead of 1\.20\.1\)/);
  });

  test('junit: one suite per cell, one testcase for the verdict and one per check', () => {
    const xml = reporters.junit.render(run, { color: false });
    expect(xml.match(/<testsuite /g)).toHaveLength(12);
    const cases = run.cells.reduce((n, r) => n + 1 + r.checks.length, 0);
    expect(xml).toContain(`tests="${cases}"`);
    expect(xml).toMatch(/<testcase classname="node24\.1\.0-ort1\.19\.2-hf-tokenizers0\.2\.0" name="verdict"[^>]*>\s*<failure message="npm ci failed: npm ERR! gyp/);
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

  test('terminal: colors only when asked, never under NO_COLOR', () => {
    expect(reporters.table.render(run, { color: false })).not.toMatch(ANSI);
    expect(reporters.table.render(run, { color: true })).toMatch(ANSI);
    const plain = reporters.table.render(run, { color: false });
    expect(plain).toContain('✖ install-error');
    expect(plain.trimEnd().split('\n').at(-1)).toBe('12 cells: 9 passed, 2 failed, 1 skipped (1 flaky)');
  });

  test('html: self-contained, every text escaped', () => {
    const html = reporters.html.render(makeRun([{ node: '22.11.0', ort: '1.20.1', tokenizer: HF, verdict: 'fail', caseError: '<script>alert(1)</script>' }]), { color: false });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("default-src 'none'");
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
