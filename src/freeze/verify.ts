/**
 * `matrix verify`: does the service install and run exactly what golden.lock.json says, and are
 * the files the axes need on disk (the model's ONNX files) still the ones frozen? The comparison
 * is pure (lock + what was found → a list of Drift); reading service/ and the files, and asking a
 * running service for /version, happen in ./files.ts.
 */
import { expectedAxes, filesOnDisk, seenAxes } from '../axes/index.js';
import type { GoldenLock } from './types.js';
import { lockedNode } from './service-pins.js';

export type DriftKind = 'missing-file' | 'missing' | 'extra' | 'version' | 'integrity' | 'node' | 'runtime' | 'sha256';

export interface Drift {
  /** The file (or URL) where the difference is. */
  where: string;
  kind: DriftKind;
  /** Package, lockfile path or field (for a file on disk: the field of the lock that records its sha256). */
  subject: string;
  expected?: string;
  actual?: string;
}

export interface FoundService {
  /** Display names, e.g. "service/package.json". */
  files: { manifest: string; lockfile: string; nvmrc: string };
  manifest?: unknown;
  lockfile?: unknown;
  nvmrc?: string;
  /**
   * The files the lock's axes need on disk (filesOnDisk), by their path in the lock: the name to
   * show, and the sha256 of what is there (none when the file is missing).
   */
  onDisk: Record<string, { file: string; sha256?: string }>;
  /** The /version answer of a running service, with the URL it came from. */
  version?: { url: string; body: unknown };
}

type Deps = Record<string, string>;
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const stripV = (v: string) => v.trim().replace(/^v/, '');

function compareDeps(where: string, field: string, expected: Deps, found: Deps, out: Drift[]): void {
  for (const [name, version] of Object.entries(expected)) {
    const actual = found[name];
    if (actual === undefined) out.push({ where, kind: 'missing', subject: `${field}.${name}`, expected: version });
    else if (actual !== version) out.push({ where, kind: 'version', subject: `${field}.${name}`, expected: version, actual });
  }
  for (const [name, actual] of Object.entries(found)) {
    if (!(name in expected)) out.push({ where, kind: 'extra', subject: `${field}.${name}`, actual });
  }
}

function compareManifest(lock: GoldenLock, found: FoundService, out: Drift[]): void {
  const where = found.files.manifest;
  if (found.manifest === undefined) return void out.push({ where, kind: 'missing-file', subject: where });
  const manifest = record(found.manifest);
  compareDeps(where, 'dependencies', lock.pins.dependencies, record(manifest.dependencies) as Deps, out);
  if (lock.pins.devDependencies) compareDeps(where, 'devDependencies', lock.pins.devDependencies, record(manifest.devDependencies) as Deps, out);
  const engine = record(manifest.engines).node;
  const node = lockedNode(lock);
  if (engine !== node) out.push({ where, kind: 'node', subject: 'engines.node', expected: node, ...(typeof engine === 'string' ? { actual: engine } : {}) });
}

function compareLockfile(lock: GoldenLock, found: FoundService, out: Drift[]): void {
  const where = found.files.lockfile;
  if (found.lockfile === undefined) return void out.push({ where, kind: 'missing-file', subject: where });
  const packages = record(record(found.lockfile).packages);
  for (const [key, golden] of Object.entries(lock.tree)) {
    const entry = packages[key];
    if (entry === undefined) {
      out.push({ where, kind: 'missing', subject: key, ...(golden.version ? { expected: golden.version } : {}) });
      continue;
    }
    const e = record(entry);
    if (golden.version !== undefined && e.version !== golden.version) {
      out.push({ where, kind: 'version', subject: key, expected: golden.version, ...(typeof e.version === 'string' ? { actual: e.version } : {}) });
    } else if (golden.integrity !== undefined && e.integrity !== golden.integrity) {
      out.push({ where, kind: 'integrity', subject: key, expected: golden.integrity, ...(typeof e.integrity === 'string' ? { actual: e.integrity } : {}) });
    }
  }
  for (const key of Object.keys(packages)) {
    if (key !== '' && !(key in lock.tree))
      out.push({
        where,
        kind: 'extra',
        subject: key,
        ...(typeof record(packages[key]).version === 'string' ? { actual: record(packages[key]).version as string } : {}),
      });
  }
}

