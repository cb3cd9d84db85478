/** The commit a release is built from, and whether the work tree had changes (the `-dirty` suffix). */
import { execa } from 'execa';
import { UserError } from '../errors.js';

export async function workTree(dir: string): Promise<{ revision: string; dirty: boolean; source: string }> {
  const head = await execa('git', ['rev-parse', 'HEAD'], { cwd: dir, reject: false });
  if (head.exitCode !== 0) {
    throw new UserError(
      `${dir}: not a git work tree with a commit (${head.stderr.split('\n')[0] ?? ''}): a release is tagged with the commit it is built from`,
    );
  }
  const status = await execa('git', ['status', '--porcelain', '--untracked-files=normal'], { cwd: dir, reject: false });
  const remote = await execa('git', ['config', '--get', 'remote.origin.url'], { cwd: dir, reject: false });
  const source = remote.exitCode === 0 && /^[\w@:/.+-]+$/.test(remote.stdout.trim()) ? remote.stdout.trim() : 'local';
  return { revision: head.stdout.trim(), dirty: status.stdout.trim() !== '', source };
}
