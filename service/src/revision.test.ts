import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromGitFiles } from './revision.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

/** A temp folder with `files` (path → content) and a service folder at checkout/service; returns the latter. */
function serviceIn(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'revision-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const service = join(root, 'checkout', 'service');
  mkdirSync(service, { recursive: true });
  return service;
}

describe('fromGitFiles', () => {
  it.each([
    ['a detached HEAD', { 'checkout/.git/HEAD': `${A}\n` }, A],
    ['a branch with a loose ref', { 'checkout/.git/HEAD': 'ref: refs/heads/main\n', 'checkout/.git/refs/heads/main': `${A}\n` }, A],
    [
      'a branch in packed-refs',
      {
        'checkout/.git/HEAD': 'ref: refs/heads/main\n',
        'checkout/.git/packed-refs': `# pack-refs with: peeled fully-peeled sorted\n${B} refs/heads/other\n${A} refs/heads/main\n`,
      },
      A,
    ],
    [
      'a linked worktree: .git file, branch refs in the commondir',
      {
        'checkout/.git': 'gitdir: ../repo/.git/worktrees/wt\n',
        'repo/.git/worktrees/wt/HEAD': 'ref: refs/heads/feature\n',
        'repo/.git/worktrees/wt/commondir': '../..\n',
        'repo/.git/refs/heads/feature': `${B}\n`,
      },
      B,
    ],
    ['a branch that does not resolve', { 'checkout/.git/HEAD': 'ref: refs/heads/gone\n' }, undefined],
  ])('%s', (_name, files, expected) => {
    expect(fromGitFiles(serviceIn(files))).toBe(expected);
  });
});
