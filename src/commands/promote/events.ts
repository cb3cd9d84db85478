/**
 * `matrix promote --events ndjson`: the rollout as one JSON object a line on stdout, like `matrix
 * run --events ndjson` (the text goes to stderr): `start` first (with `eventsVersion`), `checked`
 * after the pre-switch check, `step` at each change of the weights, `interval` for each judgement
 * and its decision, `rollback` when the old release takes the requests back, `end` last with the
 * exit code. Each line is one write(); a write error (the reader went away) ends the stream quietly.
 */
import type { RolloutEvent } from '../../release/index.js';

export const PROMOTE_EVENTS_VERSION = 1;

export type PromoteEvent =
  | { type: 'start'; eventsVersion: number; release: string; steps: number[]; intervalMs: number; observeMs: number }
  | RolloutEvent
  | { type: 'end'; result: 'promoted' | 'refused' | 'rolled-back'; exitCode: number };

export function promoteEvents(enabled: boolean): (e: PromoteEvent) => void {
  if (!enabled) return () => undefined;
  let broken = false;
  process.stdout.on('error', () => (broken = true));
  return (e) => {
    if (broken) return;
    try {
      process.stdout.write(`${JSON.stringify(e)}\n`);
    } catch {
      broken = true;
    }
  };
}
