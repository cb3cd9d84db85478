/**
 * Delta debugging (Zeller & Hildebrandt, "Simplifying and Isolating Failure-Inducing Input",
 * 2002: ddmin) over a set of changes, with the oracle's three outcomes: a subset applied on the
 * good side passes, fails, or cannot be tested (`unresolved`: its tree cannot be resolved or
 * installed). Unresolved counts as "does not fail": ddmin only ever narrows to a failing subset.
 *
 * The two ends are tested first: no change must pass, every change must fail. The answer is
 * 1-minimal: the culprit fails, and removing any one of its changes gives a subset that was
 * tested and did not fail (passed, or could not be resolved). Each distinct subset is tested
 * once (a memo), so the complements of a 2-way split, which are the other half, cost nothing.
 */
export type DdOutcome = 'pass' | 'fail' | 'unresolved';

export interface DdStep<C, D> {
  subset: C[];
  outcome: DdOutcome;
  detail: D;
}

export type DdResult<C, D> = { steps: DdStep<C, D>[] } & (
  | { kind: 'found'; culprit: C[] }
  /** An end is not what it was said to be: `good` (no change) did not pass, or `bad` (all) did not fail. */
  | { kind: 'ends'; end: 'good' | 'bad'; outcome: DdOutcome }
  | { kind: 'stopped'; subset: C[]; detail: D }
);

export type DdOracle<C, D> = (subset: C[]) => Promise<{ outcome: DdOutcome | 'stop'; detail: D }>;

/** `c` in `n` parts of nearly equal size, in order. */
export function split<T>(c: readonly T[], n: number): T[][] {
  return Array.from({ length: n }, (_, i) => c.slice(Math.floor((i * c.length) / n), Math.floor(((i + 1) * c.length) / n)));
}

class Stopped<D> {
  constructor(
    readonly subset: number[],
    readonly detail: D,
  ) {}
}

export async function ddmin<C, D>(
  changes: readonly C[],
  test: DdOracle<C, D>,
  onStep: (step: DdStep<C, D>, index: number) => void = () => undefined,
): Promise<DdResult<C, D>> {
  const steps: DdStep<C, D>[] = [];
  const known = new Map<string, DdOutcome>();
  const of = (indices: number[]) => indices.map((i) => changes[i]!);
  const run = async (indices: number[]): Promise<DdOutcome> => {
    const key = indices.join(',');
    const seen = known.get(key);
    if (seen) return seen;
    const { outcome, detail } = await test(of(indices));
    if (outcome === 'stop') throw new Stopped(indices, detail);
    known.set(key, outcome);
    const step = { subset: of(indices), outcome, detail };
    steps.push(step);
    onStep(step, steps.length);
    return outcome;
  };

  try {
    const all = changes.map((_, i) => i);
    const good = await run([]);
    if (good !== 'pass') return { kind: 'ends', end: 'good', outcome: good, steps };
    const bad = await run(all);
    if (bad !== 'fail') return { kind: 'ends', end: 'bad', outcome: bad, steps };

    let c = all;
    let n = 2;
    while (c.length >= 2) {
      const parts = split(c, n);
      let next: [number[], number] | undefined;
      for (const part of parts) {
        if ((await run(part)) === 'fail') {
          next = [part, 2];
          break;
        }
      }
      if (!next) {
        for (const part of parts) {
          const complement = c.filter((i) => !part.includes(i));
          if ((await run(complement)) === 'fail') {
            next = [complement, Math.max(n - 1, 2)];
            break;
          }
        }
      }
      if (next) [c, n] = next;
      else if (n >= c.length) break;
      else n = Math.min(c.length, 2 * n);
    }
    return { kind: 'found', culprit: of(c), steps };
  } catch (error) {
    if (error instanceof Stopped) return { kind: 'stopped', subset: of(error.subset as number[]), detail: error.detail as D, steps };
    throw error;
  }
}
