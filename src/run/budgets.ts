/**
 * A cell's prepare has two budgets, matrix.yaml `run.timeouts.install` and `.build`. Each is
 * spent only while a step of its kind runs (a step of both kinds, such as a per-cell image
 * whose Dockerfile runs `npm ci`, spends both), so a slow base build never eats the install's
 * time. A step's signal aborts when a budget it spends runs out or the run is interrupted.
 */
type PreparePhase = 'install' | 'build';

export interface PrepareBudgets {
  within<T>(phases: PreparePhase | PreparePhase[], step: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** The budget that ran out first, if one did. */
  ranOut(): PreparePhase | undefined;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export function prepareBudgets(ms: Record<PreparePhase, number>, interrupt: AbortSignal): PrepareBudgets {
  const left = { ...ms };
  let spent: PreparePhase | undefined;
  return {
    async within(phases, step) {
      const list = [phases].flat();
      const timer = new AbortController();
      const t0 = Date.now();
      // Node fires a timer of more than 2^31-1 ms at once: such a budget never runs out here.
      const timers = list.flatMap((p) =>
        left[p] > MAX_TIMER_MS
          ? []
          : [
              setTimeout(
                () => {
                  spent ??= p;
                  timer.abort(new Error(`the ${p} timeout ran out`));
                },
                Math.max(0, left[p]),
              ),
            ],
      );
      try {
        return await step(AbortSignal.any([interrupt, timer.signal]));
      } finally {
        for (const t of timers) clearTimeout(t);
        for (const p of list) left[p] -= Date.now() - t0;
      }
    },
    ranOut: () => spent,
  };
}
