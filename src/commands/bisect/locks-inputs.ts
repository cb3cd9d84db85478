/**
 * Everything `matrix bisect --locks` needs before the first subset runs: both locks read and
 * told apart, `matrix run`'s inputs (the same settings, hashes and resolver, so the cache keys
 * are the same), the one cell every subset runs as, and the changes between the two trees.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { dependenciesOf, shownAxes } from '../../axes/index.js';
import { fixedAxes, type FixedAxes } from '../../bisect/index.js';
import { lockedCell, pinnedManifest, pinsFor, readLock, type LockFile } from '../../bisect/locks.js';
import { treeDiff, type PackageChange, type TreeDiff } from '../../bisect/tree-diff.js';
import type { ServiceManifest } from '../../cell/workspace.js';
import type { Cell } from '../../domain.js';
import { UserError } from '../../errors.js';
import { readGoldenLock } from '../../freeze/index.js';
import { shown } from '../../fs/shown.js';
import { packagesOf } from '../../plan/index.js';
import type { Project } from '../../project/index.js';
import { prepareRun, type RunInputs } from '../../project/run-inputs.js';

export interface LocksInputs {
  run: RunInputs;
  cell: Cell;
  fixed: FixedAxes;
  diff: TreeDiff;
  /** service/package.json with the subset's pins (the good tree's versions, the subset's at bad). */
  manifestFor(subset: readonly PackageChange[]): ServiceManifest;
  notes: string[];
}

async function lockAt(file: string): Promise<LockFile> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new UserError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : `not JSON (${e.message.split('\n')[0]})`}`);
  }
  const lock = readLock(data, file);
  if ('problem' in lock) throw new UserError(lock.problem);
  return lock;
}

export async function prepareLocks(req: { project: Project; good: string; bad: string; withs: string[] }): Promise<LocksInputs> {
  const [good, bad] = [await lockAt(req.good), await lockAt(req.bad)];
  const run = await prepareRun(req.project, { offline: false });
  const { config, root } = req.project;

  // The good lock's own cell when it is a golden lock, else matrix.yaml's golden cell, else the first planned one.
  const lockFile = path.join(root, config.freeze.lockfile);
  const [golden, goldenFile] = good.kind === 'golden' ? [good.golden, req.good] : [await readGoldenLock(lockFile), shown(lockFile)];
  const first = run.plan.cells.find((c) => c.status === 'planned');
  const fixed = fixedAxes({
    axes: Object.keys(config.axes),
    bisected: '',
    withs: req.withs,
    ...(golden ? { golden: shownAxes(golden.axes), goldenFile } : {}),
    ...(first ? { first: shownAxes(first.axes) } : {}),
  });
  if ('problem' in fixed) throw new UserError(fixed.problem);
  const found = lockedCell(run.plan.cells, fixed.fixed);
  if ('problem' in found) throw new UserError(found.problem);

  const axisPackages = new Set([...packagesOf(config), ...Object.keys(dependenciesOf(found.cell.axes).set)]);
  const diff = treeDiff(good.tree, bad.tree, axisPackages);
  if (!diff.changes.length)
    throw new UserError(
      `${req.good} and ${req.bad} install the same version of every package${diff.left.length ? ` outside ${diff.left.map((l) => l.package).join(', ')}` : ''}: nothing to bisect`,
    );
  const service = run.runSettings.serviceManifest;
  return {
    run,
    cell: found.cell,
    fixed: fixed.fixed,
    diff,
    manifestFor: (subset) => pinnedManifest(service, pinsFor(diff, subset)),
    notes: [...run.plan.notes, ...diff.left.map((l) => `left out of the search: ${l.package}: ${l.why}`)],
  };
}
