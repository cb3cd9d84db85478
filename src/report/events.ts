/**
 * The event stream of `matrix run --events ndjson` / `--events-file`: one JSON object per line,
 * `plan` first (with `eventsVersion`), then `phase` and `result` as cells move, `end` last. The
 * zod schemas are the one source of the types, of the validation in the tests and of
 * schema/events.schema.json (`npm run regenerate`). Pure: the command writes the lines.
 */
import { z } from 'zod';
import { cellJson } from '../plan/json.js';
import { Verdict, type Cell, type CellResult } from '../domain.js';
import type { Phase, RunEvent } from '../run/run.js';

/** Bumped on any incompatible change of a line's shape (docs/reports.md#events). */
const EVENTS_VERSION = 1;

const PHASES = ['queued', 'cached', 'prepare', 'start', 'smoke', 'stop', 'done'] as const satisfies readonly Phase[];
// Both ways: a phase added to src/run/run.ts must be added here, or this line stops compiling.
const _everyPhase: Record<Phase, true> = Object.fromEntries(PHASES.map((p) => [p, true])) as Record<(typeof PHASES)[number], true>;
void _everyPhase;

/** A planned cell as `matrix plan --json` shows it. */
const PlannedCell = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['planned', 'skipped']),
  skipReason: z.string().optional(),
  allowFailure: z.literal(true).optional(),
  allowFailureReason: z.string().optional(),
  /** Axis name → the resolved value as one line (`20.20.2`, `@huggingface/tokenizers@0.2.0`). */
  axes: z.record(z.string(), z.string()),
});

const PlanEvent = z.object({
  type: z.literal('plan'),
  eventsVersion: z.literal(EVENTS_VERSION),
  runId: z.string(),
  backend: z.enum(['docker', 'local']),
  cells: z.array(PlannedCell),
});

const PhaseEvent = z.object({
  type: z.literal('phase'),
  cellId: z.string(),
  phase: z.enum(PHASES),
  /** Attempt of the smoke phases (from 1; above 1 after a retry). */
  attempt: z.number().int().min(1).optional(),
  /** Which run of a `--repeat N` cell. */
  run: z.object({ index: z.number().int().min(1), of: z.number().int().min(1) }).optional(),
  /** One line of the phase's log (install/build output). */
  detail: z.string().optional(),
});

/**
 * A cell's verdict. A cell can have two: when it finishes, and again after the run when comparing
 * translations across cells changed it (drift). The last one is the verdict matrix.json records.
 */
const ResultEvent = z.object({
  type: z.literal('result'),
  cellId: z.string(),
  verdict: Verdict,
  reason: z.string(),
  scores: z.object({ bleu: z.number(), chrf: z.number(), ter: z.number() }).partial(),
  cached: z.boolean(),
  allowFailure: z.boolean(),
});

export const EndEvent = z.object({
  type: z.literal('end'),
  /** Verdict → number of cells with it (verdicts no cell has are left out). */
  counts: z.partialRecord(Verdict, z.number().int().min(0)),
  /** The exit code `matrix run` returns (docs/reports.md#exit-codes). */
  exitCode: z.number().int(),
  /** reports/<run-id>, relative to the working directory. */
  reportDir: z.string(),
  interrupted: z.boolean(),
});

export const RunEventLine = z.discriminatedUnion('type', [PlanEvent, PhaseEvent, ResultEvent, EndEvent]);
export type RunEventLine = z.infer<typeof RunEventLine>;
export type EndEvent = z.infer<typeof EndEvent>;

export function planEvent(runId: string, backend: 'docker' | 'local', cells: Cell[]): RunEventLine {
  return {
    type: 'plan',
    eventsVersion: EVENTS_VERSION,
    runId,
    backend,
    cells: cells.map(cellJson),
  };
}

function resultEvent(r: CellResult): RunEventLine {
  return { type: 'result', cellId: r.cell.id, verdict: r.verdict, reason: r.reason, scores: r.scores, cached: r.cached, allowFailure: r.allowFailure };
}

/** The line of one event of the runner. */
export function fromRunEvent(e: RunEvent): RunEventLine {
  if (e.type === 'done') return resultEvent(e.result);
  return {
    type: 'phase',
    cellId: e.cell.id,
    phase: e.phase,
    ...(e.attempt !== undefined ? { attempt: e.attempt } : {}),
    ...(e.run ? { run: { index: e.run.index, of: e.run.of } } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
  };
}

/** The results whose verdict or reason the across-cells judgement (drift) changed after they finished. */
export function changedResults(finished: CellResult[], final: CellResult[]): RunEventLine[] {
  const before = new Map(finished.map((r) => [r.cell.id, r]));
  return final.filter((r) => before.get(r.cell.id)?.verdict !== r.verdict || before.get(r.cell.id)?.reason !== r.reason).map(resultEvent);
}

export function endEvent(results: CellResult[], e: Omit<EndEvent, 'type' | 'counts'>): RunEventLine {
  const counts: EndEvent['counts'] = {};
  for (const r of results) counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
  return { type: 'end', counts, ...e };
}

/** One line of the stream: JSON.stringify never emits a raw newline, so a line is one event. */
export const eventLine = (e: RunEventLine): string => `${JSON.stringify(e)}\n`;

function eventsJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(RunEventLine, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: `urn:onnx-matrix:schema:events:${EVENTS_VERSION}`,
    title: 'matrix run --events ndjson',
    description: `One line of the event stream of \`matrix run --events ndjson\` (eventsVersion ${EVENTS_VERSION}, on the first line): plan, phase, result, end. See docs/reports.md#events.`,
    ...rest,
  };
}

export const renderEventsSchema = () => `${JSON.stringify(eventsJsonSchema(), null, 2)}\n`;
