import { describe, expect, test } from 'vitest';
import { makeRun, standardRun, HF, HF_OLD, LENML, type CellSpec } from '../../test/fixtures/runs/make.js';
import { buildGoldenLock } from './golden-lock.js';
import type { Policy } from './policies.js';
import { changesFrom, chooseGolden } from './policy.js';
import type { GoldenLock } from './types.js';

const TOOL = { name: 'onnx-matrix', version: '0.1.0' };

/** A golden lock of the given cell, as a previous freeze would have written it. */
function lockOf(spec: Omit<CellSpec, 'verdict'>): GoldenLock {
  const run = makeRun([{ ...spec, verdict: 'pass' }]);
  return buildGoldenLock({ report: run, result: run.cells[0]!, policy: 'newest', explanation: [], tool: TOOL });
}
const lockAt = (node: string, ort: string, tokenizer = HF) => lockOf({ node, ort, tokenizer });

const label = (c: ReturnType<typeof chooseGolden>) => (c.ok ? c.result.cell.name : 'none');

describe('chooseGolden', () => {
  test.each<[string, CellSpec[], Policy, GoldenLock | undefined, string]>([
    // The standard run: newest passing is Node 24.1.0 × ort 1.20.1 × tokenizers 0.1.3 (the 0.2.0 one is flaky).
    ['newest skips flaky and failing cells', [], 'newest', undefined, 'node24.1.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32'],
    ['oldest', [], 'oldest', undefined, 'node20.18.1-ort1.19.2-hf-tokenizers0.1.3-express5.1.0-fp32'],
    [
      'current stays on the lock when it still passes',
      [],
      'current',
      lockAt('22.11.0', '1.19.2', HF_OLD),
      'node22.11.0-ort1.19.2-hf-tokenizers0.1.3-express5.1.0-fp32',
    ],
    // The lock's cell fails now; one minor step on ort or on the tokenizer ties (2 each): newest wins the tie.
    [
      'current: equal distances go to the newest',
      [],
      'current',
      lockAt('22.11.0', '1.20.1', HF_OLD),
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32',
    ],
    // Node 24 × ort 1.19.2 × 0.2.0 cannot install: a Node major (3) beats ort minor + tokenizer minor (4), newer as it is.
    [
      'current: the smallest change beats newer versions',
      [],
      'current',
      lockAt('24.1.0', '1.19.2', HF),
      'node22.11.0-ort1.19.2-hf-tokenizers0.2.0-express5.1.0-fp32',
    ],
    ['current without a lock falls back to newest', [], 'current', undefined, 'node24.1.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32'],
    [
      'newest: Node outranks onnxruntime-node (axis order)',
      [
        { node: '22.11.0', ort: '1.19.2', verdict: 'pass' },
        { node: '20.18.1', ort: '1.20.1', verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.19.2-hf-tokenizers0.2.0-express5.1.0-fp32',
    ],
    [
      'newest: semver, not string order (1.9 < 1.10)',
      [
        { node: '22.11.0', ort: '1.9.0', verdict: 'pass' },
        { node: '22.11.0', ort: '1.10.0', verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.10.0-hf-tokenizers0.2.0-express5.1.0-fp32',
    ],
    [
      'newest: the tokenizer version breaks a tie of Node and onnxruntime-node',
      [
        { node: '22.11.0', ort: '1.20.1', tokenizer: HF_OLD, verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', tokenizer: HF, verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32',
    ],
    [
      'newest: express, the fourth axis, breaks the tie of the first three',
      [
        { node: '22.11.0', ort: '1.20.1', express: '5.1.0', verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', express: '5.2.1', verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', express: '5.0.0', verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.2.1-fp32',
    ],
    [
      'newest: the first tokenizer package at its newest version, and the first model variant (values without an age)',
      [
        { node: '22.11.0', ort: '1.20.1', tokenizer: LENML, verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', tokenizer: HF_OLD, model: 'int8', verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', tokenizer: HF_OLD, verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', model: 'int8', verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32',
    ],
    [
      'oldest: every axis ascending, express included',
      [
        { node: '22.11.0', ort: '1.20.1', express: '5.1.0', verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', express: '5.0.0', verdict: 'pass' },
      ],
      'oldest',
      undefined,
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.0.0-fp32',
    ],
    [
      'a passing cell without a lockfile cannot be golden',
      [
        { node: '24.1.0', ort: '1.20.1', verdict: 'pass', withLockfile: false },
        { node: '22.11.0', ort: '1.20.1', verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32',
    ],
    [
      'a resolver drift (version check failed) cannot be golden',
      [
        { node: '24.1.0', ort: '1.20.1', actualOrt: '1.20.0', verdict: 'fail' },
        { node: '22.11.0', ort: '1.20.1', verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32',
    ],
    [
      'current: a tokenizer package change weighs more than a Node major',
      [
        { node: '24.1.0', ort: '1.20.1', tokenizer: HF, verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', tokenizer: { package: 'tokenizers', version: '0.13.3', alias: 'tokenizers' }, verdict: 'pass' },
      ],
      'current',
      lockAt('22.11.0', '1.20.1', HF),
      'node24.1.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32',
    ],
    [
      'current: an express minor (2) beats another model variant (4)',
      [
        { node: '22.11.0', ort: '1.20.1', model: 'int8', verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', express: '5.2.0', verdict: 'pass' },
      ],
      'current',
      lockAt('22.11.0', '1.20.1', HF),
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.2.0-fp32',
    ],
  ])('%s', (_name, specs, policy, lock, expected) => {
    const run = specs.length ? makeRun(specs) : standardRun();
    expect(label(chooseGolden(run, policy, lock))).toBe(expected);
  });

  test('explains the choice and every cell it passed over', () => {
    const choice = chooseGolden(standardRun(), 'newest');
    expect(choice.ok).toBe(true);
    if (!choice.ok) return;
    expect(choice.explanation[0]).toBe(
      'policy newest: 9 cells of 14 passed every check; chose the newest by node, then onnxruntime-node, then tokenizer, then express, then model',
    );
    expect(choice.explanation[1]).toMatch(
      /^golden: node 24\.1\.0, onnxruntime-node 1\.20\.1, tokenizer hf-tokenizers 0\.1\.3, express 5\.1\.0, model fp32 \(cell [0-9a-f]{8}\)$/,
    );
    expect(choice.explanation[2]).toBe(
      'passed over node 24.1.0, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32: flaky: passed on attempt 2',
    );
    expect(choice.explanation).toHaveLength(3);
  });

  test('current notes the changes from the lock in place (printed, not stored)', () => {
    const run = makeRun([{ node: '22.11.0', ort: '1.20.1', express: '5.2.0', verdict: 'pass' }]);
    const choice = chooseGolden(run, 'current', lockAt('22.11.0', '1.20.1', HF));
    expect(choice).toMatchObject({ ok: true, policy: 'current', notes: ['changes from the golden lock in place: express 5.1.0 → 5.2.0'] });
    expect(chooseGolden(run, 'current', lockOf({ node: '22.11.0', ort: '1.20.1', express: '5.2.0' })).notes).toEqual([
      'same axis values as the golden lock in place',
    ]);
  });

  test('no passing cell: one reason per cell', () => {
    const choice = chooseGolden(
      makeRun([
        { node: '22.11.0', ort: '1.20.1', verdict: 'crash' },
        { node: '20.18.1', ort: '1.20.1', verdict: 'skipped' },
      ]),
      'newest',
    );
    expect(choice).toEqual({
      ok: false,
      reasons: [
        'node 22.11.0, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32: crash: service died with SIGSEGV during smoke checks',
        'node 20.18.1, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32: ' +
          'skipped: excluded by matrix.yaml exclude[0]: no prebuilt onnxruntime-node binary for this Node ABI',
      ],
    });
  });

  test('cells the shards disagreed on are never golden', () => {
    const run = makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'pass' }]);
    run.conflicts = [{ cellId: run.cells[0]!.cell.id, name: run.cells[0]!.cell.name, verdicts: [] }];
    expect(chooseGolden(run, 'newest')).toMatchObject({ ok: false, reasons: [expect.stringContaining('shards disagreed')] });
  });
});

describe('changesFrom', () => {
  const lock = lockAt('22.11.0', '1.20.1', HF);
  const cell = (spec: Omit<CellSpec, 'verdict'>) => makeRun([{ ...spec, verdict: 'pass' }]).cells[0]!;

  test.each<[string, Omit<CellSpec, 'verdict'>, ReturnType<typeof changesFrom>]>([
    ['the same cell: no change', { node: '22.11.0', ort: '1.20.1' }, []],
    [
      'express and the model variant, by the kinds’ display and distance',
      { node: '22.11.0', ort: '1.20.1', express: '5.2.0', model: 'int8' },
      [
        { axis: 'express', from: '5.1.0', to: '5.2.0', weight: 2 },
        { axis: 'model', from: 'fp32', to: 'int8', weight: 4 },
      ],
    ],
    [
      'every kind at once, in axis order',
      { node: '24.1.0', ort: '1.20.2', tokenizer: HF_OLD, express: '6.0.0', model: 'int8' },
      [
        { axis: 'node', from: '22.11.0', to: '24.1.0', weight: 3 },
        { axis: 'onnxruntime-node', from: '1.20.1', to: '1.20.2', weight: 1 },
        { axis: 'tokenizer', from: 'hf-tokenizers 0.2.0', to: 'hf-tokenizers 0.1.3', weight: 2 },
        { axis: 'express', from: '5.1.0', to: '6.0.0', weight: 3 },
        { axis: 'model', from: 'fp32', to: 'int8', weight: 4 },
      ],
    ],
    [
      'another tokenizer package counts 4',
      { node: '22.11.0', ort: '1.20.1', tokenizer: { package: 'tokenizers', version: '0.13.3', alias: 'tokenizers' } },
      [{ axis: 'tokenizer', from: 'hf-tokenizers 0.2.0', to: 'tokenizers 0.13.3', weight: 4 }],
    ],
  ])('%s', (_name, spec, expected) => {
    expect(changesFrom(lock, cell(spec))).toEqual(expected);
  });

  test('a retrained model (same variant, other files) is a change of 1, shown with the files’ sha256', () => {
    const retrained = structuredClone(lock);
    for (const v of Object.values(retrained.axes)) if (v.kind === 'model') v.files.encoder!.sha256 = '0'.repeat(64);
    const [change, ...rest] = changesFrom(retrained, cell({ node: '22.11.0', ort: '1.20.1' }));
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      axis: 'model',
      weight: 1,
      from: expect.stringContaining('onnx/encoder_model.onnx sha256:000000000000'),
      to: expect.stringMatching(/^fp32: .*sha256:/),
    });
  });
});
