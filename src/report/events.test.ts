import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { standardRun } from '../../test/fixtures/runs/make.js';
import { changedResults, endEvent, eventLine, fromRunEvent, planEvent, renderEventsSchema, RunEventLine } from './events.js';

const file = fileURLToPath(new URL('../../schema/events.schema.json', import.meta.url));
const REGENERATE = 'run `npm run regenerate` and review the diff';
const run = standardRun();
const [first, second] = run.cells;

describe('schema/events.schema.json', () => {
  test('is in sync with the RunEventLine zod schema (`npm run regenerate` rewrites it)', () => {
    expect(existsSync(file), `schema/events.schema.json is missing: ${REGENERATE}`).toBe(true);
    expect(readFileSync(file, 'utf8'), `schema/events.schema.json is stale: ${REGENERATE}`).toBe(renderEventsSchema());
  });
});

describe('event lines', () => {
  test.each<[string, RunEventLine]>([
    [
      'plan',
      planEvent(
        run.runId,
        'local',
        run.cells.map((r) => r.cell),
      ),
    ],
    ['phase', fromRunEvent({ type: 'phase', cell: first!.cell, phase: 'smoke', attempt: 2, run: { index: 1, of: 3 } })],
    ['phase with a log line', fromRunEvent({ type: 'phase', cell: first!.cell, phase: 'prepare', detail: 'added 12 packages\nin 2s' })],
    ['result', fromRunEvent({ type: 'done', result: first! })],
    ['end', endEvent(run.cells, { exitCode: 1, reportDir: 'reports/x', interrupted: false })],
  ])('%s is one line that parses back to itself', (_, e) => {
    const line = eventLine(e);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(RunEventLine.parse(JSON.parse(line))).toEqual(e);
  });

  test('the plan shows each cell as `matrix plan --json` does', () => {
    const plan = planEvent(run.runId, 'docker', [first!.cell]);
    expect(plan).toMatchObject({ type: 'plan', eventsVersion: 1, cells: [{ id: first!.cell.id, name: first!.cell.name, status: first!.cell.status }] });
    if (plan.type === 'plan') expect(plan.cells[0]!.axes.tokenizer).toMatch(/^@huggingface\/tokenizers@/);
  });

  test('end counts the cells by verdict', () => {
    expect(endEvent([first!, first!, { ...second!, verdict: 'crash' }], { exitCode: 1, reportDir: 'r', interrupted: true })).toEqual({
      type: 'end',
      counts: { [first!.verdict]: 2, crash: 1 },
      exitCode: 1,
      reportDir: 'r',
      interrupted: true,
    });
  });

  test('a verdict changed after the cells finished (drift) is sent again, the others are not', () => {
    const drifted = { ...second!, verdict: 'drift' as const, reason: 'translates 2 of 20 sentences differently' };
    expect(changedResults([first!, second!], [first!, drifted])).toEqual([fromRunEvent({ type: 'done', result: drifted })]);
  });
});
