/**
 * What a cell's verdict says to a bisect. Passing (pass, flaky) is good; every failure of the
 * cell's own is bad; `skipped` (pruned by the plan: engines, an exclude rule, a model the
 * runtime cannot load) is neither, unless the user says so; `infra-error` is the machine's,
 * not the version's, so the bisect stops. `drift` needs a reference cell, which a bisect does
 * not pick (src/verdict/drift.ts runs after runCells), so it is listed only to be total.
 */
import type { Verdict } from '../domain.js';
import type { Outcome } from './search.js';

const BY_VERDICT: Record<Verdict, Outcome | 'stop'> = {
  pass: 'good',
  flaky: 'good',
  fail: 'bad',
  drift: 'bad',
  'install-error': 'bad',
  'build-error': 'bad',
  'start-error': 'bad',
  crash: 'bad',
  timeout: 'bad',
  skipped: 'skip',
  'infra-error': 'stop',
};

export function outcomeOf(verdict: Verdict, opts: { skippedIsBad: boolean }): Outcome | 'stop' {
  const outcome = BY_VERDICT[verdict];
  return outcome === 'skip' && opts.skippedIsBad ? 'bad' : outcome;
}
