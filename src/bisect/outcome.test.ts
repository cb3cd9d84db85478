import { describe, expect, test } from 'vitest';
import { Verdict } from '../domain.js';
import { outcomeOf } from './outcome.js';

describe('outcomeOf', () => {
  test.each([
    ['pass', 'good', 'good'],
    ['flaky', 'good', 'good'],
    ['fail', 'bad', 'bad'],
    ['drift', 'bad', 'bad'],
    ['install-error', 'bad', 'bad'],
    ['build-error', 'bad', 'bad'],
    ['start-error', 'bad', 'bad'],
    ['crash', 'bad', 'bad'],
    ['timeout', 'bad', 'bad'],
    ['skipped', 'skip', 'bad'],
    ['infra-error', 'stop', 'stop'],
  ] as const)('%s → %s (with --skipped-is-bad: %s)', (verdict, plain, skippedIsBad) => {
    expect(outcomeOf(verdict, { skippedIsBad: false })).toBe(plain);
    expect(outcomeOf(verdict, { skippedIsBad: true })).toBe(skippedIsBad);
  });

  test('every verdict has an outcome', () => {
    for (const v of Verdict.options) expect(outcomeOf(v, { skippedIsBad: false })).toMatch(/^(good|bad|skip|stop)$/);
  });
});
