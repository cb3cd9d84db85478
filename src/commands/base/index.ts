/** `matrix base`: build the local Docker base images (Debian rootfs + Node + npm) ahead of a run. */
import semver from 'semver';
import { probeDocker, dockerEndpoint } from '../../backends/index.js';
import { baseOptionsOf, ensureBaseImage } from '../../backends/docker/base.js';
import { localNames } from '../../backends/docker/engine.js';
import { ExitCode, InfraError, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { planRuntimeVersions } from '../../plan/index.js';
import { openProject } from '../../project/index.js';

export default async function base(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const requested = (opts.node as string[] | undefined) ?? [];
  for (const v of requested) {
    if (semver.valid(v) !== v) throw new UserError(`--node: expected exact Node versions such as 20.20.2, found ${JSON.stringify(v)}`);
  }
  const project = await openProject(String(opts.config ?? 'matrix.yaml'));
  const nodes = requested.length ? requested : await planRuntimeVersions(project, { offline: Boolean(opts.offline) });
  const probe = await probeDocker();
  if (!probe.ok) throw new InfraError(`no Docker daemon answered at ${dockerEndpoint()} (${probe.why})`);
  const base = { ...baseOptionsOf(project.config), cacheDir: project.cache.dir };
  for (const node of nodes) {
    const t0 = Date.now();
    const img = await ensureBaseImage(probe.docker, node, localNames(probe.engine, base), AbortSignal.timeout(project.settings.timeouts.build), (line) =>
      io.err(`  node ${node}: ${line}`),
    );
    io.out(`${img.tag}  ${img.id.slice(7, 19)}  ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
  return ExitCode.ok;
}
