/** Releases as Docker images and containers (../images.ts), pushed to release.registry. */
import path from 'node:path';
import type Docker from 'dockerode';
import type { DockerOptions } from '../../backends/docker/index.js';
import type { Engine } from '../../backends/docker/engine.js';
import type { MatrixConfig } from '../../config/schema.js';
import { npmSettings } from '../../registry/host-npm.js';
import { installNpmrc, loadNpmOptions } from '../../registry/npm.js';
import { baseOptionsOf } from '../../backends/docker/base.js';
import { buildRelease, ensureImage, pruneRelease, pushRelease, startColor, stopRelease } from '../images.js';
import type { ReleaseSettings } from '../settings.js';
import type { ReleaseRuntime } from './types.js';

export function dockerRuntime(docker: Docker, engine: Engine, config: MatrixConfig, settings: ReleaseSettings): ReleaseRuntime {
  return {
    backend: 'docker',
    async build(i) {
      const tag = `${settings.repository}:${i.version}`;
      const t0 = performance.now();
      const built = await buildRelease(
        docker,
        await dockerOptions(config, settings, { engine, serviceVersion: i.serviceVersion, revision: i.revision, source: i.source, labels: i.labels }),
        i.cell,
        {
          runId: `release-${i.version}`,
          serviceDir: i.serviceDir,
          modelDir: i.modelDir,
          manifest: i.manifest,
          lockfile: i.lockfile,
          signal: new AbortController().signal,
          // A release is built once, watched by a person: no budget stops it.
          within: (_phases, step) => step(new AbortController().signal),
          onLog: i.onLog,
        },
        tag,
      );
      const buildMs = Math.round(performance.now() - t0);
      i.onLog(`docker push ${tag}`);
      const t1 = performance.now();
      const digest = await pushRelease(docker, tag);
      return { tag, digest, imageId: built.image.id, buildMs, pushMs: Math.round(performance.now() - t1) };
    },
    async start(r, _cell, color, port) {
      await ensureImage(docker, r);
      return startColor(docker, r, color, port);
    },
    stop: (r) => stopRelease(docker, r.version),
    prune: (r) => pruneRelease(docker, r),
  };
}

async function dockerOptions(
  c: MatrixConfig,
  s: ReleaseSettings,
  image: Pick<DockerOptions, 'engine' | 'serviceVersion' | 'revision' | 'source' | 'labels'>,
): Promise<Omit<DockerOptions, 'reason'>> {
  return {
    ...image,
    cacheDir: path.join(s.root, '.matrix-cache'),
    templateFile: path.resolve(s.root, c.image.template),
    imageName: s.repository,
    network: c.image.network,
    install: c.run.install,
    ...baseOptionsOf(c),
    ...(await npmSettings()),
    npmrc: installNpmrc(await loadNpmOptions(s.root)).npmrc,
  };
}
