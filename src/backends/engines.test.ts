import { describe, expect, test } from 'vitest';
import type { Cell } from '../domain.js';
import type { DockerBackend } from './docker/index.js';
import { dockerOptionsOf, EnginesBackend, pickEngine } from './engines.js';
import type { PrepareContext, RunningService } from './types.js';

describe('dockerOptionsOf: endpoints as DOCKER_HOST writes them', () => {
  test.each([
    ['unix:///tmp/e1/docker.sock', { socketPath: '/tmp/e1/docker.sock', host: undefined }],
    ['tcp://127.0.0.1:2376', { protocol: 'http', host: '127.0.0.1', port: 2376 }],
    ['ssh://ci@127.0.0.1:2222', { protocol: 'ssh', host: '127.0.0.1', port: 2222, username: 'ci' }],
    ['ssh://127.0.0.1', { protocol: 'ssh', host: '127.0.0.1' }],
  ])('%s', (host, options) => expect(dockerOptionsOf(host)).toEqual(options));
});

describe('pickEngine: the most free slots, ties to the first listed', () => {
  test.each([
    ['both idle', [0, 0], [1, 1], 0],
    ['the first busy', [1, 0], [1, 1], 1],
    ['more free on the bigger one', [1, 0], [2, 1], 0],
    ['the bigger one has fewer free', [1, 0], [2, 2], 1],
    ['all full', [2, 1], [2, 1], undefined],
  ])('%s', (_what, busy, concurrency, want) => expect(pickEngine(busy, concurrency)).toBe(want));
});

describe('EnginesBackend: each engine takes as many cells as its concurrency', () => {
  const fake = (name: string, log: string[]) =>
    ({
      reason: `fake ${name}`,
      prepare: async (cell: Cell) => {
        log.push(`${name}:${cell.id}`);
        return { cell, baseId: name, logTail: '' };
      },
      start: async () => ({}) as RunningService,
      baseIdentity: async () => name,
      cleanup: async () => undefined,
      healthy: async () => true,
    }) as unknown as DockerBackend;
  const cell = (id: string) => ({ id }) as Cell;
  const ctx = { onLog: () => undefined } as unknown as PrepareContext;

  test('spreads cells, names the engine, and waits for a free slot when all are full', async () => {
    const log: string[] = [];
    const b = new EnginesBackend([
      { spec: { name: 'a', host: 'unix:///a', concurrency: 2 }, backend: fake('a', log) },
      { spec: { name: 'b', host: 'unix:///b', concurrency: 1 }, backend: fake('b', log) },
    ]);
    expect(b.concurrency).toBe(3);
    const placed = await Promise.all(['1', '2', '3'].map((id) => b.prepare(cell(id), ctx)));
    expect(placed.map((p) => p.engine)).toEqual(['a', 'a', 'b']);
    let fourth: string | undefined;
    const waiting = b.prepare(cell('4'), ctx).then((p) => (fourth = p.engine));
    await new Promise((r) => setTimeout(r, 20));
    expect(fourth).toBeUndefined();
    b.done(cell('3'));
    await waiting;
    expect(fourth).toBe('b');
  });
});
