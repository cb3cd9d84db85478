/**
 * What is judged across cells after they ran (and again after shards are merged), so it lives
 * apart from the per-cell judge:
 * - drift: a cell that passes every check but translates differently from the reference cell of
 *   the same model variant (variants translate differently by design);
 * - compare: a model variant whose BLEU / chrF is further than its bound from the same cell with
 *   another variant (matrix.yaml `compare: {with: fp32, bleu: 1}`).
 */
import { compareCells, kindOf, modelAxisName, modelOf } from '../axes/index.js';
import type { Cell, CellResult, Check } from '../domain.js';
import { REFERENCE_CHECK, verdictOf } from './checks.js';

const COMPARABLE = new Set(['pass', 'flaky', 'drift']);
const COMPARE_CHECK = 'compare';

/** The drift group of a cell: its model variant, `*` without a model axis. */
const variantGroup = (cell: Cell) => modelOf(cell)?.variant ?? '*';

/**
 * The cell the others of a group are compared with: a named cell (id or name) when it is
 * comparable, `newest`/`oldest` in axis order, else the first comparable cell in the given order.
 */
function chooseReference(results: CellResult[], preferred?: string): CellResult | undefined {
  const comparable = results.filter((r) => COMPARABLE.has(r.verdict) && r.outputs?.length);
  if (preferred === 'newest' || preferred === 'oldest') {
    const sorted = [...comparable].sort((a, b) => compareCells(a.cell, b.cell));
    return preferred === 'newest' ? sorted.at(-1) : sorted[0];
  }
  if (preferred) {
    const named = comparable.find((r) => r.cell.id === preferred || r.cell.name === preferred);
    if (named) return named;
  }
  return comparable[0];
}

/** Identity of a cell on every axis but the model: cells that differ only in their variant share it. */
function besidesModel(cell: Cell): string {
  const skip = modelAxisName(cell);
  return Object.entries(cell.axes)
    .filter(([n]) => n !== skip)
    .map(([n, v]) => `${n}=${kindOf(v).canonical(v)}`)
    .join('\n');
}

const fmt = (n: number) => n.toFixed(2);
const signed = (n: number) => (n >= 0 ? '+' : '−') + fmt(Math.abs(n));

type Metric = 'bleu' | 'chrf';
type Spec = NonNullable<ReturnType<typeof modelOf>>['compare'] & {};
/** One bound of a compare spec: within ± of the other variant on smoke.benchmark, or a gain over it on a named set. */
interface Bound {
  set: string;
  metric: Metric;
  within?: number;
  gain?: number;
}
const METRICS: Metric[] = ['bleu', 'chrf'];
const metricName = (m: Metric) => (m === 'bleu' ? 'BLEU' : 'chrF');
/** `benchmark` is smoke.benchmark; its figures are shown without a prefix, as before sets existed. */
const label = (b: Pick<Bound, 'set' | 'metric'>) => `${b.set === 'benchmark' ? '' : `${b.set} `}${metricName(b.metric)}`;

function boundsOf(spec: Spec): Bound[] {
  const within = METRICS.flatMap((metric) => (spec[metric] !== undefined ? [{ set: 'benchmark', metric, within: spec[metric] }] : []));
  const gains = Object.entries(spec.gain ?? {}).flatMap(([set, g]) =>
    METRICS.flatMap((metric) => (g[metric] !== undefined ? [{ set, metric, gain: g[metric] }] : [])),
  );
  return [...within, ...gains];
}

const scoreOn = (r: CellResult, set: string, metric: Metric) => (set === 'benchmark' ? r.scores[metric] : r.scores.sets?.[set]?.[metric]);
const describeBound = (b: Bound) => (b.within !== undefined ? `${label(b)} within ${b.within}` : `${label(b)} at least ${signed(b.gain!)}`);

