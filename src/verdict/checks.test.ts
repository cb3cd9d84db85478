import { describe, expect, it } from 'vitest';
import type { Cell, CellResult } from '../domain.js';
import { cellResult } from './result.js';
import { actualVersions, checksFor, percentile, verdictOf, type Observations } from './checks.js';
import { judgeAcrossCells } from './drift.js';
import { cellOf, versionDoc } from '../../test/fixtures/runs/make.js';

const cell: Cell = { ...cellOf({ node: '20.20.2', ort: '1.20.1', verdict: 'pass' }), id: 'abcd1234' };
/** /version as the service answers in `cell`, with the runtime, onnxruntime-node and tokenizer given. */
const version = (node: string, ort: string, tok = '0.2.0') => {
  const doc = versionDoc(cell, ort) as { runtime: object; packages: Record<string, string> };
  return { ...doc, runtime: { ...doc.runtime, node }, packages: { ...doc.packages, '@huggingface/tokenizers': tok } };
};
const hello = { id: 'hello', text: '你好。', expect: { contains: 'Hello' } };
const obs = (o: Partial<Observations>): Observations => ({ version: version('20.20.2', '1.20.1'), cases: [], ...o });

describe('checksFor + verdictOf', () => {
  const cases: [string, Observations, object, string, RegExp][] = [
    ['all good', obs({ cases: [{ case: hello, output: 'Hello.' }] }), {}, 'pass', /all checks passed/],
    ['wrong ort at run time', obs({ version: version('20.20.2', '1.30.0') }), {}, 'fail', /onnxruntime-node 1.20.1 ≠ 1.30.0/],
    [
      'another tokenizer version',
      obs({ version: version('20.20.2', '1.20.1', '0.1.3') }),
      {},
      'fail',
      /tokenizer @huggingface\/tokenizers@0.2.0 ≠ @huggingface\/tokenizers@0.1.3/,
    ],
    [
      'a model variant of its own limits',
      obs({ benchmark: { outputs: [], latenciesMs: [10], bleu: 25, chrf: 50, ter: 50 } }),
      { bleu: 20 },
      'pass',
      /all checks passed/,
    ],
    ['node drift', obs({ version: version('v20.19.0', '1.20.1') }), {}, 'fail', /node 20.20.2 ≠ 20.19.0/],
    ['no /version', obs({ version: { error: 'x' } }), {}, 'fail', /did not report/],
    ['case mismatch', obs({ cases: [{ case: hello, output: 'Goodbye.' }] }), {}, 'fail', /case:hello: expected contains "Hello", got "Goodbye."/],
    ['case error', obs({ cases: [{ case: hello, error: 'POST /translate answered 500' }] }), {}, 'fail', /answered 500/],
    ['bleu below', obs({ benchmark: { outputs: [], latenciesMs: [10], bleu: 12, chrf: 40, ter: 70 } }), { bleu: 20 }, 'fail', /bleu: expected ≥ 20, got 12.0/],
    ['p95 over', obs({ benchmark: { outputs: [], latenciesMs: [10, 20, 900], bleu: 30, chrf: 40, ter: 50 } }), { p95Ms: 500 }, 'fail', /latency-p95/],
    ['memory over', obs({ peakMemoryMb: 900 }), { memoryMb: 512 }, 'fail', /memory: expected ≤ 512 MB, got 900.0 MB/],
    ['startup over', obs({ startupMs: 9000 }), { startupMs: 5000 }, 'fail', /startup/],
    ['batch differs', obs({ batch: { ok: false, message: 'differs' } }), {}, 'fail', /batch: differs/],
  ];
  it.each(cases)('%s', (_name, o, t, verdict, reason) => {
    const r = verdictOf(checksFor(cell, o, t));
    expect(r.verdict).toBe(verdict);
    expect(r.reason).toMatch(reason);
  });

  it('a signal wins over checks', () => {
    expect(verdictOf([], { exitSignal: 'SIGSEGV' })).toEqual({ verdict: 'crash', reason: 'service died with SIGSEGV' });
  });
  it('a pass on a later attempt is flaky', () => {
    expect(verdictOf([{ name: 'version', status: 'pass' }], { attempt: 2 }).verdict).toBe('flaky');
  });
  it('unmeasured budgets are skipped, not failed', () => {
    const checks = checksFor(cell, obs({}), { memoryMb: 100 });
    expect(checks.find((c) => c.name === 'memory')?.status).toBe('skip');
  });
});

describe('actualVersions', () => {
  it('strips a leading v from node', () => expect(actualVersions(cell, version('v22.1.0', '1.14.0'))?.node).toBe('22.1.0'));
  it('reads every axis, the model files included', () =>
    expect(actualVersions(cell, version('20.20.2', '1.20.1'))).toEqual({
      node: '20.20.2',
      'onnxruntime-node': '1.20.1',
      tokenizer: '@huggingface/tokenizers@0.2.0',
      express: '5.1.0',
      model: expect.stringMatching(/^fp32: onnx\/decoder_model_merged\.onnx sha256:[0-9a-f]{12}, onnx\/encoder_model\.onnx sha256:[0-9a-f]{12}$/),
    }));
  it('is null when an axis is not reported', () => expect(actualVersions(cell, { runtime: { node: '20.20.2' } })).toBeNull());
});

