/**
 * A real container registry for tests: Debian's `docker-registry` (distribution 2.8) on
 * 127.0.0.1 with a temp config and storage. Docker engines treat 127.0.0.0/8 as an insecure
 * registry by default, so pushing to it needs no daemon flag.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

/** Debian's docker-registry for e2e tests: absent → skip with a reason, except in CI where it is a failure. */
export function registryOrSkip(): { ok: boolean; reason: string } {
  if (existsSync(REGISTRY_BIN)) return { ok: true, reason: '' };
  const reason = `${REGISTRY_BIN} is not installed`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}: .ci/run must install docker-registry`);
  console.warn(`skipping registry e2e tests: ${reason}`);
  return { ok: false, reason };
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RegistryServer {
  /** 127.0.0.1:<port>, as release.registry takes it. */
  host: string;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<RegistryServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-'));
  const port = await freeLoopbackPort();
  const host = `127.0.0.1:${port}`;
  writeFileSync(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: {level: warn, accesslog: {disabled: true}}',
      `storage: {filesystem: {rootdirectory: ${dir}/data}}`,
      `http: {addr: ${host}}`,
      '',
    ].join('\n'),
  );
  const child: ResultPromise = execa(REGISTRY_BIN, ['serve', path.join(dir, 'config.yml')], { reject: false, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://${host}/v2/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (i === 99) throw new Error(`docker-registry did not answer on ${host}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    async stop() {
      child.kill('SIGTERM');
      await child;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
