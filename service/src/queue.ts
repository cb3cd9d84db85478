/**
 * The inference queue. One batch runs at a time on the translator's one pair of sessions (each
 * pass on ORT_THREADS intra-op threads, 1 by default); requests waiting behind it are merged into
 * the next pass when their options match. A full queue is
 * refused at once (the HTTP layer answers 503 with Retry-After) instead of letting latency grow
 * without bound.
 */
export interface QueueOptions {
  /** Requests allowed to wait while a batch runs; beyond that `submit` rejects with QueueFullError. */
  maxPending: number;
  /** Texts merged into one pass at most. */
  maxBatchTexts: number;
  /** Told of each run's text count and of each refusal (the service's metrics). */
  onRun?(texts: number): void;
  onReject?(): void;
}

export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}

interface Job<O> {
  texts: readonly string[];
  options: O;
  key: string;
  resolve: (out: string[]) => void;
  reject: (error: unknown) => void;
}

export class InferenceQueue<O> {
  private readonly waiting: Job<O>[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly run: (texts: readonly string[], options: O) => Promise<string[]>,
    private readonly options: QueueOptions,
  ) {}

  get pending(): number {
    return this.waiting.length;
  }

  get busy(): boolean {
    return this.running || this.waiting.length > 0;
  }

  submit(texts: readonly string[], options: O): Promise<string[]> {
    if (this.running && this.waiting.length >= this.options.maxPending) {
      this.options.onReject?.();
      return Promise.reject(new QueueFullError(`inference queue is full (${this.waiting.length} waiting)`));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ texts, options, key: JSON.stringify(options), resolve, reject });
      void this.pump();
    });
  }

  /** Resolves when nothing runs or waits. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length) {
        const first = this.waiting.shift()!;
        const batch = [first];
        let count = first.texts.length;
        for (let i = 0; i < this.waiting.length; ) {
          const job = this.waiting[i];
          if (job.key === first.key && count + job.texts.length <= this.options.maxBatchTexts) {
            batch.push(job);
            count += job.texts.length;
            this.waiting.splice(i, 1);
          } else i++;
        }
        this.options.onRun?.(count);
        try {
          const out = await this.run(
            batch.flatMap((j) => j.texts),
            first.options,
          );
          let at = 0;
          for (const job of batch) {
            job.resolve(out.slice(at, at + job.texts.length));
            at += job.texts.length;
          }
        } catch (error) {
          for (const job of batch) job.reject(error);
        }
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
