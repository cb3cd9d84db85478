/**
 * What release, promote, rollback and releases take from matrix.yaml: the `release:` block with
 * its paths resolved against the folder of matrix.yaml, and the smoke settings a release is
 * checked with (the same as a cell's). Pure.
 */
import path from 'node:path';
import { durationMs } from '../config/allow-list.js';
import { smokeThresholds } from '../config/index.js';
import type { MatrixConfig } from '../config/schema.js';
import { runSettingsOf } from '../project/units.js';
import type { Thresholds } from '../verdict/checks.js';
import type { Color } from './state.js';
import { repository } from './version.js';
import type { AnalysisSettings } from './watch/types.js';

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
  /** Percent of requests to the new color at each step (the last is 100), each judged over intervalMs. */
  canary: { steps: number[]; intervalMs: number };
  /** The observation window after the last step; 0: none. */
  observeMs: number;
  analysis: AnalysisSettings;
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
    canary: { steps: r.canary.steps, intervalMs: durationMs(r.canary.interval) },
    observeMs: durationMs(r.observe),
    analysis: analysisSettings(r.analysis),
  };
}

/** matrix.yaml writes rates in percent, like the canary steps; the analysis takes fractions. */
function analysisSettings(a: MatrixConfig['release']['analysis']): AnalysisSettings {
  return {
    minRequests: a['min-requests'],
    maxExtensions: a['max-extensions'],
    failingIntervals: a['failing-intervals'],
    errorBudget: a['error-budget'] / 100,
    errorMargin: a['error-margin'] / 100,
    guardrailErrorRate: a['guardrail-error-rate'] / 100,
    guardrailMinRequests: a['guardrail-min-requests'],
    p95Ratio: a['p95-ratio'],
    p95MarginMs: a['p95-margin-ms'],
    p95BudgetMs: a['p95-budget-ms'],
    rankEffect: a['rank-effect'],
  };
}

/** The URL nginx serves on. */
export const frontUrl = (s: Pick<ReleaseSettings, 'listen'>) => `http://${s.listen}`;
