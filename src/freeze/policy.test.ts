import { describe, expect, test } from 'vitest';
import { makeRun, standardRun, HF, HF_OLD, type CellSpec } from '../../test/fixtures/runs/make.js';
import { buildGoldenLock } from './golden-lock.js';
import { chooseGolden, type Policy } from './policy.js';

const TOOL = { name: 'onnx-matrix', version: '0.1.0' };

/** A golden lock pinned to the given versions, as a previous freeze would have written it. */
function lockAt(node: string, ort: string, tokenizer = HF) {
  const run = makeRun([{ node, ort, tokenizer, verdict: 'pass' }]);
  return buildGoldenLock({ report: run, result: run.cells[0]!, policy: 'newest', explanation: [], tool: TOOL });
}

const label = (c: ReturnType<typeof chooseGolden>) => (c.ok ? c.result.cell.name : 'none');

describe('chooseGolden', () => {
  test.each<[string, CellSpec[], Policy, ReturnType<typeof lockAt> | undefined, string]>([
    // The standard run: newest passing is Node 24.1.0 × ort 1.20.1 × tokenizers 0.1.3 (the 0.2.0 one is flaky).
    ['newest skips flaky and failing cells', [], 'newest', undefined, 'node24.1.0-ort1.20.1-hf-tokenizers0.1.3'],
    ['oldest', [], 'oldest', undefined, 'node20.18.1-ort1.19.2-hf-tokenizers0.1.3'],
    ['current stays on the lock when it still passes', [], 'current', lockAt('22.11.0', '1.19.2', HF_OLD), 'node22.11.0-ort1.19.2-hf-tokenizers0.1.3'],
    // The lock's cell fails now; one minor step on ort or on the tokenizer ties (2 each): newest wins the tie.
    ['current: equal distances go to the newest', [], 'current', lockAt('22.11.0', '1.20.1', HF_OLD), 'node22.11.0-ort1.20.1-hf-tokenizers0.2.0'],
    // Node 24 × ort 1.19.2 × 0.2.0 cannot install: a Node major (3) beats ort minor + tokenizer minor (4), newer as it is.
    ['current: the smallest change beats newer versions', [], 'current', lockAt('24.1.0', '1.19.2', HF), 'node22.11.0-ort1.19.2-hf-tokenizers0.2.0'],
    ['current without a lock falls back to newest', [], 'current', undefined, 'node24.1.0-ort1.20.1-hf-tokenizers0.1.3'],
    [
      'newest: Node outranks onnxruntime-node (axis order)',
      [
        { node: '22.11.0', ort: '1.19.2', verdict: 'pass' },
        { node: '20.18.1', ort: '1.20.1', verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.19.2-hf-tokenizers0.2.0',
    ],
    [
      'newest: semver, not string order (1.9 < 1.10)',
      [
        { node: '22.11.0', ort: '1.9.0', verdict: 'pass' },
        { node: '22.11.0', ort: '1.10.0', verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.10.0-hf-tokenizers0.2.0',
    ],
    [
      'newest: tokenizer version breaks the last tie',
      [
        { node: '22.11.0', ort: '1.20.1', tokenizer: HF_OLD, verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', tokenizer: HF, verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0',
    ],
    [
      'a passing cell without a lockfile cannot be golden',
      [
        { node: '24.1.0', ort: '1.20.1', verdict: 'pass', withLockfile: false },
        { node: '22.11.0', ort: '1.20.1', verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0',
    ],
    [
      'a resolver drift (version check failed) cannot be golden',
      [
        { node: '24.1.0', ort: '1.20.1', actualOrt: '1.20.0', verdict: 'fail' },
        { node: '22.11.0', ort: '1.20.1', verdict: 'pass' },
      ],
      'newest',
      undefined,
      'node22.11.0-ort1.20.1-hf-tokenizers0.2.0',
    ],
    [
      'current: a tokenizer package change weighs more than a Node major',
      [
        { node: '24.1.0', ort: '1.20.1', tokenizer: HF, verdict: 'pass' },
        { node: '22.11.0', ort: '1.20.1', tokenizer: { package: 'tokenizers', version: '0.13.3', alias: 'tokenizers' }, verdict: 'pass' },
      ],
      'current',
      lockAt('22.11.0', '1.20.1', HF),
      'node24.1.0-ort1.20.1-hf-tokenizers0.2.0',
    ],
  ])('%s', (_name, specs, policy, lock, expected) => {
    const run = specs.length ? makeRun(specs) : standardRun();
    expect(label(chooseGolden(run, policy, lock))).toBe(expected);
  });

  test('explains the choice and every cell it passed over', () => {
    const choice = chooseGolden(standardRun(), 'newest');
    expect(choice.ok).toBe(true);
    if (!choice.ok) return;
    expect(choice.explanation[0]).toBe('policy newest: 8 cells of 12 passed every check; chose the newest by Node, then onnxruntime-node, then tokenizer (semver)');
    expect(choice.explanation[1]).toMatch(/^golden: Node 24\.1\.0, onnxruntime-node 1\.20\.1, @huggingface\/tokenizers 0\.1\.3/);
    expect(choice.explanation[2]).toBe('passed over Node 24.1.0, onnxruntime-node 1.20.1, @huggingface/tokenizers 0.2.0: flaky: passed on attempt 2');
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
        'Node 22.11.0, onnxruntime-node 1.20.1, @huggingface/tokenizers 0.2.0: crash: service died with SIGSEGV during smoke checks',
        'Node 20.18.1, onnxruntime-node 1.20.1, @huggingface/tokenizers 0.2.0: skipped: excluded by matrix.yaml exclude[0]: no prebuilt onnxruntime-node binary for this Node ABI',
      ],
    });
  });

  test('cells the shards disagreed on are never golden', () => {
    const run = makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'pass' }]);
    run.conflicts = [{ cellId: run.cells[0]!.cell.id, name: run.cells[0]!.cell.name, verdicts: [] }];
    expect(chooseGolden(run, 'newest')).toMatchObject({ ok: false, reasons: [expect.stringContaining('shards disagreed')] });
  });
});
