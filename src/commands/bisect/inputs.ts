/**
 * Everything `matrix bisect` needs before the first cell runs, gathered at the edge: what
 * `matrix run` needs (prepareRun: the same settings, hashes and resolver, so the cache keys are
 * the same), the releases of the bisected axis' package, the packuments and model facts the
 * planner plans each candidate from, and the golden lock for the other axes' defaults.
 */
import path from 'node:path';
import { shownAxes } from '../../axes/index.js';
import { bisectable, candidateCell, fixedAxes, searchPath, type CandidateInputs, type FixedAxes } from '../../bisect/index.js';
import type { Cell } from '../../domain.js';
import { UserError } from '../../errors.js';
import { readGoldenLock } from '../../freeze/index.js';
import { shown } from '../../fs/shown.js';
import { packagesOf, readModelFacts } from '../../plan/index.js';
import type { Project } from '../../project/index.js';
import { prepareRun, type RunInputs } from '../../project/run-inputs.js';
import { PackageNotFound, type Packument } from '../../registry/index.js';

export interface BisectInputs {
  run: RunInputs;
  /** From the good bound to the bad one, both included. */
  path: string[];
  pkg: string;
  fixed: FixedAxes;
  /** The cell `matrix run` would give this version of the bisected axis with the fixed values. */
  cellFor(version: string): Cell;
  notes: string[];
}

export interface BisectRequest {
  project: Project;
  axis: string;
  good: string;
  bad: string;
  withs: string[];
}

const orThrow = <T extends object>(r: T | { problem: string }): T => {
  if ('problem' in r) throw new UserError(r.problem);
  return r;
};

export async function prepareBisect(req: BisectRequest): Promise<BisectInputs> {
  const { project } = req;
  const run = await prepareRun(project, { offline: false });
  const { config, root } = project;
  const { axis, pkg } = orThrow(bisectable(config, req.axis));

  const lockFile = path.join(root, config.freeze.lockfile);
  const lock = await readGoldenLock(lockFile);
  const first = run.plan.cells.find((c) => c.status === 'planned');
  const { fixed } = orThrow(
    fixedAxes({
      axes: Object.keys(config.axes),
      bisected: req.axis,
      withs: req.withs,
      ...(lock ? { golden: shownAxes(lock.axes), goldenFile: shown(lockFile) } : {}),
      ...(first ? { first: shownAxes(first.axes) } : {}),
    }),
  );

  // The same registry cache as the plan of prepareRun, asked once for the whole bisect.
  const registry = await project.registry(false);
  const docs: Record<string, Packument> = {};
  for (const name of packagesOf(config)) {
    try {
      docs[name] = await registry.packument(name);
    } catch (error) {
      // prepareRun planned this config already: a package that vanished since is the user's to fix.
      if (error instanceof PackageNotFound) throw new UserError(error.message);
      throw error;
    }
  }
  const releases = docs[pkg] ? Object.keys(docs[pkg].versions) : [];
  const { path: versions } = orThrow(searchPath(releases, pkg, req.good, req.bad));
  const { models } = await readModelFacts(config, root, project.digests);
  const { facts: service } = await project.service();

  const candidate: CandidateInputs = { config, name: req.axis, axis, fixed, docs, now: new Date(), service, models };
  const cellFor = (version: string) => orThrow(candidateCell(version, candidate)).cell;
  // A value of --with (or of the lock) the plan does not have fails here, before anything runs.
  cellFor(req.good);
  return { run, path: versions, pkg, fixed, cellFor, notes: [...run.plan.notes, ...registry.notes()] };
}
