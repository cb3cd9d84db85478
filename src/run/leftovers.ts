/**
 * What runs that no longer exist left behind, decided purely. A run writes a record when it
 * starts (./sweep.ts) and removes it when it ends; a runner killed with SIGKILL (the OOM killer,
 * a cancelled CI job, `kill -9`) never removes it, nor its cell containers, volumes, service
 * processes and scratch folders. A record is stale when its process is gone: same host, and no
 * process with that pid started at that time (a pid is reused; its start time is not).
 */

/** A run in progress, as its record says (`.matrix-cache/runs/<runId>.json`). */
export interface RunRecord {
  runId: string;
  pid: number;
  /** os.hostname(): a record of another machine (a shared cache folder) is never judged here. */
  host: string;
  /** When the process started (/proc/<pid>/stat starttime), to tell a reused pid from the run's. */
  started: string;
  /** The engines the run's cells ran on (DOCKER_HOST forms); none for the local backend. */
  engines: string[];
}

/** A process's start time, or undefined when no process has that pid. */
export type StartOf = (pid: number) => string | undefined;

/** Pure: the records whose run no longer exists. */
export function staleRuns(records: RunRecord[], host: string, startOf: StartOf): RunRecord[] {
  return records.filter((r) => r.host === host && startOf(r.pid) !== r.started);
}

/**
 * Pure: scratch names that carry the pid of the process that made them (`node-20.20.2-1234`,
 * `debian-bookworm-1234.tar`) and whose process is gone; a name without a pid is kept.
 */
export function staleByPid(names: string[], alive: (pid: number) => boolean): string[] {
  return names.filter((n) => {
    const pid = /-(\d+)(?:\.tar)?$/.exec(n)?.[1];
    return pid !== undefined && !alive(Number(pid));
  });
}

/** What the sweep removed, for its one line. */
export interface Swept {
  runs: string[];
  containers: number;
  volumes: number;
  processes: number;
  folders: number;
}

const count = (n: number, one: string, many = `${one}s`) => (n ? [`${n} ${n === 1 ? one : many}`] : []);

/** Pure: one line saying what was removed, or undefined when nothing was. */
export function sweptLine(s: Swept): string | undefined {
  const parts = [
    ...count(s.containers, 'container'),
    ...count(s.volumes, 'volume'),
    ...count(s.processes, 'process', 'processes'),
    ...count(s.folders, 'scratch folder'),
  ];
  if (!s.runs.length && !parts.length) return undefined;
  const runs = s.runs.length ? ` of ${s.runs.length === 1 ? 'run' : 'runs'} ${s.runs.join(', ')}, whose runner is gone` : '';
  return `removed what killed runs left${runs}: ${parts.join(', ') || 'their records'}`;
}
