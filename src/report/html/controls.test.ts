import { describe, expect, test } from 'vitest';
import { standardRun } from '../../../test/fixtures/runs/make.js';
import { controls, filterGroups, filterKey } from './controls.js';

describe('the controls above the grid', () => {
  const run = standardRun();

  test('a filter group per axis, values in axis order, then the verdicts of the run', () => {
    expect(filterGroups(run.cells).map((g) => [g.name, g.values])).toEqual([
      ['axis:node', ['20.18.1', '22.11.0', '24.1.0']],
      ['axis:onnxruntime-node', ['1.19.2', '1.20.1']],
      ['axis:tokenizer', ['hf-tokenizers 0.1.3', 'hf-tokenizers 0.2.0']],
      ['axis:express', ['5.1.0']],
      ['axis:model', ['fp32', 'int8']],
      ['verdict', ['pass', 'fail', 'flaky', 'install-error', 'skipped']],
    ]);
  });

  test("a cell's filter key names the checkboxes it answers to", () => {
    const int8 = run.cells.find((r) => r.cell.name.endsWith('-int8') && r.verdict === 'fail')!;
    expect(JSON.parse(filterKey(int8))).toEqual({
      'axis:node': '22.11.0',
      'axis:onnxruntime-node': '1.20.1',
      'axis:tokenizer': 'hf-tokenizers 0.2.0',
      'axis:express': '5.1.0',
      'axis:model': 'int8',
      verdict: 'fail',
    });
  });

  test('hidden until the script reveals them; every box checked; a scale per figure', () => {
    const html = controls(run.cells);
    expect(html).toMatch(/^<form id="controls" hidden>/);
    expect(html.match(/<input type="checkbox"/g)).toHaveLength(3 + 2 + 2 + 1 + 2 + 5);
    expect(html.match(/<input [^>]*>/g)!.every((i) => i.endsWith(' checked>'))).toBe(true);
    expect([...html.matchAll(/<option value="([a-z0-9]+)"/g)].map((m) => m[1])).toEqual(['verdict', 'bleu', 'chrf', 'p95', 'memory', 'start']);
  });
});
