/**
 * A Docker engine of the test's own: its own data root, exec root, pidfile and socket in a temp
 * folder, host-only networking. Tests can stop it by its PID mid-run and start it again on the
 * same data root, as a daemon crash and restart would.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';

export interface Engine {
  host: string;
  pid(): number | undefined;
  start(): Promise<void>;
  /** SIGTERM to dockerd, as `systemctl stop docker` would; resolves once it has exited. */
  stop(): Promise<void>;
  /** Stop and remove its folder. */
  remove(): Promise<void>;
}

export function ownEngine(): Engine {
  // Short: containerd's socket paths must stay under the 108-byte limit of unix sockets.
  const dir = mkdtempSync(path.join(tmpdir(), 'eng-'));
  const host = `unix://${dir}/docker.sock`;
  let child: ResultPromise | undefined;
  const engine: Engine = {
    host,
    pid: () => child?.pid,
    async start() {
      child = execa(
        'dockerd',
        [
          '--data-root',
          `${dir}/data`,
          '--exec-root',
          `${dir}/exec`,
          '--pidfile',
          `${dir}/docker.pid`,
          '--host',
          host,
          '--bridge=none',
          '--iptables=false',
          '--ip6tables=false',
        ],
        { reject: false, stdio: 'ignore' },
      );
      for (let i = 0; i < 120; i++) {
        const r = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false, env: { DOCKER_HOST: host } });
        if (r.exitCode === 0) return;
        await new Promise((res) => setTimeout(res, 500));
      }
      throw new Error(`dockerd with data root ${dir}/data did not start`);
    },
    async stop() {
      if (!child) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 30_000);
      await child;
      clearTimeout(timer);
      child = undefined;
    },
    async remove() {
      await engine.stop();
      // dockerd leaves mounts behind (overlay layers, exec/netns/default): unmount them, deepest first.
      const mounts = readFileSync('/proc/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1] ?? '')
        .filter((m) => m.startsWith(`${dir}/`));
      for (const m of mounts.sort().reverse()) await execa('umount', ['-l', m], { reject: false });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return engine;
}
