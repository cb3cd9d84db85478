/**
 * The search of `matrix bisect`, pure: a path of versions from the good bound to the bad one,
 * the outcomes known so far → the next version to test, or the answer. Both bounds are tested
 * first (as cargo-msrv does), then the middle of what is still open, so for n versions strictly
 * between the bounds at most `maxTests(n)` = ⌈log2(n+1)⌉ + 2 versions are tested (⌈log2(n+1)⌉ ≤
 * ⌈log2 n⌉ + 1 of them between the bounds), plus one per version that had to be skipped.
 */

/** What a tested version says about the boundary; `skip`: neither (pruned before anything ran). */
export type Outcome = 'good' | 'bad' | 'skip';

type Answer =
  /** Adjacent on the path, unless every version between them was skipped (`skipped`, from last good on). */
  | { kind: 'found'; lastGood: string; firstBad: string; skipped: string[] }
  /** A bound is not what the user said it is. */
  | { kind: 'bounds'; bound: 'good' | 'bad'; version: string; outcome: Outcome };

export type Next = { kind: 'probe'; version: string } | Answer;

/** ⌈log2(k+1)⌉ without floating point: the tests the middle needs for k open versions. */
export function halvings(k: number): number {
  let steps = 0;
  for (let open = k; open > 0; open = Math.floor(open / 2)) steps++;
  return steps;
}

/** The most versions a bisect over n versions strictly between the bounds tests, without skips. */
export const maxTests = (between: number) => 2 + halvings(between);

/**
 * `path[0]` is the good bound, `path.at(-1)` the bad one (at least two versions). Every probe
 * lies strictly between the last known good and the first known bad, so the open versions are
 * exactly the untested ones there; taking their median halves them (k → ⌊k/2⌋) whatever it says,
 * and a skip removes one.
 */
export function nextStep(path: readonly string[], known: ReadonlyMap<string, Outcome>): Next {
  if (path.length < 2) throw new Error('a bisect path needs both bounds');
  const bounds = [
    { bound: 'good', version: path[0]! },
    { bound: 'bad', version: path.at(-1)! },
  ] as const;
  for (const { bound, version } of bounds) {
    const outcome = known.get(version);
    if (outcome === undefined) return { kind: 'probe', version };
    if (outcome !== bound) return { kind: 'bounds', bound, version, outcome };
  }
  const hi = path.findIndex((v, i) => i > 0 && known.get(v) === 'bad');
  let lo = hi - 1;
  while (known.get(path[lo]!) !== 'good') lo--;
  const open = path.slice(lo + 1, hi).filter((v) => !known.has(v));
  if (open.length === 0) return { kind: 'found', lastGood: path[lo]!, firstBad: path[hi]!, skipped: path.slice(lo + 1, hi) };
  return { kind: 'probe', version: open[Math.floor((open.length - 1) / 2)]! };
}

export interface Step<D> {
  version: string;
  outcome: Outcome;
  detail: D;
}

export type Bisection<D> = { steps: Step<D>[] } & (Answer | { kind: 'stopped'; version: string; detail: D });

/**
 * Runs the search with `test` as the oracle; `stop` ends it at once (the machine failed, or an
 * interrupt). `onStep` hears each step as it is known, with the most steps the bisect can still
 * take (`maxTests` plus the skips so far).
 */
export async function bisect<D>(
  path: readonly string[],
  test: (version: string) => Promise<{ outcome: Outcome | 'stop'; detail: D }>,
  onStep: (step: Step<D>, index: number, most: number) => void = () => undefined,
): Promise<Bisection<D>> {
  const known = new Map<string, Outcome>();
  const steps: Step<D>[] = [];
  const most = () => maxTests(path.length - 2) + steps.filter((s) => s.outcome === 'skip' && s.version !== path[0] && s.version !== path.at(-1)).length;
  for (;;) {
    const next = nextStep(path, known);
    if (next.kind !== 'probe') return { ...next, steps };
    const { outcome, detail } = await test(next.version);
    if (outcome === 'stop') return { kind: 'stopped', version: next.version, detail, steps };
    known.set(next.version, outcome);
    const step = { version: next.version, outcome, detail };
    steps.push(step);
    onStep(step, steps.length, most());
  }
}