/** The compare check of a cell whose variant names another to stay close to (or to beat); undefined otherwise. */
function compareCheck(r: CellResult, all: CellResult[]): Check | undefined {
  const spec = modelOf(r.cell)?.compare;
  if (!spec || r.scores.bleu === undefined) return undefined;
  const key = besidesModel(r.cell);
  const other = all.find((o) => modelOf(o.cell)?.variant === spec.with && besidesModel(o.cell) === key);
  const name = `${COMPARE_CHECK}:${spec.with}`;
  const bounds = boundsOf(spec);
  // Each figure the bounds look at, the primary benchmark's BLEU and chrF always first.
  const shown = [
    ...new Map([{ set: 'benchmark', metric: 'bleu' as Metric }, { set: 'benchmark', metric: 'chrf' as Metric }, ...bounds].map((b) => [label(b), b])).values(),
  ];
  const expected = `${bounds.map(describeBound).join(', ') || 'scores'} of ${spec.with}`;
  const missing = other && shown.find((b) => scoreOn(other, b.set, b.metric) === undefined || scoreOn(r, b.set, b.metric) === undefined);
  if (!other || missing) {
    const unscored = other && (scoreOn(other, missing!.set, missing!.metric) === undefined ? `${other.cell.name} (${other.verdict})` : 'this cell');
    return {
      name,
      status: 'skip',
      expected,
      message: other ? `${label(missing!)} is not scored in ${unscored}` : `no ${spec.with} cell with the same other axes in this run`,
    };
  }
  const delta = (b: Pick<Bound, 'set' | 'metric'>) => scoreOn(r, b.set, b.metric)! - scoreOn(other, b.set, b.metric)!;
  const ok = bounds.every((b) => (b.within !== undefined ? Math.abs(delta(b)) <= b.within : delta(b) >= b.gain!));
  return {
    name,
    status: ok ? 'pass' : 'fail',
    expected: `${expected} (${other.cell.name}: ${shown.map((b) => `${label(b)} ${fmt(scoreOn(other, b.set, b.metric)!)}`).join(', ')})`,
    actual: shown.map((b) => `${label(b)} ${fmt(scoreOn(r, b.set, b.metric)!)} (${signed(delta(b))})`).join(', '),
  };
}

const acrossCheck = (c: Check) => c.name === REFERENCE_CHECK || c.name.startsWith(`${COMPARE_CHECK}:`);

/** Verdicts decided from checks (the others come from how the cell ended: crash, timeout, …). */
const FROM_CHECKS = new Set(['pass', 'flaky', 'drift', 'fail']);

/** A cell's result before anything was judged across cells (so judging again, as merge does, gives the same). */
function ownJudgement(r: CellResult): CellResult {
  if (!r.checks.some(acrossCheck)) return r;
  const checks = r.checks.filter((c) => !acrossCheck(c));
  return { ...r, checks, ...(FROM_CHECKS.has(r.verdict) ? verdictOf(checks, { attempt: r.attempts, repeat: r.repeat }) : {}), drift: undefined };
}

/**
 * The compare checks first (a variant too far from its counterpart fails), then drift per model
 * variant against a reference chosen among the cells still comparable; every verdict is decided
 * again from the checks.
 */
export function judgeAcrossCells(input: CellResult[], sources: string[], preferred?: string): { results: CellResult[]; references: Record<string, string> } {
  const own = input.map(ownJudgement);
  // A cell that failed its own checks still gets the figures of its compare check; its verdict stays.
  const compared = own.map((r) => {
    if (!FROM_CHECKS.has(r.verdict)) return r;
    const compare = compareCheck(r, own);
    if (!compare) return r;
    const checks = [...r.checks, compare];
    return { ...r, checks, ...verdictOf(checks, { attempt: r.attempts, repeat: r.repeat }) };
  });
  const references: Record<string, string> = {};
  for (const group of new Set(compared.map((r) => variantGroup(r.cell)))) {
    const ref = chooseReference(
      compared.filter((r) => variantGroup(r.cell) === group),
      preferred,
    );
    if (ref) references[group] = ref.cell.id;
  }
  const byId = new Map(compared.map((r) => [r.cell.id, r]));
  const results = compared.map((r) => {
    const reference = byId.get(references[variantGroup(r.cell)] ?? '');
    if (!COMPARABLE.has(r.verdict) || !r.outputs?.length || !reference) return r;
    const ref = reference.outputs!;
    const drift: NonNullable<CellResult['drift']> = [];
    if (r.cell.id !== reference.cell.id) {
      ref.forEach((expected, i) => {
        const actual = r.outputs![i];
        if (actual !== expected) drift.push({ source: sources[i] ?? `#${i + 1}`, reference: expected, actual: actual ?? '(missing)' });
      });
    }
    const checks = [
      ...r.checks,
      {
        name: REFERENCE_CHECK,
        status: drift.length ? 'fail' : 'pass',
        expected: `outputs identical to ${reference.cell.name}`,
        actual: drift.length ? `${drift.length} of ${ref.length} sentences differ` : 'identical',
      } satisfies Check,
    ];
    return { ...r, checks, ...verdictOf(checks, { attempt: r.attempts, repeat: r.repeat }), ...(drift.length ? { drift } : { drift: undefined }) };
  });
  return { results, references };
}
