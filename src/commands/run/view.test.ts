import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cellOf, makeCell } from '../../../test/fixtures/runs/make.js';
import type { Io } from '../../io.js';
import type { RunEvent } from '../../run/run.js';
import { createView, renderLine, renderLive, type ViewState } from './view.js';

const cell = cellOf({ node: '22.11.0', ort: '1.20.1', verdict: 'pass' });
const other = cellOf({ node: '20.18.1', ort: '1.19.2', verdict: 'pass' });
const NAME = 'node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32';
const OTHER = 'node20.18.1-ort1.19.2-hf-tokenizers0.2.0-express5.1.0-fp32';
const passed = makeCell({ node: '22.11.0', ort: '1.20.1', verdict: 'pass' });

const state = (over: Partial<ViewState> = {}): ViewState => ({ total: 4, done: [], active: new Map(), startedAt: 0, ...over });
const bar = (hashes: number) => `[${'#'.repeat(hashes)}${'-'.repeat(30 - hashes)}]`;

describe('renderLive', () => {
  it.each<[string, ViewState, number, string]>([
    ['nothing done yet: an empty bar, no ETA', state(), 2_000, `  ${bar(0)} 0/4 cells, 2.0s`],
    ['half done in 10 s: half a bar, 10 s to go', state({ done: [passed, passed] }), 10_000, `  ${bar(15)} 2/4 cells, 10s ETA 10s`],
    ['all done: a full bar, no ETA', state({ done: [passed, passed, passed, passed] }), 65_000, `  ${bar(30)} 4/4 cells, 65s`],
    ['an empty plan: a full bar', state({ total: 0 }), 500, `  ${bar(30)} 0/0 cells, 0.5s`],
  ])('%s', (_name, s, now, expected) => {
    expect(renderLive(s, now)).toBe(expected);
  });

  it('shows each active cell with its phase, its time since the cell started and the phase detail, cut to the width', () => {
    const active = new Map([
      [cell.id, { cell, phase: 'smoke' as const, detail: 'case greeting', since: 9_000, startedAt: 5_000 }],
      [other.id, { cell: other, phase: 'prepare' as const, since: 4_000 }],
    ]);
    const [first, second, last] = renderLive(state({ active }), 12_000, 200).split('\n');
    expect(first).toBe(`  ${NAME.padEnd(44)} smoke      7.0s  case greeting`);
    expect(second).toBe(`  ${OTHER.padEnd(44)} prepare    8.0s  `);
    expect(last).toBe(`  ${bar(0)} 0/4 cells, 12s`);
    expect(renderLive(state({ active }), 12_000, 40).split('\n')[0]).toBe(`  ${NAME}`.slice(0, 39));
  });
});

describe('renderLine', () => {
  const phase = (over: Partial<Extract<RunEvent, { type: 'phase' }>>): RunEvent => ({ type: 'phase', cell, phase: 'start', ...over });
  it.each<[string, RunEvent, string | undefined]>([
    ['a phase', phase({}), `      ${NAME}: start`],
    ['a retry', phase({ phase: 'smoke', attempt: 2 }), `      ${NAME}: smoke (attempt 2)`],
    ['the first attempt says nothing of attempts', phase({ attempt: 1 }), `      ${NAME}: start`],
    ['one of repeated runs', phase({ phase: 'smoke', run: { index: 2, of: 5 } }), `      ${NAME}: smoke (run 2/5)`],
    ['queued: no line', phase({ phase: 'queued' }), undefined],
    ['a detail inside a phase: no line', phase({ phase: 'prepare', detail: 'npm ci' }), undefined],
    ['a result, counted', { type: 'done', result: passed }, `[1/4] ${NAME}: pass — all checks passed`],
    ['a cached result', { type: 'done', result: { ...passed, cached: true } }, `[1/4] ${NAME}: pass (cached) — all checks passed`],
  ])('%s', (_name, e, expected) => {
    expect(renderLine(e, state({ done: [passed] }))).toBe(expected);
  });
});

describe('createView', () => {
  const capture = (isTTY: boolean) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), isTTY, color: false, columns: 120 };
    return { io, out, err };
  };
  const stdout = vi.spyOn(process.stdout, 'write');
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-08T01:02:03Z'));
    stdout.mockClear();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('off a terminal: one timestamped line per phase and result on stderr, nothing on stdout', () => {
    const { io, out, err } = capture(false);
    const view = createView(io, 2);
    view.onEvent({ type: 'phase', cell, phase: 'queued' });
    view.onEvent({ type: 'phase', cell, phase: 'prepare' });
    view.onEvent({ type: 'phase', cell, phase: 'prepare', detail: 'npm ci' });
    view.onEvent({ type: 'done', result: passed });
    view.close();
    expect(err).toEqual([`01:02:03       ${NAME}: prepare`, `01:02:03 [1/2] ${NAME}: pass — all checks passed`]);
    expect(out).toEqual([]);
    expect(stdout).not.toHaveBeenCalled();
  });

  it('on a terminal: the block redrawn in place through io.out, results above it, erased on close', () => {
    const { io, out, err } = capture(true);
    const view = createView(io, 2);
    view.onEvent({ type: 'phase', cell, phase: 'prepare' });
    vi.advanceTimersByTime(1_000);
    view.onEvent({ type: 'phase', cell, phase: 'smoke' });
    view.onEvent({ type: 'done', result: passed });
    view.close();
    vi.advanceTimersByTime(1_000);
    const erase2 = '\x1b[2A\x1b[J';
    // The block: one line for the active cell and the bar (2 lines), then the bar alone.
    expect(out[0]).toBe(`  ${NAME.padEnd(44)} prepare    0.0s  \n  ${bar(0)} 0/2 cells, 0.0s`);
    // Redrawn every 250 ms over itself; the 4th redraw is at 1 s.
    expect(out.slice(1, 5).every((t) => t.startsWith(erase2))).toBe(true);
    expect(out[4]).toBe(`${erase2}  ${NAME.padEnd(44)} prepare    1.0s  \n  ${bar(0)} 0/2 cells, 1.0s`);
    expect(out[5]).toBe(`${erase2}  ${NAME.padEnd(44)} smoke      1.0s  \n  ${bar(0)} 0/2 cells, 1.0s`);
    expect(out[6]).toBe(`${erase2}[1/2] ${NAME}: pass — all checks passed`);
    expect(out[7]).toBe(`  ${bar(15)} 1/2 cells, 1.0s ETA 1.0s`);
    // io.out adds a newline: one line up more, so the cursor ends where the block began.
    expect(out[8]).toBe('\x1b[1A\x1b[J\x1b[1A');
    expect(out).toHaveLength(9);
    expect(err).toEqual([]);
    expect(stdout).not.toHaveBeenCalled();
  });

  it('draws for the width the Io reports', () => {
    const { io, out } = capture(true);
    const view = createView({ ...io, columns: 30 }, 1);
    view.onEvent({ type: 'phase', cell, phase: 'start' });
    view.close();
    expect(out[0]!.split('\n')[0]).toBe(`  ${NAME}`.slice(0, 29));
  });
});
