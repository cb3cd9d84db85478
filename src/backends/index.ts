/**
 * The backends a run can use. Add one by implementing Backend (./types.ts) and choosing it here.
 * `auto` means Docker whenever a daemon answers, else the local backend, and says why.
 */
import path from 'node:path';
import Docker from 'dockerode';
import { InfraError } from '../errors.js';
import type { Backend } from './types.js';
import { DockerBackend, type DockerOptions, type InstallMode } from './docker/index.js';
import { engineName, engineOf, type Engine, type VersionAnswer } from './docker/engine.js';
import { LocalBackend } from './local/index.js';
import { dockerOptionsOf, EnginesBackend, type EngineSpec } from './engines.js';

export type BackendChoice = 'auto' | 'docker' | 'local';

export interface BackendSettings {
  cacheDir: string;
  /** The npm package of Node binaries base images are built from (the runtime axis' source). */
  nodePackage: string;
  /** Shared installs (one per distinct lockfile and runtime) or one per cell (run.install, --install). */
  install: InstallMode;
  /** The user's npm settings and credentials for installs (src/registry/credentials.ts). */
  npmrc?: string;
  docker: Omit<DockerOptions, 'reason' | 'engine' | 'cacheDir' | 'nodePackage' | 'install' | 'npmrc'>;
  /** run.engines: several engines to spread the cells over (./engines.ts). */
  engines?: EngineSpec[];
}

export function dockerEndpoint(): string {
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

/** Asks the daemon (DOCKER_HOST's, or the one `options` name) for its version and which engine it is (Docker or Podman), within a few seconds; the error text says why not. */
export async function probeDocker(options: Docker.DockerOptions = {}): Promise<{ ok: true; docker: Docker; engine: Engine } | { ok: false; why: string }> {
  const docker = new Docker({ ...options, timeout: 3000 } as Docker.DockerOptions);
  try {
    const engine = engineOf((await docker.version()) as VersionAnswer);
    // Long builds must not be cut by the probe's short timeout.
    return { ok: true, docker: new Docker(options), engine };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { ok: false, why: e.code ?? e.message.split('\n')[0] ?? 'no answer' };
  }
}

export async function chooseBackend(choice: BackendChoice, s: BackendSettings): Promise<Backend> {
  const local = (reason: string) => new LocalBackend({ cacheDir: s.cacheDir, install: s.install, ...(s.npmrc ? { npmrc: s.npmrc } : {}), reason });
  if (choice === 'local') return local('local backend requested (--backend local)');
  const docker = (client: Docker, engine: Engine, reason: string, cacheDir = s.cacheDir) =>
    new DockerBackend(client, {
      ...s.docker,
      engine,
      cacheDir,
      nodePackage: s.nodePackage,
      install: s.install,
      ...(s.npmrc ? { npmrc: s.npmrc } : {}),
      reason,
    });
  if (s.engines) {
    const probes = await Promise.all(s.engines.map((e) => probeDocker(dockerOptionsOf(e.host))));
    const down = s.engines.flatMap((e, i) => {
      const p = probes[i]!;
      return p.ok ? [] : [`${e.name} at ${e.host} (${p.why})`];
    });
    if (down.length === s.engines.length && choice === 'auto') return local(`no engine of run.engines answered (${down.join('; ')}): using the local backend`);
    if (down.length) throw new InfraError(`run.engines: ${down.join('; ')} did not answer; start it, or remove it from run.engines`);
    return new EnginesBackend(
      s.engines.map((spec, i) => {
        const p = probes[i] as { docker: Docker; engine: Engine };
        // A folder of its own per engine: their build contexts and base builds must not share paths.
        return { spec, backend: docker(p.docker, p.engine, `${engineName(p.engine)} at ${spec.host}`, path.join(s.cacheDir, 'engines', String(i + 1))) };
      }),
    );
  }
  const probe = await probeDocker();
  if (probe.ok) {
    const reason = `${engineName(probe.engine)} answered at ${dockerEndpoint()}${choice === 'auto' ? '' : ' (--backend docker)'}`;
    return docker(probe.docker, probe.engine, reason);
  }
  if (choice === 'docker') throw new InfraError(`no Docker daemon answered at ${dockerEndpoint()} (${probe.why}); start dockerd or use --backend local`);
  return local(`no Docker daemon answered at ${dockerEndpoint()} (${probe.why}): using the local backend`);
}
