import { describe, expect, test } from 'vitest';
import { ddmin, split, type DdOutcome } from './ddmin.js';

const C = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
type Oracle = (s: string[]) => DdOutcome;

/** Fails when every one of `culprits` is in the subset. */
const failsWith =
  (...culprits: string[]): Oracle =>
  (s) =>
    culprits.every((c) => s.includes(c)) ? 'fail' : 'pass';
/** `oracle`, except that subsets holding `x` without `needs` cannot be resolved. */
const unresolvedWithout =
  (x: string, needs: string, oracle: Oracle): Oracle =>
  (s) =>
    s.includes(x) && !s.includes(needs) ? 'unresolved' : oracle(s);

const run = async (changes: string[], oracle: Oracle) => {
  const tested: string[][] = [];
  const r = await ddmin(changes, async (s) => {
    tested.push(s);
    return { outcome: oracle(s), detail: s.join('') };
  });
  return { r, tested };
};

/** 1-minimal: the culprit fails and no subset of it one change smaller does. */
const oneMinimal = (culprit: string[], oracle: Oracle) => oracle(culprit) === 'fail' && culprit.every((x) => oracle(culprit.filter((y) => y !== x)) !== 'fail');

describe('split', () => {
  test.each([
    [
      5,
      2,
      [
        ['a', 'b'],
        ['c', 'd', 'e'],
      ],
    ],
    [4, 4, [['a'], ['b'], ['c'], ['d']]],
    [3, 2, [['a'], ['b', 'c']]],
  ])('%i changes in %i parts', (len, n, parts) => {
    expect(split(C.slice(0, len), n)).toEqual(parts);
  });
});

describe('ddmin', () => {
  test.each<[string, string[], Oracle, string[], number]>([
    ['one culprit among 8', C, failsWith('f'), ['f'], 7],
    ['one culprit, the only change', ['a'], failsWith('a'), ['a'], 2],
    ['one culprit among 5, the last', C.slice(0, 5), failsWith('e'), ['e'], 8],
    ['two interacting culprits in different halves', C, failsWith('b', 'g'), ['b', 'g'], 18],
    ['two interacting culprits side by side', C, failsWith('c', 'd'), ['c', 'd'], 7],
    ['every change needed', ['a', 'b', 'c'], failsWith('a', 'b', 'c'), ['a', 'b', 'c'], 8],
    // f alone cannot be installed without g (a new peer, say): the failing subset must keep g.
    ['a culprit whose subsets without its partner are unresolvable', C, unresolvedWithout('f', 'g', failsWith('f')), ['f', 'g'], 13],
    ['unresolvable subsets elsewhere do not hide the culprit', C, unresolvedWithout('a', 'b', failsWith('h')), ['h'], 8],
    // Not monotone: c fails alone, but a hides it (a and c together pass).
    ['not monotone: a masks c', C, (s) => (s.includes('c') && !s.includes('a') ? 'fail' : s.length === C.length ? 'fail' : 'pass'), ['c'], 7],
  ])('%s', async (_name, changes, oracle, culprit, tests) => {
    const { r, tested } = await run(changes, oracle);
    expect(r).toMatchObject({ kind: 'found', culprit });
    expect(oneMinimal(culprit, oracle)).toBe(true);
    expect(tested.slice(0, 2)).toEqual([[], changes]);
    expect(r.steps.map((s) => s.subset)).toEqual(tested);
    expect(r.steps.length).toBe(tests);
    // Each subset is tested once.
    expect(new Set(tested.map((t) => t.join())).size).toBe(tested.length);
  });

  test.each<[string, Oracle, { end: 'good' | 'bad'; outcome: DdOutcome }, number]>([
    ['the good end fails', () => 'fail', { end: 'good', outcome: 'fail' }, 1],
    ['the good end cannot be resolved', (s) => (s.length ? 'fail' : 'unresolved'), { end: 'good', outcome: 'unresolved' }, 1],
    ['the bad end passes', () => 'pass', { end: 'bad', outcome: 'pass' }, 2],
    ['the bad end cannot be resolved', (s) => (s.length === C.length ? 'unresolved' : 'pass'), { end: 'bad', outcome: 'unresolved' }, 2],
  ])('the ends are checked first: %s', async (_name, oracle, end, tests) => {
    const { r } = await run(C, oracle);
    expect(r).toMatchObject({ kind: 'ends', ...end });
    expect(r.steps.length).toBe(tests);
  });

  test('a stop ends the search at once, naming the subset', async () => {
    let calls = 0;
    const r = await ddmin(C, async (s) => ({ outcome: ++calls === 3 ? 'stop' : failsWith('a')(s), detail: calls }));
    expect(r).toMatchObject({ kind: 'stopped', subset: ['a', 'b', 'c', 'd'], detail: 3 });
    expect(r.steps.length).toBe(2);
  });

  test('onStep hears every step in order', async () => {
    const heard: [string, DdOutcome, number][] = [];
    await ddmin(
      ['x', 'y'],
      async (s) => ({ outcome: failsWith('y')(s), detail: null }),
      (step, i) => heard.push([step.subset.join(''), step.outcome, i]),
    );
    expect(heard).toEqual([
      ['', 'pass', 1],
      ['xy', 'fail', 2],
      ['x', 'pass', 3],
      ['y', 'fail', 4],
    ]);
  });
});
