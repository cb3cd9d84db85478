import { describe, expect, it } from 'vitest';
import { corpusChrf, type ChrfOptions } from './chrf.js';

// sacreBLEU's test/test_chrf.py: one reference per segment, given there as a single stream.
const single = (refs: string[]) => refs.map((r) => [r]);
const risk = [
  ' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
  'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
];
const obama = [
  ' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. ',
  'Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.',
];

describe('corpusChrf against sacreBLEU test/test_chrf.py (1e-4)', () => {
  const eps: ChrfOptions = { charOrder: 6, wordOrder: 0, beta: 3, epsSmoothing: true };
  it.each<[string[], string[], number]>([
    [['abcdefg'], ['hijklmnop'], 0],
    [['a'], ['b'], 0],
    [[''], ['b'], 0],
    [[''], ['ref'], 0],
    [[''], ['reference'], 0],
    [['aa'], ['ab'], 8.3333],
    [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667],
    [['a b c'], ['a b c'], 50],
    [['a b c'], ['abc'], 50],
    [[risk[0]!], [risk[1]!], 63.36173],
    [[obama[0]!], [obama[1]!], 64.1302698],
    [['Niemand hat die Absicht, eine Mauer zu errichten'], ['Niemand hat die Absicht, eine Mauer zu errichten'], 100],
  ])('eps smoothing, β=3: %j vs %j', (hyps, refs, expected) => {
    expect(Math.abs(corpusChrf(hyps, single(refs), eps).score - expected)).toBeLessThan(1e-4);
  });

  const effective: ChrfOptions = { charOrder: 6, wordOrder: 0, beta: 3, epsSmoothing: false };
  it.each<[string[], string[], number]>([
    [['a'], ['a'], 100],
    [[''], ['reference'], 0],
    [['a b c'], ['a b c'], 100],
    [['a b c'], ['abc'], 100],
    [[''], ['c'], 0],
    [['a', 'b'], ['a', 'c'], 50],
    [['aa'], ['ab'], 25],
  ])('effective order (sacreBLEU < 2 style), β=3: %j vs %j', (hyps, refs, expected) => {
    expect(Math.abs(corpusChrf(hyps, single(refs), effective).score - expected)).toBeLessThan(1e-4);
  });

  it.each<[string, string, number]>([
    ['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.', obama[1]!, 67.3481606],
    [risk[0]!.trim(), risk[1]!, 65.2414427],
  ])('keeping whitespace, β=3: %s', (hyp, ref, expected) => {
    const score = corpusChrf([hyp], [[ref]], { charOrder: 6, wordOrder: 0, beta: 3, whitespace: true }).score;
    expect(Math.abs(score - expected)).toBeLessThan(1e-4);
  });

  it.each<[string, string, number]>([
    [
      'Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
      'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.',
      39.14078509,
    ],
    [
      'Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
      'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.',
      31.22557079,
    ],
    [
      'Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
      'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.',
      57.15704367,
    ],
  ])('sentence level, eps smoothing, β=2: %s', (hyp, ref, expected) => {
    expect(Math.abs(corpusChrf([hyp], [[ref]], { epsSmoothing: true }).score - expected)).toBeLessThan(1e-4);
  });
});

describe('corpusChrf details', () => {
  it('defaults to chrF2 with the sacreBLEU signature', () => {
    const s = corpusChrf(['a b'], [['a b']]);
    expect(s).toMatchObject({ score: 100, charOrder: 6, wordOrder: 0, beta: 2 });
    expect(s.signature).toBe('nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0');
    expect(corpusChrf(['a', 'b'], [['a'], ['b', 'c']], { wordOrder: 2, lowercase: true, whitespace: true, epsSmoothing: true }).signature).toBe(
      'nrefs:var|case:lc|eff:no|nc:6|nw:2|space:yes|version:2.6.0',
    );
  });

  it('takes, per segment, the statistics of the reference with the best F-score', () => {
    const best = corpusChrf(['the cat sat'], [['a dog ran', 'the cat sat', 'the cat']]);
    expect(best.score).toBe(100);
    const alone = corpusChrf(['the cat sat', 'x'], [['the cat sat'], ['y']]);
    const pooled = corpusChrf(['the cat sat', 'x'], [['a dog ran', 'the cat sat'], ['y']]);
    expect(pooled.stats).toEqual(alone.stats);
  });

  it('counts characters by code point', () => {
    // One astral character is one 1-gram, not two UTF-16 halves.
    expect(corpusChrf(['😀'], [['😀']]).stats[0]).toEqual([1, 1, 1]);
  });

  it('chrF++ splits one punctuation mark off a word', () => {
    const s = corpusChrf(['(hi) there.'], [['(hi) there.']], { wordOrder: 2 });
    // Words: "(hi", ")", "there", "." → 4 unigrams, 3 bigrams.
    expect(s.stats.slice(6)).toEqual([
      [4, 4, 4],
      [3, 3, 3],
    ]);
  });
});
