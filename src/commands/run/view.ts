/**
 * Progress of a run: a live block on a terminal (each active cell's phase and time, an overall
 * bar and ETA), plain timestamped lines otherwise (CI logs). Rendering is pure; the driver
 * only decides when to write.
 */
import type { Cell, CellResult } from '../../domain.js';
import type { Phase, RunEvent } from '../../run/run.js';
import type { Io } from '../../io.js';

interface Row {
  cell: Cell;
  phase: Phase;
  detail?: string;
  since: number;
  startedAt?: number;
}

export interface ViewState {
  total: number;
  done: CellResult[];
  active: Map<string, Row>;
  startedAt: number;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

/** Pure: the live block for a terminal of `width` columns. */
export function renderLive(state: ViewState, now: number, width = 100): string {
  const lines: string[] = [];
  for (const row of state.active.values()) {
    const line = `  ${row.cell.name.padEnd(44)} ${row.phase.padEnd(8)} ${secs(now - (row.startedAt ?? row.since)).padStart(6)}  ${row.detail ?? ''}`;
    lines.push(line.slice(0, width - 1));
  }
  const n = state.done.length;
  const barWidth = 30;
  const filled = state.total ? Math.round((n / state.total) * barWidth) : barWidth;
  const elapsed = now - state.startedAt;
  const eta = n > 0 && n < state.total ? ` ETA ${secs((elapsed / n) * (state.total - n))}` : '';
  lines.push(`  [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${n}/${state.total} cells, ${secs(elapsed)}${eta}`);
  return lines.join('\n');
}

/** Pure: one log line for an event (non-TTY output). */
export function renderLine(e: RunEvent, state: ViewState): string | undefined {
  if (e.type === 'done') {
    const r = e.result;
    return `[${state.done.length}/${state.total}] ${r.cell.name}: ${r.verdict}${r.cached ? ' (cached)' : ''} — ${r.reason}`;
  }
  if (e.phase === 'queued' || e.detail) return undefined;
  const which = e.run ? ` (run ${e.run.index}/${e.run.of})` : e.attempt && e.attempt > 1 ? ` (attempt ${e.attempt})` : '';
  return `      ${e.cell.name}: ${e.phase}${which}`;
}

/** Erases the live block of `lines` lines; the cursor is left where the block started. */
const erase = (lines: number) => (lines ? `\x1b[${lines}A\x1b[J` : '');

export function createView(io: Io, total: number) {
  const state: ViewState = { total, done: [], active: new Map(), startedAt: Date.now() };
  let drawn = 0;
  const draw = () => {
    if (!io.isTTY) return;
    const block = renderLive(state, Date.now(), io.columns ?? 100);
    io.out(erase(drawn) + block);
    drawn = block.split('\n').length;
  };
  const timer = io.isTTY ? setInterval(draw, 250) : undefined;
  timer?.unref();
  return {
    onEvent(e: RunEvent) {
      if (e.type === 'done') {
        state.active.delete(e.result.cell.id);
        state.done.push(e.result);
      } else if (e.phase !== 'queued') {
        const prev = state.active.get(e.cell.id);
        state.active.set(e.cell.id, {
          cell: e.cell,
          phase: e.phase,
          ...(e.detail ? { detail: e.detail } : {}),
          since: prev?.phase === e.phase ? prev.since : Date.now(),
          startedAt: prev?.startedAt ?? Date.now(),
        });
      }
      if (io.isTTY) {
        if (e.type === 'done') {
          io.out(erase(drawn) + renderLine(e, state)!);
          drawn = 0;
        }
        draw();
      } else {
        const line = renderLine(e, state);
        if (line) io.err(`${new Date().toISOString().slice(11, 19)} ${line}`);
      }
    },
    close() {
      if (timer) clearInterval(timer);
      // io.out ends the text with a newline: go up one line more first, so that newline lands
      // the cursor where the block started and no blank line is left above what follows.
      if (io.isTTY && drawn) io.out(`${erase(drawn)}\x1b[1A`);
      drawn = 0;
    },
  };
}
