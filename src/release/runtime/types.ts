/**
 * A release runtime is where a release is built and where its colors run: Docker (an image pushed
 * to a registry, one container per release) or local (an immutable directory, one process per
 * color). Everything else about releases (verify-refusal, labels, checks, the nginx switch, the
 * state, retention) is the same code for both. Add a runtime by implementing this and choosing it
 * in ./index.ts.
 */
import type { ExitInfo } from '../../backends/types.js';
import type { Lockfile } from '../../cell/resolve.js';
import type { ServiceManifest } from '../../cell/workspace.js';
import type { Cell } from '../../domain.js';
import type { Color, Release, ReleaseBackend } from '../state.js';

/** What the golden lock derives: the same for every runtime. */
export interface ArtifactInputs {
  version: string;
  serviceVersion: string;
  revision: string;
  source: string;
  cell: Cell;
  serviceDir: string;
  modelDir: string;
  manifest: ServiceManifest;
  lockfile: Lockfile;
  /** OCI and io.matrix.* labels (./manifest.ts releaseLabels). */
  labels: Record<string, string>;
  onLog(line: string): void;
}

export interface Artifact {
  tag: string;
  digest: string;
  imageId: string;
  buildMs: number;
  /** Docker: the push to the registry; local: absent (no registry). */
  pushMs?: number;
}

/** A release running on a color, as the checks see it. */
export interface ColorRun {
  url: string;
  exited: Promise<ExitInfo>;
  logTail(lines?: number): Promise<string>;
  peakMemoryMb(): Promise<number | undefined>;
  /** local: the service process, recorded in the state while it runs. */
  pid?: number;
}

export interface ReleaseRuntime {
  readonly backend: ReleaseBackend;
  build(inputs: ArtifactInputs): Promise<Artifact>;
  /** Starts `r` on `color`'s loopback port, bound to 127.0.0.1. */
  start(r: Release, cell: Cell, color: Color, port: number): Promise<ColorRun>;
  /** SIGTERM (the service drains), then kept: a rollback starts it again. */
  stop(r: Release): Promise<void>;
  /** Retention: what was built goes (a registry keeps what was pushed). */
  prune(r: Release): Promise<void>;
}
