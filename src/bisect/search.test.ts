import { describe, expect, test } from 'vitest';
import { bisect, halvings, maxTests, nextStep, type Outcome } from './search.js';

/** v0 … v(n+1): v0 the good bound, v(n+1) the bad one, n versions between. */
const pathOf = (n: number) => Array.from({ length: n + 2 }, (_, i) => `v${i}`);
const indexOf = (v: string) => Number(v.slice(1));
/** Good before the break, bad from it on; `skipped` indices are pruned. */
const oracle =
  (brk: number, skipped: ReadonlySet<number> = new Set()) =>
  async (v: string) => ({ outcome: (skipped.has(indexOf(v)) ? 'skip' : indexOf(v) < brk ? 'good' : 'bad') as Outcome, detail: v });

/** A small deterministic generator, so the random cases are the same on every run. */
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const SIZES = [...Array.from({ length: 130 }, (_, n) => n), 150, 255, 256, 257, 511, 1000, 1023, 1024, 1025];
const between = (steps: { version: string }[], n: number) => steps.filter((s) => s.version !== 'v0' && s.version !== `v${n + 1}`).length;

describe('the bound', () => {
  test.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [7, 3],
    [8, 4],
    [150, 8],
    [1023, 10],
    [1024, 11],
  ])('halvings(%i) = %i = ⌈log2(n+1)⌉', (n, h) => {
    expect(halvings(n)).toBe(h);
    expect(halvings(n)).toBe(Math.ceil(Math.log2(n + 1)));
    expect(maxTests(n)).toBe(h + 2);
  });
});

describe('bisect over every size and every break point', () => {
  test.each(SIZES)('n = %i versions between the bounds', async (n) => {
    const path = pathOf(n);
    for (let brk = 1; brk <= n + 1; brk++) {
      const r = await bisect(path, oracle(brk));
      expect(r.kind, `n=${n} break=${brk}`).toBe('found');
      if (r.kind !== 'found') continue;
      expect([r.lastGood, r.firstBad, r.skipped]).toEqual([`v${brk - 1}`, `v${brk}`, []]);
      // Both bounds, then ⌈log2(n+1)⌉ at most between them: never more than ⌈log2 n⌉ + 1 there.
      expect(r.steps.length).toBeLessThanOrEqual(maxTests(n));
      expect(between(r.steps, n)).toBeLessThanOrEqual(n === 0 ? 0 : Math.ceil(Math.log2(n)) + 1);
      expect(r.steps.slice(0, 2).map((s) => s.version)).toEqual(['v0', `v${n + 1}`]);
      expect(new Set(r.steps.map((s) => s.version)).size).toBe(r.steps.length);
    }
  });
});

describe('skipped versions', () => {
  test.each(SIZES.filter((n) => n >= 1 && n % 7 === 1).concat([150, 1000]))('n = %i, random skips', async (n) => {
    const random = lcg(n);
    const path = pathOf(n);
    for (let round = 0; round < 40; round++) {
      const brk = 1 + Math.floor(random() * (n + 1));
      const density = [0.1, 0.3, 0.9][round % 3]!;
      const skipped = new Set(Array.from({ length: n }, (_, i) => i + 1).filter(() => random() < density));
      const seen: number[] = [];
      const r = await bisect(path, oracle(brk, skipped), (_step, index, most) => {
        expect(index).toBeLessThanOrEqual(most);
        seen.push(most);
      });
      expect(r.kind).toBe('found');
      if (r.kind !== 'found') continue;
      const skips = r.steps.filter((s) => s.outcome === 'skip').length;
      expect(r.steps.length).toBeLessThanOrEqual(maxTests(n) + skips);
      expect(seen.at(-1)).toBe(maxTests(n) + skips);
      // The break lies after the last good and at or before the first bad; all between were skipped.
      const [lo, hi] = [indexOf(r.lastGood), indexOf(r.firstBad)];
      expect(lo < brk && brk <= hi, `n=${n} break=${brk} answer ${r.lastGood}..${r.firstBad}`).toBe(true);
      expect(r.skipped).toEqual(path.slice(lo + 1, hi));
      for (const v of r.skipped) expect(skipped.has(indexOf(v))).toBe(true);
    }
  });

  test('a skip moves the probe to the neighbour of the middle, as git bisect skip does', () => {
    const path = pathOf(5);
    const known = new Map<string, Outcome>([
      ['v0', 'good'],
      ['v6', 'bad'],
    ]);
    expect(nextStep(path, known)).toEqual({ kind: 'probe', version: 'v3' });
    known.set('v3', 'skip');
    expect(nextStep(path, known)).toEqual({ kind: 'probe', version: 'v2' });
    known.set('v2', 'skip');
    expect(nextStep(path, known)).toEqual({ kind: 'probe', version: 'v4' });
  });
});

describe('the bounds are tested first and must hold', () => {
  test.each([
    ['good is bad', new Map([['v0', 'bad']]), 1, { kind: 'bounds', bound: 'good', version: 'v0', outcome: 'bad' }],
    ['good is skipped', new Map([['v0', 'skip']]), 1, { kind: 'bounds', bound: 'good', version: 'v0', outcome: 'skip' }],
    ['bad is good', new Map([['v11', 'good']]), 2, { kind: 'bounds', bound: 'bad', version: 'v11', outcome: 'good' }],
    ['bad is skipped', new Map([['v11', 'skip']]), 2, { kind: 'bounds', bound: 'bad', version: 'v11', outcome: 'skip' }],
  ] as const)('%s', async (_name, overrides, steps, answer) => {
    const said = overrides as ReadonlyMap<string, Outcome>;
    const r = await bisect(pathOf(10), async (v) => ({ outcome: said.get(v) ?? (indexOf(v) < 5 ? 'good' : 'bad'), detail: v }));
    expect(r).toMatchObject(answer);
    expect(r.steps).toHaveLength(steps);
  });

  test('adjacent bounds: two tests and the answer is the bounds themselves', async () => {
    const r = await bisect(['20.20.2', '20.20.1'], async (v) => ({ outcome: v === '20.20.2' ? 'good' : 'bad', detail: v }));
    expect(r).toMatchObject({ kind: 'found', lastGood: '20.20.2', firstBad: '20.20.1', skipped: [] });
    expect(r.steps).toHaveLength(2);
  });
});

describe('stop and odd oracles', () => {
  test('`stop` ends the search at once, without recording that version', async () => {
    let calls = 0;
    const r = await bisect(pathOf(100), async (v) => ({ outcome: ++calls === 3 ? 'stop' : indexOf(v) < 40 ? 'good' : 'bad', detail: v }));
    expect(r).toMatchObject({ kind: 'stopped' });
    expect(r.steps).toHaveLength(2);
  });

  test('a non-monotone oracle still ends on a good release next to a bad one', async () => {
    for (let seed = 1; seed < 60; seed++) {
      const random = lcg(seed);
      const n = 1 + Math.floor(random() * 200);
      const said = new Map(pathOf(n).map((v, i) => [v, (i === 0 ? 'good' : i === n + 1 ? 'bad' : random() < 0.5 ? 'good' : 'bad') as Outcome]));
      const r = await bisect(pathOf(n), async (v) => ({ outcome: said.get(v)!, detail: v }));
      expect(r.kind).toBe('found');
      if (r.kind !== 'found') continue;
      expect([said.get(r.lastGood), said.get(r.firstBad), indexOf(r.firstBad) - indexOf(r.lastGood)]).toEqual(['good', 'bad', 1]);
      expect(r.steps.length).toBeLessThanOrEqual(maxTests(n));
    }
  });
});
