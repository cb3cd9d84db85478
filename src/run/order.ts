/**
 * The order cells start in. Cells that install the same tree (the same runtime, dependencies and
 * install settings; a model variant changes none of them) share one install on both backends, so
 * running them side by side would leave one waiting on the other's install. Pure: the first cell
 * of every distinct install comes first, in plan order, then the second of each, and so on.
 */
import { dependenciesOf, runtimeOf } from '../axes/index.js';
import type { Cell } from '../domain.js';

const installKeyOf = (cell: Cell): string => JSON.stringify([runtimeOf(cell).version, dependenciesOf(cell.axes).set, cell.install]);

/** Indexes into `cells`, in the order they should start. */
export function startOrder(cells: Cell[]): number[] {
  const groups = new Map<string, number[]>();
  cells.forEach((cell, i) => {
    const key = cell.status === 'planned' ? installKeyOf(cell) : `skipped:${i}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const order: number[] = [];
  for (let round = 0; order.length < cells.length; round++) {
    for (const members of groups.values()) if (members[round] !== undefined) order.push(members[round]!);
  }
  return order;
}
