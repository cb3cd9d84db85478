/**
 * The release runtimes, by the backend a release records: `docker` needs a daemon (without one the
 * command says so in one line, exit 3), `local` needs none. `matrix release --backend auto` builds
 * with Docker when a daemon answers, else locally, as `matrix run` chooses.
 */
import { engineName, type Engine } from '../../backends/docker/engine.js';
import type { MatrixConfig } from '../../config/schema.js';
import { InfraError } from '../../errors.js';
import type { ReleaseSettings } from '../settings.js';
import type { ReleaseBackend } from '../state.js';
import { dockerRuntime } from './docker.js';
import { localRuntime } from './local.js';
import type { ReleaseRuntime } from './types.js';

export type { ArtifactInputs, Artifact, ColorRun, ReleaseRuntime } from './types.js';
export { runsIn, stopProcess } from './processes.js';

async function daemon(): Promise<{ ok: true; docker: import('dockerode'); engine: Engine } | { ok: false; why: string }> {
  const { dockerEndpoint, probeDocker } = await import('../../backends/index.js');
  const probe = await probeDocker();
  return probe.ok
    ? { ok: true, docker: probe.docker, engine: probe.engine }
    : { ok: false, why: `no Docker daemon answered at ${dockerEndpoint()} (${probe.why})` };
}

/** The runtime of a release's backend; `needs` says in the one line who needed Docker. */
export async function releaseRuntime(backend: ReleaseBackend, config: MatrixConfig, settings: ReleaseSettings, needs: string): Promise<ReleaseRuntime> {
  if (backend === 'local') return localRuntime(settings);
  const d = await daemon();
  if (!d.ok) throw new InfraError(`${needs} needs Docker: ${d.why}`);
  return dockerRuntime(d.docker, d.engine, config, settings);
}

/** `--backend auto|docker|local` of `matrix release`, and why that one. */
export async function chooseReleaseRuntime(
  choice: 'auto' | ReleaseBackend,
  config: MatrixConfig,
  settings: ReleaseSettings,
): Promise<{ runtime: ReleaseRuntime; reason: string }> {
  if (choice === 'local') return { runtime: localRuntime(settings), reason: 'local backend requested (--backend local)' };
  const d = await daemon();
  if (d.ok)
    return {
      runtime: dockerRuntime(d.docker, d.engine, config, settings),
      reason: `${engineName(d.engine)} answered${choice === 'auto' ? '' : ' (--backend docker)'}`,
    };
  if (choice === 'docker') throw new InfraError(`matrix release --backend docker needs Docker: ${d.why}; --backend local builds a release directory instead`);
  return { runtime: localRuntime(settings), reason: `${d.why}: a local release (a directory, no registry)` };
}
