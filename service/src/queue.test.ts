import { describe, expect, it } from 'vitest';
import { InferenceQueue, QueueFullError } from './queue.js';

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

describe('InferenceQueue', () => {
  it('runs one batch at a time and merges waiting requests with the same options', async () => {
    const gate = deferred();
    const calls: string[][] = [];
    const queue = new InferenceQueue<{ beams: number }>(
      async (texts) => {
        calls.push([...texts]);
        await gate.promise;
        return texts.map((t) => t.toUpperCase());
      },
      { maxPending: 10, maxBatchTexts: 8 },
    );
    const first = queue.submit(['a'], { beams: 1 });
    const second = queue.submit(['b', 'c'], { beams: 1 });
    const third = queue.submit(['d'], { beams: 4 });
    const fourth = queue.submit(['e'], { beams: 1 });
    gate.release();
    expect(await first).toEqual(['A']);
    expect(await second).toEqual(['B', 'C']);
    expect(await fourth).toEqual(['E']);
    expect(await third).toEqual(['D']);
    expect(calls).toEqual([['a'], ['b', 'c', 'e'], ['d']]);
  });

  it('refuses work beyond maxPending while a batch runs', async () => {
    const gate = deferred();
    const queue = new InferenceQueue<object>(
      async (texts) => {
        await gate.promise;
        return [...texts];
      },
      { maxPending: 1, maxBatchTexts: 1 },
    );
    const running = queue.submit(['a'], {});
    const waiting = queue.submit(['b'], {});
    await expect(queue.submit(['c'], {})).rejects.toBeInstanceOf(QueueFullError);
    gate.release();
    await expect(Promise.all([running, waiting])).resolves.toEqual([['a'], ['b']]);
  });

  it('rejects every request of a failed batch and keeps going', async () => {
    let fail = true;
    const queue = new InferenceQueue<object>(
      async (texts) => {
        if (fail) {
          fail = false;
          throw new Error('boom');
        }
        return [...texts];
      },
      { maxPending: 5, maxBatchTexts: 5 },
    );
    await expect(queue.submit(['a'], {})).rejects.toThrow('boom');
    await expect(queue.submit(['b'], {})).resolves.toEqual(['b']);
  });

  it('idle() waits for in-flight work', async () => {
    const gate = deferred();
    const queue = new InferenceQueue<object>(
      async (texts) => {
        await gate.promise;
        return [...texts];
      },
      { maxPending: 5, maxBatchTexts: 5 },
    );
    let settled = false;
    void queue.submit(['a'], {});
    const idle = queue.idle().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(settled).toBe(false);
    gate.release();
    await idle;
    expect(queue.busy).toBe(false);
  });

  it("tells onRun each run's text count and onReject each refusal, where it decides them", async () => {
    const gate = deferred();
    const runs: number[] = [];
    let rejected = 0;
    const queue = new InferenceQueue<object>(
      async (texts) => {
        await gate.promise;
        return [...texts];
      },
      { maxPending: 2, maxBatchTexts: 8, onRun: (n) => runs.push(n), onReject: () => rejected++ },
    );
    const all = [queue.submit(['a'], {}), queue.submit(['b', 'c'], {}), queue.submit(['d'], {})];
    await expect(queue.submit(['e'], {})).rejects.toBeInstanceOf(QueueFullError);
    await expect(queue.submit(['f'], {})).rejects.toBeInstanceOf(QueueFullError);
    gate.release();
    await Promise.all(all);
    expect(runs).toEqual([1, 3]);
    expect(rejected).toBe(2);
  });
});
