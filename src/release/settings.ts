/**
 * What release, promote, rollback and releases take from matrix.yaml: the `release:` block with
 * its paths resolved against the folder of matrix.yaml, and the smoke settings a release is
 * checked with (the same as a cell's). Pure.
 */
import path from 'node:path';
import { smokeThresholds } from '../config/index.js';
import type { MatrixConfig } from '../config/schema.js';
import { runSettingsOf } from '../project/units.js';
import type { Thresholds } from '../verdict/checks.js';
import type { Color } from './state.js';
import { repository } from './version.js';

export interface ReleaseSettings {
  /** Folder of matrix.yaml. */
  root: string;
  repository: string;
  listen: string;
  ports: Record<Color, number>;
  keep: number;
  /** <release.dir>: releases.json and locks/. */
  dir: string;
  stateFile: string;
  locksDir: string;
  /** nginx's prefix. */
  nginxPrefix: string;
  timeouts: { start: number; smoke: number };
  thresholds: Thresholds;
  casesFile: string;
  benchmarkFile: string;
  benchmarkLimit: number;
}

export function releaseSettings(config: MatrixConfig, root: string): ReleaseSettings {
  const r = config.release;
  const dir = path.resolve(root, r.dir);
  return {
    root,
    repository: repository(r.registry, r.image),
    listen: r.listen,
    ports: r.ports,
    keep: r.keep,
    dir,
    stateFile: path.join(dir, 'releases.json'),
    locksDir: path.join(dir, 'locks'),
    nginxPrefix: path.join(dir, 'nginx'),
    timeouts: runSettingsOf(config).timeouts,
    thresholds: smokeThresholds(config),
    casesFile: path.resolve(root, config.smoke.cases),
    benchmarkFile: path.resolve(root, config.smoke.benchmark),
    benchmarkLimit: config.smoke['benchmark-limit'],
  };
}

/** The URL nginx serves on. */
export const frontUrl = (s: Pick<ReleaseSettings, 'listen'>) => `http://${s.listen}`;
