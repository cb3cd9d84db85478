/**
 * The Docker side of releases (dockerode): build the release image with the cell build code
 * (DockerBackend.prepare: the same base, template, build context and `npm ci`), tag it, push it,
 * and run one container per release on a color's loopback port. A container is stopped, never
 * removed, when its release stops serving, until retention prunes the release.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { DockerBackend, type DockerOptions } from '../backends/docker/index.js';
import { tail, type ExitInfo, type PrepareContext, type Prepared } from '../backends/types.js';
import { LogBuffer } from '../backends/logbuffer.js';
import type { Cell } from '../domain.js';
import { InfraError } from '../errors.js';
import { RELEASE_LABEL } from './manifest.js';
import type { ColorRun } from './runtime/types.js';
import type { Color, Release } from './state.js';

const COLOR_LABEL = 'io.matrix.color';

const containerName = (version: string) => `matrix-release-${version}`;

/** Builds with the cell code, then names the image `<repository>:<version>` (the cell tag is dropped). */
export async function buildRelease(
  docker: Docker,
  opts: Omit<DockerOptions, 'reason'>,
  cell: Cell,
  ctx: PrepareContext,
  tag: string,
): Promise<Prepared & { image: NonNullable<Prepared['image']> }> {
  const backend = new DockerBackend(docker, { ...opts, reason: 'matrix release' });
  try {
    const prepared = await backend.prepare(cell, ctx);
    const image = prepared.image!;
    const [repo, name] = splitTag(tag);
    await docker.getImage(image.id).tag({ repo, tag: name });
    if (image.tag !== tag)
      await docker
        .getImage(image.tag)
        .remove()
        .catch(() => undefined);
    const labels = ((await docker.getImage(image.id).inspect()).Config.Labels ?? {}) as Record<string, string>;
    return { ...prepared, image: { id: image.id, tag, labels } };
  } finally {
    await backend.cleanup(ctx.runId);
  }
}

const splitTag = (tag: string): [string, string] => {
  const i = tag.lastIndexOf(':');
  return [tag.slice(0, i), tag.slice(i + 1)];
};

/** Pushes `<repository>:<version>`; the registry's digest, as `<repository>@sha256:…`. */
export async function pushRelease(docker: Docker, tag: string): Promise<string> {
  const [repo, name] = splitTag(tag);
  let stream: NodeJS.ReadableStream;
  try {
    // A registry without auth still wants an auth header from the engine's API; an empty one is enough.
    stream = (await docker.getImage(tag).push({ tag: name, authconfig: {} } as Docker.ImagePushOptions)) as NodeJS.ReadableStream;
  } catch (error) {
    throw new InfraError(`docker push ${tag}: ${(error as Error).message}`);
  }
  const events = (await new Promise((resolve, reject) => docker.modem.followProgress(stream, (e, out) => (e ? reject(e) : resolve(out))))) as {
    error?: string;
    aux?: { Digest?: string };
  }[];
  const failed = events.find((e) => e.error);
  if (failed) throw new InfraError(`docker push ${tag}: ${failed.error}`);
  const digest = events.find((e) => e.aux?.Digest)?.aux?.Digest;
  if (!digest) throw new InfraError(`docker push ${tag}: the registry answered no digest`);
  return `${repo}@${digest}`;
}

/** The release's image by its digest: present since the build, else pulled from the registry. */
export async function ensureImage(docker: Docker, r: Release): Promise<void> {
  const present = await docker
    .getImage(r.digest)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (present) return;
  try {
    const stream = await docker.pull(r.digest);
    await new Promise((resolve, reject) => docker.modem.followProgress(stream, (e) => (e ? reject(e) : resolve(null))));
  } catch (error) {
    throw new InfraError(`docker pull ${r.digest}: ${(error as Error).message}`);
  }
}

/**
 * Starts the release on `color`'s port: its kept container when it last ran on that color,
 * else a new one (the image by digest, host networking, bound to 127.0.0.1).
 */
export async function startColor(docker: Docker, r: Release, color: Color, port: number): Promise<ColorRun> {
  const name = containerName(r.version);
  const existing = docker.getContainer(name);
  const info = await existing.inspect().catch(() => undefined);
  let container: Docker.Container;
  if (info && info.Config.Labels?.[COLOR_LABEL] === color && info.Image === r.imageId) {
    container = existing;
  } else {
    if (info) await existing.remove({ force: true });
    container = await docker.createContainer({
      Image: r.digest,
      name,
      Env: [`PORT=${port}`, 'HOST=127.0.0.1', `GIT_REVISION=${r.revision}`, `MATRIX_RELEASE_VERSION=${r.version}`],
      Labels: { [RELEASE_LABEL]: r.version, [COLOR_LABEL]: color },
      HostConfig: { Init: true, NetworkMode: 'host', RestartPolicy: { Name: 'unless-stopped' } },
    });
  }
  const waiting = container.wait({ condition: 'next-exit' });
  await container.start();
  const exited: Promise<ExitInfo> = waiting.then(
    async (w: { StatusCode: number }) => ({
      code: w.StatusCode,
      signal: null,
      oomKilled: (await container.inspect().catch(() => undefined))?.State?.OOMKilled ?? false,
    }),
    () => ({ code: null, signal: null }),
  );
  let peak = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    exited,
    logTail: (lines = 40) => containerLog(docker, container, lines),
    peakMemoryMb: async () => {
      const s = (await container.stats({ stream: false }).catch(() => undefined)) as { memory_stats?: { max_usage?: number; usage?: number } } | undefined;
      peak = Math.max(peak, s?.memory_stats?.max_usage ?? s?.memory_stats?.usage ?? 0);
      return peak ? peak / 1024 / 1024 : undefined;
    },
  };
}

async function containerLog(docker: Docker, container: Docker.Container, lines: number): Promise<string> {
  const raw = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false }).catch(() => Buffer.alloc(0))) as Buffer;
  const log = new LogBuffer();
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => log.push(d.toString()));
  const source = new PassThrough();
  docker.modem.demuxStream(source, sink, sink);
  source.end(raw);
  await new Promise((r) => setImmediate(r));
  return tail(log.text(), lines);
}

/** SIGTERM (the service drains its in-flight requests), then kept stopped. */
export async function stopRelease(docker: Docker, version: string): Promise<void> {
  await docker
    .getContainer(containerName(version))
    .stop({ t: 10 })
    .catch((error: { statusCode?: number }) => {
      // 304: already stopped; 404: never started on this engine.
      if (error.statusCode !== 304 && error.statusCode !== 404) throw error;
    });
}

/** Retention: the container and the local image go; the registry keeps the pushed release. */
export async function pruneRelease(docker: Docker, r: Release): Promise<void> {
  await docker
    .getContainer(containerName(r.version))
    .remove({ force: true })
    .catch(() => undefined);
  await docker
    .getImage(r.tag)
    .remove()
    .catch(() => undefined);
  await docker
    .getImage(r.digest)
    .remove()
    .catch(() => undefined);
}
