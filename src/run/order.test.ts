import { describe, expect, it } from 'vitest';
import { cellOf, HF, LENML } from '../../test/fixtures/runs/make.js';
import { startOrder } from './order.js';

const cell = (node: string, tokenizer: typeof HF, model: 'fp32' | 'int8') => cellOf({ node, ort: '1.20.1', tokenizer, model, verdict: 'pass' });

describe('startOrder', () => {
  it('starts one cell of every distinct install before the cells that share one', () => {
    // Two model variants per install: fp32 and int8 of the same node × tokenizer share a tree.
    const cells = [
      cell('20.20.2', HF, 'fp32'),
      cell('20.20.2', HF, 'int8'),
      cell('20.20.2', LENML, 'fp32'),
      cell('20.20.2', LENML, 'int8'),
      cell('24.22.3', HF, 'fp32'),
    ];
    expect(startOrder(cells).map((i) => cells[i]!.name)).toEqual([0, 2, 4, 1, 3].map((i) => cells[i]!.name));
  });
  it('keeps every cell exactly once, skipped ones included', () => {
    const cells = [cell('20.20.2', HF, 'fp32'), { ...cell('20.20.2', HF, 'int8'), status: 'skipped' as const }, cell('20.20.2', HF, 'int8')];
    expect(startOrder(cells).sort()).toEqual([0, 1, 2]);
  });
});
