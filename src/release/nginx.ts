/**
 * nginx as the front of the releases: Debian's /usr/sbin/nginx run as our own process with
 * `-p <prefix> -c <conf>` (its pid file in the prefix), configured by ./nginx-conf.ts. A switch
 * writes the new config, checks it with `nginx -t`, then `-s reload`: new workers take new
 * connections to the new color while the old workers finish their in-flight requests and exit.
 * A color that leaves the upstream may be stopped once those workers are gone.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../errors.js';
import { ACCESS_LOG, frontOf, nginxConf, type FrontConfig, type Upstream } from './nginx-conf.js';

const NGINX = process.env.MATRIX_NGINX ?? '/usr/sbin/nginx';

const files = (prefix: string) => ({ conf: path.join(prefix, 'nginx.conf'), pid: path.join(prefix, 'nginx.pid'), errorLog: path.join(prefix, 'error.log') });

async function nginx(prefix: string, args: string[]): Promise<void> {
  const f = files(prefix);
  const r = await execa(NGINX, ['-p', `${prefix}/`, '-c', f.conf, '-e', f.errorLog, ...args], { reject: false, all: true });
  if (r.exitCode !== 0) {
    const why =
      r.code === 'ENOENT' ? `${NGINX} is not installed (apt-get install -y nginx)` : ((r.all ?? '').split('\n').filter(Boolean).at(-1) ?? `exit ${r.exitCode}`);
    throw new InfraError(`nginx ${args.join(' ') || 'start'}: ${why}`);
  }
}

/** The master's pid, when the one of this prefix runs. */
async function masterPid(prefix: string): Promise<number | undefined> {
  const text = await readFile(files(prefix).pid, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function workersOf(master: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === master) out.push(Number(entry));
  }
  return out;
}

export interface Switch {
  /** Written and checked the config, reloaded (or started) nginx. */
  reloadMs: number;
  /** Until the workers of the old config had finished their requests and exited. */
  drainMs: number;
}

/** Points nginx at `c`: starts it when it does not run, else reloads it and waits for the old workers. */
export async function switchFront(c: FrontConfig, drainTimeoutMs = 60_000): Promise<Switch> {
  const r = await reloadFront(c);
  return { reloadMs: r.reloadMs, drainMs: await r.drained(drainTimeoutMs) };
}

/**
 * Writes, checks and reloads, and returns as soon as nginx was told: a rollback answers from the
 * warm color while the old workers still finish their requests. `drained` waits for those.
 */
export async function reloadFront(
  c: FrontConfig,
  opts: { check: boolean } = { check: true },
): Promise<{ reloadMs: number; drained(timeoutMs?: number): Promise<number> }> {
  const t0 = performance.now();
  await mkdir(path.join(c.prefix, 'tmp'), { recursive: true });
  const f = files(c.prefix);
  const master = await masterPid(c.prefix);
  const previous = await readFile(f.conf, 'utf8').catch(() => undefined);
  await writeFile(f.conf, nginxConf(c));
  // `nginx -t` names what is wrong before anything changes. A rollback to the warm color skips it
  // (a process start, 30-100 ms on a busy machine): its config differs from the checked ones only
  // in the upstream lines, and a master given a config it cannot load keeps the old one anyway.
  if (opts.check || !master) {
    try {
      await nginx(c.prefix, ['-t', '-q']);
    } catch (error) {
      if (previous !== undefined) await writeFile(f.conf, previous);
      throw error;
    }
  }
  if (!master) {
    await nginx(c.prefix, []);
    return { reloadMs: Math.round(performance.now() - t0), drained: async () => 0 };
  }
  const old = await workersOf(master);
  // What `nginx -s reload` does, without starting a process to do it.
  process.kill(master, 'SIGHUP');
  const reloadMs = Math.round(performance.now() - t0);
  const t1 = performance.now();
  return {
    reloadMs,
    async drained(timeoutMs = 60_000) {
      while (performance.now() - t1 < timeoutMs) {
        const now = new Set(await workersOf(master));
        if (!old.some((p) => now.has(p))) return Math.round(performance.now() - t1);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new InfraError(`nginx: the workers of the old configuration did not finish within ${timeoutMs / 1000} s`);
    },
  };
}

/** Where the front sends requests now, from the config it runs (the one this tool wrote); undefined when nginx does not run. */
async function frontUpstreams(prefix: string): Promise<Upstream[] | undefined> {
  if (!(await masterPid(prefix))) return undefined;
  return frontOf(await readFile(files(prefix).conf, 'utf8').catch(() => ''));
}

/** The release taking the largest share of requests. */
export async function frontVersion(prefix: string): Promise<string | undefined> {
  return [...((await frontUpstreams(prefix)) ?? [])].sort((a, b) => b.percent - a.percent)[0]?.version;
}

export const accessLogOf = (prefix: string) => path.join(prefix, ACCESS_LOG);
