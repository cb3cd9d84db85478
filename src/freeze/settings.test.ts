import { describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { freezeSettings, type FreezeConfig } from './settings.js';

const config = (freeze: Partial<FreezeConfig['freeze']> = {}, dir = '/p'): FreezeConfig => ({
  dir,
  freeze: { policy: 'newest', lockfile: 'golden.lock.json', ...freeze },
});

describe('freezeSettings: flags over matrix.yaml freeze: over the defaults', () => {
  test.each<[string, { policy?: string; lock?: string }, FreezeConfig | undefined, { policy: string; lockPath: string }]>([
    ['no matrix.yaml, no flags: the defaults', {}, undefined, { policy: 'newest', lockPath: 'golden.lock.json' }],
    ['matrix.yaml defaults, beside it', {}, config(), { policy: 'newest', lockPath: '/p/golden.lock.json' }],
    ['matrix.yaml freeze: block', {}, config({ policy: 'oldest', lockfile: 'locks/pinned.json' }), { policy: 'oldest', lockPath: '/p/locks/pinned.json' }],
    ['relative to the folder of matrix.yaml', {}, config({ lockfile: 'pinned.json' }, 'ci'), { policy: 'newest', lockPath: 'ci/pinned.json' }],
    ['--policy wins', { policy: 'current' }, config({ policy: 'oldest' }), { policy: 'current', lockPath: '/p/golden.lock.json' }],
    ['--lock wins, as given', { lock: 'other.lock.json' }, config({ lockfile: 'pinned.json' }), { policy: 'newest', lockPath: 'other.lock.json' }],
    ['flags without matrix.yaml', { policy: 'oldest', lock: 'x.json' }, undefined, { policy: 'oldest', lockPath: 'x.json' }],
  ])('%s', (_name, flags, cfg, expected) => {
    expect(freezeSettings(flags, cfg)).toEqual(expected);
  });

  test('an unknown --policy is a usage error', () => {
    expect(() => freezeSettings({ policy: 'sideways' }, undefined)).toThrow(UserError);
    expect(() => freezeSettings({ policy: 'sideways' }, undefined)).toThrow('--policy sideways: expected one of newest, oldest, current');
  });
});
