import { describe, expect, it } from 'vitest';
import { closestRefLength, computeBleu, corpusBleu, type BleuOptions } from './bleu.js';

/** sacreBLEU's tests give references as streams (one list per reference set); ours are per segment. */
const perSegment = (streams: string[][]) => streams[0]!.map((_, i) => streams.map((s) => s[i]!));

// sacreBLEU's README example, used by its test/test_bleu.py.
const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
const refs = perSegment([
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
]);

// sacreBLEU's compat.raw_corpus_bleu: no tokenization, floor smoothing, effective order.
const raw = (smoothValue = 0.1): BleuOptions => ({ tokenize: 'none', smoothMethod: 'floor', smoothValue, effectiveOrder: true });

describe('corpusBleu against sacreBLEU test/test_bleu.py', () => {
  it.each<[string, string[], string[][], BleuOptions, number]>([
    ['default settings', hyps, refs, {}, 48.530827],
    ['empty hypotheses are kept', ['', '', ''], refs, {}, 0],
    ['tokenize none', hyps, refs, { tokenize: 'none' }, 49.1919566],
    ['tokenize 13a', hyps, refs, { tokenize: '13a' }, 48.530827],
    ['smooth none', hyps, refs, { smoothMethod: 'none' }, 48.530827],
    ['raw: no match at all (#141)', ['this is a test', 'another test'], perSegment([['ref1', 'ref2']]), raw(0.01), 0],
    ['raw: identical', ['this is a test'], [['this is a test']], raw(0.01), 100],
    ['raw: one word off', ['this is a fest'], [['this is a test']], raw(0.01), 22.3606797749979],
    ['effective order: one word', ['test'], [['a test']], raw(0.01), 36.78794411714425],
    ['effective order: identical', ['a test'], [['a test']], raw(0.01), 100],
    ['effective order: extra word', ['a little test'], [['a test']], raw(0.01), 3.218297948685433],
    ['offset 0.0', ['am I am a character sequence'], [['I am a symbol string sequence a a']], raw(0), 0],
    ['offset default 0.1', ['am I am a character sequence'], [['I am a symbol string sequence a a']], raw(), 15.55722182],
  ])('%s', (_name, h, r, opts, expected) => {
    expect(corpusBleu(h, r, opts).score).toBeCloseTo(expected, 6);
  });

  it('statistics', () => {
    const s = corpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], raw(0.01));
    expect([s.counts, s.totals]).toEqual([
      [4, 2, 1, 0],
      [6, 5, 4, 3],
    ]);
  });

  it.each([
    [1, '77.65'],
    [2, '60.50'],
    [3, '53.93'],
    [4, '48.53'],
    [5, '46.14'],
    [6, '43.28'],
  ])('max n-gram order %i', (order, expected) => {
    expect(corpusBleu(hyps, refs, { maxNgramOrder: order }).score.toFixed(2)).toBe(expected);
  });

  it('scoring from statistics', () => {
    const s = computeBleu({ counts: [9, 7, 5, 3], totals: [10, 8, 6, 4], sysLen: 11, refLen: 11 }, { smoothMethod: 'none' });
    expect(s.score / 100).toBeCloseTo(0.8375922397, 8);
  });

  it.each<[number[], number[], number, number, number]>([
    [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0],
    [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0],
    [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
    [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
  ])('degenerate statistics %j / %j score exactly 0', (counts, totals, sysLen, refLen, smoothValue) => {
    expect(computeBleu({ counts, totals, sysLen, refLen }, { smoothMethod: 'floor', smoothValue }).score).toBe(0);
  });
});

describe('sentence BLEU against sacreBLEU test/test_sentence_bleu.py', () => {
  // Issue #98's Romanian pair: ţ (U+0163) in the reference, ț (U+021B) in the hypothesis.
  const ref = 'produc\u0163ia de zah\u0103r brut se exprim\u0103 \u00een zah\u0103r alb;';
  const sys = 'Produc\u021bia de zah\u0103r prim\u0103 va fi exprimat\u0103 \u00een ceea ce prive\u0219te zah\u0103rul alb;';
  it.each<[BleuOptions, number]>([
    [{ smoothMethod: 'exp' }, 8.493],
    [{ smoothMethod: 'none' }, 0],
    [{ smoothMethod: 'floor' }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.1 }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.5 }, 10.1],
    [{ smoothMethod: 'add-k' }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 1 }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 2 }, 21.389],
    [{ smoothMethod: 'exp', tokenize: 'none' }, 7.347],
  ])('%j', (opts, expected) => {
    expect(Math.abs(corpusBleu([sys], [[ref]], { ...opts, effectiveOrder: true }).score - expected)).toBeLessThan(1e-3);
  });

  it.each<BleuOptions>([
    { smoothMethod: 'exp' },
    { smoothMethod: 'none' },
    { smoothMethod: 'floor' },
    { smoothMethod: 'floor', smoothValue: 0.1 },
    { smoothMethod: 'add-k' },
    { smoothMethod: 'add-k', smoothValue: 1 },
  ])('no matching n-gram scores 0 whatever the smoothing (#141): %j', (opts) => {
    expect(corpusBleu(['this is a cat'], [['okay thanks']], { ...opts, effectiveOrder: true }).score).toBe(0);
  });
});

describe('corpusBleu details', () => {
  it.each([
    ['closest wins', 10, [7, 12, 20], 12],
    ['tie goes to the shorter', 10, [12, 8], 8],
    ['tie goes to the shorter, whatever the order', 10, [8, 12], 8],
    ['single', 3, [9], 9],
  ])('closestRefLength: %s', (_name, hypLen, refLens, expected) => {
    expect(closestRefLength(hypLen, refLens)).toBe(expected);
  });

  it("returns the parts of the score (sacreBLEU README: '48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)')", () => {
    const s = corpusBleu(hyps, refs);
    expect(s).toMatchObject({ sysLen: 17, refLen: 18, counts: [14, 7, 5, 3], totals: [17, 14, 11, 8] });
    expect(s.bp.toFixed(3)).toBe('0.943');
    expect(s.precisions.map((p) => p.toFixed(1))).toEqual(['82.4', '50.0', '45.5', '37.5']);
  });

  it.each<[string, BleuOptions, string[][], string]>([
    ['defaults', {}, [['a'], ['b']], 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0'],
    ['variable reference count', {}, [['a'], ['b', 'c']], 'nrefs:var|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0'],
    [
      'options',
      { lowercase: true, tokenize: 'none', smoothMethod: 'floor', effectiveOrder: true },
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      'nrefs:2|case:lc|eff:yes|tok:none|smooth:floor[0.10]|version:2.6.0',
    ],
    ['add-k value', { smoothMethod: 'add-k', smoothValue: 2 }, [['a'], ['b']], 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:add-k[2.00]|version:2.6.0'],
  ])('signature: %s', (_name, opts, r, expected) => {
    expect(corpusBleu(['x', 'y'], r, opts).signature).toBe(expected);
  });

  it('lowercase option', () => {
    expect(corpusBleu(['THE DOG'], [['the dog']]).counts[0]).toBe(0);
    expect(corpusBleu(['THE DOG'], [['the dog']], { lowercase: true }).counts[0]).toBe(2);
  });

  it.each([
    ['fewer references than hypotheses', ['a', 'b'], [['a']], /2 hypotheses but references for 1 segments/],
    ['a segment without references', ['a'], [[]], /segment 0 has no reference/],
  ])('rejects %s', (_name, h, r, message) => {
    expect(() => corpusBleu(h, r)).toThrow(message);
  });
});
