/**
 * `matrix upgrade`: what freezing a run would change against the golden lock in place, with the
 * evidence from the run, as the body of a pull request. Deciding is this pure function, from the
 * old lock, freeze's own plan (src/freeze planFreeze: the same choice, the same files) and the
 * runs; src/commands/upgrade reads, renders and writes.
 */
import { axisChanges } from '../axes/index.js';
import type { RunReport } from '../domain.js';
import type { FreezePlan, GoldenLock, Policy } from '../freeze/index.js';
import { axisValueChanges, packageChanges, type Change } from './changes.js';
import { evidenceOf, type Evidence } from './evidence.js';

export type { Change } from './changes.js';
export type { Figures, GoldenCell } from './evidence.js';

/** The version of `matrix upgrade --json` (docs/upgrade.md). */
const UPGRADE_VERSION = 1;

export interface Upgrade {
  upgradeVersion: typeof UPGRADE_VERSION;
  /** The run that would be frozen. */
  runId: string;
  /** The golden lock, and the run it was frozen from (null when there is no lock yet). */
  lock: { path: string; runId: string | null };
  policy: Policy;
  /** Why freeze chooses the new golden cell: the explanation the new lock stores. */
  explanation: string[];
  /** The golden cell's axis values that change, as people read them. */
  axes: { axis: string; from: string; to: string }[];
  /** Node first, then the model, then direct packages, then transitive ones; empty: nothing to change. */
  changes: Change[];
  /** The files freeze writes whose content is not already what it would write. */
  files: string[];
  evidence: Evidence;
}

export function decideUpgrade(input: {
  /** The golden lock in place, if any. */
  lock: GoldenLock | undefined;
  /** What freeze would write for `run`. */
  plan: FreezePlan;
  run: RunReport;
  /** The run kept before `run`, to tell which verdicts turned. */
  previous: RunReport | undefined;
  /** The current content of each file the plan writes, by its path (undefined: no such file). */
  onDisk: Record<string, string | undefined>;
}): Upgrade {
  const { lock: old, plan, run } = input;
  const lock = plan.lock;
  return {
    upgradeVersion: UPGRADE_VERSION,
    runId: run.runId,
    lock: { path: plan.files.lock.path, runId: old?.report.runId ?? null },
    policy: lock.selection.policy,
    explanation: lock.selection.explanation,
    axes: old ? axisChanges(old.axes, lock.axes).map(({ axis, from, to }) => ({ axis, from, to })) : [],
    changes: [...axisValueChanges(old, lock), ...packageChanges(old, lock)],
    files: [plan.files.lock, ...plan.files.service].filter((f) => input.onDisk[f.path] !== f.content).map((f) => f.path),
    evidence: evidenceOf({ before: old, after: lock, run, previous: input.previous }),
  };
}
