/** A cell as scripts read it (`matrix plan --json`, the run's `plan` event): its axes as name → resolved value. */
import { shownAxes } from '../axes/index.js';
import type { Cell } from '../domain.js';

export function cellJson(c: Cell) {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    ...(c.skipReason ? { skipReason: c.skipReason } : {}),
    ...(c.allowFailure ? { allowFailure: true as const, ...(c.allowFailureReason ? { allowFailureReason: c.allowFailureReason } : {}) } : {}),
    axes: shownAxes(c.axes),
  };
}
