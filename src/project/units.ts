/**
 * matrix.yaml's sizes and durations in the units the runner uses: one parser each. Both are
 * validated at load (src/config/schema.ts), so these never see a malformed value from a config.
 */
import { durationMs } from '../config/allow-list.js';
import type { MatrixConfig } from '../config/schema.js';

/** A memory size ('2g', '512m', '512mb', '512', '1048576k'; `k` is KiB, a bare number MB) in MB, unrounded. */
export function memoryMb(text: string): number {
  const m = /^(\d+)(k|m|g|mb|gb)?$/i.exec(text.trim());
  if (!m) throw new Error(`not a memory size: ${text}`);
  const unit = (m[2] ?? 'm').toLowerCase();
  const n = Number(m[1]);
  return unit === 'k' ? n / 1024 : unit.startsWith('g') ? n * 1024 : n;
}

/** The `run:` and `image:` settings a run uses, in milliseconds and MB. */
export interface RunSettingsMs {
  /** install: npm's tree and install steps; build: image build steps (base, rootfs, toolchain download included). */
  timeouts: { install: number; build: number; start: number; smoke: number };
  backend: 'auto' | 'docker' | 'local';
  concurrency?: number;
  retries: number;
  failFast: boolean;
  memoryMb?: number;
  cpus?: number;
}

export function runSettingsOf(config: MatrixConfig): RunSettingsMs {
  const t = config.run.timeouts;
  return {
    timeouts: { install: durationMs(t.install), build: durationMs(t.build), start: durationMs(t.start), smoke: durationMs(t.smoke) },
    backend: config.run.backend,
    ...(config.run.concurrency ? { concurrency: config.run.concurrency } : {}),
    retries: config.run.retries,
    failFast: config.run['fail-fast'],
    ...(config.image.memory ? { memoryMb: memoryMb(config.image.memory) } : {}),
    ...(config.image.cpus ? { cpus: config.image.cpus } : {}),
  };
}
