/**
 * A Podman service of the test's own (`podman system service`, rootful) on a unix socket, with
 * its store, run root and configuration in a temp folder: an empty engine every time, as a new
 * machine has. The configuration is the one docs/podman.md describes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';

export interface PodmanService {
  /** As DOCKER_HOST is written. */
  host: string;
  /** `podman` with this service's store and configuration, for the test's own looks. */
  podman(args: string[]): Promise<string>;
  /** Remove its containers, SIGTERM to the service by its PID, unmount what it left, remove the folder. */
  remove(): Promise<void>;
}

/** Podman for e2e tests: absent → skip with a reason, except in CI where it is a failure. */
export async function podmanOrSkip(): Promise<{ ok: boolean; reason: string }> {
  const r = await execa('podman', ['--version'], { reject: false });
  if (r.exitCode === 0) return { ok: true, reason: '' };
  const reason = `podman is not installed (${(r.stderr || r.stdout || (r as { code?: string }).code || 'not found').split('\n')[0]})`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}: .ci/run must install it`);
  console.warn(`skipping Podman e2e tests: ${reason}`);
  return { ok: false, reason };
}

/** The hard limit of one resource of this process, from /proc/self/limits. */
function hardLimit(name: string): string {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(name));
  return line?.slice(26).trim().split(/\s+/)[1] ?? 'unlimited';
}

export async function startPodman(): Promise<PodmanService> {
  // Short: the socket path must stay under the 108-byte limit of unix sockets.
  const dir = mkdtempSync(path.join(tmpdir(), 'pod-'));
  const host = `unix://${dir}/podman.sock`;
  // Short names never resolve to a registry (the compat API reads them as docker.io/… anyway;
  // the backend names its images localhost/…, see src/backends/docker/engine.ts).
  writeFileSync(path.join(dir, 'registries.conf'), 'unqualified-search-registries = []\nshort-name-mode = "disabled"\n');
  // No systemd or journald on a CI machine. Rootful Podman raises nofile and nproc to 1048576 in
  // each container, which fails where root lacks CAP_SYS_RESOURCE (in a container, as in CI):
  // the limits this process has, as dockerd's containers inherit dockerd's (nproc: pid_max at most).
  const pidMax = readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim();
  const nproc = hardLimit('Max processes') === 'unlimited' ? pidMax : String(Math.min(Number(hardLimit('Max processes')), Number(pidMax)));
  const nofile = hardLimit('Max open files');
  writeFileSync(
    path.join(dir, 'containers.conf'),
    `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n`,
  );
  const env = { CONTAINERS_CONF: path.join(dir, 'containers.conf'), CONTAINERS_REGISTRIES_CONF: path.join(dir, 'registries.conf') };
  const store = ['--root', `${dir}/root`, '--runroot', `${dir}/run`, '--tmpdir', `${dir}/tmp`];
  const child: ResultPromise = execa('podman', [...store, 'system', 'service', '--time=0', host], { reject: false, stdio: 'ignore', env });
  for (let i = 0; i < 60 && !(await answers(`${dir}/podman.sock`)); i++) await new Promise((r) => setTimeout(r, 500));
  if (!(await answers(`${dir}/podman.sock`))) throw new Error(`podman system service on ${host} did not answer`);
  return {
    host,
    podman: async (args) => (await execa('podman', [...store, ...args], { env })).stdout,
    async remove() {
      // Containers outlive the service (each is a child of its own conmon): remove them first.
      await execa('podman', [...store, 'rm', '--all', '--force', '--time', '0'], { env, reject: false });
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await child;
      clearTimeout(timer);
      // Podman leaves its overlay mounts behind: unmount them, deepest first.
      const mounts = readFileSync('/proc/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1] ?? '')
        .filter((m) => m.startsWith(`${dir}/`));
      for (const m of mounts.sort().reverse()) await execa('umount', ['-l', m], { reject: false });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
