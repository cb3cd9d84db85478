import { describe, expect, test } from 'vitest';
import type { Verdict } from '../domain.js';
import { makeRun } from '../../test/fixtures/runs/make.js';
import { diffRuns } from './diff.js';

const run = (cells: [string, Verdict][]) => makeRun(cells.map(([node, verdict]) => ({ node, ort: '1.20.1', verdict })));

describe('diffRuns', () => {
  test.each<[string, [string, Verdict][], [string, Verdict][], Record<string, string[]>]>([
    ['nothing changed', [['20.0.0', 'pass']], [['20.0.0', 'pass']], {}],
    ['pass → fail is newly failing', [['20.0.0', 'pass']], [['20.0.0', 'install-error']], { newlyFailing: ['20.0.0'] }],
    ['flaky → crash is newly failing', [['20.0.0', 'flaky']], [['20.0.0', 'crash']], { newlyFailing: ['20.0.0'] }],
    ['fail → pass is newly passing', [['20.0.0', 'fail']], [['20.0.0', 'pass']], { newlyPassing: ['20.0.0'] }],
    ['fail → crash is a change', [['20.0.0', 'fail']], [['20.0.0', 'crash']], { changed: ['20.0.0'] }],
    ['pass → flaky is a change', [['20.0.0', 'pass']], [['20.0.0', 'flaky']], { changed: ['20.0.0'] }],
    ['skipped → fail is a change, not a regression', [['20.0.0', 'skipped']], [['20.0.0', 'fail']], { changed: ['20.0.0'] }],
    ['added and removed cells', [['20.0.0', 'pass']], [['22.0.0', 'fail']], { added: ['22.0.0'], removed: ['20.0.0'] }],
  ])('%s', (_name, a, b, expected) => {
    const diff = diffRuns(run(a), run(b));
    const names = (list: { name: string }[]) => list.map((c) => c.name.match(/^node([\d.]+?)-ort/)![1]!);
    for (const key of ['newlyFailing', 'newlyPassing', 'changed', 'added', 'removed'] as const) {
      expect(names(diff[key]), key).toEqual(expected[key] ?? []);
    }
  });

  test('counts unchanged cells and keeps both verdicts with reasons', () => {
    const diff = diffRuns(
      run([
        ['20.0.0', 'pass'],
        ['22.0.0', 'pass'],
      ]),
      run([
        ['20.0.0', 'pass'],
        ['22.0.0', 'timeout'],
      ]),
    );
    expect(diff.unchanged).toBe(1);
    expect(diff.newlyFailing[0]).toMatchObject({
      before: { verdict: 'pass' },
      after: { verdict: 'timeout', reason: expect.stringContaining('did not finish within') },
    });
  });
});
