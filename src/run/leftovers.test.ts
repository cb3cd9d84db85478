import { describe, expect, it } from 'vitest';
import { staleByPid, staleRuns, sweptLine, type RunRecord } from './leftovers.js';

const record = (runId: string, pid: number, started: string, host = 'ci-1'): RunRecord => ({ runId, pid, host, started, engines: [] });

describe('staleRuns', () => {
  // pid → its start time now: 100 runs since tick 5000, 200 is another process than the one recorded, 300 is gone.
  const startOf = (pid: number) => ({ 100: '5000', 200: '9999' })[pid];
  it.each([
    ['its runner still runs', record('a', 100, '5000'), false],
    ['its pid is gone', record('b', 300, '7000'), true],
    ['its pid now belongs to a process started later', record('c', 200, '6000'), true],
    ['it was recorded on another host (a shared cache folder)', record('d', 300, '7000', 'ci-2'), false],
  ])('a run whose %s: stale %s', (_what, r, stale) => {
    expect(staleRuns([r], 'ci-1', startOf)).toEqual(stale ? [r] : []);
  });
});

describe('staleByPid', () => {
  it('keeps names of live pids and names without one', () => {
    const alive = (pid: number) => pid === 42;
    expect(staleByPid(['node-20.20.2-42', 'node-20.20.2-43', 'debian-bookworm-43.tar', 'debian-bookworm-42.tar', 'notes'], alive)).toEqual([
      'node-20.20.2-43',
      'debian-bookworm-43.tar',
    ]);
  });
});

describe('sweptLine', () => {
  it('says nothing when nothing was left', () => {
    expect(sweptLine({ runs: [], containers: 0, volumes: 0, processes: 0, folders: 0 })).toBeUndefined();
  });
  it('names the runs and counts what was removed, in one line', () => {
    expect(sweptLine({ runs: ['20261208T020000Z-ab12'], containers: 3, volumes: 1, processes: 2, folders: 1 })).toBe(
      'removed what killed runs left of run 20261208T020000Z-ab12, whose runner is gone: 3 containers, 1 volume, 2 processes, 1 scratch folder',
    );
    expect(sweptLine({ runs: ['a', 'b'], containers: 0, volumes: 0, processes: 0, folders: 0 })).toBe(
      'removed what killed runs left of runs a, b, whose runner is gone: their records',
    );
  });
});
