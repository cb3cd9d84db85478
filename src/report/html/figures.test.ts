import { describe, expect, test } from 'vitest';
import { makeRun } from '../../../test/fixtures/runs/make.js';
import { FIGURES, runScales, scaleSteps, SCALE_STEPS } from './figures.js';

describe('scaleSteps: worst 0 … best SCALE_STEPS - 1 across the values', () => {
  test.each([
    { name: 'higher is better', values: [10, 20, 30, 40, 50], better: 'higher', steps: [0, 1, 2, 3, 4] },
    { name: 'lower is better', values: [10, 20, 30, 40, 50], better: 'lower', steps: [4, 3, 2, 1, 0] },
    { name: 'rounded to the nearest step', values: [0, 10, 100], better: 'higher', steps: [0, 0, 4] },
    { name: 'a missing value has no step', values: [1, undefined, 3], better: 'lower', steps: [4, undefined, 0] },
    { name: 'all equal: the middle step', values: [7, 7], better: 'higher', steps: [2, 2] },
    { name: 'nothing to rank', values: [undefined, undefined], better: 'higher', steps: [undefined, undefined] },
    { name: 'a single value', values: [180], better: 'lower', steps: [2] },
  ] as const)('$name', ({ values, better, steps }) => {
    expect(scaleSteps([...values], better)).toEqual(steps);
  });

  test('there are SCALE_STEPS steps', () => {
    expect(new Set(scaleSteps([0, 1, 2, 3, 4, 5, 6, 7, 8], 'higher'))).toEqual(new Set(Array.from({ length: SCALE_STEPS }, (_, i) => i)));
  });
});

describe('runScales', () => {
  const run = makeRun([
    { node: '20.18.1', ort: '1.20.1', verdict: 'pass', scores: { bleu: 31.4, chrf: 55.2 } },
    { node: '22.11.0', ort: '1.20.1', verdict: 'fail' },
    { node: '24.1.0', ort: '1.20.1', verdict: 'skipped' },
  ]);
  const [pass, fail, skipped] = run.cells.sort((a, b) => a.cell.name.localeCompare(b.cell.name));

  test('the best and worst BLEU and chrF of the run; a skipped cell, no figure, no step', () => {
    const scales = runScales(run.cells);
    expect(scales.get(pass!.cell.id)).toMatchObject({ bleu: 4, chrf: 4 });
    expect(scales.get(fail!.cell.id)).toMatchObject({ bleu: 0, chrf: 0 });
    expect(scales.get(skipped!.cell.id)).toEqual({});
  });

  test('figures read what the cell measured and print it', () => {
    expect(FIGURES.map((f) => `${f.label} ${f.text(f.value(pass!)!)}`)).toEqual([
      'BLEU 31.4',
      'chrF 55.2',
      `p95 ${Math.round(pass!.latency.p95!)} ms`,
      `memory ${Math.round(pass!.memory.peakRssMb!)} MB`,
      `start ${pass!.startupMs} ms`,
    ]);
  });
});
