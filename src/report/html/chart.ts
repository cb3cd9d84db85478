/**
 * Inline SVG charts for one cell: latency (p50, p95 and every sample) and quality (BLEU, chrF).
 * Plain SVG strings, so the page stays self-contained and the charts are testable as text.
 */
import type { CellResult } from '../../domain.js';
import { escapeHtml as esc } from './escape.js';

interface Bar {
  label: string;
  value: number | undefined;
  max: number;
  unit: string;
  className: string;
}

const WIDTH = 360;
const LABEL = 70;
const ROW = 18;

function bars(title: string, items: Bar[]): string {
  const shown = items.filter((b) => b.value !== undefined);
  if (!shown.length) return '';
  const height = shown.length * ROW + 22;
  const rows = shown.map((b, i) => {
    const y = 20 + i * ROW;
    const w = b.max > 0 ? Math.max(1, Math.round(((b.value ?? 0) / b.max) * (WIDTH - LABEL - 60))) : 1;
    return (
      `<text x="0" y="${y + 11}" class="axis">${esc(b.label)}</text>` +
      `<rect x="${LABEL}" y="${y}" width="${w}" height="${ROW - 5}" class="${b.className}"><title>${esc(b.label)}: ${b.value}${b.unit}</title></rect>` +
      `<text x="${LABEL + w + 4}" y="${y + 11}" class="value">${Number(b.value!.toFixed(1))}${esc(b.unit)}</text>`
    );
  });
  return `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}"><text x="0" y="12" class="title">${esc(title)}</text>${rows.join('')}</svg>`;
}

/** Latency samples in the order they were taken, one thin bar each. */
function samples(values: number[], max: number): string {
  if (!values.length || max <= 0) return '';
  const h = 40;
  const step = (WIDTH - LABEL) / values.length;
  const rects = values
    .map((v, i) => {
      const bh = Math.max(1, Math.round((v / max) * h));
      return `<rect x="${(LABEL + i * step).toFixed(1)}" y="${h - bh + 16}" width="${Math.max(1, step - 1).toFixed(1)}" height="${bh}" class="sample"><title>#${i + 1}: ${v} ms</title></rect>`;
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="latency samples" viewBox="0 0 ${WIDTH} ${h + 20}" width="${WIDTH}" height="${h + 20}"><text x="0" y="12" class="title">latency per request (ms)</text>${rects}</svg>`;
}

/** `maxLatency` is shared by every cell of the run so bars compare across cells. */
export function cellCharts(r: CellResult, maxLatency: number): string {
  return [
    bars('latency (ms)', [
      { label: 'p50', value: r.latency.p50, max: maxLatency, unit: ' ms', className: 'lat' },
      { label: 'p95', value: r.latency.p95, max: maxLatency, unit: ' ms', className: 'lat95' },
    ]),
    samples(r.latency.samples ?? [], maxLatency),
    bars('quality (0–100)', [
      { label: 'BLEU', value: r.scores.bleu, max: 100, unit: '', className: 'bleu' },
      { label: 'chrF', value: r.scores.chrf, max: 100, unit: '', className: 'chrf' },
    ]),
  ].join('');
}