describe('thresholds per model variant', () => {
  const int8 = cellOf({ node: '20.20.2', ort: '1.20.1', model: 'int8', verdict: 'pass' });
  const own: Cell = {
    ...int8,
    axes: { ...int8.axes, model: { ...(int8.axes.model as Extract<Cell['axes'][string], { kind: 'model' }>), thresholds: { bleu: 28 } } },
  };
  const scored = (bleu: number) => obs({ version: versionDoc(own), benchmark: { outputs: [], latenciesMs: [10], bleu, chrf: 50, ter: 50 } });
  it("a variant's own bleu limit replaces smoke.thresholds'", () => {
    expect(verdictOf(checksFor(own, scored(25), { bleu: 20 })).reason).toMatch(/^bleu: expected ≥ 28, got 25.0/);
    expect(verdictOf(checksFor(own, scored(29), { bleu: 20 })).verdict).toBe('pass');
  });
});

describe('percentile', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[7], 95, 7],
    [[], 95, 0],
  ])('%j p%i = %i', (v, p, want) => expect(percentile(v, p)).toBe(want));
});

describe('judgeAcrossCells: drift', () => {
  const result = (id: string, verdict: CellResult['verdict'], outputs?: string[]): CellResult => ({
    cell: { ...cell, id, name: `cell-${id}` },
    verdict,
    reason: '',
    allowFailure: false,
    expected: actualVersions(cell, version('20.20.2', '1.20.1'))!,
    actual: null,
    checks: [{ name: 'version', status: 'pass' }],
    timings: {},
    scores: {},
    latency: {},
    memory: {},
    attempts: 1,
    logTail: '',
    cached: false,
    ...(outputs ? { outputs } : {}),
  });
  it('marks differing cells as drift against the first passing cell and lists the sentences', () => {
    const { results, references } = judgeAcrossCells(
      [result('a', 'fail', ['x', 'y']), result('b', 'pass', ['Hi.', 'Yes.']), result('c', 'pass', ['Hi.', 'No.']), result('d', 'pass', ['Hi.', 'Yes.'])],
      ['你好', '是'],
    );
    expect(references).toEqual({ fp32: 'b' });
    expect(results.map((r) => r.verdict)).toEqual(['fail', 'pass', 'drift', 'pass']);
    expect(results[2]!.drift).toEqual([{ source: '是', reference: 'Yes.', actual: 'No.' }]);
  });
  it('is idempotent (merge recomputes it)', () => {
    const once = judgeAcrossCells([result('b', 'pass', ['a']), result('c', 'pass', ['b'])], ['s']).results;
    const twice = judgeAcrossCells(once, ['s']).results;
    expect(twice).toEqual(once);
  });
  it('takes the newest or oldest comparable cell in axis order', () => {
    const cells = [result('b', 'pass', ['a']), result('c', 'pass', ['b']), result('d', 'fail', ['c'])];
    const ort = (r: CellResult, version: string) => (r.cell.axes['onnxruntime-node'] = { kind: 'package', package: 'onnxruntime-node', version, alias: 'ort' });
    ort(cells[0]!, '1.14.0');
    ort(cells[1]!, '1.30.0');
    ort(cells[2]!, '1.31.0');
    expect(judgeAcrossCells(cells, ['s'], 'newest').references.fp32).toBe('c');
    expect(judgeAcrossCells(cells, ['s'], 'oldest').references.fp32).toBe('b');
  });
  it('honours a named reference', () => {
    const { results } = judgeAcrossCells([result('b', 'pass', ['a']), result('c', 'pass', ['b'])], ['s'], 'c');
    expect(results.map((r) => r.verdict)).toEqual(['drift', 'pass']);
  });
  it('judges each model variant against a reference of its own variant', () => {
    const int8 = (id: string, outputs: string[]): CellResult => ({
      ...result(id, 'pass', outputs),
      cell: { ...cellOf({ node: '20.20.2', ort: '1.20.1', model: 'int8', verdict: 'pass' }), id, name: `cell-${id}` },
    });
    const { results, references } = judgeAcrossCells(
      [result('a', 'pass', ['Hi.']), int8('b', ['Hello.']), int8('c', ['Hello.']), int8('d', ['Hey.'])],
      ['你好'],
      'oldest',
    );
    expect(references).toEqual({ fp32: 'a', int8: 'b' });
    // int8 translating differently from fp32 is not drift; differing from the other int8 cells is.
    expect(results.map((r) => r.verdict)).toEqual(['pass', 'pass', 'pass', 'drift']);
  });
});

