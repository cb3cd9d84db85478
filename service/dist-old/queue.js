export class QueueFullError extends Error {
    constructor() {
        super(...arguments);
        this.name = 'QueueFullError';
    }
}
export class InferenceQueue {
    constructor(run, options) {
        this.run = run;
        this.options = options;
        this.waiting = [];
        this.running = false;
        this.idleWaiters = [];
    }
    get pending() {
        return this.waiting.length;
    }
    get busy() {
        return this.running || this.waiting.length > 0;
    }
    submit(texts, options) {
        if (this.running && this.waiting.length >= this.options.maxPending) {
            return Promise.reject(new QueueFullError(`inference queue is full (${this.waiting.length} waiting)`));
        }
        return new Promise((resolve, reject) => {
            this.waiting.push({ texts, options, key: JSON.stringify(options), resolve, reject });
            void this.pump();
        });
    }
    /** Resolves when nothing runs or waits. */
    idle() {
        if (!this.busy)
            return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }
    async pump() {
        if (this.running)
            return;
        this.running = true;
        try {
            while (this.waiting.length) {
                const first = this.waiting.shift();
                const batch = [first];
                let count = first.texts.length;
                for (let i = 0; i < this.waiting.length;) {
                    const job = this.waiting[i];
                    if (job.key === first.key && count + job.texts.length <= this.options.maxBatchTexts) {
                        batch.push(job);
                        count += job.texts.length;
                        this.waiting.splice(i, 1);
                    }
                    else
                        i++;
                }
                try {
                    const out = await this.run(batch.flatMap((j) => j.texts), first.options);
                    let at = 0;
                    for (const job of batch) {
                        job.resolve(out.slice(at, at + job.texts.length));
                        at += job.texts.length;
                    }
                }
                catch (error) {
                    for (const job of batch)
                        job.reject(error);
                }
            }
        }
        finally {
            this.running = false;
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters)
                w();
        }
    }
}
