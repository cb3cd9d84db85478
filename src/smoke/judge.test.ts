import { describe, expect, it } from 'vitest';
import type { Cell, CellResult } from '../domain.js';
import { actualVersions, checksFor, percentile, verdictOf, type Observations } from './judge.js';
import { applyDrift } from './drift.js';

const cell: Cell = {
  id: 'abcd1234',
  name: 'node20.20.2-ort1.20.1-hf-tokenizers0.2.0',
  node: '20.20.2',
  ort: '1.20.1',
  tokenizer: { package: '@huggingface/tokenizers', version: '0.2.0', alias: 'hf-tokenizers' },
  status: 'planned',
  allowFailure: false,
  install: { env: {}, npmFlags: [] },
};
const version = (node: string, ort: string, tok = '0.2.0') => ({
  service: '0.1.0',
  runtime: { node, 'onnxruntime-node': ort, tokenizer: { package: '@huggingface/tokenizers', version: tok } },
});
const hello = { id: 'hello', text: '你好。', expect: { contains: 'Hello' } };
const obs = (o: Partial<Observations>): Observations => ({ version: version('20.20.2', '1.20.1'), cases: [], ...o });

describe('checksFor + verdictOf', () => {
  const cases: [string, Observations, object, string, RegExp][] = [
    ['all good', obs({ cases: [{ case: hello, output: 'Hello.' }] }), {}, 'pass', /all checks passed/],
    ['wrong ort at run time', obs({ version: version('20.20.2', '1.30.0') }), {}, 'fail', /onnxruntime-node 1.20.1 ≠ 1.30.0/],
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
  it('strips a leading v from node', () => expect(actualVersions(version('v22.1.0', '1.14.0'))?.node).toBe('22.1.0'));
  it('rejects other shapes', () => expect(actualVersions({ runtime: { node: 1 } })).toBeNull());
});

describe('percentile', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[7], 95, 7],
    [[], 95, 0],
  ])('%j p%i = %i', (v, p, want) => expect(percentile(v, p)).toBe(want));
});

describe('applyDrift', () => {
  const result = (id: string, verdict: CellResult['verdict'], outputs?: string[]): CellResult => ({
    cell: { ...cell, id, name: `cell-${id}` },
    verdict,
    reason: '',
    allowFailure: false,
    expected: actualVersions(version('20.20.2', '1.20.1'))!,
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
    const { results, referenceCell } = applyDrift(
      [result('a', 'fail', ['x', 'y']), result('b', 'pass', ['Hi.', 'Yes.']), result('c', 'pass', ['Hi.', 'No.']), result('d', 'pass', ['Hi.', 'Yes.'])],
      ['你好', '是'],
    );
    expect(referenceCell).toBe('b');
    expect(results.map((r) => r.verdict)).toEqual(['fail', 'pass', 'drift', 'pass']);
    expect(results[2]!.drift).toEqual([{ source: '是', reference: 'Yes.', actual: 'No.' }]);
  });
  it('is idempotent (merge recomputes it)', () => {
    const once = applyDrift([result('b', 'pass', ['a']), result('c', 'pass', ['b'])], ['s']).results;
    const twice = applyDrift(once, ['s']).results;
    expect(twice).toEqual(once);
  });
  it('takes the newest or oldest comparable cell in axis order', () => {
    const cells = [result('b', 'pass', ['a']), result('c', 'pass', ['b']), result('d', 'fail', ['c'])];
    cells[0]!.cell.ort = '1.14.0';
    cells[1]!.cell.ort = '1.30.0';
    cells[2]!.cell.ort = '1.31.0';
    expect(applyDrift(cells, ['s'], 'newest').referenceCell).toBe('c');
    expect(applyDrift(cells, ['s'], 'oldest').referenceCell).toBe('b');
  });
  it('honours a named reference', () => {
    const { results } = applyDrift([result('b', 'pass', ['a']), result('c', 'pass', ['b'])], ['s'], 'c');
    expect(results.map((r) => r.verdict)).toEqual(['drift', 'pass']);
  });
});