function compareNvmrc(lock: GoldenLock, found: FoundService, out: Drift[]): void {
  const where = found.files.nvmrc;
  if (found.nvmrc === undefined) return void out.push({ where, kind: 'missing-file', subject: where });
  const version = stripV(found.nvmrc);
  const node = lockedNode(lock);
  if (version !== node) out.push({ where, kind: 'node', subject: 'node', expected: node, actual: version });
}

/** A retrained or edited model without a new run and freeze is not the model the golden cell passed with. */
function compareOnDisk(lock: GoldenLock, found: FoundService, out: Drift[]): void {
  for (const f of filesOnDisk(lock.axes)) {
    const seen = found.onDisk[f.path];
    const where = seen?.file ?? f.path;
    const subject = `axes.${f.axis}.${f.place}`;
    if (seen?.sha256 === undefined) out.push({ where, kind: 'missing-file', subject, expected: f.sha256 });
    else if (seen.sha256 !== f.sha256) out.push({ where, kind: 'sha256', subject, expected: f.sha256, actual: seen.sha256 });
  }
}

/** What the running service reports for each axis, against what the golden cell's values must report. */
function compareRunning(lock: GoldenLock, version: NonNullable<FoundService['version']>, out: Drift[]): void {
  const where = version.url;
  const expected = expectedAxes(lock.axes);
  const seen = seenAxes(lock.axes, version.body);
  if (!seen) {
    const body = JSON.stringify(version.body ?? null).slice(0, 120);
    return void out.push({
      where,
      kind: 'runtime',
      subject: 'runtime',
      expected: `a report of every axis (${Object.keys(expected).join(', ')})`,
      actual: body,
    });
  }
  for (const [axis, want] of Object.entries(expected)) {
    if (seen[axis] !== want)
      out.push({ where, kind: 'runtime', subject: `runtime.${axis}`, expected: want, ...(seen[axis] !== undefined ? { actual: seen[axis] } : {}) });
  }
}

export function verifyService(lock: GoldenLock, found: FoundService): Drift[] {
  const out: Drift[] = [];
  compareManifest(lock, found, out);
  compareLockfile(lock, found, out);
  compareNvmrc(lock, found, out);
  compareOnDisk(lock, found, out);
  if (found.version) compareRunning(lock, found.version, out);
  return out;
}

const short = (sha: string) => sha.slice(0, 12);

/** `service/package-lock.json: node_modules/express: version 5.1.0 (golden) ≠ 5.0.0 (found)` */
export function describeDrift(d: Drift): string {
  const head = `${d.where}: ${d.subject === d.where ? '' : `${d.subject}: `}`;
  switch (d.kind) {
    case 'missing-file':
      return d.subject === d.where
        ? `${d.where}: missing (the golden lock expects it; run \`matrix freeze\`)`
        : `${head}missing (golden: sha256 ${short(d.expected ?? '')}; restore it, or run the matrix and freeze again)`;
    case 'missing':
      return `${head}missing (golden: ${d.expected ?? 'present'})`;
    case 'extra':
      return `${head}not in the golden lock${d.actual ? ` (found ${d.actual})` : ''}`;
    case 'sha256':
      return (
        `${head}sha256 ${short(d.expected ?? '')} (golden) ≠ ${short(d.actual ?? '')} (found): ` +
        'changed since the freeze; restore it, or run the matrix and freeze again'
      );
    default:
      return `${head}${d.kind} ${d.expected ?? '?'} (golden) ≠ ${d.actual ?? '(none)'} (found)`;
  }
}
