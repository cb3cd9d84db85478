/**
 * The figures a grid cell shows (BLEU, chrF, p95 latency, peak memory, start time) and the color
 * scale of each across the run's cells: pure, so the scale is tested as data and the page only
 * carries the step of each cell (a data attribute) for CSS to color.
 */
import type { CellResult } from '../../domain.js';

export type FigureKey = 'bleu' | 'chrf' | 'p95' | 'memory' | 'start';

export interface Figure {
  key: FigureKey;
  /** As the grid and the scale control name it. */
  label: string;
  /** Quality is better high, cost (time, memory) better low. */
  better: 'higher' | 'lower';
  value: (r: CellResult) => number | undefined;
  text: (v: number) => string;
}

const fixed1 = (v: number) => v.toFixed(1);
const ms = (v: number) => `${Math.round(v)} ms`;

export const FIGURES: Figure[] = [
  { key: 'bleu', label: 'BLEU', better: 'higher', value: (r) => r.scores.bleu, text: fixed1 },
  { key: 'chrf', label: 'chrF', better: 'higher', value: (r) => r.scores.chrf, text: fixed1 },
  { key: 'p95', label: 'p95', better: 'lower', value: (r) => r.latency.p95, text: ms },
  { key: 'memory', label: 'memory', better: 'lower', value: (r) => r.memory.peakRssMb, text: (v) => `${Math.round(v)} MB` },
  { key: 'start', label: 'start', better: 'lower', value: (r) => r.startupMs, text: ms },
];

/** Steps of every scale: 0 is the worst cell of the run, SCALE_STEPS - 1 the best. */
export const SCALE_STEPS = 5;

/**
 * Each value's step between the worst and the best of `values` (linear, rounded); undefined
 * where there is no value. When every value is the same there is nothing to rank: the middle step.
 */
export function scaleSteps(values: (number | undefined)[], better: Figure['better']): (number | undefined)[] {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (!known.length) return values.map(() => undefined);
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const top = SCALE_STEPS - 1;
  return values.map((v) => {
    if (v === undefined || !Number.isFinite(v)) return undefined;
    if (hi === lo) return Math.floor(top / 2);
    const goodness = better === 'higher' ? (v - lo) / (hi - lo) : (hi - v) / (hi - lo);
    return Math.round(goodness * top);
  });
}

/** Cell id → figure → step, over the cells of one run. */
export function runScales(cells: CellResult[]): Map<string, Partial<Record<FigureKey, number>>> {
  const out = new Map(cells.map((r) => [r.cell.id, {} as Partial<Record<FigureKey, number>>]));
  for (const f of FIGURES) {
    const steps = scaleSteps(cells.map(f.value), f.better);
    cells.forEach((r, i) => {
      if (steps[i] !== undefined) out.get(r.cell.id)![f.key] = steps[i];
    });
  }
  return out;
}
