/**
 * Why the change is safe to take, from the run itself: the old golden cell as it ran in this run
 * and the new one, their verdicts and figures and the difference, and the cells whose verdicts
 * turned since the run before (src/report/diff.ts, as `matrix diff` decides it). Pure.
 */
import { describeAxes, type CellAxes } from '../axes/index.js';
import type { CellResult, RunReport, Verdict } from '../domain.js';
import { diffRuns, type CellChange } from '../report/diff.js';

export interface Figures {
  bleu?: number;
  chrf?: number;
  p95Ms?: number;
  peakRssMb?: number;
}

export interface GoldenCell {
  id: string;
  name: string;
  /** Its axis values for people: "node 24.1.0, onnxruntime-node 1.20.1, …". */
  axes: string;
  /** How it ran in this run; absent when the run did not have it (its versions left matrix.yaml, or the run was a shard). */
  result?: { verdict: Verdict; reason: string; figures: Figures };
}

export interface Evidence {
  /** The golden cell of the lock in place; null when there is no lock yet. */
  before: GoldenCell | null;
  after: GoldenCell;
  /** after − before, for each figure both cells have. */
  delta: Figures;
  /** The verdicts that turned since the run kept before this one; null when there is none. */
  since: { runId: string; newlyFailing: CellChange[]; newlyPassing: CellChange[]; compared: number } | null;
}

const figuresOf = (r: CellResult): Figures => ({
  ...(r.scores.bleu !== undefined ? { bleu: r.scores.bleu } : {}),
  ...(r.scores.chrf !== undefined ? { chrf: r.scores.chrf } : {}),
  ...(r.latency.p95 !== undefined ? { p95Ms: r.latency.p95 } : {}),
  ...(r.memory.peakRssMb !== undefined ? { peakRssMb: r.memory.peakRssMb } : {}),
});

function goldenCell(cell: { id: string; name: string }, axes: CellAxes, run: RunReport): GoldenCell {
  const r = run.cells.find((c) => c.cell.id === cell.id);
  return { id: cell.id, name: cell.name, axes: describeAxes(axes), ...(r ? { result: { verdict: r.verdict, reason: r.reason, figures: figuresOf(r) } } : {}) };
}

// Two decimals: the figures are stored with one or none, and a subtraction of floats must not print 0.20000000000000284.
const round = (n: number) => Math.round(n * 100) / 100;

function delta(before: Figures | undefined, after: Figures | undefined): Figures {
  const out: Figures = {};
  if (!before || !after) return out;
  for (const key of ['bleu', 'chrf', 'p95Ms', 'peakRssMb'] as const) {
    const [a, b] = [before[key], after[key]];
    if (a !== undefined && b !== undefined) out[key] = round(b - a);
  }
  return out;
}

export function evidenceOf(input: {
  before: { cell: { id: string; name: string }; axes: CellAxes } | undefined;
  after: { cell: { id: string; name: string }; axes: CellAxes };
  run: RunReport;
  previous: RunReport | undefined;
}): Evidence {
  const before = input.before ? goldenCell(input.before.cell, input.before.axes, input.run) : null;
  const after = goldenCell(input.after.cell, input.after.axes, input.run);
  const d = input.previous ? diffRuns(input.previous, input.run) : undefined;
  return {
    before,
    after,
    delta: delta(before?.result?.figures, after.result?.figures),
    since:
      d && input.previous
        ? {
            runId: input.previous.runId,
            newlyFailing: d.newlyFailing,
            newlyPassing: d.newlyPassing,
            compared: d.newlyFailing.length + d.newlyPassing.length + d.changed.length + d.unchanged,
          }
        : null,
  };
}
