/**
 * More than one container engine (`run.engines`): cells are spread over them, each engine with a
 * concurrency of its own. Every engine is a DockerBackend of its own (its bases, shared installs
 * and images stay on it); this backend only decides where each cell goes and names the engine
 * in its result. Which engine takes a cell is pure (`pickEngine`); the rest delegates.
 */
import type Docker from 'dockerode';
import type { Cell } from '../domain.js';
import type { DockerBackend } from './docker/index.js';
import type { Backend, PrepareContext, Prepared, RunningService } from './types.js';

export interface EngineSpec {
  /** Shown in reports: the name given in matrix.yaml, else the endpoint. */
  name: string;
  /** As DOCKER_HOST is written: unix:///path, tcp://host:port, ssh://[user@]host[:port]. */
  host: string;
  concurrency: number;
}

/**
 * dockerode's connection options for an endpoint written as DOCKER_HOST is. docker-modem fills
 * in DOCKER_HOST's own under what is given, and a host wins over a socket: a socket clears it.
 */
export function dockerOptionsOf(host: string): Docker.DockerOptions {
  const url = new URL(host);
  if (url.protocol === 'unix:') return { socketPath: url.pathname, host: undefined } as Docker.DockerOptions;
  const port = url.port ? Number(url.port) : undefined;
  if (url.protocol === 'ssh:')
    return { protocol: 'ssh', host: url.hostname, ...(port ? { port } : {}), ...(url.username ? { username: decodeURIComponent(url.username) } : {}) };
  return { protocol: 'http', host: url.hostname, port: port ?? 2375 };
}

/** The engine with the most free slots (ties: the first listed); undefined when all are full. */
export function pickEngine(busy: number[], concurrency: number[]): number | undefined {
  let best: number | undefined;
  busy.forEach((n, i) => {
    const free = concurrency[i]! - n;
    if (free > 0 && (best === undefined || free > concurrency[best]! - busy[best]!)) best = i;
  });
  return best;
}

interface Engine {
  spec: EngineSpec;
  backend: DockerBackend;
  busy: number;
}

export class EnginesBackend implements Backend {
  readonly name = 'docker' as const;
  readonly reason: string;
  /** The runner's concurrency: every engine's slots. */
  readonly concurrency: number;
  private readonly engines: Engine[];
  private readonly waiting: (() => void)[] = [];
  /** Which engine each prepared cell is on: its start, retries and stop go there too. */
  private readonly placed = new Map<string, Engine>();

  constructor(engines: { spec: EngineSpec; backend: DockerBackend }[]) {
    this.engines = engines.map((e) => ({ ...e, busy: 0 }));
    this.concurrency = engines.reduce((n, e) => n + e.spec.concurrency, 0);
    this.reason = `${engines.length} engines: ${engines.map((e) => `${e.spec.name} (${e.backend.reason}, ${e.spec.concurrency} at once)`).join('; ')}`;
  }

  /** A slot on the engine with the most free ones; waits while every engine is full. */
  private async take(): Promise<Engine> {
    for (;;) {
      const i = pickEngine(
        this.engines.map((e) => e.busy),
        this.engines.map((e) => e.spec.concurrency),
      );
      if (i !== undefined) {
        const engine = this.engines[i]!;
        engine.busy++;
        return engine;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(engine: Engine): void {
    engine.busy--;
    this.waiting.shift()?.();
  }

  async prepare(cell: Cell, ctx: PrepareContext): Promise<Prepared> {
    const engine = await this.take();
    try {
      const prepared = await engine.backend.prepare(cell, { ...ctx, onLog: (l) => ctx.onLog(`[${engine.spec.name}] ${l}`) });
      this.placed.set(cell.id, engine);
      return { ...prepared, engine: engine.spec.name };
    } finally {
      // The slot is held from prepare to the end of the cell's last start (below).
      if (this.placed.get(cell.id) !== engine) this.release(engine);
    }
  }

  async start(prepared: Prepared, port: number, ctx: { runId: string; signal: AbortSignal }): Promise<RunningService> {
    const engine = this.placed.get(prepared.cell.id);
    if (!engine) throw new Error(`cell ${prepared.cell.id} was not prepared on any engine`);
    return engine.backend.start(prepared, port, ctx);
  }

  /** The cell ran its last attempt: its engine's slot is free again. */
  done(cell: Cell): void {
    const engine = this.placed.get(cell.id);
    if (!engine) return;
    this.placed.delete(cell.id);
    this.release(engine);
  }

  /** The first engine's base: a cell placed elsewhere is stored under the base it really used. */
  baseIdentity(cell: Cell): Promise<string | undefined> {
    return this.engines[0]!.backend.baseIdentity(cell);
  }

  async cleanup(runId: string): Promise<void> {
    await Promise.all(this.engines.map((e) => e.backend.cleanup(runId)));
  }

  async healthy(): Promise<boolean> {
    return (await Promise.all(this.engines.map((e) => e.backend.healthy()))).every(Boolean);
  }
}
