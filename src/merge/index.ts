/**
 * Combining the matrix.json files of CI shards into one run. Pure: inputs in, a merged
 * RunReport (or the reasons it cannot be made) out.
 *
 * - Shards must have judged the same inputs: config, model, cases, template and service hashes,
 *   the backend and the benchmark sentences must match, otherwise their verdicts do not compare
 *   and the merge is refused.
 * - The same cell from two shards with different verdicts is a conflict: the merged run keeps the
 *   failing verdict (so freeze never picks it), lists it in `conflicts`, and the command exits 1.
 * - Drift is judged across cells against one reference cell; each shard only saw its own cells,
 *   so drift is recomputed over the merged cells (when the shards recorded benchmarkSources).
 */
import { PASSING, type CellResult, type RunReport } from '../domain.js';
import { byCell } from '../report/order.js';
import { judgeAcrossCells } from '../verdict/drift.js';

export interface ShardInput {
  /** Where the report came from (a path), for messages and `mergedFrom`. */
  source: string;
  report: RunReport;
}

type Conflict = NonNullable<RunReport['conflicts']>[number];

export type MergeResult = { ok: false; problems: string[] } | { ok: true; report: RunReport; conflicts: Conflict[]; warnings: string[] };

export interface MergeMeta {
  runId: string;
  tool: RunReport['tool'];
}

function sameInputs(first: ShardInput, other: ShardInput): string[] {
  const problems: string[] = [];
  const differ = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      problems.push(`${other.source}: ${what} ${JSON.stringify(b)} differs from ${JSON.stringify(a)} in ${first.source}`);
    }
  };
  differ('config sha256', first.report.config.sha256, other.report.config.sha256);
  for (const key of ['model', 'cases', 'template', 'service'] as const) {
    differ(`${key} hash`, first.report.hashes[key], other.report.hashes[key]);
  }
  differ('backend', first.report.backend, other.report.backend);
  differ('benchmark sentences', first.report.benchmarkSources ?? null, other.report.benchmarkSources ?? null);
  return problems;
}

function shardWarnings(inputs: ShardInput[]): string[] {
  const warnings: string[] = [];
  const versions = new Set(inputs.map((i) => i.report.tool.version));
  if (versions.size > 1) warnings.push(`shards were run by different tool versions: ${[...versions].sort().join(', ')}`);
  for (const i of inputs) if (i.report.interrupted) warnings.push(`${i.source}: the run was interrupted; its missing cells are missing here too`);
  const shards = inputs.map((i) => i.report.shard).filter((s) => s !== undefined);
  const counts = new Set(shards.map((s) => s.count));
  if (counts.size > 1) warnings.push(`shards disagree on the shard count: ${[...counts].sort().join(', ')}`);
  else if (counts.size === 1 && shards.length === inputs.length) {
    const count = [...counts][0]!;
    const seen = new Set(shards.map((s) => s.index));
    const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !seen.has(k));
    if (missing.length)
      warnings.push(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')}: their cells are not in the merged run`);
    if (seen.size < shards.length) warnings.push('the same shard was given more than once');
  }
  return warnings;
}

/** One result per cell id; disagreeing duplicates become conflicts. */
function mergeCells(inputs: ShardInput[]): { cells: CellResult[]; conflicts: Conflict[] } {
  const byId = new Map<string, { source: string; result: CellResult }[]>();
  for (const { source, report } of inputs) {
    for (const result of report.cells) {
      const list = byId.get(result.cell.id) ?? [];
      list.push({ source, result });
      byId.set(result.cell.id, list);
    }
  }
  const cells: CellResult[] = [];
  const conflicts: Conflict[] = [];
  for (const [id, seen] of byId) {
    const verdicts = new Set(seen.map((s) => s.result.verdict));
    if (verdicts.size === 1) {
      // Identical verdicts: keep the most complete copy (one with a lockfile, for freeze).
      cells.push((seen.find((s) => s.result.lockfile !== undefined) ?? seen[0]!).result);
      continue;
    }
    const worst =
      seen.find((s) => !PASSING.has(s.result.verdict) && s.result.verdict !== 'skipped') ?? seen.find((s) => !PASSING.has(s.result.verdict)) ?? seen[0]!;
    const listed = seen.map((s) => ({ source: s.source, verdict: s.result.verdict, reason: s.result.reason }));
    conflicts.push({ cellId: id, name: worst.result.cell.name, verdicts: listed });
    cells.push({
      ...worst.result,
      reason: `conflict between shards: ${listed.map((v) => `${v.verdict} in ${v.source}`).join(', ')}; kept ${worst.result.verdict}: ${worst.result.reason}`,
    });
  }
  return { cells: cells.sort(byCell), conflicts: conflicts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}

export function mergeRuns(inputs: ShardInput[], meta: MergeMeta): MergeResult {
  const first = inputs[0];
  if (!first) return { ok: false, problems: ['nothing to merge: give at least one matrix.json'] };
  const problems = inputs.slice(1).flatMap((other) => sameInputs(first, other));
  if (problems.length) return { ok: false, problems };

  const { cells, conflicts } = mergeCells(inputs);
  const sources = first.report.benchmarkSources;
  // The reference configured in matrix.yaml, as in a full run (per model variant).
  const preferred = first.report.referencePreferred;
  const judged = sources ? judgeAcrossCells(cells, sources, preferred) : { results: cells, references: first.report.references };
  const created = inputs.map((i) => i.report.createdAt).sort();
  const finished = inputs
    .map((i) => i.report.finishedAt)
    .filter((f) => f !== undefined)
    .sort();

  const report: RunReport = {
    schemaVersion: first.report.schemaVersion,
    runId: meta.runId,
    tool: meta.tool,
    createdAt: created[0]!,
    ...(finished.length ? { finishedAt: finished.at(-1)! } : {}),
    backend: first.report.backend,
    config: first.report.config,
    hashes: first.report.hashes,
    references: judged.references,
    ...(first.report.layout ? { layout: first.report.layout } : {}),
    ...(first.report.referencePreferred ? { referencePreferred: first.report.referencePreferred } : {}),
    ...(sources ? { benchmarkSources: sources } : {}),
    interrupted: inputs.some((i) => i.report.interrupted),
    cells: judged.results,
    mergedFrom: inputs.map((i) => ({ runId: i.report.runId, source: i.source, ...(i.report.shard ? { shard: i.report.shard } : {}) })),
    ...(conflicts.length ? { conflicts } : {}),
  };
  return { ok: true, report, conflicts, warnings: shardWarnings(inputs) };
}
