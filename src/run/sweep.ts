/**
 * The effects of ./leftovers.ts: a run's record written when it starts and removed when it ends,
 * and the sweep every command that starts cells does first: for each run whose runner is gone,
 * its service and npm processes (their folder is the run's scratch folder), its containers and
 * volumes on the engines it used, and its scratch folders are removed.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { dockerOptionsOf } from '../backends/engines.js';
import { dockerEndpoint } from '../backends/index.js';
import { removeRunOnEngine } from '../backends/docker/index.js';
import { staleByPid, staleRuns, sweptLine, type RunRecord, type Swept } from './leftovers.js';

const runsDir = (cacheDir: string) => path.join(cacheDir, 'runs');

/** /proc/<pid>/stat's starttime (field 22, after the command name in parentheses); '' where there is no /proc but the pid answers. */
function startOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    if (process.platform === 'linux') return undefined;
    try {
      process.kill(pid, 0);
      return '';
    } catch {
      return undefined;
    }
  }
}

const alive = (pid: number) => startOf(pid) !== undefined;

/**
 * What a command that starts cells does first: sweep what gone runs left (the line to show, if
 * any), then record its own run on the engines it uses. `end` removes the record once the run
 * has cleaned up after itself.
 */
export async function beginRun(
  cacheDir: string,
  runId: string,
  backend: 'docker' | 'local',
  /** run.engines' hosts; the default engine otherwise. */
  engineHosts: string[] | undefined,
): Promise<{ swept: string | undefined; end: () => Promise<void> }> {
  const swept = await sweepLeftovers(cacheDir);
  const end = await recordRun(cacheDir, runId, backend === 'docker' ? (engineHosts ?? [dockerEndpoint()]) : []);
  return { swept, end };
}

async function recordRun(cacheDir: string, runId: string, engines: string[]): Promise<() => Promise<void>> {
  const file = path.join(runsDir(cacheDir), `${runId}.json`);
  const record: RunRecord = { runId, pid: process.pid, host: os.hostname(), started: startOf(process.pid) ?? '', engines };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(record)}\n`);
  return () => rm(file, { force: true });
}

/** The runs recorded in this cache that are not gone (after a sweep: the runs in progress, and those of other hosts). */
export async function recordedRuns(cacheDir: string): Promise<string[]> {
  return (await records(cacheDir)).map((r) => r.runId);
}

async function records(cacheDir: string): Promise<RunRecord[]> {
  const names = await readdir(runsDir(cacheDir)).catch(() => [] as string[]);
  const read = await Promise.all(
    names
      .filter((n) => n.endsWith('.json'))
      .map((n) =>
        readFile(path.join(runsDir(cacheDir), n), 'utf8').then(
          (t) => JSON.parse(t) as RunRecord,
          () => undefined,
        ),
      ),
  );
  return read.filter((r): r is RunRecord => typeof r?.runId === 'string' && typeof r.pid === 'number' && Array.isArray(r.engines));
}

/** Processes whose working folder is under `dir` (the run's scratch folder): a killed runner's services and npms. */
function processesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cwd = readlinkSync(`/proc/${p}/cwd`);
      if (cwd === dir || cwd.startsWith(dir + path.sep)) pids.push(Number(p));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** The scratch folders a run has: `work/<runId>` of the project's cache and of each engine's (backends/index.ts). */
async function workDirs(cacheDir: string, runId: string): Promise<string[]> {
  const engines = await readdir(path.join(cacheDir, 'engines')).catch(() => [] as string[]);
  return [path.join(cacheDir, 'work', runId), ...engines.map((e) => path.join(cacheDir, 'engines', e, 'work', runId))];
}

async function exists(p: string): Promise<boolean> {
  return readdir(p).then(
    () => true,
    () => false,
  );
}

/** Removes what runs whose runner is gone left; one line saying what, or undefined when there was nothing. */
export async function sweepLeftovers(cacheDir: string): Promise<string | undefined> {
  const swept: Swept = { runs: [], containers: 0, volumes: 0, processes: 0, folders: 0 };
  for (const run of staleRuns(await records(cacheDir), os.hostname(), startOf)) {
    swept.runs.push(run.runId);
    for (const dir of await workDirs(cacheDir, run.runId)) {
      for (const pid of process.platform === 'linux' ? processesUnder(dir) : []) {
        try {
          process.kill(pid, 'SIGKILL');
          swept.processes++;
        } catch {
          // ended meanwhile
        }
      }
      if (await exists(dir)) swept.folders++;
      await rm(dir, { recursive: true, force: true });
    }
    for (const host of run.engines) {
      const removed = await removeRunOnEngine(new Docker({ ...dockerOptionsOf(host), timeout: 10_000 } as Docker.DockerOptions), run.runId);
      swept.containers += removed.containers;
      swept.volumes += removed.volumes;
    }
    await rm(path.join(runsDir(cacheDir), `${run.runId}.json`), { force: true });
  }
  // Base-image scratch named by the pid that made it (backends/docker/base.ts).
  const baseContext = path.join(cacheDir, 'base-context');
  for (const name of staleByPid(await readdir(baseContext).catch(() => [] as string[]), alive)) {
    await rm(path.join(baseContext, name), { recursive: true, force: true });
    swept.folders++;
  }
  const tars = (await readdir(cacheDir).catch(() => [] as string[])).filter((n) => /^debian-.+\.tar$/.test(n));
  for (const name of staleByPid(tars, alive)) {
    await rm(path.join(cacheDir, name), { force: true });
    swept.folders++;
  }
  return sweptLine(swept);
}
