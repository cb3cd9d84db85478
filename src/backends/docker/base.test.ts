import { describe, expect, it } from 'vitest';
import { MatrixConfig } from '../../config/schema.js';
import { pullPolicy } from './base.js';

const config = (pull?: string) =>
  MatrixConfig.parse({
    axes: { node: { kind: 'runtime', versions: ['20'] } },
    ...(pull ? { image: { pull } } : {}),
  });

describe('pullPolicy', () => {
  it('is image.pull, missing by default', () => {
    expect(pullPolicy(config(), {})).toBe('missing');
    expect(pullPolicy(config('always'), {})).toBe('always');
  });
  it('MATRIX_PULL overrides it, and a wrong value is one line', () => {
    expect(pullPolicy(config('always'), { MATRIX_PULL: 'never' })).toBe('never');
    expect(() => pullPolicy(config(), { MATRIX_PULL: 'sometimes' })).toThrow(/^MATRIX_PULL: expected never, missing or always, found "sometimes"$/);
  });
});
