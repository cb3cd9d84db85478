/**
 * Which engine answers the Docker API, and every way the backend treats it differently: Docker,
 * or Podman's Docker-compatible API (`podman system service`). What each difference is, how it
 * was found and what the engine's host needs besides: docs/podman.md. Pure, but followLogs.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

export interface Engine {
  product: 'Docker' | 'Podman';
  version: string;
}

/** The answer of GET /version, as much of it as tells the engines apart. */
export interface VersionAnswer {
  Version?: string;
  Components?: { Name?: string; Version?: string }[];
}

/** Podman names its first component "Podman Engine"; Docker's is "Engine", or none before 1.13-era daemons. */
export function engineOf(v: VersionAnswer): Engine {
  const podman = v.Components?.find((c) => c.Name === 'Podman Engine');
  return podman ? { product: 'Podman', version: podman.Version ?? v.Version ?? 'unknown' } : { product: 'Docker', version: v.Version ?? 'unknown' };
}

export const engineName = (e: Engine): string => `${e.product} ${e.version}`;

export interface LocalNames {
  imageName?: string;
  localBase: string;
  debianImage: string;
}

/**
 * The names of the images the backend makes itself (cells, bases, the Debian rootfs) as this
 * engine must be given them. Podman's compat API (4.3.1) reads a short name as docker.io/library/…
 * whatever registries.conf says, and its builder pulls a FROM it does not find under that name
 * from Docker Hub. `localhost/` is what Podman itself calls local images: such a name is never
 * looked up on a remote registry. Docker keeps the short names (its `localhost/x` would be another image).
 */
export function localNames<T extends LocalNames>(engine: Engine, names: T): T {
  if (engine.product === 'Docker') return names;
  return {
    ...names,
    ...(names.imageName ? { imageName: qualified(names.imageName) } : {}),
    localBase: qualified(names.localBase),
    debianImage: qualified(names.debianImage),
  };
}

/** A name whose first part is a registry host (has a dot or a port, or is `localhost`) stays as it is. */
function qualified(name: string): string {
  const first = name.split('/')[0]!;
  const hasHost = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasHost ? name : `localhost/${name}`;
}

/**
 * POST /images/create?fromSrc=- (docker import) with the tag inside `repo`, as the Docker API
 * allows: Podman 4.3.1 ignores the separate `tag` parameter and names the import `<repo>:latest`.
 */
export const importTarget = (reference: string): { repo: string } => ({ repo: reference });

/**
 * The step a build log line starts, from either builder: Docker's classic builder writes
 * `Step 3/7 : RUN …`, Podman's (buildah 1.28) `STEP 3/7: RUN …`.
 */
export function buildStep(line: string): string | undefined {
  return /^Step \d+\/\d+ : (.*)/.exec(line)?.[1] ?? /^STEP \d+\/\d+: (.*)/.exec(line)?.[1];
}

/**
 * The exit code of the failed RUN step, from either builder's error: Docker's `… returned a
 * non-zero code: 1`, Podman's `building at STEP "RUN …": while running runtime: exit status 1`.
 */
export function buildExitCode(log: string): number {
  return Number(/returned a non-zero code: (\d+)/.exec(log)?.[1] ?? /while running runtime: exit status (\d+)/.exec(log)?.[1] ?? NaN);
}

/**
 * Follows a started container's output without waiting for the engine's answer, which Podman
 * 4.3.1 gives GET /containers/{id}/logs?follow=1 only with the container's first output (Docker
 * at once): awaited, a service that prints nothing would hold the run forever. Settles when the
 * output ends, or the engine refused to follow it.
 */
export function followLogs(docker: Docker, container: Docker.Container, onText: (text: string) => void): Promise<void> {
  return (container.logs({ follow: true, stdout: true, stderr: true }) as Promise<NodeJS.ReadableStream>).then(
    (logs) =>
      new Promise<void>((resolve) => {
        const sink = new PassThrough();
        sink.on('data', (d: Buffer) => onText(d.toString()));
        logs.on('end', () => resolve());
        // An engine that goes away cuts the stream: what came so far is the log.
        logs.on('error', () => resolve());
        docker.modem.demuxStream(logs, sink, sink);
      }),
    () => undefined,
  );
}