describe('judgeAcrossCells: compare a variant with another', () => {
  const scored = (model: 'fp32' | 'int8', ort: string, bleu: number, chrf: number): CellResult => {
    const c = cellOf({ node: '20.20.2', ort, model, verdict: 'pass' });
    return {
      ...cellResult(c, { verdict: 'pass', reason: 'all checks passed' }),
      checks: [{ name: 'version', status: 'pass' }],
      scores: { bleu, chrf, ter: 50 },
      outputs: [model],
    };
  };
  it('passes within the bound, fails beyond it, with both scores and the difference', () => {
    const { results } = judgeAcrossCells(
      [scored('fp32', '1.14.0', 31.4, 55.2), scored('int8', '1.14.0', 30.9, 54.8), scored('fp32', '1.30.0', 31.4, 55.2), scored('int8', '1.30.0', 29.1, 55.0)],
      ['s'],
    );
    const compare = (r: CellResult) => r.checks.find((c) => c.name === 'compare:fp32');
    expect(compare(results[1]!)).toMatchObject({ status: 'pass', actual: 'BLEU 30.90 (−0.50), chrF 54.80 (−0.40)' });
    expect(compare(results[1]!)!.expected).toMatch(/^BLEU within 1, chrF within 1 of fp32 \(node20\.20\.2-ort1\.14\.0-.*-fp32: BLEU 31\.40, chrF 55\.20\)$/);
    expect([results[3]!.verdict, results[3]!.reason]).toEqual([
      'fail',
      expect.stringMatching(/^compare:fp32: expected BLEU within 1, .* got BLEU 29\.10 \(−2\.30\), chrF 55\.00 \(−0\.20\)$/),
    ]);
    // The fp32 cells have no compare of their own.
    expect(compare(results[0]!)).toBeUndefined();
  });
  it('requires a gain on named benchmarks: not worse on one, better on another', () => {
    // A candidate (the int8 fixture variant, given a gain spec) against fp32: BLEU on smoke.benchmark at least +0, chrF on `everyday` at least +1.
    const candidate = (ort: string, bleu: number, everyday: number): CellResult => {
      const r = scored('int8', ort, bleu, 50);
      const model = { ...r.cell.axes.model!, compare: { with: 'fp32', gain: { benchmark: { bleu: 0 }, everyday: { chrf: 1 } } } } as Cell['axes'][string];
      return { ...r, cell: { ...r.cell, axes: { ...r.cell.axes, model } }, scores: { ...r.scores, sets: { everyday: { bleu: 20, chrf: everyday } } } };
    };
    const base = (ort: string) => ({ ...scored('fp32', ort, 30, 50), scores: { bleu: 30, chrf: 50, ter: 50, sets: { everyday: { bleu: 15, chrf: 40 } } } });
    const { results } = judgeAcrossCells(
      [base('1.14.0'), candidate('1.14.0', 30.2, 45), base('1.30.0'), candidate('1.30.0', 29.9, 45), base('1.20.1'), candidate('1.20.1', 31, 40.5)],
      ['s'],
    );
    const compare = (r: CellResult) => r.checks.find((c) => c.name === 'compare:fp32')!;
    expect(compare(results[1]!)).toMatchObject({ status: 'pass', actual: 'BLEU 30.20 (+0.20), chrF 50.00 (+0.00), everyday chrF 45.00 (+5.00)' });
    expect(compare(results[1]!).expected).toMatch(
      /^BLEU at least \+0\.00, everyday chrF at least \+1\.00 of fp32 \(.*-fp32: BLEU 30\.00, chrF 50\.00, everyday chrF 40\.00\)$/,
    );
    // Worse on the test split by 0.1, or better on everyday text by less than 1: both fail.
    expect([results[3]!.verdict, compare(results[3]!).status]).toEqual(['fail', 'fail']);
    expect(compare(results[5]!)).toMatchObject({ status: 'fail', actual: expect.stringContaining('everyday chrF 40.50 (+0.50)') });
    // A set the counterpart was not scored on skips the check.
    const unscored = { ...base('1.14.0'), scores: { bleu: 30, chrf: 50, ter: 50 } };
    expect(compare(judgeAcrossCells([unscored, candidate('1.14.0', 31, 45)], ['s']).results[1]!)).toMatchObject({
      status: 'skip',
      message: expect.stringMatching(/^everyday chrF is not scored in .*-fp32 \(pass\)$/),
    });
  });
  it('is skipped, not failed, when the counterpart did not run, and is recomputed (merge) without piling up', () => {
    const alone = judgeAcrossCells([scored('int8', '1.14.0', 20, 40)], ['s']).results[0]!;
    expect(alone.checks.find((c) => c.name === 'compare:fp32')).toMatchObject({ status: 'skip', message: 'no fp32 cell with the same other axes in this run' });
    expect(alone.verdict).toBe('pass');
    const cells = [scored('fp32', '1.14.0', 31.4, 55.2), scored('int8', '1.14.0', 25, 50)];
    const once = judgeAcrossCells(cells, ['s']).results;
    expect(judgeAcrossCells(once, ['s']).results).toEqual(once);
    expect(once[1]!.verdict).toBe('fail');
  });
});
