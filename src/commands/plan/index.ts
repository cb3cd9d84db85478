/**
 * `matrix plan`: resolve versions and list the cells that would run, with skip reasons.
 * --format table (default) | json | github (--max-jobs, default 256); --shard i/n; --offline.
 * Exit 0, or 2 on bad input.
 */
import type { Io } from '../../io.js';
import { buildPlan } from '../../plan/build.js';
import { openProject } from '../../project/index.js';
import { parseShard, shard } from '../../plan/shard.js';
import { positiveInt } from '../flags.js';
import { GITHUB_MAX_JOBS, renderGithub, renderJson, renderTable } from './render.js';

export default async function plan(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const spec = typeof opts.shard === 'string' ? parseShard(opts.shard) : undefined;
  const maxJobs = opts.maxJobs === undefined ? GITHUB_MAX_JOBS : positiveInt(opts.maxJobs, '--max-jobs', 1, GITHUB_MAX_JOBS);
  const p = await buildPlan(await openProject(String(opts.config ?? 'matrix.yaml')), { offline: Boolean(opts.offline) });
  const cells = spec ? shard(p.cells, spec.index, spec.count) : p.cells;
  const format = opts.json ? 'json' : String(opts.format ?? 'table');
  // Notes go to stderr in every format: stdout stays machine-readable for json/github.
  for (const note of p.notes) io.err(`note: ${note}`);
  if (format === 'json') io.out(renderJson(p, cells, spec));
  else if (format === 'github') io.out(renderGithub(cells, maxJobs));
  else io.out(renderTable(p, cells, io.color));
  return 0;
}
