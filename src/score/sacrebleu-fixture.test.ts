/**
 * Differential check against sacreBLEU 2.6.0 itself on benchmark-like data:
 * 150 segments of cases/benchmark/test.tsv (one to six references each) with
 * edited hypotheses. fixtures/make-sacrebleu-fixture.py wrote the expectations.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusBleu, type BleuOptions } from './bleu.js';
import { corpusChrf, type ChrfOptions } from './chrf.js';
import { corpusTer, type TerOptions } from './ter.js';

interface Expected {
  options: Record<string, unknown>;
  score: number;
  signature: string;
  [field: string]: unknown;
}
interface Fixture {
  generator: string;
  hyps: string[];
  refs: string[][];
  bleu: Expected[];
  chrf: Expected[];
  ter: Expected[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/sacrebleu-2.6.0.json', import.meta.url), 'utf8')) as Fixture;

/** sacreBLEU's keyword arguments (max_ngram_order) → our options (maxNgramOrder). */
function options<T>(python: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(python).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v])) as T;
}

const EXACT = 1e-9;

describe(`agreement with ${fixture.generator}`, () => {
  it('covers several references per segment', () => {
    expect(new Set(fixture.refs.map((r) => r.length)).size).toBeGreaterThan(1);
  });

  it.each(fixture.bleu.map((e) => [JSON.stringify(e.options), e] as const))('BLEU %s', (_name, e) => {
    const s = corpusBleu(fixture.hyps, fixture.refs, options<BleuOptions>(e.options));
    expect(Math.abs(s.score - e.score)).toBeLessThan(EXACT);
    expect({ counts: s.counts, totals: s.totals, sysLen: s.sysLen, refLen: s.refLen, signature: s.signature }).toEqual({
      counts: e.counts,
      totals: e.totals,
      sysLen: e.sysLen,
      refLen: e.refLen,
      signature: e.signature,
    });
    expect(Math.abs(s.bp - (e.bp as number))).toBeLessThan(EXACT);
  });

  it.each(fixture.chrf.map((e) => [JSON.stringify(e.options), e] as const))('chrF %s', (_name, e) => {
    const s = corpusChrf(fixture.hyps, fixture.refs, options<ChrfOptions>(e.options));
    expect(Math.abs(s.score - e.score)).toBeLessThan(EXACT);
    expect(s.signature).toBe(e.signature);
  });

  it.each(fixture.ter.map((e) => [JSON.stringify(e.options), e] as const))('TER %s', (_name, e) => {
    const s = corpusTer(fixture.hyps, fixture.refs, options<TerOptions>(e.options));
    expect(Math.abs(s.score - e.score)).toBeLessThan(EXACT);
    expect({ numEdits: s.numEdits, signature: s.signature }).toEqual({ numEdits: e.numEdits, signature: e.signature });
    expect(Math.abs(s.refLength - (e.refLength as number))).toBeLessThan(EXACT);
  });
});
