import { describe, expect, it } from 'vitest';
import { MatrixConfig } from '../../config/schema.js';
import { baseTag, pullPolicy } from './base.js';

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

describe('baseTag', () => {
  it.each([
    ['node:{node}-bookworm-slim', 'node:20.20.2-bookworm-slim'],
    ['node:{node-major}-bookworm-slim', 'node:20-bookworm-slim'],
    ['registry.example/node{node-major}:{node}', 'registry.example/node20:20.20.2'],
    ['matrix-base:node{node}', 'matrix-base:node20.20.2'],
  ])('%s → %s', (template, tag) => expect(baseTag(template, '20.20.2')).toBe(tag));
});
