/** `matrix base`: build the local Docker base images (Debian rootfs + Node + npm) ahead of a run. */
import semver from 'semver';
import { probeDocker, dockerEndpoint } from '../../backends/index.js';
import { ensureBaseImage } from '../../backends/docker/base.js';
import { localNames } from '../../backends/docker/engine.js';
import { ExitCode, InfraError, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { runtimeOf } from '../../axes/index.js';
import { prepareRun } from '../run/inputs.js';

export default async function base(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const requested = (opts.node as string[] | undefined) ?? [];
  for (const v of requested) {
    if (semver.valid(v) !== v) throw new UserError(`--node: expected exact Node versions such as 20.20.2, found ${JSON.stringify(v)}`);
  }
  const inputs = await prepareRun(String(opts.config ?? 'matrix.yaml'), { offline: Boolean(opts.offline) });
  const nodes = requested.length ? requested : [...new Set(inputs.plan.cells.filter((c) => c.status === 'planned').map((c) => runtimeOf(c).version))];
  const probe = await probeDocker();
  if (!probe.ok) throw new InfraError(`no Docker daemon answered at ${dockerEndpoint()} (${probe.why})`);
  const d = inputs.backendSettings.docker;
  for (const node of nodes) {
    const t0 = Date.now();
    const img = await ensureBaseImage(
      probe.docker,
      node,
      localNames(probe.engine, { ...d, cacheDir: inputs.cacheDir, nodePackage: inputs.backendSettings.nodePackage }),
      AbortSignal.timeout(30 * 60_000),
      (line) => io.err(`  node ${node}: ${line}`),
    );
    io.out(`${img.tag}  ${img.id.slice(7, 19)}  ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
  return ExitCode.ok;
}
