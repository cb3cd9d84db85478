/** --cell and --shard: which of the planned cells `matrix run` runs. */
import type { Cell } from '../../domain.js';
import { UserError } from '../../errors.js';
import { parseShard, shardCells } from '../../plan/index.js';

/** --cell (ids or names) and --shard i/n over the planned cells, in plan order. */
export function selectCells(cells: Cell[], wanted: string[] | undefined, shard: string | undefined): Cell[] {
  let selected = cells;
  if (wanted?.length) {
    const unknown = wanted.filter((w) => !cells.some((c) => c.id === w || c.name === w));
    if (unknown.length) throw new UserError(`--cell: no cell named ${unknown.map((u) => JSON.stringify(u)).join(', ')} in the plan (see \`matrix plan\`)`);
    selected = cells.filter((c) => wanted.includes(c.id) || wanted.includes(c.name));
  }
  if (shard) {
    const { index, count } = parseShard(shard);
    const inShard = new Set(shardCells(cells, index, count).map((c) => c.id));
    selected = selected.filter((c) => inShard.has(c.id));
  }
  return selected;
}
